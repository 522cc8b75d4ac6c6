/**
 * payments/stripe-test: the Settings screen's "Test connection". A non-mutating handler, so
 * the dispatcher runs it without a transaction: the network call to Stripe never holds the
 * database's write lock.
 */
import { stripeCurrencyProblem } from '../../contract/stripe-currency.js';
import type { OutputOf } from '../../contract/index.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { readSecret, type SecretSource } from '../secrets/secrets.service.js';
import { createStripeAdapter, stripeApiBaseFrom, type StripeAdapterOptions, type StripePort } from '../../adapters/stripe/stripe-adapter.js';

const secretSource = (ctx: Ctx): SecretSource => ({ db: ctx.db, box: ctx.secrets?.box, env: ctx.secrets?.env });

/**
 * The Stripe adapter for this desk, from its stored (or environment) secret key; null when no
 * key is set. The API base comes from CLINIC_DESK_STRIPE_API in the app's environment (tests,
 * a local fake), never from a setting.
 */
export async function stripeFor(ctx: Ctx, options: Partial<Omit<StripeAdapterOptions, 'secretKey' | 'apiBase'>> = {}): Promise<StripePort | null> {
  const key = await readSecret(secretSource(ctx), 'stripe.secretKey');
  if (!key) return null;
  return createStripeAdapter({ ...options, secretKey: key, apiBase: stripeApiBaseFrom(ctx.secrets?.env) });
}

export async function testStripeConnection(ctx: Ctx): Promise<OutputOf<'payments/stripe-test'>> {
  const code = ctx.settings.currency;
  const problem = stripeCurrencyProblem(code);
  const currency = { code, supported: problem === null, problem };
  const none = { accountId: null, accountName: null, mode: null, currency };
  let stripe: StripePort | null;
  try {
    // One quick try: an admin is waiting for the answer.
    stripe = await stripeFor(ctx, { maxNetworkRetries: 0, rateLimitRetries: 0, timeoutMs: 15_000 });
  } catch (err) {
    const message = err instanceof DomainError ? err.message : 'The stored Stripe secret key cannot be opened on this desk.';
    return { ok: false, message: `${message} Set the key again.`, problem: 'not-configured', ...none };
  }
  if (!stripe) {
    return { ok: false, message: 'No Stripe secret key is set yet. Paste it above (Stripe dashboard → Developers → API keys).', problem: 'not-configured', ...none };
  }
  const result = await stripe.testConnection();
  if (!result.ok) return { ok: false, message: result.message, problem: result.kind, ...none };
  return { ok: true, message: result.message, problem: null, accountId: result.accountId, accountName: result.accountName, mode: result.mode, currency };
}
