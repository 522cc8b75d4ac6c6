import { z } from 'zod';
import { ADMIN_ONLY, defineHandler, emptyInput, str } from './common.js';

/**
 * Secrets are set and cleared here and never read back: the renderer sees only whether one is
 * set, its last four characters and where it comes from.
 */
export const secretNames = ['stripe.secretKey', 'stripe.webhookSecret', 'smtp.password', 'sms.authToken'] as const;
export type SecretName = (typeof secretNames)[number];

export const secretLabels: Record<SecretName, string> = {
  'stripe.secretKey': 'Stripe secret key',
  'stripe.webhookSecret': 'Stripe webhook signing secret',
  'smtp.password': 'SMTP password',
  'sms.authToken': 'SMS provider token',
};

/** Environment variables that give a secret in web mode and on the server (they win over a stored one). */
export const secretEnvironment: Partial<Record<SecretName, string>> = {
  'stripe.secretKey': 'STRIPE_SECRET_KEY',
  'stripe.webhookSecret': 'STRIPE_WEBHOOK_SECRET',
};

const secretStatus = z.object({
  name: z.enum(secretNames),
  label: str(),
  set: z.boolean(),
  /** The last four characters, e.g. "…4242"; empty when not set. */
  hint: str(),
  source: z.enum(['stored', 'environment', 'none']),
  updatedAt: str().nullable(),
});
export type SecretStatus = z.infer<typeof secretStatus>;

export const secretsContract = {
  'secrets/status': defineHandler({
    summary: 'Which secrets are set (never their values), where they come from, and how this desk seals them (admin).',
    input: emptyInput,
    output: z.object({ storage: z.enum(['safe-storage', 'key-file', 'none']), secrets: z.array(secretStatus) }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'secrets/set': defineHandler({
    summary: 'Sets or clears a secret (admin). The value is sealed at once and never returned, logged or audited.',
    input: z.strictObject({
      name: z.enum(secretNames, { error: 'Choose which secret to set.' }),
      /** null clears it. */
      value: z
        .union([
          str()
            .trim()
            .min(4, 'Paste the whole value (it is at least 4 characters).')
            .max(500, 'This is too long for a key or password (at most 500 characters).')
            .regex(/^[^\p{Cc}]+$/u, 'A key or password is one line: remove line breaks and tabs.'),
          z.null(),
        ]),
    }),
    output: secretStatus,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
};
