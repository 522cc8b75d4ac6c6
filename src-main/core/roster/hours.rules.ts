/**
 * Pure rules of a doctor's roster in the core: locations of weekly hours, hours at different
 * locations that would put a doctor in two places at once (judged on real instants, since
 * locations may lie in different time zones), and whether a booking still fits the roster.
 * The interval rules shared with the form (range, order, overlaps at one location) live in
 * contract/roster-intervals.ts and run in the contract's schema.
 */
import { DateTime } from 'luxon';
import { formatMinutes, formatSpan, formatWeeklySpan, MINUTES_PER_DAY, weekdayName, type Interval } from '../../contract/roster-intervals.js';
import type { FieldErrors } from '../errors.js';
import { sharedWallClock, workingStretches, type DatedException, type DoctorPlan, type WeeklyInterval } from '../scheduling/slot-engine.js';
import { addDays, isoWeekday, localDateOf, zoneOffset } from '../time/time.js';

export { formatMinutes, MINUTES_PER_DAY, overlaps, weekdayName, weeklyOverlaps, type Interval } from '../../contract/roster-intervals.js';

/** A location as the overlap messages name it. */
export interface Place {
  name: string;
  zone: string;
}

/** 'America/New_York' → 'New York'. */
export const zoneCity = (zone: string): string => (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
const label = (p: Place) => `${p.name} (${zoneCity(p.zone)})`;

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

// ---- Two places at once, on real instants ------------------------------------------------

const MINUTE = 60_000;
/** Days of dates checked for weekly hours at different locations: a year and a week, so every daylight-saving change of a year is met. */
export const CLASH_CHECK_DAYS = 371;

interface Occurrence {
  index: number;
  date: string;
  start: number;
  end: number;
}

/** Real instants of wall minutes [start, end) of a local date (an end past 24:00 is the next day). */
const instants = (date: string, v: Interval, zone: string) => ({
  start: sharedWallClock.instant(date, v.startMinute, zone),
  end: sharedWallClock.instant(date, v.endMinute, zone),
});

const clock = (at: number, zone: string) => {
  const wall = at + zoneOffset(zone, at) * MINUTE;
  return { date: localDateOf(at, zone), minute: Math.floor(wall / MINUTE) - Math.floor(wall / 86_400_000) * MINUTES_PER_DAY };
};

/** Instants [start, end) in a zone's wall time, naming days other than `onDate`: '13:00–14:00', 'Monday 23:00–Tuesday 01:00'. */
export function wallWords(start: number, end: number, zone: string, onDate: string): string {
  const s = clock(start, zone);
  const e = clock(end, zone);
  const day = (date: string) => weekdayName(isoWeekday(date));
  const sameDay = e.date === s.date || (e.minute === 0 && e.date === addDays(s.date, 1));
  const from = `${s.date === onDate && sameDay ? '' : `${day(s.date)} `}${formatMinutes(s.minute)}`;
  if (sameDay) return `${from}–${e.date === s.date ? formatMinutes(e.minute) : '24:00'}`;
  return `${from}–${day(e.date)} ${formatMinutes(e.minute)}`;
}

const longDate = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).toFormat('cccc d LLLL yyyy');

/**
 * Weekly hours at different locations that overlap in real time on some date from
 * `fromDate` over CLASH_CHECK_DAYS (each date's wall intervals converted in their own zone,
 * so daylight-saving changes count). A year of dates meets every combination of offsets the
 * zones' yearly rules produce; zone rules changed later are not foreseen. Each clash is
 * reported once, on the later interval ('hours.3.startMinute'), naming the earlier one and,
 * when the zones differ, its time in the later interval's zone.
 */
export function weeklyClashes(
  hours: ReadonlyArray<WeeklyInterval>,
  place: (id: string) => Place | undefined,
  fromDate: string,
  days = CLASH_CHECK_DAYS,
  prefix = 'hours',
): FieldErrors {
  const occurrences: Occurrence[] = [];
  const count = new Map<number, number>();
  const week = 7 * 86_400_000;
  hours.forEach((h, index) => {
    const p = place(h.locationId);
    if (!p) return;
    let first = fromDate;
    while (isoWeekday(first) !== h.weekday) first = addDays(first, 1);
    let previous: { start: number; end: number } | undefined;
    for (let date = first, d = 0; d < days; date = addDays(date, 7), d += 7) {
      // A week later is the same wall time unless the offset changed in between (then convert afresh).
      // (Checked on the wall clock too: last week's time may have been moved out of a skipped hour.)
      const same = (at: number, before: number, minute: number) =>
        zoneOffset(p.zone, at) === zoneOffset(p.zone, before) && clock(at, p.zone).minute === minute % MINUTES_PER_DAY;
      const next =
        previous && same(previous.start + week, previous.start, h.startMinute) && same(previous.end + week, previous.end, h.endMinute)
          ? { start: previous.start + week, end: previous.end + week }
          : instants(date, h, p.zone);
      occurrences.push({ index, date, ...next });
      previous = next;
      count.set(index, (count.get(index) ?? 0) + 1);
    }
  });
  occurrences.sort((a, b) => a.start - b.start);
  const first = new Map<number, { later: Occurrence; earlier: Occurrence }>();
  const clashDates = new Map<number, Set<string>>();
  const open: Occurrence[] = [];
  for (const o of occurrences) {
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.end <= o.start) open.splice(k, 1);
    for (const other of open) {
      if (hours[other.index]!.locationId === hours[o.index]!.locationId) continue; // one place: the contract's wall-time rule
      const [later, earlier] = other.index > o.index ? [other, o] : [o, other];
      if (!first.has(later.index)) first.set(later.index, { later, earlier });
      if (first.get(later.index)!.earlier.index === earlier.index) {
        if (!clashDates.has(later.index)) clashDates.set(later.index, new Set());
        clashDates.get(later.index)!.add(later.date);
      }
    }
    open.push(o);
  }
  const errors: FieldErrors = {};
  for (const [index, { later, earlier }] of first) {
    const a = hours[later.index]!;
    const b = hours[earlier.index]!;
    const pa = place(a.locationId)!;
    const pb = place(b.locationId)!;
    let message = `${formatWeeklySpan(a.weekday, a.startMinute, a.endMinute)} at ${label(pa)} overlaps ${formatWeeklySpan(b.weekday, b.startMinute, b.endMinute)} at ${label(pb)}`;
    if (pa.zone !== pb.zone) message += `, which is ${wallWords(earlier.start, earlier.end, pa.zone, later.date)} ${zoneCity(pa.zone)} time`;
    const weeks = clashDates.get(index)?.size ?? 0;
    if (weeks < (count.get(index) ?? 0)) message += ` on ${longDate(later.date)} (around a daylight-saving change)`;
    errors[`${prefix}.${index}.startMinute`] = [`${message}: a doctor cannot be in two places at once.`];
  }
  return errors;
}

/**
 * Extra hours may not overlap, in real time, the doctor's weekly hours at another location
 * nor other extra hours. Returns the message, or null when it fits.
 */
export function extraHoursConflict(
  extra: Interval & { date: string; locationId: string },
  weekly: ReadonlyArray<WeeklyInterval>,
  existing: ReadonlyArray<DatedException>,
  place: (id: string) => Place | undefined,
): string | null {
  const here = place(extra.locationId);
  if (!here) return null;
  const span = instants(extra.date, extra, here.zone);
  const clash = (other: { start: number; end: number }) => other.start < span.end && span.start < other.end;
  const inOurTime = (other: { start: number; end: number }, p: Place) =>
    p.zone === here.zone ? '' : `, which is ${wallWords(other.start, other.end, here.zone, extra.date)} ${zoneCity(here.zone)} time`;
  for (const w of weekly) {
    const p = place(w.locationId);
    if (!p || w.locationId === extra.locationId) continue;
    for (let d = -2; d <= 2; d++) {
      const date = addDays(extra.date, d);
      if (isoWeekday(date) !== w.weekday) continue;
      const other = instants(date, w, p.zone);
      if (clash(other)) {
        return `Overlaps the weekly hours ${formatWeeklySpan(w.weekday, w.startMinute, w.endMinute)} at ${label(p)}${inOurTime(other, p)}: a doctor cannot be in two places at once.`;
      }
    }
  }
  for (const e of existing) {
    const p = e.locationId ? place(e.locationId) : undefined;
    if (e.kind !== 'extra_hours' || !p) continue;
    const other = instants(e.date, e, p.zone);
    if (clash(other)) {
      const when = e.date === extra.date ? 'that day' : `on ${longDate(e.date)}`;
      return `Overlaps extra hours ${formatSpan(e.startMinute, e.endMinute)} at ${label(p)} ${when}${inOurTime(other, p)}.`;
    }
  }
  return null;
}

// ---- Does a booking still fit? ------------------------------------------------------------

/** One doctor's roster as the slot engine reads it, plus whether the doctor is active. */
export interface RosterState {
  active: boolean;
  /** The zone of time off for every location (the clinic's); absent: each location's own. */
  timeOffZone?: string;
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
  ...(state.timeOffZone ? { timeOffZone: state.timeOffZone } : {}),
  slotMinutes: 15,
  bufferMinutes: 0,
  weekly: state.weekly,
  exceptions: state.exceptions,
  busy: [],
});

/**
 * Why a booking would not be inside the doctor's working time (weekly hours plus extra
 * hours, minus time off, as the slot engine counts it: on real instants, through midnight
 * when the doctor works straight through), or null when it fits.
 */
export function whyOutside(state: RosterState, booking: BookingPlace, zone: string | undefined): string | null {
  if (!state.active) return 'The doctor would be inactive';
  if (!zone) return 'Unknown location';
  const start = Date.parse(booking.startAt);
  const end = Date.parse(booking.endAt);
  const zones = new Map([[booking.locationId, zone]]);
  const inside = (plan: DoctorPlan) => workingStretches(plan, zones, start, end).some((s) => s.start <= start && start < s.end && end <= s.runEnd);
  if (inside(planOf(state))) return null;
  return inside(planOf({ ...state, exceptions: state.exceptions.filter((e) => e.kind !== 'time_off') })) ? 'Inside time off' : 'Outside working hours';
}
