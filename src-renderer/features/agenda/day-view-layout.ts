import type { DayGrid } from '../../../src-main/contract/index.js';

/**
 * The day view's geometry, pure: real time down the side (so a 25-hour day is an hour
 * taller), one column per doctor. Everything is absolutely positioned from instants — no
 * per-minute cells — so 30 doctors × 12 hours is a few hundred elements.
 */
export const PX_PER_MINUTE = 2.4;
export const MINUTE = 60_000;

export type Column = DayGrid['doctors'][number];
export type Appointment = Column['appointments'][number];
export type Free = Column['free'][number];

export const yOf = (at: string | number, viewStart: number): number => ((typeof at === 'number' ? at : Date.parse(at)) - viewStart) / MINUTE * PX_PER_MINUTE;

/** Side-by-side lanes for appointments that overlap in one column (an acknowledged double booking). */
export function lanes(items: Appointment[]): { lane: Map<string, number>; count: number } {
  const ends: number[] = [];
  const lane = new Map<string, number>();
  for (const a of [...items].sort((x, y) => Date.parse(x.startAt) - Date.parse(y.startAt))) {
    const start = Date.parse(a.startAt);
    let i = ends.findIndex((end) => end <= start);
    if (i < 0) i = ends.push(0) - 1;
    ends[i] = Date.parse(a.endAt);
    lane.set(a.id, i);
  }
  return { lane, count: Math.max(1, ends.length) };
}

/** Where a moved appointment would start in a column: on the doctor's slot grid, counted from the start of the hours it falls in. */
export function snap(column: Column, at: number, durationMs: number): { startAt: number; locationId: string | null } {
  const step = column.slotMinutes * MINUTE;
  const hours = column.hours.map((h) => ({ start: Date.parse(h.start), end: Date.parse(h.end), locationId: h.locationId }));
  const inside = hours.find((h) => at >= h.start && at < h.end) ?? hours.reduce<(typeof hours)[number] | null>((best, h) => (!best || Math.abs(h.start - at) < Math.abs(best.start - at) ? h : best), null);
  if (!inside) return { startAt: Math.round(at / step) * step, locationId: null };
  let start = inside.start + Math.round((at - inside.start) / step) * step;
  start = Math.max(inside.start, Math.min(start, inside.end - Math.max(step, Math.ceil(durationMs / step) * step)));
  return { startAt: start, locationId: inside.locationId };
}

/** Items of a column in time order, for arrow-key navigation: appointments and free slots. */
export type Item = { kind: 'appointment'; key: string; at: number; appointment: Appointment } | { kind: 'free'; key: string; at: number; free: Free };

export function columnItems(column: Column): Item[] {
  return [
    ...column.appointments.map((a): Item => ({ kind: 'appointment', key: `a:${a.id}`, at: Date.parse(a.startAt), appointment: a })),
    ...column.free.map((f): Item => ({ kind: 'free', key: `f:${f.startAt}`, at: Date.parse(f.startAt), free: f })),
  ].sort((x, y) => x.at - y.at || (x.kind === 'appointment' ? -1 : 1));
}

/** The item of a column nearest in time to `at` (moving left or right keeps the time). */
export function nearest(items: Item[], at: number): Item | undefined {
  let best: Item | undefined;
  for (const i of items) if (!best || Math.abs(i.at - at) < Math.abs(best.at - at)) best = i;
  return best;
}

/** "09:30" in a zone. */
export function clock(at: number | string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}
