/**
 * The Stripe adapter: the only place that imports the `stripe` SDK for payments. Plain inputs
 * and outputs (amounts in our ISO minor units, upper-case currency codes, ids as strings) so
 * the payments core never sees an SDK type.
 *
 * - Every call that writes takes an idempotency key from the caller (never generated here): a
 *   retried call with the same key is answered from Stripe's stored result, so nothing is
 *   charged or refunded twice — also when a connection drops after Stripe did the work (the
 *   SDK retries such a request with the same key).
 * - Failures are thrown as StripeAdapterError (see stripe-errors.ts): a small union of kinds,
 *   `retryable` for network and rate-limit trouble, and a plain sentence without the key.
 * - The SDK retries connection errors, 409 and 5xx itself (maxNetworkRetries); 429 answers are
 *   retried here a few times with the same key (the SDK only retries those when Stripe says so).
 *
 * Card-present payments use Terminal's server-driven integration: the PaymentIntent is sent to
 * the reader by the API (processOnReader), so no card data ever reaches the app. Online
 * payments use a Checkout Session (createCheckoutSession): a one-off page for exactly this
 * amount, with its own idempotency key, metadata, expiry and PaymentIntent, whose URL can be
 * sent to the patient or opened in the system browser. (A Payment Link would be reusable —
 * anyone with it could pay again — needs a Product and Price per amount, and cannot expire,
 * so it fits a fixed price list, not one appointment's payment.)
 */
import Stripe from 'stripe';
import { fromStripeAmount, toStripeAmount } from '../../contract/stripe-currency.js';
import { MAX_MINOR } from '../../contract/money.js';
import { mapStripeError, StripeAdapterError } from './stripe-errors.js';

export { StripeAdapterError, isStripeAdapterError, type StripeErrorKind } from './stripe-errors.js';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export interface StripePaymentError {
  /** Stripe's code, e.g. card_declined. */
  code: string | null;
  /** The issuer's reason, e.g. insufficient_funds. */
  declineCode: string | null;
  /** A plain sentence for the desk. */
  message: string;
}

export interface PaymentIntentInfo {
  id: string;
  status: PaymentIntentStatus;
  /** Our minor units (ISO 4217). */
  amountMinor: number;
  /** Upper case, e.g. EUR. */
  currency: string;
  amountReceivedMinor: number;
  /** Why the last attempt failed (a declined card), when it did. */
  lastError?: StripePaymentError;
  /** The charge that took the money, once there is one. */
  latestChargeId: string | null;
  metadata: Record<string, string>;
}

export interface CreatePaymentIntentInput {
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
  /** true: for a Terminal reader (card_present); false: a card online. */
  cardPresent: boolean;
}

export interface ReaderActionInfo {
  type: string;
  status: 'in_progress' | 'succeeded' | 'failed';
  paymentIntentId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
}

export interface ReaderInfo {
  id: string;
  label: string | null;
  /** online / offline as Stripe last saw it. */
  status: string | null;
  /** What the reader is doing (or last did), or null when idle. */
  action: ReaderActionInfo | null;
}

export interface CreateCheckoutSessionInput {
  amountMinor: number;
  currency: string;
  /** What the patient sees on the page (e.g. "Consultation, 3 March 10:00"). */
  description: string;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
  metadata: Record<string, string>;
  /** When the page stops accepting payment (Stripe allows 30 minutes to 24 hours ahead). */
  expiresAt?: Date;
}

export interface CheckoutSessionInfo {
  id: string;
  /** The page to send to the patient or open in the system browser (null once complete/expired). */
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  /** Stripe creates the PaymentIntent when the patient pays: null until then. */
  paymentIntentId: string | null;
  amountTotalMinor: number;
  currency: string;
  expiresAt: string | null;
}

export interface CreateRefundInput {
  paymentIntentId: string;
  amountMinor: number;
  idempotencyKey: string;
  reason?: 'requested_by_customer' | 'duplicate' | 'fraudulent';
  metadata?: Record<string, string>;
}

export interface RefundInfo {
  id: string;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  amountMinor: number;
  currency: string;
  paymentIntentId: string | null;
}

export type ConnectionTest =
  | { ok: true; accountId: string; accountName: string | null; country: string | null; defaultCurrency: string | null; mode: 'live' | 'test' | 'unknown'; message: string }
  | { ok: false; kind: StripeAdapterError['kind']; message: string };

/** What the payments core needs from Stripe: nothing of the SDK leaks through it. */
export interface StripePort {
  createPaymentIntent(input: CreatePaymentIntentInput): Promise<PaymentIntentInfo>;
  getPaymentIntent(id: string): Promise<PaymentIntentInfo>;
  cancelPaymentIntent(id: string, idempotencyKey: string): Promise<PaymentIntentInfo>;
  /** Sends the PaymentIntent to a Terminal reader (server-driven); the patient taps or inserts there. */
  processOnReader(input: { readerId: string; paymentIntentId: string; idempotencyKey: string }): Promise<ReaderInfo>;
  getReader(readerId: string): Promise<ReaderInfo>;
  cancelReaderAction(readerId: string, idempotencyKey: string): Promise<ReaderInfo>;
  createCheckoutSession(input: CreateCheckoutSessionInput): Promise<CheckoutSessionInfo>;
  getCheckoutSession(id: string): Promise<CheckoutSessionInfo>;
  /** Ends an open Checkout page so it can no longer be paid (e.g. the booking was cancelled). */
  expireCheckoutSession(id: string, idempotencyKey: string): Promise<CheckoutSessionInfo>;
  createRefund(input: CreateRefundInput): Promise<RefundInfo>;
  /** A refund as Stripe has it now (a pending one settles later, or fails). */
  getRefund(id: string): Promise<RefundInfo>;
  /** Whether the key works: never throws. */
  testConnection(): Promise<ConnectionTest>;
}

export interface StripeAdapterOptions {
  secretKey: string;
  /**
   * Where the API is, for tests against a loopback fake (e.g. http://127.0.0.1:4010);
   * default Stripe's own. Never a user-facing setting (see stripeApiBaseFrom).
   */
  apiBase?: string | null;
  /** SDK retries of connection errors, 409 and 5xx, with the same idempotency key (default 2). */
  maxNetworkRetries?: number;
  /** Extra tries after a 429, same idempotency key (default 2). */
  rateLimitRetries?: number;
  /** Per request, in ms (default 30 s). */
  timeoutMs?: number;
  /** How the adapter waits before retrying a 429 (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

/** The environment variable that points the adapter at another API base (tests, a local fake). */
export const STRIPE_API_ENV = 'CLINIC_DESK_STRIPE_API';

/** The API base from the environment, if any (only http(s) URLs). */
export function stripeApiBaseFrom(env: Readonly<Record<string, string | undefined>> | undefined): string | null {
  const value = env?.[STRIPE_API_ENV]?.trim();
  return value && /^https?:\/\//.test(value) ? value : null;
}

function requireKey(key: string, what: string): void {
  if (typeof key !== 'string' || key.trim().length < 8) {
    throw new StripeAdapterError('invalid-request', `Every Stripe request needs an idempotency key (${what}): none was given.`);
  }
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new StripeAdapterError('invalid-request', `The idempotency key for ${what} must be at most 255 plain characters (a UUID is fine).`);
  }
}

const ID = /^[A-Za-z0-9_]{3,255}$/;
/** Stripe ids are letters, digits and underscores: anything else never reaches a URL. */
function requireId(id: string, what: string): void {
  if (typeof id !== 'string' || !ID.test(id)) throw new StripeAdapterError('invalid-request', `That is not a Stripe ${what} id.`, 'invalid_id');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text Stripe will take: well-formed, within its limits; metadata per Stripe's rules (50 keys, 40/500 characters). */
function checkText(description: string, metadata: Record<string, string> | undefined): void {
  const bad = (message: string) => new StripeAdapterError('invalid-request', message, 'invalid_text');
  if (typeof description !== 'string' || LONE_SURROGATE.test(description)) throw bad('The payment description has broken characters.');
  if (description.length > 1000) throw bad('The payment description is too long for Stripe (at most 1,000 characters).');
  const entries = Object.entries(metadata ?? {});
  if (entries.length > 50) throw bad('Stripe takes at most 50 metadata entries.');
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || k.length === 0 || k.length > 40 || v.length > 500 || k.includes('[') || k.includes(']') || LONE_SURROGATE.test(k + v) || CONTROL.test(k)) {
      throw bad(`Stripe cannot take the metadata entry “${k.slice(0, 40)}” (keys at most 40 characters without brackets, values at most 500).`);
    }
  }
}

/** Text that came from Stripe, safe to show in one line. */
const shown = (text: string | null | undefined, max = 100): string | null => {
  if (!text) return null;
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = Array.from(clean); // whole characters: never half of a pair
  return clean ? (chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean) : null;
};

const upper = (currency: string): string => currency.toUpperCase();

function amountFor(minor: number, currency: string): number {
  const converted = toStripeAmount(minor, upper(currency));
  if (!converted.ok) throw new StripeAdapterError('invalid-request', converted.message, 'amount_not_representable');
  if (minor > MAX_MINOR) throw new StripeAdapterError('invalid-request', 'The amount is too large.', 'amount_not_representable');
  return converted.amount;
}

function plainMetadata(metadata: Stripe.Metadata | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);

function paymentIntentInfo(pi: Stripe.PaymentIntent): PaymentIntentInfo {
  const currency = upper(pi.currency);
  const info: PaymentIntentInfo = {
    id: pi.id,
    status: pi.status as PaymentIntentStatus,
    amountMinor: fromStripeAmount(pi.amount, currency),
    currency,
    amountReceivedMinor: fromStripeAmount(pi.amount_received ?? 0, currency),
    latestChargeId: idOf(pi.latest_charge as string | { id: string } | null),
    metadata: plainMetadata(pi.metadata),
  };
  const last = pi.last_payment_error;
  if (last) {
    info.lastError = {
      code: last.code ?? null,
      declineCode: last.decline_code ?? null,
      message:
        last.code === 'card_declined' || last.type === 'card_error'
          ? `The card was declined${last.decline_code ? ` (${last.decline_code.replace(/_/g, ' ')})` : ''}. Ask for another card or another way to pay.`
          : 'The last payment attempt failed. Try again or take the payment another way.',
    };
  }
  return info;
}

function readerInfo(reader: Stripe.Terminal.Reader | Stripe.Terminal.DeletedReader): ReaderInfo {
  if ('deleted' in reader && reader.deleted) return { id: reader.id, label: null, status: null, action: null };
  const r = reader as Stripe.Terminal.Reader;
  const action = r.action;
  return {
    id: r.id,
    label: r.label ?? null,
    status: (r.status as string | null) ?? null,
    action: action
      ? {
          type: action.type,
          status: action.status as ReaderActionInfo['status'],
          paymentIntentId: idOf(action.process_payment_intent?.payment_intent as string | { id: string } | undefined),
          failureCode: action.failure_code ?? null,
          failureMessage: action.failure_message ?? null,
        }
      : null,
  };
}

function checkoutInfo(s: Stripe.Checkout.Session): CheckoutSessionInfo {
  const currency = upper(s.currency ?? 'usd');
  return {
    id: s.id,
    url: s.url ?? null,
    status: (s.status ?? 'open') as CheckoutSessionInfo['status'],
    paymentStatus: s.payment_status as CheckoutSessionInfo['paymentStatus'],
    paymentIntentId: idOf(s.payment_intent as string | { id: string } | null),
    amountTotalMinor: fromStripeAmount(s.amount_total ?? 0, currency),
    currency,
    expiresAt: s.expires_at ? new Date(s.expires_at * 1000).toISOString() : null,
  };
}

function refundInfo(r: Stripe.Refund): RefundInfo {
  const currency = upper(r.currency);
  return {
    id: r.id,
    status: (r.status ?? 'pending') as RefundInfo['status'],
    amountMinor: fromStripeAmount(r.amount, currency),
    currency,
    paymentIntentId: idOf(r.payment_intent as string | { id: string } | null),
  };
}

const modeOfKey = (key: string): 'live' | 'test' | 'unknown' => (/^(sk|rk)_live_/.test(key) ? 'live' : /^(sk|rk)_test_/.test(key) ? 'test' : 'unknown');

/** A StripePort over the real SDK. */
export function createStripeAdapter(options: StripeAdapterOptions): StripePort {
  const secret = options.secretKey;
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'Clinic Desk' },
  };
  if (options.apiBase) {
    const url = new URL(options.apiBase);
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
    config.protocol = url.protocol === 'http:' ? 'http' : 'https';
  }
  const stripe = new Stripe(secret, config);
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** One call: errors mapped; 429 answers retried a few times with the same idempotency key. */
  async function run<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const mapped = mapStripeError(err, secret);
        if (mapped.kind === 'rate-limited' && attempt < rateLimitRetries) {
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw mapped;
      }
    }
  }

  return {
    async createPaymentIntent(input) {
      requireKey(input.idempotencyKey, 'creating a payment');
      checkText(input.description, input.metadata);
      const amount = amountFor(input.amountMinor, input.currency);
      const params: Stripe.PaymentIntentCreateParams = {
        amount,
        currency: input.currency.toLowerCase(),
        description: input.description,
        metadata: input.metadata,
        allowed_payment_method_types: [input.cardPresent ? 'card_present' : 'card'],
        capture_method: 'automatic',
      };
      return paymentIntentInfo(await run(() => stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey })));
    },
    async getPaymentIntent(id) {
      requireId(id, 'payment');
      return paymentIntentInfo(await run(() => stripe.paymentIntents.retrieve(id)));
    },
    async cancelPaymentIntent(id, idempotencyKey) {
      requireKey(idempotencyKey, 'cancelling a payment');
      requireId(id, 'payment');
      return paymentIntentInfo(await run(() => stripe.paymentIntents.cancel(id, {}, { idempotencyKey })));
    },
    async processOnReader(input) {
      requireKey(input.idempotencyKey, 'sending a payment to a reader');
      requireId(input.readerId, 'reader');
      requireId(input.paymentIntentId, 'payment');
      return readerInfo(
        await run(() => stripe.terminal.readers.processPaymentIntent(input.readerId, { payment_intent: input.paymentIntentId }, { idempotencyKey: input.idempotencyKey })),
      );
    },
    async getReader(readerId) {
      requireId(readerId, 'reader');
      return readerInfo(await run(() => stripe.terminal.readers.retrieve(readerId)));
    },
    async cancelReaderAction(readerId, idempotencyKey) {
      requireKey(idempotencyKey, 'cancelling a reader action');
      requireId(readerId, 'reader');
      return readerInfo(await run(() => stripe.terminal.readers.cancelAction(readerId, {}, { idempotencyKey })));
    },
    async createCheckoutSession(input) {
      requireKey(input.idempotencyKey, 'creating a payment page');
      checkText(input.description, input.metadata);
      if (input.description.trim() === '') throw new StripeAdapterError('invalid-request', 'A payment page needs a description the patient sees.', 'invalid_text');
      const amount = amountFor(input.amountMinor, input.currency);
      const params: Stripe.Checkout.SessionCreateParams = {
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: { currency: input.currency.toLowerCase(), unit_amount: amount, product_data: { name: input.description } },
          },
        ],
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        metadata: input.metadata,
        payment_intent_data: { metadata: input.metadata, description: input.description },
      };
      if (input.expiresAt) params.expires_at = Math.floor(input.expiresAt.getTime() / 1000);
      return checkoutInfo(await run(() => stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey })));
    },
    async getCheckoutSession(id) {
      requireId(id, 'payment page');
      return checkoutInfo(await run(() => stripe.checkout.sessions.retrieve(id)));
    },
    async expireCheckoutSession(id, idempotencyKey) {
      requireKey(idempotencyKey, 'closing a payment page');
      requireId(id, 'payment page');
      return checkoutInfo(await run(() => stripe.checkout.sessions.expire(id, {}, { idempotencyKey })));
    },
    async createRefund(input) {
      requireKey(input.idempotencyKey, 'refunding');
      requireId(input.paymentIntentId, 'payment');
      checkText('', input.metadata);
      const pi = await run(() => stripe.paymentIntents.retrieve(input.paymentIntentId));
      const amount = amountFor(input.amountMinor, pi.currency);
      const params: Stripe.RefundCreateParams = { payment_intent: input.paymentIntentId, amount };
      if (input.reason) params.reason = input.reason;
      if (input.metadata) params.metadata = input.metadata;
      return refundInfo(await run(() => stripe.refunds.create(params, { idempotencyKey: input.idempotencyKey })));
    },
    async getRefund(id) {
      requireId(id, 'refund');
      return refundInfo(await run(() => stripe.refunds.retrieve(id)));
    },
    async testConnection() {
      try {
        const account = await run(() => stripe.accounts.retrieveCurrent());
        const name = shown(account.business_profile?.name ?? account.settings?.dashboard?.display_name ?? null);
        const mode = modeOfKey(secret);
        return {
          ok: true,
          accountId: shown(account.id, 255) ?? 'unknown',
          accountName: name,
          country: shown(account.country, 2),
          defaultCurrency: account.default_currency ? upper(account.default_currency) : null,
          mode,
          message: `Connected to Stripe${name ? ` account “${name}”` : ''} (${shown(account.id, 255)})${mode === 'unknown' ? '' : ` in ${mode} mode`}.`,
        };
      } catch (err) {
        const mapped = mapStripeError(err, secret);
        return { ok: false, kind: mapped.kind, message: mapped.message };
      }
    },
  };
}
