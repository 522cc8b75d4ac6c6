/**
 * Stripe webhook signatures, checked with the SDK's own constructEvent (HMAC-SHA256 over
 * "timestamp.body" with the endpoint's signing secret, and a timestamp tolerance against
 * replays). The result is a plain event: the payments core never sees an SDK type.
 */
import Stripe from 'stripe';

export interface StripeWebhookEvent {
  id: string;
  /** e.g. payment_intent.succeeded, checkout.session.completed, refund.updated */
  type: string;
  /** Unix seconds. */
  created: number;
  livemode: boolean;
  /** The object the event is about, as Stripe sent it (ids, status, amounts in Stripe's units). */
  data: { object: Record<string, unknown> };
}

export type WebhookVerification =
  | { ok: true; event: StripeWebhookEvent }
  | { ok: false; reason: 'missing-signature' | 'bad-signature' | 'stale' | 'malformed' };

export interface VerifyOptions {
  /** How old a signature may be (Stripe's default is 300 s). */
  toleranceSeconds?: number;
  /** The current time (the app's clock), for the staleness check. */
  now?: Date;
}

// Verification only: the key is never used for a request.
let verifier: Stripe | null = null;
const sdk = (): Stripe => (verifier ??= new Stripe('sk_verify_only', { telemetry: false }));

/** Checks a delivery's signature and parses the event. Never throws. */
export function verifyStripeWebhook(rawBody: Buffer | string, signatureHeader: string | string[] | undefined | null, secret: string, options: VerifyOptions = {}): WebhookVerification {
  const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
  if (!header || !header.trim()) return { ok: false, reason: 'missing-signature' };
  if (!secret) return { ok: false, reason: 'bad-signature' };
  const tolerance = options.toleranceSeconds ?? 300;
  // The SDK takes the receiving time in milliseconds.
  const receivedAt = options.now ? options.now.getTime() : undefined;
  let event: unknown;
  try {
    event = sdk().webhooks.constructEvent(rawBody, header, secret, tolerance, undefined, receivedAt);
  } catch (err) {
    const message = (err as Error)?.message ?? '';
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      if (/tolerance/i.test(message)) return { ok: false, reason: 'stale' };
      if (/extract timestamp|No signatures found with expected scheme/i.test(message)) return { ok: false, reason: 'malformed' };
      return { ok: false, reason: 'bad-signature' };
    }
    // A correctly signed body that is not JSON.
    return { ok: false, reason: 'malformed' };
  }
  const e = event as Partial<StripeWebhookEvent> | null;
  if (!e || typeof e !== 'object' || typeof e.id !== 'string' || typeof e.type !== 'string' || !e.data || typeof e.data.object !== 'object' || e.data.object === null) {
    return { ok: false, reason: 'malformed' };
  }
  return {
    ok: true,
    event: { id: e.id, type: e.type, created: Number(e.created) || 0, livemode: e.livemode === true, data: { object: e.data.object } },
  };
}

/** A signature header for a body, as Stripe would send it (tests and local tools). */
export function signStripePayload(payload: string, secret: string, timestampSeconds: number): string {
  return sdk().webhooks.generateTestHeaderString({ payload, secret, timestamp: timestampSeconds });
}
