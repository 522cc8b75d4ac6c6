import type { Ctx } from '../context.js';
import { dayBounds, localTime, todayIn } from '../time/time.js';

export const patientNumber = (n: number): string => `P${String(n).padStart(6, '0')}`;
export const doctorName = (d: { title: string; given_name: string; family_name: string }): string =>
  `${d.title ? `${d.title} ` : ''}${d.given_name} ${d.family_name}`;

export async function agendaDay(ctx: Ctx, input: { date?: string; doctorId?: string; includeCancelled?: boolean }) {
  const zone = ctx.settings.timeZone;
  const date = input.date ?? todayIn(zone, ctx.clock.now());
  const { start, end } = dayBounds(date, zone);
  let query = ctx.db
    .selectFrom('appointment as a')
    .innerJoin('patient as p', 'p.id', 'a.patient_id')
    .innerJoin('doctor as d', 'd.id', 'a.doctor_id')
    .innerJoin('location as l', 'l.id', 'a.location_id')
    .innerJoin('consultation_type as c', 'c.id', 'a.consultation_type_id')
    .select([
      'a.id',
      'a.start_at',
      'a.end_at',
      'a.status',
      'a.patient_id',
      'p.given_name as p_given',
      'p.family_name as p_family',
      'p.number as p_number',
      'a.doctor_id',
      'd.title',
      'd.given_name',
      'd.family_name',
      'l.name as location_name',
      'l.timezone',
      'c.name as type_name',
    ])
    .where('a.start_at', '>=', start)
    .where('a.start_at', '<', end)
    .orderBy('a.start_at')
    .orderBy('d.family_name');
  if (input.doctorId) query = query.where('a.doctor_id', '=', input.doctorId);
  if (!input.includeCancelled) query = query.where('a.status', '<>', 'cancelled');
  const rows = await query.execute();
  const doctors = await ctx.db
    .selectFrom('doctor')
    .select(['id', 'title', 'given_name', 'family_name'])
    .where('active', '=', 1)
    .orderBy('family_name')
    .execute();
  return {
    date,
    timeZone: zone,
    doctors: doctors.map((d) => ({ id: d.id, name: doctorName(d) })),
    items: rows.map((r) => ({
      id: r.id,
      startAt: r.start_at,
      endAt: r.end_at,
      localStart: localTime(r.start_at, r.timezone),
      localEnd: localTime(r.end_at, r.timezone),
      status: r.status,
      patientId: r.patient_id,
      patientName: `${r.p_given} ${r.p_family}`,
      patientNumber: patientNumber(r.p_number),
      doctorId: r.doctor_id,
      doctorName: doctorName(r),
      locationName: r.location_name,
      consultationType: r.type_name,
    })),
  };
}
