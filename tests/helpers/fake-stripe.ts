/**
 * A small, stateful fake of the Stripe API on 127.0.0.1, for the real `stripe` SDK (pointed at
 * it with host/port/protocol). It implements exactly the endpoints the adapter uses, in
 * Stripe's wire format: form-encoded request bodies with nested keys (metadata[x],
 * line_items[0][price_data][currency]), JSON answers with `object` fields, errors as
 * {error: {type, code, message}}, and Stripe's idempotency rules (same key + same parameters →
 * the stored answer again, with Idempotent-Replayed: true; same key + other parameters → 400
 * idempotency_error; a key still in flight → 409).
 *
 * Fault injection: answer 500/429 n times (before doing anything), be slow, or do the work,
 * store the answer and then drop the connection (the SDK's retry with the same key must get
 * the stored answer, not a second charge).
 *
 * Simulated cards for Terminal (test_helpers present_payment_method) and Checkout completion:
 * FAKE_CARDS.success and FAKE_CARDS.declined (Stripe's own test numbers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export const FAKE_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

export const FAKE_STRIPE_KEY = 'sk_test_fakeKeyForClinicDesk1234';

type Json = Record<string, unknown>;

export interface FakeRequestLog {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
}

interface Fault {
  kind: 'fail' | 'drop' | 'slow' | 'hold';
  gate?: { arrived(): void; released: Promise<void> };
  status?: number;
  ms?: number;
  times: number;
  match?: string | RegExp;
  shouldRetry?: boolean;
}

interface StoredAnswer {
  method: string;
  path: string;
  params: string;
  status: number;
  body: string;
}

export interface FakeStripeOptions {
  /** The only secret key the fake accepts (default FAKE_STRIPE_KEY). */
  apiKey?: string;
  /** The account GET /v1/account answers with. */
  account?: { id?: string; name?: string; country?: string; defaultCurrency?: string };
  /** Readers that exist from the start (default one: tmr_FakeReader1, "Front desk"). */
  readers?: Array<{ id: string; label: string }>;
}

export interface FakeStripe {
  /** e.g. http://127.0.0.1:40123 — give it to the adapter as apiBase. */
  url: string;
  port: number;
  apiKey: string;
  /** Everything the fake holds, by id (Stripe's JSON objects as stored). */
  state: {
    paymentIntents: Map<string, Json>;
    charges: Map<string, Json>;
    refunds: Map<string, Json>;
    checkoutSessions: Map<string, Json>;
    readers: Map<string, Json>;
  };
  /** Every request that reached the fake, in order (faults included). */
  requests: FakeRequestLog[];
  /** Answer `status` (500, 429 …) to the next `times` matching requests, doing nothing. */
  failNext(status: number, times?: number, options?: { match?: string | RegExp; shouldRetry?: boolean }): void;
  /** Do the next `times` matching requests, store the answer, then drop the connection. */
  dropAfterProcessing(times?: number, match?: string | RegExp): void;
  /** Wait `ms` before answering the next `times` matching requests. */
  slow(ms: number, times?: number, match?: string | RegExp): void;
  /**
   * Holds the next matching request until `release()` (deterministic "Stripe is thinking"):
   * `reached` resolves once the request has arrived.
   */
  holdNext(match?: string | RegExp): { reached: Promise<void>; release(): void };
  /** After a successful card, a PaymentIntent reads `processing` this many times before `succeeded` (default 0). */
  setProcessingReads(n: number): void;
  /** New refunds start `pending` (as bank-settled refunds do) instead of `succeeded`; settle them with settleRefund. */
  setRefundsPending(pending: boolean): void;
  /** A pending refund settles: `succeeded` or `failed` (Stripe's later answer). */
  settleRefund(id: string, status: 'succeeded' | 'failed'): Json;
  addReader(id: string, label: string): void;
  /** What the patient does on the Checkout page (also POST /_test/checkout/sessions/:id/complete {card}). */
  completeCheckout(sessionId: string, card?: keyof typeof FAKE_CARDS): Json;
  close(): Promise<void>;
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Stripe's form encoding: a[b][0][c]=v → { a: { b: [ { c: 'v' } ] } }. */
export function parseStripeForm(body: string): Json {
  const root: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const first = rawKey.indexOf('[');
    const path = first < 0 ? [rawKey] : [rawKey.slice(0, first), ...[...rawKey.slice(first).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
    let node: Json = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      node[key] ??= {};
      node = node[key] as Json;
    }
    node[path[path.length - 1]!] = value;
  }
  const arrays = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const obj = value as Json;
    const keys = Object.keys(obj);
    const fixed = Object.fromEntries(keys.map((k) => [k, arrays(obj[k])]));
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => fixed[k]);
    return fixed;
  };
  return arrays(root) as Json;
}

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }
}

const invalid = (message: string, code?: string, param?: string) => new StripeFailure(400, 'invalid_request_error', message, code, param ? { param } : {});
const missing = (what: string, id: string) => new StripeFailure(404, 'invalid_request_error', `No such ${what}: '${id}'`, 'resource_missing');

const intParam = (params: Json, name: string): number => {
  const raw = params[name];
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw invalid(`Invalid integer: ${String(raw)}`, 'parameter_invalid_integer', name);
  return Number(raw);
};

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const apiKey = options.apiKey ?? FAKE_STRIPE_KEY;
  const account = {
    id: options.account?.id ?? 'acct_1FakeClinicDesk',
    object: 'account',
    country: options.account?.country ?? 'US',
    default_currency: (options.account?.defaultCurrency ?? 'usd').toLowerCase(),
    business_profile: { name: options.account?.name ?? 'Fake Clinic (Stripe test)' },
    charges_enabled: true,
    settings: { dashboard: { display_name: options.account?.name ?? 'Fake Clinic (Stripe test)' } },
  };
  const state: FakeStripe['state'] = {
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    checkoutSessions: new Map(),
    readers: new Map(),
  };
  const requests: FakeRequestLog[] = [];
  const faults: Fault[] = [];
  const stored = new Map<string, StoredAnswer>();
  const inFlight = new Set<string>();
  const processingLeft = new Map<string, number>();
  let processingReads = 0;
  let refundsPending = false;
  let baseUrl = '';
  const now = () => Math.floor(Date.now() / 1000);

  const addReader = (id: string, label: string) => {
    state.readers.set(id, { id, object: 'terminal.reader', label, status: 'online', device_type: 'simulated_wisepos_e', action: null, livemode: false, metadata: {} });
  };
  for (const r of options.readers ?? [{ id: 'tmr_FakeReader1', label: 'Front desk' }]) addReader(r.id, r.label);

  const takeFault = (kind: Fault['kind'], path: string): Fault | null => {
    const i = faults.findIndex((f) => f.kind === kind && (!f.match || (typeof f.match === 'string' ? path.includes(f.match) : f.match.test(path))));
    if (i < 0) return null;
    const fault = faults[i]!;
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(i, 1);
    return fault;
  };

  // ---- the resources ----

  const piOf = (id: string): Json => {
    const pi = state.paymentIntents.get(id);
    if (!pi) throw missing('payment_intent', id);
    return pi;
  };

  const charge = (pi: Json): Json => {
    const ch = {
      id: newId('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: pi.amount,
      amount_refunded: 0,
      currency: pi.currency,
      payment_intent: pi.id,
      refunded: false,
      status: 'succeeded',
      paid: true,
      created: now(),
      livemode: false,
    };
    state.charges.set(ch.id, ch);
    return ch;
  };

  /** A card presented for a PaymentIntent: charged, or declined. */
  const pay = (pi: Json, card: string): { ok: boolean; code?: string; message?: string } => {
    if (card === FAKE_CARDS.success) {
      const ch = charge(pi);
      pi.latest_charge = ch.id;
      pi.amount_received = pi.amount;
      pi.last_payment_error = null;
      pi.status = processingReads > 0 ? 'processing' : 'succeeded';
      if (processingReads > 0) processingLeft.set(pi.id as string, processingReads);
      return { ok: true };
    }
    const declineCode = card === FAKE_CARDS.insufficientFunds ? 'insufficient_funds' : 'generic_decline';
    const message = card === FAKE_CARDS.insufficientFunds ? 'Your card has insufficient funds.' : 'Your card was declined.';
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: declineCode, message };
    return { ok: false, code: 'card_declined', message };
  };

  const createPaymentIntent = (p: Json): Json => {
    const amount = intParam(p, 'amount');
    // Stripe's smallest charge is about 0.50 USD; for two-decimal currencies the fake says 50.
    const zeroDecimal = ['jpy', 'krw', 'mga', 'isk'].includes(String(p.currency));
    if (amount < (zeroDecimal ? 1 : 50)) throw invalid('Amount must be at least $0.50 usd', 'amount_too_small', 'amount');
    if (typeof p.currency !== 'string' || !/^[a-z]{3}$/.test(p.currency)) throw invalid('Invalid currency', 'parameter_invalid_string', 'currency');
    const id = newId('pi');
    const pi: Json = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: p.capture_method ?? 'automatic',
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      created: now(),
      currency: p.currency,
      description: p.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: p.metadata ?? {},
      // API versions from 2026 call the parameter allowed_payment_method_types; older ones payment_method_types.
      payment_method_types: Array.isArray(p.allowed_payment_method_types) ? p.allowed_payment_method_types : Array.isArray(p.payment_method_types) ? p.payment_method_types : ['card'],
      status: 'requires_payment_method',
      cancellation_reason: null,
    };
    state.paymentIntents.set(id, pi);
    return pi;
  };

  const retrievePaymentIntent = (id: string): Json => {
    const pi = piOf(id);
    const left = processingLeft.get(id);
    if (pi.status === 'processing' && left !== undefined) {
      if (left <= 0) {
        pi.status = 'succeeded';
        processingLeft.delete(id);
      } else processingLeft.set(id, left - 1);
    }
    return pi;
  };

  const readerOf = (id: string): Json => {
    const reader = state.readers.get(id);
    if (!reader) throw missing('terminal.reader', id);
    return reader;
  };

  const sessionOf = (id: string): Json => {
    const s = state.checkoutSessions.get(id);
    if (!s) throw missing('checkout.session', id);
    return s;
  };

  const completeCheckout = (sessionId: string, card: keyof typeof FAKE_CARDS = 'success'): Json => {
    const s = sessionOf(sessionId);
    if (s.status !== 'open') throw invalid(`This Checkout Session is ${String(s.status)}.`, 'checkout_session_not_open');
    const item = (s as { _lineItem: { price_data: { currency: string; unit_amount: string } } })._lineItem;
    const pi = createPaymentIntent({
      amount: item.price_data.unit_amount,
      currency: item.price_data.currency,
      metadata: ((s.payment_intent_data as Json | undefined)?.metadata as Json | undefined) ?? {},
      payment_method_types: ['card'],
    });
    const result = pay(pi, FAKE_CARDS[card]);
    if (!result.ok) return s; // the page shows the decline; the session stays open
    pi.status = 'succeeded';
    processingLeft.delete(pi.id as string);
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi.id, url: null });
    return s;
  };

  const routes: Array<{ method: string; pattern: RegExp; handle: (m: RegExpMatchArray, p: Json) => Json }> = [
    { method: 'GET', pattern: /^\/v1\/account$/, handle: () => account },
    { method: 'POST', pattern: /^\/v1\/payment_intents$/, handle: (_m, p) => createPaymentIntent(p) },
    { method: 'GET', pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: (m) => retrievePaymentIntent(m[1]!) },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
      handle: (m, p) => {
        const pi = piOf(m[1]!);
        if (pi.status === 'succeeded' || pi.status === 'canceled' || pi.status === 'processing') {
          throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${String(pi.status)}.`, 'payment_intent_unexpected_state');
        }
        pi.status = 'canceled';
        pi.cancellation_reason = p.cancellation_reason ?? 'requested_by_customer';
        return pi;
      },
    },
    { method: 'GET', pattern: /^\/v1\/terminal\/readers\/([^/]+)$/, handle: (m) => readerOf(m[1]!) },
    {
      method: 'POST',
      pattern: /^\/v1\/terminal\/readers\/([^/]+)\/process_payment_intent$/,
      handle: (m, p) => {
        const reader = readerOf(m[1]!);
        const pi = piOf(String(p.payment_intent ?? ''));
        const action = reader.action as Json | null;
        if (action && action.status === 'in_progress') throw invalid('Reader is currently busy processing another request.', 'terminal_reader_busy');
        if (!(pi.payment_method_types as string[]).includes('card_present')) {
          throw invalid('This PaymentIntent cannot be processed on a reader: its payment_method_types must include card_present.', 'payment_intent_invalid_parameter');
        }
        if (pi.status !== 'requires_payment_method') {
          throw invalid(`This PaymentIntent's status is ${String(pi.status)}; it cannot be sent to a reader.`, 'payment_intent_unexpected_state');
        }
        reader.action = { type: 'process_payment_intent', status: 'in_progress', failure_code: null, failure_message: null, process_payment_intent: { payment_intent: pi.id } };
        return reader;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/terminal\/readers\/([^/]+)\/cancel_action$/,
      handle: (m) => {
        const reader = readerOf(m[1]!);
        const action = reader.action as Json | null;
        if (!action || action.status !== 'in_progress') throw invalid('This reader has no action in progress to cancel.', 'terminal_reader_action_unexpected_state');
        reader.action = null;
        return reader;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/test_helpers\/terminal\/readers\/([^/]+)\/present_payment_method$/,
      handle: (m, p) => {
        const reader = readerOf(m[1]!);
        const action = reader.action as (Json & { process_payment_intent: { payment_intent: string } }) | null;
        if (!action || action.status !== 'in_progress') throw invalid('The reader is not waiting for a card.', 'terminal_reader_action_unexpected_state');
        const number = String(((p.card_present as Json | undefined)?.number as string | undefined) ?? FAKE_CARDS.success);
        const pi = piOf(action.process_payment_intent.payment_intent);
        const result = pay(pi, number);
        action.status = result.ok ? 'succeeded' : 'failed';
        action.failure_code = result.ok ? null : result.code;
        action.failure_message = result.ok ? null : result.message;
        return reader;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions$/,
      handle: (_m, p) => {
        if (p.mode !== 'payment') throw invalid('Only mode=payment is supported by this fake.', 'parameter_invalid_string', 'mode');
        const items = p.line_items as Array<Json> | undefined;
        const item = items?.[0] as { price_data?: { currency?: string; unit_amount?: string } } | undefined;
        if (!item?.price_data?.currency || !item.price_data.unit_amount) throw invalid('line_items[0][price_data] is required.', 'parameter_missing', 'line_items');
        const unit = intParam(item.price_data as Json, 'unit_amount');
        if (typeof p.success_url !== 'string') throw invalid('success_url is required.', 'parameter_missing', 'success_url');
        const expires = p.expires_at === undefined ? now() + 86_400 : intParam(p, 'expires_at');
        if (expires < now() + 1800 - 5 || expires > now() + 86_400 + 5) {
          throw invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
        }
        const id = newId('cs_test');
        const session: Json = {
          id,
          object: 'checkout.session',
          mode: 'payment',
          status: 'open',
          payment_status: 'unpaid',
          payment_intent: null,
          amount_total: unit * Number((item as Json).quantity ?? 1),
          currency: item.price_data.currency,
          expires_at: expires,
          metadata: p.metadata ?? {},
          success_url: p.success_url,
          cancel_url: p.cancel_url ?? null,
          url: `${baseUrl}/pay/${id}`,
          created: now(),
          livemode: false,
          payment_intent_data: p.payment_intent_data ?? null,
          _lineItem: item,
        };
        state.checkoutSessions.set(id, session);
        return session;
      },
    },
    { method: 'GET', pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, handle: (m) => sessionOf(m[1]!) },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      handle: (m) => {
        const s = sessionOf(m[1]!);
        if (s.status !== 'open') throw invalid(`Only Checkout Sessions with a status of open can be expired; this one is ${String(s.status)}.`, 'checkout_session_not_open');
        Object.assign(s, { status: 'expired', url: null });
        return s;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/refunds$/,
      handle: (_m, p) => {
        const pi = piOf(String(p.payment_intent ?? ''));
        if (pi.status !== 'succeeded' || !pi.latest_charge) throw invalid(`This PaymentIntent (${String(pi.id)}) does not have a successful charge to refund.`, 'charge_not_refundable');
        const ch = state.charges.get(pi.latest_charge as string)!;
        const left = (ch.amount as number) - (ch.amount_refunded as number);
        if (left <= 0) throw invalid(`Charge ${String(ch.id)} has already been refunded.`, 'charge_already_refunded');
        const amount = p.amount === undefined ? left : intParam(p, 'amount');
        if (amount < 1) throw invalid('Refund amount must be at least 1.', 'parameter_invalid_integer', 'amount');
        if (amount > left) throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large', 'amount');
        ch.amount_refunded = (ch.amount_refunded as number) + amount;
        ch.refunded = ch.amount_refunded === ch.amount;
        const refund = {
          id: newId('re'),
          object: 'refund',
          amount,
          currency: pi.currency,
          charge: ch.id,
          payment_intent: pi.id,
          reason: p.reason ?? null,
          metadata: p.metadata ?? {},
          status: refundsPending ? 'pending' : 'succeeded',
          created: now(),
        };
        state.refunds.set(refund.id, refund);
        return refund;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/refunds\/([^/]+)$/,
      handle: (m) => {
        const r = state.refunds.get(m[1]!);
        if (!r) throw missing('refund', m[1]!);
        return r;
      },
    },
  ];

  const publicJson = (obj: Json): string => JSON.stringify(obj, (key, value: unknown) => (key.startsWith('_') ? undefined : value));

  const answer = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': newId('req'), ...headers });
    res.end(body);
  };

  const errorBody = (e: StripeFailure): string =>
    JSON.stringify({ error: { type: e.type, ...(e.code ? { code: e.code } : {}), message: e.message, ...e.extra } });

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname;
      const body = await readBody(req);
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const log: FakeRequestLog = { method, path, idempotencyKey, status: 0, replayed: false };
      requests.push(log);
      const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
        log.status = status;
        answer(res, status, text, headers);
      };

      // The test-only "patient completes the Checkout page" endpoint (not Stripe's API).
      const complete = /^\/_test\/checkout\/sessions\/([^/]+)\/complete$/.exec(path);
      if (method === 'POST' && complete) {
        try {
          const card = (JSON.parse(body || '{}') as { card?: keyof typeof FAKE_CARDS }).card ?? 'success';
          return reply(200, publicJson(completeCheckout(complete[1]!, card)));
        } catch (err) {
          return err instanceof StripeFailure ? reply(err.status, errorBody(err)) : reply(500, '{}');
        }
      }

      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        const given = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const masked = given.length > 8 ? `${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}` : '';
        return reply(401, JSON.stringify({ error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked}` } }));
      }

      const failure = takeFault('fail', path);
      if (failure) {
        const status = failure.status ?? 500;
        const type = status === 429 ? 'invalid_request_error' : 'api_error';
        const code = status === 429 ? 'rate_limit' : undefined;
        const message = status === 429 ? 'Too many requests hit the API too quickly.' : 'An unknown error occurred.';
        return reply(status, JSON.stringify({ error: { type, ...(code ? { code } : {}), message } }), failure.shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(failure.shouldRetry) });
      }
      const held = takeFault('hold', path);
      if (held?.gate) {
        held.gate.arrived();
        await held.gate.released;
      }
      const slow = takeFault('slow', path);
      if (slow) await new Promise((resolve) => setTimeout(resolve, slow.ms ?? 1000));

      const route = routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) return reply(404, JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } }));
      const params = method === 'POST' ? parseStripeForm(body) : Object.fromEntries(url.searchParams);

      // Idempotency, as Stripe does it for POST requests.
      const storeKey = method === 'POST' && idempotencyKey ? `${apiKey}\u0000${idempotencyKey}` : null;
      const canonical = JSON.stringify(params, Object.keys(flatKeys(params)).sort());
      if (storeKey) {
        const seen = stored.get(storeKey);
        if (seen) {
          if (seen.method !== method || seen.path !== path || seen.params !== canonical) {
            return reply(
              400,
              JSON.stringify({
                error: {
                  type: 'idempotency_error',
                  message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
                },
              }),
            );
          }
          log.replayed = true;
          return reply(seen.status, seen.body, { 'Idempotent-Replayed': 'true', 'Original-Request': 'req_stored' });
        }
        if (inFlight.has(storeKey)) {
          return reply(409, JSON.stringify({ error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Idempotency-Key.' } }));
        }
        inFlight.add(storeKey);
      }
      let status = 200;
      let text: string;
      try {
        text = publicJson(route.handle(path.match(route.pattern)!, params));
      } catch (err) {
        if (!(err instanceof StripeFailure)) {
          if (storeKey) inFlight.delete(storeKey);
          return reply(500, JSON.stringify({ error: { type: 'api_error', message: `Fake Stripe crashed: ${(err as Error).message}` } }));
        }
        status = err.status;
        text = errorBody(err);
      }
      if (storeKey) {
        inFlight.delete(storeKey);
        stored.set(storeKey, { method, path, params: canonical, status, body: text });
      }
      if (takeFault('drop', path)) {
        log.status = -1;
        req.socket.destroy();
        return;
      }
      reply(status, text);
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    apiKey,
    state,
    requests,
    failNext(status, times = 1, opts = {}) {
      faults.push({ kind: 'fail', status, times, match: opts.match, shouldRetry: opts.shouldRetry });
    },
    dropAfterProcessing(times = 1, match) {
      faults.push({ kind: 'drop', times, match });
    },
    slow(ms, times = 1, match) {
      faults.push({ kind: 'slow', ms, times, match });
    },
    holdNext(match) {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      faults.push({ kind: 'hold', times: 1, match, gate: { arrived, released } });
      return { reached, release };
    },
    setProcessingReads(n) {
      processingReads = n;
    },
    setRefundsPending(pending) {
      refundsPending = pending;
    },
    settleRefund(id, status) {
      const r = state.refunds.get(id);
      if (!r || r.status !== 'pending') throw new Error(`fake stripe: refund ${id} is not pending`);
      r.status = status;
      if (status === 'failed') {
        // The money did not leave: the charge is refundable again (as Stripe reverses it).
        const ch = state.charges.get(r.charge as string)!;
        ch.amount_refunded = (ch.amount_refunded as number) - (r.amount as number);
        ch.refunded = false;
        r.failure_reason = 'expired_or_canceled_card';
      }
      return r;
    },
    addReader,
    completeCheckout,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every nested key name of an object (for a canonical JSON of the parameters). */
function flatKeys(value: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Json)) {
      out[k] = true;
      flatKeys(v, out);
    }
  }
  return out;
}
