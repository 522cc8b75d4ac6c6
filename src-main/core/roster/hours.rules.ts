/**
 * Pure rules of a doctor's roster in the core: locations of weekly hours, extra hours
 * that would put a doctor in two places, and whether a booking still fits the roster.
 * The interval rules shared with the form (range, order, weekly overlaps) live in
 * contract/roster-intervals.ts and run in the contract's schema.
 */
import { DateTime } from 'luxon';
import { formatMinutes, MINUTES_PER_DAY, overlaps, type Interval } from '../../contract/roster-intervals.js';
import type { FieldErrors } from '../errors.js';
import { wallSpans, type DatedException, type DoctorPlan, type WeeklyInterval } from '../scheduling/slot-engine.js';

export { formatMinutes, MINUTES_PER_DAY, overlaps, weekdayName, weeklyOverlaps, type Interval } from '../../contract/roster-intervals.js';

/** Each weekly interval's location must exist and be active; errors keyed 'hours.3.locationId'. */
export function weeklyLocationErrors(
  hours: ReadonlyArray<{ locationId: string }>,
  location: (id: string) => { name: string; active: boolean } | undefined,
  prefix = 'hours',
): FieldErrors {
  const errors: FieldErrors = {};
  hours.forEach((h, i) => {
    const loc = location(h.locationId);
    if (!loc) errors[`${prefix}.${i}.locationId`] = ['Unknown location.'];
    else if (!loc.active) errors[`${prefix}.${i}.locationId`] = [`${loc.name} is inactive.`];
  });
  return errors;
}

/**
 * Extra hours may not overlap the doctor's hours at another location that day, nor other
 * extra hours. Returns the message, or null when it fits.
 */
export function extraHoursConflict(
  extra: Interval & { date: string; locationId: string },
  weekly: ReadonlyArray<WeeklyInterval>,
  existing: ReadonlyArray<DatedException>,
  locationName: (id: string) => string,
): string | null {
  const weekday = DateTime.fromISO(extra.date, { zone: 'utc' }).weekday;
  for (const w of weekly) {
    if (w.weekday === weekday && w.locationId !== extra.locationId && overlaps(w, extra)) {
      return `Overlaps the weekly hours ${formatMinutes(w.startMinute)}–${formatMinutes(w.endMinute)} at ${locationName(w.locationId)}: a doctor cannot be in two places at once.`;
    }
  }
  for (const e of existing) {
    if (e.kind === 'extra_hours' && e.date === extra.date && overlaps(e, extra)) {
      return `Overlaps extra hours ${formatMinutes(e.startMinute)}–${formatMinutes(e.endMinute)} at ${locationName(e.locationId ?? '')} that day.`;
    }
  }
  return null;
}

// ---- Does a booking still fit? ------------------------------------------------------------

/** One doctor's roster as the slot engine reads it, plus whether the doctor is active. */
export interface RosterState {
  active: boolean;
  weekly: WeeklyInterval[];
  /** `id` names a stored exception (to propose removing it). */
  exceptions: Array<DatedException & { id?: string }>;
}

export interface BookingPlace {
  locationId: string;
  startAt: string;
  endAt: string;
}

/** A booking in its location's wall time: local date and minutes, the end possibly 1440. */
export function localSpan(b: BookingPlace, zone: string): { date: string; start: number; end: number } {
  const s = DateTime.fromISO(b.startAt, { zone: 'utc' }).setZone(zone);
  const e = DateTime.fromISO(b.endAt, { zone: 'utc' }).setZone(zone);
  const date = s.toISODate() ?? '';
  const dayDiff = Math.round(e.startOf('day').diff(s.startOf('day'), 'days').days);
  return { date, start: s.hour * 60 + s.minute, end: dayDiff * MINUTES_PER_DAY + e.hour * 60 + e.minute };
}

const planOf = (state: RosterState): DoctorPlan => ({
  doctorId: '',
  slotMinutes: 15,
  bufferMinutes: 0,
  weekly: state.weekly,
  exceptions: state.exceptions,
  busy: [],
});

/**
 * Why a booking would not be inside the doctor's working time (weekly hours plus extra
 * hours, minus time off, as the slot engine counts it), or null when it fits.
 */
export function whyOutside(state: RosterState, booking: BookingPlace, zone: string | undefined): string | null {
  if (!state.active) return 'The doctor would be inactive';
  if (!zone) return 'Unknown location';
  const local = localSpan(booking, zone);
  const inside = (spans: Array<{ start: number; end: number }>) => spans.some((s) => s.start <= local.start && local.end <= s.end);
  if (inside(wallSpans(planOf(state), booking.locationId, local.date))) return null;
  const withoutTimeOff = { ...state, exceptions: state.exceptions.filter((e) => e.kind !== 'time_off') };
  return inside(wallSpans(planOf(withoutTimeOff), booking.locationId, local.date)) ? 'Inside time off' : 'Outside working hours';
}
