/**
 * What the printouts show (issue 12 item 13). Reads only: the day sheet, the appointment card
 * and the patient label, with dates and times in words in the zone that applies and the
 * clinic's locale (from its country), so a printout never depends on the desk's computer.
 */
import { DateTime } from 'luxon';
import type { Requirements } from '../../contract/booking.contract.js';
import { localeForCountry } from '../../contract/money.js';
import { formatPhone } from '../../contract/phone.js';
import type { Ctx } from '../context.js';
import { notFound } from '../errors.js';
import { appointmentQuery, loadAppointment, toView } from '../booking/appointment-view.js';
import { loadNotificationSettings } from '../notifications/notification-settings.js';
import { doctorName, patientNumber } from '../display-names.js';
import { dayBounds } from '../time/time.js';

const locale = (ctx: Ctx): string => localeForCountry(ctx.settings.defaultCountry);

/** "Tuesday, 3 March 2026" (en-GB), "Tuesday, March 3, 2026" (en-US): a local date in words. */
export const dateInWords = (date: string, loc: string): string =>
  DateTime.fromISO(date, { zone: 'UTC' }).setLocale(loc).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "5 Apr 1981": a birth date on one short line. */
const birthDate = (date: string, loc: string): string =>
  DateTime.fromISO(date, { zone: 'UTC' }).setLocale(loc).toLocaleString({ day: 'numeric', month: 'short', year: 'numeric' });

const clockInWords = (iso: string, zone: string, loc: string): string =>
  DateTime.fromISO(iso, { zone }).setLocale(loc).toLocaleString({ hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });

const printed = (r: Requirements) => ({ interpreterLanguage: r.interpreterLanguage ?? '', accessibility: r.accessibility ?? [], notes: r.notes ?? '' });

async function clinicHeader(ctx: Ctx) {
  const contact = await loadNotificationSettings(ctx.db);
  return { name: ctx.settings.clinicName, address: contact.clinicAddress, phone: contact.clinicPhone };
}

export async function daySheet(ctx: Ctx, input: { date: string; doctorId?: string }) {
  const zone = ctx.settings.timeZone;
  const { start, end } = dayBounds(input.date, zone);
  let query = appointmentQuery(ctx.db)
    .select('p.date_of_birth as p_dob')
    .where('a.start_at', '>=', start)
    .where('a.start_at', '<', end)
    .where('a.status', '<>', 'cancelled')
    .orderBy('d.family_name')
    .orderBy('d.given_name')
    .orderBy('a.doctor_id')
    .orderBy('a.start_at');
  if (input.doctorId) query = query.where('a.doctor_id', '=', input.doctorId);
  const rows = await query.execute();
  const loc = locale(ctx);
  const doctors: Array<{ id: string; name: string; rows: ReturnType<typeof toRow>[] }> = [];
  function toRow(r: (typeof rows)[number]) {
    const a = toView(r);
    return {
      id: a.id,
      // The clinic's clock: one sheet, one zone (a location elsewhere still lists in the clinic's time).
      localStart: DateTime.fromISO(a.startAt, { zone }).toFormat('HH:mm'),
      localEnd: DateTime.fromISO(a.endAt, { zone }).toFormat('HH:mm'),
      patientName: a.patientName,
      patientNumber: a.patientNumber,
      dateOfBirth: birthDate(r.p_dob, loc),
      consultationType: a.consultationType,
      locationName: a.locationName,
      status: a.status,
      requirements: printed(a.requirements),
    };
  }
  for (const r of rows) {
    let group = doctors.at(-1);
    if (!group || group.id !== r.doctor_id) {
      group = { id: r.doctor_id, name: doctorName(r), rows: [] };
      doctors.push(group);
    }
    group.rows.push(toRow(r));
  }
  if (input.doctorId && doctors.length === 0) {
    const d = await ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('id', '=', input.doctorId).executeTakeFirst();
    if (!d) throw notFound('The doctor');
    doctors.push({ id: d.id, name: doctorName(d), rows: [] });
  }
  return { clinic: await clinicHeader(ctx), date: input.date, dateText: dateInWords(input.date, loc), timeZone: zone, doctors };
}

export async function appointmentCard(ctx: Ctx, input: { appointmentId: string }) {
  const a = await loadAppointment(ctx.db, input.appointmentId);
  const location = await ctx.db.selectFrom('location').select('address').where('id', '=', a.locationId).executeTakeFirst();
  const clinic = await clinicHeader(ctx);
  const loc = locale(ctx);
  const hours = ctx.settings.cancellationWindowHours;
  const reach = clinic.phone ? `call us on ${clinic.phone}` : 'call or visit the front desk';
  const cancelText =
    hours > 0
      ? `To cancel or change this appointment, please ${reach} at least ${hours} hour${hours === 1 ? '' : 's'} before it.`
      : `To cancel or change this appointment, please ${reach} as early as you can.`;
  return {
    clinic,
    patientName: a.patientName,
    doctorName: a.doctorName,
    consultationType: a.consultationType,
    locationName: a.locationName,
    locationAddress: location?.address ?? '',
    timeZone: a.timeZone,
    dateText: dateInWords(a.localDate, loc),
    timeText: `${clockInWords(a.startAt, a.timeZone, loc)} – ${clockInWords(a.endAt, a.timeZone, loc)}`,
    status: a.status,
    requirements: printed(a.requirements),
    cancelText,
  };
}

export async function patientLabel(ctx: Ctx, input: { patientId: string }) {
  const p = await ctx.db
    .selectFrom('patient')
    .select(['given_name', 'family_name', 'date_of_birth', 'number', 'phone_e164'])
    .where('id', '=', input.patientId)
    .executeTakeFirst();
  if (!p) throw notFound('The patient');
  return {
    name: `${p.given_name} ${p.family_name}`,
    dateOfBirth: p.date_of_birth,
    dateOfBirthText: birthDate(p.date_of_birth, locale(ctx)),
    patientNumber: patientNumber(p.number),
    phone: formatPhone(p.phone_e164),
  };
}
