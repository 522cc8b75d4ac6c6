import { sql } from 'kysely';
import type { Checklist, ChecklistStep } from '../../contract/setup.contract.js';
import type { Ctx } from '../context.js';

/**
 * The first-run checklist, computed from the data itself (never a stored tick): what a new
 * clinic needs before its first booking, in order. Only active rows count.
 */
export async function setupChecklist(ctx: Ctx): Promise<Checklist> {
  const db = ctx.db;
  const one = async (query: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }) =>
    Number((await query.executeTakeFirst())?.n ?? 0);
  const n = sql<number>`count(*)`.as('n');

  const locations = await one(db.selectFrom('location').select(n).where('active', '=', 1));
  const specializations = await one(db.selectFrom('specialization').select(n).where('active', '=', 1));
  const types = await one(
    db
      .selectFrom('consultation_type as t')
      .select(sql<number>`count(distinct t.id)`.as('n'))
      .innerJoin('consultation_type_specialization as cs', 'cs.consultation_type_id', 't.id')
      .innerJoin('specialization as s', 's.id', 'cs.specialization_id')
      .where('t.active', '=', 1)
      .where('s.active', '=', 1),
  );
  const doctors = await one(db.selectFrom('doctor').select(n).where('active', '=', 1));
  const doctorsWithHours = await one(
    db
      .selectFrom('working_hours as h')
      .select(sql<number>`count(distinct h.doctor_id)`.as('n'))
      .innerJoin('doctor as d', 'd.id', 'h.doctor_id')
      .innerJoin('location as l', 'l.id', 'h.location_id')
      .where('d.active', '=', 1)
      .where('l.active', '=', 1),
  );
  const bookings = await one(db.selectFrom('appointment').select(n));

  const counts: Record<ChecklistStep, number> = {
    location: locations,
    specialization: specializations,
    consultationType: types,
    doctor: doctors,
    hours: doctorsWithHours,
    booking: bookings,
  };
  const steps = (Object.keys(counts) as ChecklistStep[]).map((key) => ({ key, done: counts[key] > 0, count: counts[key] }));
  return { steps, complete: steps.every((s) => s.done) };
}
