/**
 * The slot engine: free slots of doctors over a range of instants, from weekly hours in
 * each location's wall time (IANA zone) plus extra hours, minus time off, existing
 * bookings, live holds and buffers, within the clinic's notice and horizon.
 *
 * Rules: wall intervals may cross local midnight (an end after 24:00, e.g. 22:00–02:00 as
 * 1320–1560, is on the next day's wall clock). Each local date's wall intervals are turned
 * into instants on their own, so a 09:00 start stays 09:00 across daylight-saving changes
 * and in the skipped or repeated hour intervals follow real time. Working time at a
 * location is the union of those instants minus time off (a time off with a location in
 * that location's zone; one for every location in the clinic's zone when the plan names
 * it). A "run" is a maximal stretch of that working time, whatever the dates: a doctor who
 * works 22:00–24:00 and then 00:00–02:00 at the same place works straight through, and a
 * visit may span midnight. Slots start at the run's start and every `slotMinutes` of real
 * time after it — restarting at a local midnight only after a whole local day worked
 * through (so the grid is found within a day's look-back) — and need their whole duration
 * inside the run and their duration plus the doctor's buffer free of busy blocks. A slot
 * belongs to the local date it starts on. Pure: no database, no clock.
 */
import { DateTime } from 'luxon';
import { subtractSpans, type Span } from './intervals.js';
import { addDays, isoWeekday, localDateOf, zoneOffset } from '../time/time.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface WeeklyInterval {
  locationId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface DatedException {
  locationId: string | null;
  kind: 'time_off' | 'extra_hours';
  date: string;
  startMinute: number;
  endMinute: number;
}

export interface DoctorPlan {
  doctorId: string;
  /** The zone of time off that names no location (the clinic's); absent: each location's own. */
  timeOffZone?: string;
  slotMinutes: number;
  bufferMinutes: number;
  weekly: WeeklyInterval[];
  exceptions: DatedException[];
  /** Busy blocks in epoch ms, [start, end): bookings (including their buffer) and others' holds. */
  busy: Span[];
}

export interface SlotQuery {
  /** Slots starting in [from, to), epoch ms. */
  from: number;
  to: number;
  durationMinutes: number;
  /** Earliest allowed start (now + minimum notice) and first start beyond the horizon. */
  notBefore: number;
  notAfter: number;
  limitPerDoctor?: number;
}

export interface EngineSlot {
  doctorId: string;
  locationId: string;
  start: number;
  end: number;
  localDate: string;
  localTime: string;
}

/**
 * A part of a run of working time at one location in which slots start: [start, end). A
 * slot starting in it may last until `runEnd` (the end of the run, which may be past
 * local midnight). Stretches of one run touch; usually a run is one stretch.
 */
export interface Stretch extends Span {
  locationId: string;
  /** The local date the stretch starts on. */
  date: string;
  runEnd: number;
}

/** Memo of wall time → instant, per zone and date: doctors share hours, so conversions repeat. */
export class WallClock {
  /** Conversions never change (zone rules are fixed for the process), so the memo is shared. */
  static readonly CAPACITY = 200_000;
  private readonly cache = new Map<string, number>();

  instant(date: string, minute: number, zone: string): number {
    if (minute > 1440) return this.instant(addDays(date, 1), minute - 1440, zone);
    const key = `${zone}|${date}|${minute}`;
    let value = this.cache.get(key);
    if (value === undefined) {
      const day = DateTime.fromISO(date, { zone }).startOf('day');
      if (minute >= 1440) value = day.plus({ days: 1 }).toMillis();
      else {
        const dt = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
        value = dt.toMillis();
        // A wall time in a skipped hour (spring forward) does not exist: luxon moves it
        // forward by the gap; the first existing moment at or after it is the transition.
        if (dt.hour * 60 + dt.minute !== minute || dt.toISODate() !== date) {
          while (wallMinute(DateTime.fromMillis(value - MINUTE, { zone }), date) >= minute) value -= MINUTE;
        }
      }
      if (this.cache.size >= WallClock.CAPACITY) this.cache.clear();
      this.cache.set(key, value);
    }
    return value;
  }

  /** Offset from UTC in minutes at an instant. */
  offset(zone: string, at: number): number {
    return zoneOffset(zone, at);
  }

  localDate(zone: string, at: number): string {
    return localDateOf(at, zone);
  }
}

/** Minutes since midnight of a DateTime if it is on `date`, else -1 (earlier day). */
const wallMinute = (dt: DateTime, date: string): number => (dt.toISODate() === date ? dt.hour * 60 + dt.minute : -1);

/** One memo for the whole process: doctors, days and requests repeat the same wall times. */
export const sharedWallClock = new WallClock();

const pad = (n: number) => String(n).padStart(2, '0');

/** "00:00" … "23:59", by minute of the day. */
const CLOCK_TIMES = Array.from({ length: 1440 }, (_v, m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);

/** Locations where a plan has working time. */
function planLocations(plan: DoctorPlan): Set<string> {
  const locations = new Set<string>();
  for (const w of plan.weekly) locations.add(w.locationId);
  for (const e of plan.exceptions) if (e.kind === 'extra_hours' && e.locationId) locations.add(e.locationId);
  return locations;
}

/**
 * Working time of one doctor at one location, as merged instants, from the wall intervals
 * of the local dates `first`…`last` (an interval past 24:00 reaches into the next date).
 */
export function workingRuns(plan: DoctorPlan, locationId: string, zone: string, first: string, last: string, clock = sharedWallClock): Span[] {
  const working: Span[] = [];
  const off: Span[] = [];
  const offZone = plan.timeOffZone ?? zone;
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const weekday = isoWeekday(date);
    for (const w of plan.weekly) {
      if (w.locationId === locationId && w.weekday === weekday) working.push({ start: clock.instant(date, w.startMinute, zone), end: clock.instant(date, w.endMinute, zone) });
    }
    for (const e of plan.exceptions) {
      if (e.date !== date) continue;
      if (e.kind === 'extra_hours' && e.locationId === locationId) working.push({ start: clock.instant(date, e.startMinute, zone), end: clock.instant(date, e.endMinute, zone) });
      else if (e.kind === 'time_off' && e.locationId === locationId) off.push({ start: clock.instant(date, e.startMinute, zone), end: clock.instant(date, e.endMinute, zone) });
      else if (e.kind === 'time_off' && e.locationId === null) off.push({ start: clock.instant(date, e.startMinute, offZone), end: clock.instant(date, e.endMinute, offZone) });
    }
  }
  return subtractSpans(working, off);
}

/**
 * The doctor's stretches (instants) overlapping [from, to), per location: runs of working
 * time cut where slots restart (a local midnight after a whole local day worked through).
 */
export function workingStretches(plan: DoctorPlan, zones: ReadonlyMap<string, string>, from: number, to: number, clock = sharedWallClock): Stretch[] {
  const stretches: Stretch[] = [];
  // Without hours reaching midnight no run crosses it, and a day's look-back is enough.
  const lookBack = plan.weekly.some((w) => w.endMinute >= 1440) || plan.exceptions.some((e) => e.kind === 'extra_hours' && e.endMinute >= 1440) ? 3 : 1;
  for (const locationId of planLocations(plan)) {
    const zone = zones.get(locationId);
    if (!zone) continue;
    // A stretch holding a moment of date D starts on D or D-1; that needs D-2's overnight hours and whether D-2 was worked whole.
    const first = addDays(clock.localDate(zone, from), -lookBack);
    const last = addDays(clock.localDate(zone, to), 1);
    for (const run of workingRuns(plan, locationId, zone, first, last, clock)) {
      if (run.end <= from || run.start >= to) continue;
      let start = run.start;
      let date = clock.localDate(zone, start);
      // Midnights inside the run after a whole local date inside it restart the grid.
      for (let day = date, next = addDays(day, 1); ; day = next, next = addDays(next, 1)) {
        const midnight = clock.instant(next, 0, zone);
        if (midnight >= run.end) break;
        if (clock.instant(day, 0, zone) >= run.start && midnight > start) {
          stretches.push({ start, end: midnight, locationId, date, runEnd: run.end });
          start = midnight;
          date = next;
        }
      }
      stretches.push({ start, end: run.end, locationId, date, runEnd: run.end });
    }
  }
  return stretches.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start || a.locationId.localeCompare(b.locationId));
}

/** Busy blocks sorted by start, with the running maximum of their ends, for O(log n) overlap tests. */
export class BusyIndex {
  private readonly starts: number[];
  private readonly maxEnds: number[];

  constructor(busy: Span[]) {
    const sorted = [...busy].sort((a, b) => a.start - b.start);
    this.starts = sorted.map((b) => b.start);
    this.maxEnds = [];
    let max = -Infinity;
    for (const b of sorted) {
      max = Math.max(max, b.end);
      this.maxEnds.push(max);
    }
  }

  /** Does [start, end) overlap any busy block? */
  overlaps(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.maxEnds[lo - 1]! > start;
  }
}

export function computeSlots(plans: DoctorPlan[], zones: ReadonlyMap<string, string>, q: SlotQuery, clock = sharedWallClock): EngineSlot[] {
  const out: EngineSlot[] = [];
  const duration = q.durationMinutes * MINUTE;
  const earliest = Math.max(q.from, q.notBefore);
  const latest = Math.min(q.to, q.notAfter);
  if (latest <= earliest) return out;
  for (const plan of plans) {
    const busy = new BusyIndex(plan.busy);
    const step = plan.slotMinutes * MINUTE;
    const buffer = plan.bufferMinutes * MINUTE;
    let found = 0;
    for (const stretch of workingStretches(plan, zones, earliest, latest, clock)) {
      const zone = zones.get(stretch.locationId)!;
      const startOffset = clock.offset(zone, stretch.start);
      const steady = startOffset === clock.offset(zone, stretch.end);
      const firstDay = Math.floor((stretch.start + startOffset * MINUTE) / DAY);
      // Skip whole steps before `earliest` without looping over them.
      const skip = stretch.start < earliest ? Math.ceil((earliest - stretch.start) / step) : 0;
      for (let s = stretch.start + skip * step; s < stretch.end && s + duration <= stretch.runEnd && s < latest; s += step) {
        if (busy.overlaps(s, s + duration + buffer)) continue;
        const offset = steady ? startOffset : clock.offset(zone, s);
        const wallMinute = Math.floor((s + offset * MINUTE) / MINUTE);
        const minuteOfDay = ((wallMinute % 1440) + 1440) % 1440;
        // A slot belongs to the local date it starts on (a stretch may pass midnight).
        const day = Math.floor((wallMinute - minuteOfDay) / 1440);
        const localDate = day === firstDay ? stretch.date : addDays(stretch.date, day - firstDay);
        out.push({ doctorId: plan.doctorId, locationId: stretch.locationId, start: s, end: s + duration, localDate, localTime: CLOCK_TIMES[minuteOfDay]! });
        if (q.limitPerDoctor && ++found >= q.limitPerDoctor) break;
      }
      if (q.limitPerDoctor && found >= q.limitPerDoctor) break;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.doctorId.localeCompare(b.doctorId) || a.locationId.localeCompare(b.locationId));
}
