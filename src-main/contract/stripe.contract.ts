import { z } from 'zod';
import { ADMIN_ONLY, defineHandler, emptyInput, str } from './common.js';

/** Why a Stripe call failed (the adapter's kinds), or that nothing is set up yet. */
export const stripeProblemKinds = [
  'not-configured',
  'card-declined',
  'network',
  'rate-limited',
  'invalid-request',
  'authentication',
  'idempotency-conflict',
  'unknown',
] as const;

export const stripeContract = {
  'payments/stripe-test': defineHandler({
    summary:
      'Checks the Stripe secret key against Stripe (admin): which account and mode it opens, or what is wrong, in plain words; and whether Stripe can charge in the clinic’s currency. Talks to Stripe outside any database transaction; changes nothing.',
    input: emptyInput,
    output: z.object({
      ok: z.boolean(),
      /** A sentence for the admin. Never contains the key. */
      message: str(),
      problem: z.enum(stripeProblemKinds).nullable(),
      accountId: str().nullable(),
      accountName: str().nullable(),
      mode: z.enum(['live', 'test', 'unknown']).nullable(),
      /** The clinic's currency, and whether Stripe can charge in it. */
      currency: z.object({ code: str(), supported: z.boolean(), problem: str().nullable() }),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
