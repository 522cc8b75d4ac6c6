/**
 * A brute-force reference of the slot engine, minute by minute, sharing no code with it
 * but luxon's instant → wall-time formatting:
 *  - a minute of a local date is "working" by direct lookup of weekly hours, extra hours
 *    and time off on a 1440-entry array (no span arithmetic);
 *  - a wall boundary becomes the first real minute whose local time on that date is at or
 *    after it (found by scanning), so skipped and repeated hours need no special case;
 *  - stretches are maximal runs of working real minutes per location within one local
 *    date; slots start every
 *    slotMinutes from a stretch start and must fit it; every minute of duration + buffer
 *    must be free of busy minutes.
 */
import { DateTime } from 'luxon';
import type { DoctorPlan, EngineSlot, SlotQuery } from '../../src-main/core/scheduling/slot-engine.js';

const MINUTE = 60_000;

function workingMinutes(plan: DoctorPlan, locationId: string, date: string): boolean[] {
  const weekday = DateTime.fromISO(date, { zone: 'utc' }).weekday;
  const minutes = new Array<boolean>(1440).fill(false);
  for (const w of plan.weekly) {
    if (w.locationId === locationId && w.weekday === weekday) for (let m = w.startMinute; m < w.endMinute; m++) minutes[m] = true;
  }
  for (const e of plan.exceptions) {
    if (e.date === date && e.kind === 'extra_hours' && e.locationId === locationId) for (let m = e.startMinute; m < e.endMinute; m++) minutes[m] = true;
  }
  for (const e of plan.exceptions) {
    if (e.date === date && e.kind === 'time_off' && (e.locationId === null || e.locationId === locationId)) {
      for (let m = e.startMinute; m < e.endMinute; m++) minutes[m] = false;
    }
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
      // Real minutes of [lo, hi) with their local date and minute of day.
      const working: boolean[] = [];
      const locals: Array<{ date: string; minute: number }> = [];
      for (let t = lo; t < hi; t += MINUTE) {
        const local = DateTime.fromMillis(t, { zone });
        const date = local.toISODate()!;
        locals.push({ date, minute: local.hour * 60 + local.minute });
        working.push(false);
      }
      // Boundaries by scanning: wall [a, b) on date D covers real minutes from the first
      // minute of D with local >= a up to (not including) the first minute of D with local >= b
      // (or the first minute of the next date when b = 1440).
      const dates = [...new Set(locals.map((l) => l.date))];
      for (const date of dates) {
        const wm = workingMinutes(plan, locationId, date);
        const idx = locals.map((l, i) => (l.date === date ? i : -1)).filter((i) => i >= 0);
        if (idx.length === 0) continue;
        // Runs of working wall minutes → [a, b)
        for (let a = 0; a < 1440; ) {
          if (!wm[a]) {
            a++;
            continue;
          }
          let b = a;
          while (b < 1440 && wm[b]) b++;
          const startIdx = idx.find((i) => locals[i]!.minute >= a);
          const endIdx = b >= 1440 ? idx[idx.length - 1]! + 1 : (idx.find((i) => locals[i]!.minute >= b) ?? idx[idx.length - 1]! + 1);
          if (startIdx !== undefined) for (let i = startIdx; i < endIdx; i++) working[i] = true;
          a = b;
        }
      }
      // Stretches and slots.
      const step = plan.slotMinutes;
      for (let i = 0; i < working.length; ) {
        if (!working[i]) {
          i++;
          continue;
        }
        let j = i;
        while (j < working.length && working[j] && locals[j]!.date === locals[i]!.date) j++;
        // Dates at the scan's edges are partial: trust only stretches fully inside.
        if (i > 0 && j < working.length) {
          for (let k = i; k + q.durationMinutes <= j; k += step) {
            const start = lo + k * MINUTE;
            if (start < Math.max(q.from, q.notBefore) || start >= Math.min(q.to, q.notAfter)) continue;
            let free = true;
            for (let m = 0; m < q.durationMinutes + plan.bufferMinutes && free; m++) if (busy(start + m * MINUTE)) free = false;
            if (!free) continue;
            const local = DateTime.fromMillis(start, { zone });
            mine.push({ doctorId: plan.doctorId, locationId, start, end: start + q.durationMinutes * MINUTE, localDate: local.toISODate()!, localTime: local.toFormat('HH:mm') });
          }
        }
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
