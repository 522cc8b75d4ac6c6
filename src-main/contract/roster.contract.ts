import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, currency, defineHandler, emptyInput, id, localDate, requiredText, str, text, timeZone } from './common.js';
import { MAX_END_MINUTE, MINUTES_PER_DAY, weeklyOverlaps } from './roster-intervals.js';

export { endAfter, formatMinutes, formatSpan, formatWeeklySpan, parseMinutes, weekdayName, weekdayNames } from './roster-intervals.js';

// ---- Field rules ---------------------------------------------------------------------

const OUTSIDE_DAY = 'Times are between 00:00 and 24:00.';
/** Wall-clock minutes since midnight in the location's zone: 0 (00:00) .. 1440 (24:00). */
export const minuteOfDay = z
  .number('Enter a time as HH:MM.')
  .min(0, OUTSIDE_DAY)
  .max(1440, OUTSIDE_DAY)
  .refine(Number.isInteger, 'Use whole minutes.');

/** An end: up to 24:00, or past it for night hours (the next day's clock, e.g. 02:00 next day is 1560). */
export const endMinuteOfDay = z
  .number('Enter a time as HH:MM.')
  .min(0, OUTSIDE_DAY)
  .max(MAX_END_MINUTE, 'Night hours end at most 24 hours after they start.')
  .refine(Number.isInteger, 'Use whole minutes.');

/** A whole number (zod's .int() reports a type error without the input, shown as "required"). */
const whole = (what: string, unit: string, min: number, max: number, tooSmall = `At least ${min} ${unit}.`) =>
  z
    .number(`Enter ${what}.`)
    .min(min, tooSmall)
    .max(max, `At most ${max} ${unit}.`)
    .refine(Number.isInteger, `Use whole ${unit}.`);

const endAfterStart = (v: { startMinute: number; endMinute: number }) => v.endMinute > v.startMinute;
const END_BEFORE_START = 'The end must be after the start.';
/** Night hours: an end past 24:00 is the next day; an interval lasts at most a day. */
const atMostADay = (v: { startMinute: number; endMinute: number }) => v.endMinute > MAX_END_MINUTE || v.endMinute - v.startMinute <= MINUTES_PER_DAY;
const LONGER_THAN_A_DAY = 'Hours can last at most 24 hours.';

export const weeklyInterval = z
  .strictObject({
    locationId: str().min(1, 'Choose a location.').max(64, 'Choose a location.'),
    weekday: z
      .number('Choose a weekday.')
      .min(1, 'Weekday is 1 (Monday) to 7 (Sunday).')
      .max(7, 'Weekday is 1 (Monday) to 7 (Sunday).')
      .refine(Number.isInteger, 'Weekday is 1 (Monday) to 7 (Sunday).'),
    startMinute: minuteOfDay.refine((m) => m < MINUTES_PER_DAY, 'Hours start before 24:00.'),
    endMinute: endMinuteOfDay,
  })
  .refine(endAfterStart, { message: END_BEFORE_START, path: ['endMinute'] })
  .refine(atMostADay, { message: LONGER_THAN_A_DAY, path: ['endMinute'] });
export type WeeklyIntervalInput = z.output<typeof weeklyInterval>;

/** Ids of the affected appointments the admin saw and accepted: saving then keeps them booked. */
const acknowledgeAffected = z.array(id).max(1000).optional();

export const exceptionKinds = ['time_off', 'extra_hours'] as const;

const exceptionShape = {
  doctorId: id,
  kind: z.enum(exceptionKinds, 'Choose time off or extra hours.'),
  date: localDate,
  /** Inclusive last date for a range of days (a holiday); each day gets the same times. */
  dateTo: localDate.optional(),
  startMinute: minuteOfDay.default(0),
  endMinute: endMinuteOfDay.default(1440),
  /** Required for extra hours; for time off, null means every location. */
  locationId: id.nullable().default(null),
  reason: text(200).default(''),
};
type ExceptionShape = { kind: string; date: string; dateTo?: string; startMinute: number; endMinute: number; locationId: string | null };
const exceptionChecks = (v: ExceptionShape, issue: (path: string, message: string) => void) => {
  if (v.startMinute >= MINUTES_PER_DAY) issue('startMinute', 'Hours start before 24:00.');
  if (!endAfterStart(v)) issue('endMinute', END_BEFORE_START);
  else if (!atMostADay(v)) issue('endMinute', LONGER_THAN_A_DAY);
  if (v.kind === 'extra_hours' && !v.locationId) issue('locationId', 'Extra hours need a location.');
  if (v.dateTo && v.dateTo < v.date) issue('dateTo', 'The last day is before the first.');
};
const withChecks = <T extends z.ZodType<ExceptionShape>>(schema: T) =>
  schema.superRefine((v, ctx) => exceptionChecks(v, (path, message) => ctx.addIssue({ code: 'custom', path: [path], message })));

export const exceptionInput = withChecks(z.strictObject({ ...exceptionShape, acknowledgeAffected }));

const coordinate = (min: number, max: number, what: string) =>
  z.number().min(min, `${what} is between ${min} and ${max}.`).max(max, `${what} is between ${min} and ${max}.`).nullable().default(null);

const locationShape = {
  id: id.optional(),
  name: requiredText(100, 'Name'),
  address: text(300).default(''),
  latitude: coordinate(-90, 90, 'Latitude'),
  longitude: coordinate(-180, 180, 'Longitude'),
  timeZone,
  active: z.boolean().default(true),
};
const bothOrNeither = (v: { latitude: number | null; longitude: number | null }) => (v.latitude === null) === (v.longitude === null);
export const locationInput = z
  .strictObject({ ...locationShape, acknowledgeAffected })
  .refine(bothOrNeither, { message: 'Give both latitude and longitude, or neither.', path: ['longitude'] });

export const specializationInput = z.strictObject({ id: id.optional(), name: requiredText(100, 'Name'), active: z.boolean().default(true) });

const doctorShape = {
  id: id.optional(),
  title: text(20).default('Dr'),
  givenName: requiredText(100, 'Given name'),
  familyName: requiredText(100, 'Family name'),
  email: z.union([z.literal(''), z.email('Not a valid e-mail address.').max(254)]).default(''),
  phone: text(32).default(''),
  specializationIds: z.array(id).max(20, 'At most 20 specializations.').default([]),
  slotMinutes: whole('minutes', 'minutes', 5, 240).default(15),
  bufferMinutes: whole('minutes', 'minutes', 0, 120).default(0),
  active: z.boolean().default(true),
};
export const doctorInput = z.strictObject({ ...doctorShape, acknowledgeAffected });

export const consultationKinds = ['general', 'specialist', 'follow_up', 'other'] as const;
export const consultationTypeInput = z.strictObject({
  id: id.optional(),
  name: requiredText(100, 'Name'),
  kind: z.enum(consultationKinds, 'Choose a kind.'),
  durationMinutes: whole('minutes', 'minutes', 5, 480),
  /** Integer minor units (cents). */
  priceMinor: whole('a price', 'cents', 0, 100_000_000, 'The price cannot be negative.'),
  currency: currency.optional(),
  specializationIds: z.array(id).min(1, 'Choose at least one specialization that offers it.').max(20),
  active: z.boolean().default(true),
});

/** A doctor's whole week; overlaps are reported on the later interval ('hours.3.startMinute'). */
export const weeklyHours = z
  .array(weeklyInterval)
  .max(200, 'At most 200 intervals.')
  .superRefine((hours, ctx) => {
    for (const issue of weeklyOverlaps(hours)) ctx.addIssue({ code: 'custom', path: [issue.index, issue.field], message: issue.message });
  });

export const weeklyHoursInput = z.strictObject({ doctorId: id, hours: weeklyHours, acknowledgeAffected });

// ---- Outputs ---------------------------------------------------------------------------

export const affectedBooking = z.object({
  id,
  patientId: id,
  patientName: str(),
  patientPhone: str(),
  doctorName: str(),
  startAt: str(),
  endAt: str(),
  /** In the location's zone. */
  localDate: str(),
  localTime: str(),
  locationName: str(),
  status: str(),
  why: str(),
});
export type AffectedBooking = z.infer<typeof affectedBooking>;

const savedOutput = z.object({ id, affected: z.array(affectedBooking) });

export const locationView = z.object({
  id,
  name: str(),
  address: str(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  timeZone: str(),
  active: z.boolean(),
});
export const specializationView = z.object({ id, name: str(), active: z.boolean() });
export const doctorView = z.object({
  id,
  name: str(),
  title: str(),
  givenName: str(),
  familyName: str(),
  email: str(),
  phone: str(),
  slotMinutes: z.number().int(),
  bufferMinutes: z.number().int(),
  active: z.boolean(),
  specializationIds: z.array(id),
  /** Locations of the doctor's weekly hours. */
  locationIds: z.array(id),
});
export const consultationTypeView = z.object({
  id,
  name: str(),
  kind: z.enum(consultationKinds),
  durationMinutes: z.number().int(),
  priceMinor: z.number().int(),
  currency: str(),
  active: z.boolean(),
  specializationIds: z.array(id),
});
export const exceptionView = z.object({
  id,
  kind: z.enum(exceptionKinds),
  date: str(),
  startMinute: z.number().int(),
  endMinute: z.number().int(),
  locationId: id.nullable(),
  reason: str(),
});
export type RosterLocation = z.infer<typeof locationView>;
export type RosterSpecialization = z.infer<typeof specializationView>;
export type RosterDoctor = z.infer<typeof doctorView>;
export type RosterConsultationType = z.infer<typeof consultationTypeView>;
export type RosterException = z.infer<typeof exceptionView>;

const weekBlock = z.object({ startMinute: z.number().int(), endMinute: z.number().int() });
export const weekDay = z.object({
  date: str(),
  weekday: z.number().int(),
  hours: z.array(weekBlock.extend({ locationId: id, locationName: str(), source: z.enum(['weekly', 'extra']) })),
  timeOff: z.array(weekBlock.extend({ id, reason: str(), locationName: str().nullable() })),
  bookings: z.array(
    weekBlock.extend({
      id,
      patientId: id,
      patientName: str(),
      localStart: str(),
      localEnd: str(),
      status: str(),
      locationName: str(),
      consultationType: str(),
    }),
  ),
});
export type WeekDay = z.infer<typeof weekDay>;

const previewInput = z.discriminatedUnion('change', [
  z.strictObject({ change: z.literal('weekly-hours'), doctorId: id, hours: weeklyHours }),
  withChecks(z.strictObject({ change: z.literal('add-exception'), ...exceptionShape })),
  z.strictObject({ change: z.literal('remove-exception'), exceptionId: id }),
  z.strictObject({ change: z.literal('doctor'), ...doctorShape, id }),
  z.strictObject({ change: z.literal('location'), ...locationShape, id }),
]);

export const rosterContract = {
  'roster/list': defineHandler({
    summary: 'Locations, specializations, doctors and consultation types (inactive ones too).',
    input: emptyInput,
    output: z.object({
      locations: z.array(locationView),
      specializations: z.array(specializationView),
      doctors: z.array(doctorView),
      consultationTypes: z.array(consultationTypeView),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'roster/get-doctor': defineHandler({
    summary: "A doctor with their weekly hours and their exceptions from today on.",
    input: z.strictObject({ doctorId: id }),
    output: z.object({
      doctor: doctorView,
      hours: z.array(z.object({ id, locationId: id, weekday: z.number().int(), startMinute: z.number().int(), endMinute: z.number().int() })),
      exceptions: z.array(exceptionView),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'roster/doctor-week': defineHandler({
    summary: "One doctor's week (Monday to Sunday): working hours, time off and bookings, in each location's wall time.",
    input: z.strictObject({ doctorId: id, weekOf: localDate.optional() }),
    output: z.object({ doctorId: id, doctorName: str(), weekStart: str(), days: z.array(weekDay) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'roster/save-location': defineHandler({
    summary: 'Create or change a clinic location (name, address, coordinates, IANA time zone).',
    input: locationInput,
    output: savedOutput,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/save-specialization': defineHandler({
    summary: 'Create or rename a specialization.',
    input: specializationInput,
    output: z.object({ id }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/save-doctor': defineHandler({
    summary: 'Create or change a doctor: names, specializations, slot length, buffer, active.',
    input: doctorInput,
    output: savedOutput,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/save-consultation-type': defineHandler({
    summary: 'Create or change a consultation type: duration, price (minor units) and the specializations that offer it.',
    input: consultationTypeInput,
    output: z.object({ id }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/set-weekly-hours': defineHandler({
    summary:
      "Replace a doctor's weekly hours (every location). Refused with roster/affects-bookings and the affected appointments unless acknowledgeAffected lists them; bookings are never moved or cancelled.",
    input: weeklyHoursInput,
    output: savedOutput,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/add-exception': defineHandler({
    summary: 'Add time off or extra hours on a date (or each date of a range). Time off over bookings needs acknowledgeAffected.',
    input: exceptionInput,
    output: z.object({ ids: z.array(id), affected: z.array(affectedBooking) }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/remove-exception': defineHandler({
    summary: 'Remove time off or extra hours. Removing extra hours that hold bookings needs acknowledgeAffected.',
    input: z.strictObject({ exceptionId: id, acknowledgeAffected }),
    output: savedOutput,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'roster/preview-change': defineHandler({
    summary: 'Which future bookings a roster change would leave outside the doctor’s hours, without saving anything.',
    input: previewInput,
    output: z.object({ affected: z.array(affectedBooking) }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
