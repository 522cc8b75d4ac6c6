/**
 * Every failure of a Stripe call, as one small typed union with a sentence a receptionist can
 * read. Messages never carry the secret key (nor anything shaped like a Stripe key).
 */
import Stripe from 'stripe';

export type StripeErrorKind =
  | 'card-declined'
  | 'network'
  | 'rate-limited'
  | 'invalid-request'
  | 'authentication'
  | 'idempotency-conflict'
  | 'unknown';

const RETRYABLE: ReadonlySet<StripeErrorKind> = new Set(['network', 'rate-limited']);

export class StripeAdapterError extends Error {
  override readonly name = 'StripeAdapterError';
  /** True when the same call (same idempotency key) may simply be tried again later. */
  readonly retryable: boolean;
  constructor(
    readonly kind: StripeErrorKind,
    message: string,
    /** Stripe's error code (card_declined, amount_too_large …) when it gave one. */
    readonly code: string | null = null,
    /** For a declined card: the issuer's reason (insufficient_funds …) when given. */
    readonly declineCode: string | null = null,
    /** HTTP status Stripe answered with, when it answered. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.retryable = RETRYABLE.has(kind);
  }
}

export const isStripeAdapterError = (err: unknown): err is StripeAdapterError => err instanceof StripeAdapterError;

const KEY_SHAPE = /\b(?:sk|rk|pk|whsec)_[A-Za-z0-9_*]+/g;

/** Removes the key itself and anything shaped like a Stripe key from a text. */
export function redact(text: string, secret?: string | null): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[secret key]');
  return out.replace(KEY_SHAPE, '[key]');
}

/** A short, redacted excerpt of Stripe's own message, to say what exactly it refused. */
const stripeSaid = (message: string | undefined, secret?: string | null): string => {
  const clean = redact((message ?? '').replace(/\s+/g, ' ').trim(), secret);
  if (!clean) return '';
  const short = clean.length > 200 ? `${clean.slice(0, 197)}…` : clean;
  return ` Stripe said: “${short}”`;
};

/** Maps whatever a Stripe call threw to a StripeAdapterError. */
export function mapStripeError(err: unknown, secret?: string | null): StripeAdapterError {
  if (err instanceof StripeAdapterError) return err;
  if (!(err instanceof Stripe.errors.StripeError)) {
    return new StripeAdapterError('unknown', `The Stripe call failed unexpectedly.${stripeSaid((err as Error)?.message, secret)}`);
  }
  const status = err.statusCode ?? null;
  const code = err.code ?? null;
  if (err instanceof Stripe.errors.StripeAuthenticationError || status === 401) {
    return new StripeAdapterError(
      'authentication',
      'Stripe did not accept the secret key. Check in Settings that the whole secret key (it starts with sk_ or rk_) is set, and that it has not been revoked.',
      code,
      null,
      status,
    );
  }
  if (err instanceof Stripe.errors.StripePermissionError) {
    return new StripeAdapterError('authentication', 'The Stripe key may not do this (a restricted key without this permission). Use a key that may create payments.', code, null, status);
  }
  if (err instanceof Stripe.errors.StripeCardError) {
    return new StripeAdapterError(
      'card-declined',
      `The card was declined${err.decline_code ? ` (${err.decline_code.replace(/_/g, ' ')})` : ''}. Ask for another card or another way to pay.`,
      code,
      err.decline_code ?? null,
      status,
    );
  }
  if (err instanceof Stripe.errors.StripeRateLimitError) {
    return new StripeAdapterError('rate-limited', 'Stripe is receiving too many requests right now. Wait a moment and try again.', code, null, status);
  }
  if (err instanceof Stripe.errors.StripeIdempotencyError) {
    return new StripeAdapterError(
      'idempotency-conflict',
      'This payment request was already sent once with different details, so Stripe refused it. Start a new payment instead of repeating this one.',
      code,
      null,
      status,
    );
  }
  if (err instanceof Stripe.errors.StripeConnectionError) {
    return new StripeAdapterError('network', 'Could not reach Stripe (no connection, or it did not answer in time). Nothing is lost: try again.', code, null, status);
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    const what =
      code === 'amount_too_large' || code === 'charge_already_refunded'
        ? 'Stripe refused: that is more than what is left to refund on this payment.'
        : code === 'amount_too_small'
          ? 'Stripe refused: the amount is below Stripe’s smallest charge for this currency (about 0.50 USD).'
        : code === 'resource_missing'
          ? 'Stripe does not know this payment, reader or session (it may belong to another Stripe account).'
          : 'Stripe refused the request.';
    return new StripeAdapterError('invalid-request', `${what}${stripeSaid(err.message, secret)}`, code, null, status);
  }
  if (err instanceof Stripe.errors.StripeAPIError && status !== null && status >= 500) {
    return new StripeAdapterError('network', 'Stripe had a problem on its side. Nothing is lost: try again in a moment.', code, null, status);
  }
  return new StripeAdapterError('unknown', `The Stripe call failed.${stripeSaid(err.message, secret)}`, code, null, status);
}
