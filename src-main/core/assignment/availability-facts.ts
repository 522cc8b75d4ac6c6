/**
 * Availability facts for ranking and for the assigned-doctor view, read from the slot
 * engine (src-main/core/scheduling): each doctor's next free slot, and how much of their
 * working time over the next days is already booked.
 */
import type { Ctx } from '../context.js';
import { freeSlots, loadPlans, type Slot } from '../scheduling/availability.js';
import { workingStretches } from '../scheduling/slot-engine.js';

const DAY = 86_400_000;
export const LOAD_DAYS = 14;

/** How far the first search for a next free slot looks; most doctors have one within it. */
const FIRST_LOOK_DAYS = 14;

/**
 * The first free slot of each doctor (of the doctor's own slot length) within `horizonDays`.
 * The engine builds every working stretch of its range, so the search looks 14 days ahead
 * first and goes to the horizon only for doctors with nothing free by then.
 */
export async function nextFreeSlots(ctx: Ctx, doctors: ReadonlyArray<{ id: string; slotMinutes: number }>, horizonDays: number): Promise<Map<string, Slot>> {
  const out = await searchSlots(ctx, doctors, Math.min(FIRST_LOOK_DAYS, horizonDays));
  const rest = doctors.filter((d) => !out.has(d.id));
  if (rest.length > 0 && horizonDays > FIRST_LOOK_DAYS) for (const [id, slot] of await searchSlots(ctx, rest, horizonDays)) out.set(id, slot);
  return out;
}

async function searchSlots(ctx: Ctx, doctors: ReadonlyArray<{ id: string; slotMinutes: number }>, horizonDays: number): Promise<Map<string, Slot>> {
  const out = new Map<string, Slot>();
  const now = ctx.clock.now();
  const toIso = new Date(now.getTime() + horizonDays * DAY).toISOString();
  const byLength = new Map<number, string[]>();
  for (const d of doctors) byLength.set(d.slotMinutes, [...(byLength.get(d.slotMinutes) ?? []), d.id]);
  for (const [durationMinutes, doctorIds] of byLength) {
    const slots = await freeSlots(ctx.db, {
      doctorIds,
      durationMinutes,
      fromIso: now.toISOString(),
      toIso,
      now,
      settings: ctx.settings,
      limitPerDoctor: 1,
    });
    for (const s of slots) if (!out.has(s.doctorId)) out.set(s.doctorId, s);
  }
  return out;
}

export interface Load {
  bookedMinutes: number;
  workingMinutes: number;
  /** bookedMinutes / workingMinutes, or null without working time. */
  load: number | null;
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/**
 * Share of each doctor's working time (weekly plus extra hours, minus time off) over the
 * next `days` that booked or checked-in appointments fill.
 */
export async function loadOverDays(ctx: Ctx, doctorIds: string[], days = LOAD_DAYS): Promise<Map<string, Load>> {
  const out = new Map<string, Load>();
  if (doctorIds.length === 0) return out;
  const now = ctx.clock.now();
  const window = { start: now.getTime(), end: now.getTime() + days * DAY };
  const fromIso = new Date(window.start).toISOString();
  const toIso = new Date(window.end).toISOString();
  const [{ plans, zones }, bookings] = await Promise.all([
    loadPlans(ctx.db, { doctorIds, fromIso, toIso, now, clinicZone: ctx.settings.timeZone }),
    ctx.db
      .selectFrom('appointment')
      .select(['doctor_id', 'start_at', 'end_at'])
      .where('doctor_id', 'in', doctorIds)
      .where('status', 'in', ['booked', 'checked_in'])
      .where('start_at', '<', toIso)
      .where('end_at', '>', fromIso)
      .execute(),
  ]);
  for (const plan of plans) {
    const stretches = workingStretches(plan, zones, window.start, window.end)
      .map((s) => ({ start: Math.max(s.start, window.start), end: Math.min(s.end, window.end) }))
      .filter((s) => s.end > s.start);
    const working = stretches.reduce((sum, s) => sum + (s.end - s.start), 0);
    let booked = 0;
    for (const b of bookings) {
      if (b.doctor_id !== plan.doctorId) continue;
      const span = { start: Date.parse(b.start_at), end: Date.parse(b.end_at) };
      for (const s of stretches) booked += overlap(span, s);
    }
    out.set(plan.doctorId, {
      bookedMinutes: Math.round(booked / 60_000),
      workingMinutes: Math.round(working / 60_000),
      load: working > 0 ? booked / working : null,
    });
  }
  return out;
}
