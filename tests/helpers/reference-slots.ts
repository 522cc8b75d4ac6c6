/**
 * A brute-force reference of the slot engine, minute by minute, sharing no code with it
 * but luxon's instant → wall-time formatting:
 *  - a wall minute of a local date is "working" or "off" by direct lookup on a 2880-entry
 *    array per date (minutes past 24:00 are the next date's wall clock: night hours), with
 *    no span arithmetic;
 *  - a wall boundary m of date D becomes the first real minute of D whose local time is at
 *    or after m (of D+1 at or after m - 1440 past 24:00; the first minute of the next date
 *    when there is none), found by scanning, so skipped and repeated hours need no special
 *    case; time off for every location is read in the plan's timeOffZone when it has one;
 *  - a real minute works when some working interval covers it and no time off does; runs
 *    are maximal stretches of working real minutes per location, whatever the dates;
 *  - slots start at a run's start and every slotMinutes after it, restarting at a local
 *    midnight only when the whole previous local date lies inside the run; each slot must
 *    fit the run, every minute of duration + buffer must be free of busy minutes, and its
 *    local date is the date it starts on.
 */
import { DateTime } from 'luxon';
import type { DoctorPlan, EngineSlot, SlotQuery } from '../../src-main/core/scheduling/slot-engine.js';

const MINUTE = 60_000;
const nextDate = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;

interface Scan {
  locals: Array<{ date: string; minute: number }>;
  /** Indexes of each local date's real minutes, in order. */
  byDate: Map<string, number[]>;
}

function scan(zone: string, lo: number, hi: number): Scan {
  const locals: Scan['locals'] = [];
  const byDate = new Map<string, number[]>();
  for (let t = lo, i = 0; t < hi; t += MINUTE, i++) {
    const local = DateTime.fromMillis(t, { zone });
    const date = local.toISODate()!;
    locals.push({ date, minute: local.hour * 60 + local.minute });
    if (!byDate.has(date)) byDate.set(date, []);
    byDate.get(date)!.push(i);
  }
  return { locals, byDate };
}

/** Real-minute index of wall minute m (0..2880) of `date`; may be 0 or locals.length at the scan's edges. */
function position(s: Scan, date: string, m: number): number {
  if (m >= 1440) return position(s, nextDate(date), m - 1440);
  const idx = s.byDate.get(date);
  if (!idx) return date < s.locals[0]!.date ? 0 : s.locals.length;
  const hit = idx.find((i) => s.locals[i]!.minute >= m);
  return hit ?? idx[idx.length - 1]! + 1;
}

/** Marks the real minutes covered by wall minutes flagged in `wall(date)` (2880 entries) of every date around the scan. */
function mark(s: Scan, wall: (date: string) => boolean[]): boolean[] {
  const out = new Array<boolean>(s.locals.length).fill(false);
  const first = DateTime.fromISO(s.locals[0]!.date, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
  const dates = [first, ...s.byDate.keys()];
  for (const date of dates) {
    const w = wall(date);
    for (let a = 0; a < 2880; ) {
      if (!w[a]) {
        a++;
        continue;
      }
      let b = a;
      while (b < 2880 && w[b]) b++;
      for (let i = position(s, date, a), end = position(s, date, b); i < end; i++) out[i] = true;
      a = b;
    }
  }
  return out;
}

function wallOf(plan: DoctorPlan, date: string, pick: (kind: 'weekly' | 'time_off' | 'extra_hours', locationId: string | null) => boolean): boolean[] {
  const weekday = DateTime.fromISO(date, { zone: 'utc' }).weekday;
  const minutes = new Array<boolean>(2880).fill(false);
  for (const w of plan.weekly) {
    if (w.weekday === weekday && pick('weekly', w.locationId)) for (let m = w.startMinute; m < w.endMinute; m++) minutes[m] = true;
  }
  for (const e of plan.exceptions) {
    if (e.date === date && pick(e.kind, e.locationId)) for (let m = e.startMinute; m < e.endMinute; m++) minutes[m] = true;
  }
  return minutes;
}

export function referenceSlots(plans: DoctorPlan[], zones: ReadonlyMap<string, string>, q: SlotQuery): EngineSlot[] {
  const out: EngineSlot[] = [];
  const lo = Math.floor((q.from - 2 * 1440 * MINUTE) / MINUTE) * MINUTE;
  const hi = q.to + 2 * 1440 * MINUTE;
  for (const plan of plans) {
    const busy = (t: number) => plan.busy.some((b) => b.start <= t && t < b.end);
    const locations = new Set([...plan.weekly.map((w) => w.locationId), ...plan.exceptions.filter((e) => e.locationId && e.kind === 'extra_hours').map((e) => e.locationId!)]);
    let found = 0;
    const mine: EngineSlot[] = [];
    for (const locationId of locations) {
      const zone = zones.get(locationId)!;
      const s = scan(zone, lo, hi);
      const works = mark(s, (date) => wallOf(plan, date, (kind, loc) => (kind === 'time_off' ? false : loc === locationId)));
      const offHere = mark(s, (date) => wallOf(plan, date, (kind, loc) => kind === 'time_off' && (loc === locationId || (loc === null && !plan.timeOffZone))));
      const offZone = plan.timeOffZone ?? zone;
      const offAll = plan.timeOffZone ? mark(scan(offZone, lo, hi), (date) => wallOf(plan, date, (kind, loc) => kind === 'time_off' && loc === null)) : offHere.map(() => false);
      const working = works.map((w, i) => w && !offHere[i] && !offAll[i]);
      const n = working.length;
      const step = plan.slotMinutes;
      for (let i = 0; i < n; ) {
        if (!working[i]) {
          i++;
          continue;
        }
        let j = i;
        while (j < n && working[j]) j++;
        // Anchors: the run's start (unknown when it touches the scan's start), and each
        // local midnight after a whole local date inside the run (and inside the scan).
        const anchors: number[] = i > 0 ? [i] : [];
        for (let k = i + 1; k < j; k++) {
          if (s.locals[k]!.date === s.locals[k - 1]!.date) continue;
          const previous = s.byDate.get(s.locals[k - 1]!.date)![0]!;
          if (previous > 0 && previous >= i && (i > 0 || previous > i)) anchors.push(k);
        }
        anchors.forEach((a, n2) => {
          const until = anchors[n2 + 1] ?? j;
          // A run touching the scan's end goes on beyond it: slots that fit the scan fit the run.
          for (let k = a; k < until && k + q.durationMinutes <= j; k += step) {
            const start = lo + k * MINUTE;
            if (start < Math.max(q.from, q.notBefore) || start >= Math.min(q.to, q.notAfter)) continue;
            let free = true;
            for (let m = 0; m < q.durationMinutes + plan.bufferMinutes && free; m++) if (busy(start + m * MINUTE)) free = false;
            if (!free) continue;
            const local = DateTime.fromMillis(start, { zone });
            mine.push({ doctorId: plan.doctorId, locationId, start, end: start + q.durationMinutes * MINUTE, localDate: local.toISODate()!, localTime: local.toFormat('HH:mm') });
          }
        });
        i = j;
      }
    }
    mine.sort((a, b) => a.start - b.start || a.locationId.localeCompare(b.locationId));
    for (const s of mine) {
      if (q.limitPerDoctor && found >= q.limitPerDoctor) break;
      out.push(s);
      found++;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.doctorId.localeCompare(b.doctorId) || a.locationId.localeCompare(b.locationId));
}
