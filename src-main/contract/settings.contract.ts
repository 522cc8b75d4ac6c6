import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, currency, defineHandler, emptyInput, requiredText, str, timeZone } from './common.js';

/** A Stripe Terminal card reader the desks may send payments to (its id from Stripe's dashboard). */
export const stripeReader = z.strictObject({
  id: str()
    .trim()
    .regex(/^tmr_[A-Za-z0-9]{4,60}$/, 'A reader id looks like tmr_ followed by letters and digits (copy it from Stripe’s dashboard, Terminal → Readers).'),
  label: requiredText(60, 'A name for the reader').regex(/^[^\p{Cc}]*$/u, 'Keep the name on one line.'),
});
export type StripeReader = z.infer<typeof stripeReader>;

/**
 * What is wrong with an address given as the patient page's public address, in plain words, or
 * null when it will do: an http(s) address with a host, no user name or password, no query or
 * fragment (not even a bare `?` or `#`, which URL parsing would drop silently), no spaces.
 * Empty is fine (the server's own address is used).
 */
export function publicBaseUrlProblem(value: string): string | null {
  if (value === '') return null;
  if (/\s/.test(value)) return 'Remove the spaces and line breaks from the address.';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'Enter the whole address, starting with https://, such as https://clinic.example (or leave it empty).';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'The address must start with https:// (or http://).';
  if (!/^https?:\/\/[^/\\]/i.test(value) || !u.hostname) return 'Enter the whole address, starting with https://, such as https://clinic.example (or leave it empty).';
  if (u.username || u.password || value.slice(0, value.indexOf(u.host) + 1).includes('@')) return 'Leave out the user name and password (the part before @): patients must never see them.';
  if (value.includes('?') || value.includes('#')) return 'Leave out everything from ? or # on: links add their own part after the address.';
  return null;
}

/** An http(s) address without credentials, query or fragment (or empty: the server's own address). */
export function isPublicBaseUrl(value: string): boolean {
  return publicBaseUrlProblem(value) === null;
}

/** Clinic-wide settings: they live in the database, not in per-machine preferences. */
export const clinicSettings = z.object({
  clinicName: requiredText(120, 'Clinic name'),
  timeZone,
  currency,
  /** Country assumed for phone numbers typed without a +country code (ISO 3166 alpha-2). */
  defaultCountry: str().regex(/^[A-Z]{2}$/, 'Use a two-letter country code such as US.'),
  /** Minutes of inactivity after which a staff session locks. */
  lockMinutes: z.number().int().min(1).max(240),
  /** Hours after sign-in when a staff session ends, however busy (besides the inactivity lock). */
  sessionMaxHours: z
    .number()
    .int('Use whole hours.')
    .min(1, 'At least 1 hour.')
    .max(24, 'At most 24 hours: a session must end at least once a day.'),
  minNoticeMinutes: z.number().int().min(0).max(10080),
  horizonDays: z.number().int().min(1).max(730),
  holdMinutes: z.number().int().min(1).max(60),
  cancellationWindowHours: z.number().int().min(0).max(720),
  /** Future appointments a patient may hold when booking for themselves (the API, a kiosk). */
  patientBookingLimit: z.number().int().min(1).max(50),
  /**
   * The cancellation policy (issue 10): a patient who cancels inside the window (or does not
   * come) loses either a fixed fee or all but a percentage of the price. Clinic cancellations
   * and cancellations before the window are refunded in full.
   */
  lateCancelKind: z.enum(['fee', 'percent'], { error: 'Choose a fee or a percentage refunded.' }),
  /** The fee kept for a late cancellation, in the clinic's currency's minor units. */
  lateCancelFeeMinor: z.number().int('Use whole minor units.').min(0, 'The fee cannot be negative.').max(100_000_000, 'The fee is too large.'),
  /** The share of the price refunded for a late cancellation, in basis points (5000 = 50 %). */
  lateCancelRefundBp: z.number().int().min(0, 'At least 0 %.').max(10_000, 'At most 100 %.'),
  /** The fee kept when a patient does not come (minor units; 0 = none). */
  noShowFeeMinor: z.number().int('Use whole minor units.').min(0, 'The fee cannot be negative.').max(100_000_000, 'The fee is too large.'),
  /** Stripe Terminal readers (server-driven: the payment is sent to the reader by the API). */
  stripeReaders: z
    .array(stripeReader)
    .max(20, 'At most 20 readers.')
    .refine((readers) => new Set(readers.map((r) => r.id)).size === readers.length, 'Each reader may be listed once.'),
  /** The number the symptom checker tells people to call in an emergency; empty: the usual one of the clinic's country. */
  emergencyNumber: str()
    .trim()
    .regex(/^(\+?[0-9][0-9 -]{0,14})?$/, 'Use digits only, such as 911 or 112 (or leave it empty for the usual number of the clinic’s country).'),
  /**
   * Where patients reach the patient page (links in e-mails and texts, Stripe's way back):
   * `<publicBaseUrl>/book`. Empty: the web server's own address.
   */
  publicBaseUrl: str()
    .trim()
    .max(200, 'At most 200 characters.')
    .superRefine((value, ctx) => {
      const problem = publicBaseUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((u) => u.replace(/\/+$/, '')),
});
export type ClinicSettings = z.infer<typeof clinicSettings>;

export const defaultSettings: ClinicSettings = {
  clinicName: 'Clinic',
  timeZone: 'UTC',
  currency: 'USD',
  defaultCountry: 'US',
  lockMinutes: 10,
  sessionMaxHours: 12,
  minNoticeMinutes: 0,
  horizonDays: 180,
  holdMinutes: 5,
  cancellationWindowHours: 24,
  patientBookingLimit: 3,
  lateCancelKind: 'percent',
  lateCancelFeeMinor: 0,
  // No penalty until the clinic sets one (Settings → cancellation policy).
  lateCancelRefundBp: 10_000,
  noShowFeeMinor: 0,
  stripeReaders: [],
  emergencyNumber: '',
  publicBaseUrl: '',
};

/** A stored setting that fails its rule: that key alone falls back to its default. */
export const invalidSetting = z.object({
  key: str(),
  stored: str(),
  problem: str(),
  usedInstead: z.unknown(),
});
export type InvalidSetting = z.infer<typeof invalidSetting>;

export const settingsContract = {
  'settings/get': defineHandler({
    summary: 'Read the clinic-wide settings, and which stored values could not be used (each falls back to its default).',
    input: emptyInput,
    output: clinicSettings.extend({ invalid: z.array(invalidSetting) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'settings/update': defineHandler({
    summary: 'Change clinic-wide settings (admin).',
    input: clinicSettings.partial().strict(),
    output: clinicSettings,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
};
