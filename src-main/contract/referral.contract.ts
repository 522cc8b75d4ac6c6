import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, BROKEN_TEXT_MESSAGE, defineHandler, isWellFormedText, emptyInput, id, localDate, requiredText, str, text } from './common.js';
import { isKnownCurrency, MAX_MINOR } from './money.js';

/** Upper-case letters, digits and dashes, 3–32 long; typed in any case. */
export const referralCodeText = z
  .string('Enter a code.')
  .refine(isWellFormedText, BROKEN_TEXT_MESSAGE)
  .trim()
  .min(3, 'A code has at least 3 characters.')
  .max(32, 'A code has at most 32 characters.')
  .regex(/^[A-Za-z0-9-]+$/, 'Use letters A–Z, digits and dashes only.')
  .transform((s) => s.toUpperCase());

/** An amount in minor units: whole, not negative, not beyond what money may hold. */
export const minorAmount = z
  .number('Enter an amount.')
  .min(0, 'The amount cannot be negative.')
  .max(MAX_MINOR, 'The amount is too large.')
  .refine(Number.isInteger, 'Use whole minor units (no fractions of a cent).');

export const moneyCurrency = z
  .string('Enter a currency.')
  .refine(isWellFormedText, BROKEN_TEXT_MESSAGE)
  .max(8)
  .refine(isKnownCurrency, 'Unknown currency: use a three-letter ISO 4217 code such as EUR.');

/** Basis points: 1 % = 100. */
const basisPoints = (min: number) =>
  z
    .number('Enter a percentage.')
    .min(min, min > 0 ? 'The percentage must be above 0 %.' : 'The percentage cannot be negative.')
    .max(10_000, 'At most 100 %.')
    .refine(Number.isInteger, 'At most two decimals in a percentage.');

export const commissionRule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('percent'), bp: basisPoints(0) }),
    z.strictObject({ kind: z.literal('fixed'), amountMinor: minorAmount, currency: moneyCurrency }),
  ],
  'Choose how the agent is paid.',
);

export const discountRule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('percent'), bp: basisPoints(1), capMinor: minorAmount.nullable().default(null) }),
    z.strictObject({ kind: z.literal('fixed'), amountMinor: minorAmount, currency: moneyCurrency }),
  ],
  'Choose a discount.',
);

const optionalLimit = z
  .number('Enter a number.')
  .min(1, 'At least 1 (leave empty for no limit).')
  .max(1_000_000, 'At most 1,000,000.')
  .refine(Number.isInteger, 'Use a whole number.')
  .nullable()
  .default(null);

export const referralCodeInput = z
  .strictObject({
    id: id.optional(),
    /** The version the admin edited (required with `id`): a stale edit is refused. */
    version: z.number().int().min(1).optional(),
    code: referralCodeText,
    agentName: requiredText(120, 'The agent’s name'),
    agentContact: text(200).default(''),
    agentPayout: text(500).default(''),
    commission: commissionRule,
    discount: discountRule,
    validFrom: localDate.nullable().default(null),
    validUntil: localDate.nullable().default(null),
    usageLimit: optionalLimit,
    perPatientLimit: optionalLimit,
    minAmountMinor: minorAmount.default(0),
    consultationTypeIds: z.array(id).max(50, 'At most 50 consultation types.').default([]),
    active: z.boolean().default(true),
  })
  .refine((v) => !v.validFrom || !v.validUntil || v.validFrom <= v.validUntil, {
    path: ['validUntil'],
    message: 'The last day must be on or after the first day.',
  })
  .refine((v) => !v.id || v.version !== undefined, { path: ['version'], message: 'This field is required.' });

export const referralCodeView = z.object({
  id,
  code: str(),
  agentName: str(),
  agentContact: str(),
  agentPayout: str(),
  commission: commissionRule,
  discount: discountRule,
  currency: str(),
  validFrom: str().nullable(),
  validUntil: str().nullable(),
  usageLimit: z.number().int().nullable(),
  perPatientLimit: z.number().int().nullable(),
  minAmountMinor: z.number().int(),
  consultationTypeIds: z.array(id),
  active: z.boolean(),
  version: z.number().int(),
  /** Confirmed uses. */
  used: z.number().int(),
  /** Reservations still holding a use (their booking waits). */
  reserved: z.number().int(),
});
export type ReferralCodeView = z.infer<typeof referralCodeView>;

/** Why a code cannot be used, in the order they are checked. */
export const referralRefusals = [
  'unknown',
  'deactivated',
  'not-yet-valid',
  'expired',
  'not-for-consultation',
  'below-minimum',
  'used-up',
  'patient-limit',
] as const;
export type ReferralRefusal = (typeof referralRefusals)[number];

export const priceBreakdownView = z.object({
  currency: str(),
  baseMinor: z.number().int(),
  discountMinor: z.number().int(),
  totalMinor: z.number().int(),
});
export type PriceBreakdownView = z.infer<typeof priceBreakdownView>;

export const referralCheckInput = z.strictObject({
  code: str().max(64, 'A code has at most 32 characters.'),
  consultationTypeId: id,
  /** Staff checking for a patient; a patient always checks for themselves. */
  patientId: id.optional(),
});

export const referralCheckOutput = z.object({
  valid: z.boolean(),
  reason: z.enum(referralRefusals).nullable(),
  /** A sentence for the person typing the code. */
  message: str(),
  /** The price with the discount if the code is valid, else the plain price. */
  breakdown: priceBreakdownView,
});
export type ReferralCheck = z.infer<typeof referralCheckOutput>;

export const referralContract = {
  'referral/list': defineHandler({
    summary: 'Every referral code, with its uses (admin).',
    input: emptyInput,
    output: z.object({
      codes: z.array(referralCodeView),
      /** The clinic's currency, and the locale its amounts are written in. */
      currency: str(),
      locale: str(),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'referral/save': defineHandler({
    summary: 'Create or change a referral code (admin).',
    input: referralCodeInput,
    output: z.object({ code: referralCodeView }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'referral/set-active': defineHandler({
    summary: 'Deactivate or reactivate a referral code (admin); codes are never deleted.',
    input: z.strictObject({ id, version: z.number().int().min(1), active: z.boolean() }),
    output: z.object({ code: referralCodeView }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'referral/check': defineHandler({
    summary: 'Check a referral code as it is typed: why it fails, or the price with its discount.',
    input: referralCheckInput,
    output: referralCheckOutput,
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
};
