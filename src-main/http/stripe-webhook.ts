/**
 * POST /api/stripe/webhook — Stripe's signed event deliveries, for a server that Stripe can
 * reach (a desk cannot receive webhooks; it polls). Server to server: the signature (HMAC with
 * the endpoint's signing secret, 'stripe.webhookSecret', and a timestamp tolerance) is the
 * authentication, so no session or cookie is involved.
 *
 * It differs from the JSON-only rule only in how the body is read: for this one route, an
 * application/json body is kept as raw bytes (the signature covers the exact bytes), capped in
 * size; any other content type is refused (415) as everywhere. The host and cross-origin checks
 * of every route still apply. Failures (bad, stale or missing signatures, no secret) spend the
 * caller's address budget and are audited as counted refusals; an address over its budget is
 * answered 429 before any signature work. Verified events go to `onStripeEvent` (default:
 * nothing); if it throws, the answer is 500 and Stripe delivers the event again later. An event
 * id handled in the last few minutes (a replay inside the signature's tolerance, or Stripe's
 * own re-delivery) is answered 200 without calling the callback again — in memory only, so the
 * callback must still be idempotent per event id (after a restart, Stripe's retries arrive).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { readSecret } from '../core/secrets/secrets.service.js';
import { verifyStripeWebhook, type StripeWebhookEvent } from '../adapters/stripe/webhooks.js';
import type { AddressBudget } from './rate-limit.js';

export const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';
/** Stripe's event payloads are a few KiB; 256 KiB leaves room for large Checkout sessions. */
export const STRIPE_WEBHOOK_BODY_LIMIT = 256 * 1024;
/** The audit log's handler name for refused deliveries. */
export const STRIPE_WEBHOOK_AUDIT = 'stripe/webhook';

export type OnStripeEvent = (event: StripeWebhookEvent) => unknown;

export interface StripeWebhookOptions {
  /** Receives each verified event (the payments core wires it); default: nothing is recorded. */
  onStripeEvent?: OnStripeEvent;
  /** How old a signature may be, in seconds (default 300, Stripe's own). */
  toleranceSeconds?: number;
}

const reasons = {
  'missing-signature': 'The Stripe-Signature header is missing.',
  'bad-signature': 'The signature does not match this endpoint’s signing secret.',
  stale: 'The signature is too old (a replayed or delayed delivery).',
  malformed: 'The delivery could not be read as a signed Stripe event.',
} as const;

export function registerStripeWebhook(
  server: FastifyInstance,
  app: App,
  deps: { budget: AddressBudget; tooMany: (reply: FastifyReply, seconds: number) => FastifyReply; log?: (line: string) => void },
  options: StripeWebhookOptions = {},
): void {
  const log = deps.log ?? ((line: string) => console.error(line));
  const refuse = (req: FastifyRequest, detail: string) => {
    app.recordRefusal({ at: app.clock.now().toISOString(), source: req.ip, actor: { kind: 'anonymous' }, handler: STRIPE_WEBHOOK_AUDIT, outcome: 'denied', detail });
  };

  const tolerance = options.toleranceSeconds ?? 300;
  /** Event ids handled recently → when to forget them (ms, app clock); insertion-ordered. */
  const handled = new Map<string, number>();
  const MAX_REMEMBERED = 10_000;
  const remember = (id: string, nowMs: number) => {
    for (const [old, until] of handled) {
      if (until > nowMs && handled.size < MAX_REMEMBERED) break;
      handled.delete(old);
    }
    handled.set(id, nowMs + (tolerance + 60) * 1000);
  };

  void server.register(async (scope) => {
    // Only inside this scope: the raw bytes of a JSON body, for the signature.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.post(STRIPE_WEBHOOK_PATH, { bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT }, async (req, reply) => {
      const wait = deps.budget.peek(req.ip);
      if (wait) {
        refuse(req, 'http/too-many-requests');
        return deps.tooMany(reply, wait);
      }
      // A secret that cannot be opened (no key file) counts as none.
      const secret = await readSecret(app.secrets, 'stripe.webhookSecret').catch(() => null);
      if (!secret) {
        deps.budget.take(req.ip);
        refuse(req, 'stripe/webhook-not-configured');
        return reply.status(503).send({ ok: false, error: { code: 'stripe/webhook-not-configured', message: 'This server has no Stripe webhook signing secret yet; an admin sets it in Settings.' } });
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verified = verifyStripeWebhook(body, req.headers['stripe-signature'], secret, { toleranceSeconds: tolerance, now: app.clock.now() });
      if (!verified.ok) {
        deps.budget.take(req.ip);
        refuse(req, `stripe/${verified.reason}`);
        return reply.status(400).send({ ok: false, error: { code: `stripe/${verified.reason}`, message: reasons[verified.reason] } });
      }
      const nowMs = app.clock.now().getTime();
      if ((handled.get(verified.event.id) ?? 0) > nowMs) {
        return reply.status(200).send({ ok: true, received: verified.event.id, duplicate: true });
      }
      try {
        await options.onStripeEvent?.(verified.event);
      } catch (err) {
        log(`stripe webhook: event ${verified.event.id} (${verified.event.type}) was not handled: ${(err as Error)?.message ?? String(err)}`);
        return reply.status(500).send({ ok: false, error: { code: 'stripe/event-not-handled', message: 'The event could not be handled now; Stripe will deliver it again.' } });
      }
      remember(verified.event.id, nowMs);
      return reply.status(200).send({ ok: true, received: verified.event.id });
    });
  });
}
