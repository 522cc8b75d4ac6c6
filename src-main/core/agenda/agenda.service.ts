import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { dayBounds, todayIn } from '../time/time.js';
import { appointmentQuery, toView } from '../booking/appointment-view.js';
import { doctorName } from '../display-names.js';
import { appointmentStatuses } from '../../contract/agenda.contract.js';

/**
 * A day's agenda: its appointments (for one doctor and/or one location if asked), the counts per
 * status and the money the day should bring in. A visit moved to another time is not listed
 * (its new time is); a cancelled one only with `includeCancelled` (the counts always count it).
 */
export async function agendaDay(ctx: Ctx, input: { date?: string; doctorId?: string; locationId?: string; includeCancelled?: boolean }) {
  const zone = ctx.settings.timeZone;
  const date = input.date ?? todayIn(zone, ctx.clock.now());
  const { start, end } = dayBounds(date, zone);
  let query = appointmentQuery(ctx.db)
    .select('a.fee_minor')
    .where('a.start_at', '>=', start)
    .where('a.start_at', '<', end)
    .where('a.rescheduled_to_id', 'is', null)
    .orderBy('a.start_at')
    .orderBy('d.family_name');
  if (input.doctorId) query = query.where('a.doctor_id', '=', input.doctorId);
  if (input.locationId) query = query.where('a.location_id', '=', input.locationId);
  const rows = await query.execute();
  const [doctors, locations] = await Promise.all([
    ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('active', '=', 1).orderBy('family_name').execute(),
    ctx.db.selectFrom('location').select(['id', 'name']).orderBy('name').execute(),
  ]);
  // The day's money in one read: prices of visits that happen, fees of those cancelled or missed.
  let money = ctx.db
    .selectFrom('appointment')
    .select([
      'currency',
      sql<number>`sum(CASE WHEN status IN ('cancelled', 'no_show') THEN fee_minor ELSE price_minor END)`.as('minor'),
    ])
    .where('start_at', '>=', start)
    .where('start_at', '<', end)
    .where('rescheduled_to_id', 'is', null)
    .groupBy('currency')
    .orderBy('currency');
  if (input.doctorId) money = money.where('doctor_id', '=', input.doctorId);
  if (input.locationId) money = money.where('location_id', '=', input.locationId);
  const expected = (await money.execute()).map((m) => ({ currency: m.currency, minor: Number(m.minor) })).filter((m) => m.minor > 0);

  const counts = Object.fromEntries(appointmentStatuses.map((s) => [s, 0])) as Record<(typeof appointmentStatuses)[number], number>;
  for (const r of rows) counts[r.status] += 1;
  const shown = input.includeCancelled ? rows : rows.filter((r) => r.status !== 'cancelled');
  return {
    date,
    timeZone: zone,
    doctors: doctors.map((d) => ({ id: d.id, name: doctorName(d) })),
    locations,
    counts,
    expected,
    items: shown.map((r) => ({ a: toView(r), feeMinor: r.fee_minor })).map(({ a, feeMinor }) => ({
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
      locationId: a.locationId,
      locationName: a.locationName,
      consultationType: a.consultationType,
      cancelReason: a.status === 'cancelled' ? a.cancelReason : null,
      paymentStatus: a.paymentStatus,
      feeMinor,
    })),
  };
}
