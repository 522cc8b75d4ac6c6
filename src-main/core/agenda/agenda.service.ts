import type { Ctx } from '../context.js';
import { dayBounds, todayIn } from '../time/time.js';
import { appointmentQuery, toView } from '../booking/appointment-view.js';
import { doctorName } from '../display-names.js';

export async function agendaDay(ctx: Ctx, input: { date?: string; doctorId?: string; includeCancelled?: boolean }) {
  const zone = ctx.settings.timeZone;
  const date = input.date ?? todayIn(zone, ctx.clock.now());
  const { start, end } = dayBounds(date, zone);
  let query = appointmentQuery(ctx.db)
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
    items: rows.map(toView).map((a) => ({
      id: a.id,
      startAt: a.startAt,
      endAt: a.endAt,
      localStart: a.localStart,
      localEnd: a.localEnd,
      status: a.status,
      patientId: a.patientId,
      patientName: a.patientName,
      patientNumber: a.patientNumber,
      doctorId: a.doctorId,
      doctorName: a.doctorName,
      locationName: a.locationName,
      consultationType: a.consultationType,
      paymentStatus: a.paymentStatus,
    })),
  };
}
