/**
 * The slot engine: free slots of doctors over a range of instants, from weekly hours in
 * each location's wall time (IANA zone) plus extra hours, minus time off, existing
 * bookings, live holds and buffers, within the clinic's notice and horizon.
 *
 * Rules: a "working stretch" is a maximal run of working time at one location within one
 * local date (wall intervals merged, minus time off, turned into instants; a slot never
 * crosses midnight). Slots start at the stretch start and every `slotMinutes` of real time after it; a slot needs its whole
 * duration inside the stretch, and its duration plus the doctor's buffer free of busy
 * blocks. Across a daylight-saving change a 09:00 start stays 09:00 local (each day's
 * wall time is converted on its own), and in the repeated or skipped hour slots follow
 * real time, so none is duplicated or lost. Pure: no database, no clock.
 */
import { DateTime } from 'luxon';
import { subtractSpans, type Span } from './intervals.js';
import { addDays, isoWeekday, localDateOf, zoneOffset } from '../time/time.js';

const MINUTE = 60_000;

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

export interface Stretch extends Span {
  locationId: string;
  /** The local date the stretch lies on (a stretch never crosses local midnight). */
  date: string;
}

/** Memo of wall time → instant, per zone and date: doctors share hours, so conversions repeat. */
export class WallClock {
  /** Conversions never change (zone rules are fixed for the process), so the memo is shared. */
  static readonly CAPACITY = 200_000;
  private readonly cache = new Map<string, number>();

  instant(date: string, minute: number, zone: string): number {
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

/** Working wall-time spans of one doctor at one location on one local date. */
export function wallSpans(plan: DoctorPlan, locationId: string, date: string): Span[] {
  const weekday = isoWeekday(date);
  const working: Span[] = [];
  for (const w of plan.weekly) {
    if (w.locationId === locationId && w.weekday === weekday) working.push({ start: w.startMinute, end: w.endMinute });
  }
  const off: Span[] = [];
  for (const e of plan.exceptions) {
    if (e.date !== date) continue;
    if (e.kind === 'extra_hours' && e.locationId === locationId) working.push({ start: e.startMinute, end: e.endMinute });
    if (e.kind === 'time_off' && (e.locationId === null || e.locationId === locationId)) off.push({ start: e.startMinute, end: e.endMinute });
  }
  return subtractSpans(working, off);
}

/** The doctor's working stretches (instants) overlapping [from, to), merged per location. */
export function workingStretches(plan: DoctorPlan, zones: ReadonlyMap<string, string>, from: number, to: number, clock = sharedWallClock): Stretch[] {
  const locations = new Set<string>();
  for (const w of plan.weekly) locations.add(w.locationId);
  for (const e of plan.exceptions) if (e.kind === 'extra_hours' && e.locationId) locations.add(e.locationId);
  const stretches: Stretch[] = [];
  for (const locationId of locations) {
    const zone = zones.get(locationId);
    if (!zone) continue;
    const first = addDays(clock.localDate(zone, from), -1);
    const last = addDays(clock.localDate(zone, to), 1);
    for (let date = first; date <= last; date = addDays(date, 1)) {
      for (const s of wallSpans(plan, locationId, date)) {
        const stretch = { start: clock.instant(date, s.start, zone), end: clock.instant(date, s.end, zone), locationId, date };
        if (stretch.end > stretch.start && stretch.end > from && stretch.start < to) stretches.push(stretch);
      }
    }
  }
  return stretches.sort((a, b) => a.start - b.start || a.locationId.localeCompare(b.locationId));
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
      // Skip whole steps before `earliest` without looping over them.
      const skip = stretch.start < earliest ? Math.ceil((earliest - stretch.start) / step) : 0;
      for (let s = stretch.start + skip * step; s + duration <= stretch.end && s < latest; s += step) {
        if (busy.overlaps(s, s + duration + buffer)) continue;
        // Every start of a stretch is on its local date; only the clock time needs the offset.
        const offset = steady ? startOffset : clock.offset(zone, s);
        const minuteOfDay = ((Math.floor((s + offset * MINUTE) / MINUTE) % 1440) + 1440) % 1440;
        out.push({ doctorId: plan.doctorId, locationId: stretch.locationId, start: s, end: s + duration, localDate: stretch.date, localTime: CLOCK_TIMES[minuteOfDay]! });
        if (q.limitPerDoctor && ++found >= q.limitPerDoctor) break;
      }
      if (q.limitPerDoctor && found >= q.limitPerDoctor) break;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.doctorId.localeCompare(b.doctorId) || a.locationId.localeCompare(b.locationId));
}
