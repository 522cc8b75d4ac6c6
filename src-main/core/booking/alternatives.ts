import type { SlotView } from '../../contract/booking.contract.js';
import type { Ctx } from '../context.js';
import { doctorName } from '../display-names.js';
import { freeSlots, type Slot } from '../scheduling/availability.js';

const DAY = 86_400_000;

/** Names for slots: doctor and location. */
export async function describeSlots(ctx: Ctx, slots: Slot[]): Promise<SlotView[]> {
  if (slots.length === 0) return [];
  const doctorIds = [...new Set(slots.map((s) => s.doctorId))];
  const [doctors, locations] = await Promise.all([
    ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('id', 'in', doctorIds).execute(),
    ctx.db.selectFrom('location').select(['id', 'name', 'timezone']).execute(),
  ]);
  const dn = new Map(doctors.map((d) => [d.id, doctorName(d)]));
  const ln = new Map(locations.map((l) => [l.id, l]));
  return slots.map((s) => ({ ...s, doctorName: dn.get(s.doctorId) ?? '', locationName: ln.get(s.locationId)?.name ?? '', timeZone: ln.get(s.locationId)?.timezone ?? ctx.settings.timeZone }));
}

/** Doctors who offer a consultation type (all active doctors when the type names no specialization). */
export async function doctorsOffering(
  ctx: Ctx,
  consultationTypeId: string,
  filter: { specializationId?: string; locationId?: string } = {},
): Promise<string[]> {
  const typeSpecs = (
    await ctx.db.selectFrom('consultation_type_specialization').select('specialization_id').where('consultation_type_id', '=', consultationTypeId).execute()
  ).map((r) => r.specialization_id);
  let query = ctx.db.selectFrom('doctor as d').select('d.id').distinct().where('d.active', '=', 1);
  const specs = filter.specializationId ? (typeSpecs.length === 0 || typeSpecs.includes(filter.specializationId) ? [filter.specializationId] : []) : typeSpecs;
  if (filter.specializationId && specs.length === 0) return [];
  if (specs.length > 0) {
    query = query.innerJoin('doctor_specialization as s', 's.doctor_id', 'd.id').where('s.specialization_id', 'in', specs);
  }
  if (filter.locationId) {
    query = query.innerJoin('working_hours as w', 'w.doctor_id', 'd.id').where('w.location_id', '=', filter.locationId);
  }
  return (await query.execute()).map((r) => r.id);
}

/** The nearest free slots after a refused one: the same doctor first, then colleagues offering the type. */
export async function nearbyAlternatives(
  ctx: Ctx,
  q: { doctorId: string; consultationTypeId: string; start: number; holder?: string },
): Promise<SlotView[]> {
  const common = {
    consultationTypeId: q.consultationTypeId,
    fromIso: new Date(q.start).toISOString(),
    toIso: new Date(q.start + 14 * DAY).toISOString(),
    now: ctx.clock.now(),
    settings: ctx.settings,
    holder: q.holder,
  };
  const same = await freeSlots(ctx.db, { ...common, doctorIds: [q.doctorId], limitPerDoctor: 5 });
  const colleagues = (await doctorsOffering(ctx, q.consultationTypeId)).filter((d) => d !== q.doctorId);
  const others = colleagues.length > 0 ? await freeSlots(ctx.db, { ...common, doctorIds: colleagues, limitPerDoctor: 1 }) : [];
  return describeSlots(ctx, [...same, ...others.slice(0, 3)]);
}
