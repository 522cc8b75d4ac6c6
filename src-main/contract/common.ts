import { z } from 'zod';
import { plainMessage } from './plain-messages.js';

// Every zod issue without its own message reads in plain words (see plain-messages.ts). Installed
// here, where every contract module (main and renderer) starts, so no raw validation text reaches a person.
z.config({ customError: plainMessage });

export const staffRoles = ['admin', 'receptionist'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Who may call a handler. Staff roles are checked by the dispatcher. */
export interface Access {
  staff?: readonly StaffRole[];
  /** A patient with their own access token. */
  patient?: boolean;
  /** Nobody logged in (login, first-run setup, self-registration). */
  anonymous?: boolean;
  /** Callable while the staff session is locked by inactivity. */
  allowLocked?: boolean;
}

export interface HandlerDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  access: Access;
  /** Writes: runs in an immediate transaction and always leaves an audit row. */
  mutates: boolean;
  /** A read that is audited too (opening a patient record). */
  auditRead?: boolean;
}

export const defineHandler = <I extends z.ZodType, O extends z.ZodType>(def: HandlerDef<I, O>): HandlerDef<I, O> =>
  def;

export const ALL_STAFF: readonly StaffRole[] = staffRoles;
export const ADMIN_ONLY: readonly StaffRole[] = ['admin'];

// ---- Field types shared by every domain -------------------------------------------------

/** A UTF-16 surrogate with no partner: it cannot be stored as UTF-8 and reads back as garbage. */
const LONE_SURROGATE = /\p{Cs}/u;
/** True when `s` is valid Unicode (no lone surrogate); `String.prototype.isWellFormed` without ES2024 typings. */
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);
export const BROKEN_TEXT_MESSAGE =
  'This text contains a broken character (often left by copying and pasting). Delete it and type the text again.';

/**
 * The one string schema of the contract: every string field of every handler starts here, so
 * text that is not valid Unicode is refused with a field error before anything is written.
 * Do not call zod’s string() directly in a contract (tests/unit/contract-unicode.test.ts checks).
 */
export const str = () => z.string().refine(isWellFormedText, BROKEN_TEXT_MESSAGE);

export const id = str().min(1).max(64);

export const text = (max: number) => str().trim().max(max, `At most ${max} characters.`);
export const requiredText = (max: number, what = 'This field') =>
  str().trim().min(1, `${what} is required.`).max(max, `At most ${max} characters.`);

export const isValidTimeZone = (tz: string): boolean => {
  if (!tz.includes('/') && tz !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const timeZone = str()
  .max(64)
  .refine(isValidTimeZone, 'Unknown time zone: use an IANA name such as Europe/Paris.');

const currencies = new Set(Intl.supportedValuesOf('currency'));
export const currency = str()
  .length(3, 'Use a three-letter ISO 4217 code such as EUR.')
  .refine((c) => currencies.has(c), 'Unknown currency code.');

/** A calendar date, YYYY-MM-DD, that exists. */
export const localDate = z.iso.date('Enter a whole date that exists: day, month and year.');

/** An instant, as a UTC ISO string. */
export const instant = z.iso.datetime({ offset: true, message: 'Use an ISO date-time.' });

export const passwordInput = str().min(1, 'Password is required.').max(256);
export const newPassword = str()
  .min(10, 'Use at least 10 characters.')
  .max(256, 'At most 256 characters.');

export const username = str()
  .trim()
  .min(2, 'At least 2 characters.')
  .max(64, 'At most 64 characters.')
  .regex(/^[a-zA-Z0-9._-]+$/, 'Letters, digits, dot, dash and underscore only.');

export const okOutput = z.object({ ok: z.literal(true) });
export const emptyInput = z.strictObject({});

export const staffInfo = z.object({
  id,
  username: str(),
  displayName: str(),
  role: z.enum(staffRoles),
});
export type StaffInfo = z.infer<typeof staffInfo>;
