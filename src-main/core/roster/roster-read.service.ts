import type { ConsultationTypeSpecializationTable, ConsultationTypeTable } from '../db/schema.js';
import { DateTime } from 'luxon';
import type { RosterDoctor, WeekDay } from '../../contract/roster.contract.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { notFound } from '../errors.js';
import { doctorName } from '../display-names.js';
import { addDays, todayIn } from '../time/time.js';
import { formatMinutes, localSpan, MINUTES_PER_DAY } from './hours.rules.js';

const bool = (n: number) => n === 1;

/** Doctors as the roster shows them: specializations and the locations of their weekly hours. */
export async function doctorViews(db: Db, onlyId?: string): Promise<RosterDoctor[]> {
  let q = db.selectFrom('doctor').selectAll().orderBy('family_name').orderBy('given_name');
  if (onlyId) q = q.where('id', '=', onlyId);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [specs, places] = await Promise.all([
    db
      .selectFrom('doctor_specialization as ds')
      .innerJoin('specialization as s', 's.id', 'ds.specialization_id')
      .select(['ds.doctor_id', 'ds.specialization_id'])
      .where('ds.doctor_id', 'in', ids)
      .orderBy('s.name')
      .execute(),
    db.selectFrom('working_hours').select(['doctor_id', 'location_id']).distinct().where('doctor_id', 'in', ids).execute(),
  ]);
  return rows.map((d) => ({
    id: d.id,
    name: doctorName(d),
    title: d.title,
    givenName: d.given_name,
    familyName: d.family_name,
    email: d.email ?? '',
    phone: d.phone ?? '',
    slotMinutes: d.slot_minutes,
    bufferMinutes: d.buffer_minutes,
    active: bool(d.active),
    specializationIds: specs.filter((s) => s.doctor_id === d.id).map((s) => s.specialization_id),
    locationIds: places.filter((p) => p.doctor_id === d.id).map((p) => p.location_id),
  }));
}

export async function listRoster(ctx: Ctx) {
  const [locations, specializations, doctors, types, typeSpecs] = await Promise.all([
    ctx.db.selectFrom('location').selectAll().orderBy('name').execute(),
    ctx.db.selectFrom('specialization').selectAll().orderBy('name').execute(),
    doctorViews(ctx.db),
    ctx.db.selectFrom('consultation_type').selectAll().orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type_specialization').selectAll().execute(),
  ]);
  return {
    locations: locations.map((l) => ({
      id: l.id,
      name: l.name,
      address: l.address,
      latitude: l.latitude,
      longitude: l.longitude,
      timeZone: l.timezone,
      active: bool(l.active),
    })),
    specializations: specializations.map((s) => ({ id: s.id, name: s.name, active: bool(s.active) })),
    doctors,
    consultationTypes: consultationTypeViews(types, typeSpecs),
  };
}

/** Consultation types as screens see them, with the specializations that offer each. */
export function consultationTypeViews(types: ConsultationTypeTable[], typeSpecs: ConsultationTypeSpecializationTable[]) {
  return types.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    durationMinutes: t.duration_minutes,
    priceMinor: t.price_minor,
    currency: t.currency,
    active: bool(t.active),
    specializationIds: typeSpecs.filter((s) => s.consultation_type_id === t.id).map((s) => s.specialization_id),
  }));
}

export async function getDoctor(ctx: Ctx, input: { doctorId: string }) {
  const [doctor] = await doctorViews(ctx.db, input.doctorId);
  if (!doctor) throw notFound('The doctor');
  const today = todayIn(ctx.settings.timeZone, ctx.clock.now());
  const [hours, exceptions] = await Promise.all([
    ctx.db
      .selectFrom('working_hours')
      .selectAll()
      .where('doctor_id', '=', doctor.id)
      .orderBy('weekday')
      .orderBy('start_minute')
      .execute(),
    ctx.db
      .selectFrom('schedule_exception')
      .selectAll()
      .where('doctor_id', '=', doctor.id)
      .where('date', '>=', today)
      .orderBy('date')
      .orderBy('start_minute')
      .execute(),
  ]);
  return {
    doctor,
    hours: hours.map((h) => ({ id: h.id, locationId: h.location_id, weekday: h.weekday, startMinute: h.start_minute, endMinute: h.end_minute })),
    exceptions: exceptions.map((e) => ({
      id: e.id,
      kind: e.kind,
      date: e.date,
      startMinute: e.start_minute,
      endMinute: e.end_minute,
      locationId: e.location_id,
      reason: e.reason,
    })),
  };
}

/** Monday of the ISO week holding `date`. */
export const weekStartOf = (date: string): string => DateTime.fromISO(date, { zone: 'utc' }).startOf('week').toISODate() ?? date;

export async function doctorWeek(ctx: Ctx, input: { doctorId: string; weekOf?: string }) {
  const doctor = await ctx.db.selectFrom('doctor').selectAll().where('id', '=', input.doctorId).executeTakeFirst();
  if (!doctor) throw notFound('The doctor');
  const weekStart = weekStartOf(input.weekOf ?? todayIn(ctx.settings.timeZone, ctx.clock.now()));
  const dates = Array.from({ length: 7 }, (_v, i) => addDays(weekStart, i));
  const last = dates[6]!;
  const [locations, weekly, exceptions, bookings] = await Promise.all([
    ctx.db.selectFrom('location').select(['id', 'name', 'timezone']).execute(),
    ctx.db.selectFrom('working_hours').selectAll().where('doctor_id', '=', doctor.id).orderBy('start_minute').execute(),
    ctx.db
      .selectFrom('schedule_exception')
      .selectAll()
      .where('doctor_id', '=', doctor.id)
      .where('date', '>=', weekStart)
      .where('date', '<=', last)
      .orderBy('start_minute')
      .execute(),
    ctx.db
      .selectFrom('appointment as a')
      .innerJoin('patient as p', 'p.id', 'a.patient_id')
      .innerJoin('consultation_type as c', 'c.id', 'a.consultation_type_id')
      .select(['a.id', 'a.patient_id', 'a.location_id', 'a.start_at', 'a.end_at', 'a.status', 'p.given_name', 'p.family_name', 'c.name as type_name'])
      .where('a.doctor_id', '=', doctor.id)
      .where('a.status', '<>', 'cancelled')
      // Local dates are at most a day either side of UTC dates.
      .where('a.start_at', '>=', `${addDays(weekStart, -1)}T00:00:00.000Z`)
      .where('a.start_at', '<', `${addDays(last, 2)}T00:00:00.000Z`)
      .orderBy('a.start_at')
      .execute(),
  ]);
  const loc = new Map(locations.map((l) => [l.id, l]));
  const name = (id: string | null) => (id ? (loc.get(id)?.name ?? '?') : null);
  const days: WeekDay[] = dates.map((date, i) => ({
    date,
    weekday: i + 1,
    hours: [
      ...weekly
        .filter((w) => w.weekday === i + 1)
        .map((w) => ({ locationId: w.location_id, locationName: name(w.location_id)!, startMinute: w.start_minute, endMinute: w.end_minute, source: 'weekly' as const })),
      ...exceptions
        .filter((e) => e.date === date && e.kind === 'extra_hours' && e.location_id)
        .map((e) => ({ locationId: e.location_id!, locationName: name(e.location_id)!, startMinute: e.start_minute, endMinute: e.end_minute, source: 'extra' as const })),
    ].sort((a, b) => a.startMinute - b.startMinute),
    timeOff: exceptions
      .filter((e) => e.date === date && e.kind === 'time_off')
      .map((e) => ({ id: e.id, startMinute: e.start_minute, endMinute: e.end_minute, reason: e.reason, locationName: name(e.location_id) })),
    bookings: [],
  }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const b of bookings) {
    const place = loc.get(b.location_id);
    if (!place) continue;
    const span = localSpan({ locationId: b.location_id, startAt: b.start_at, endAt: b.end_at }, place.timezone);
    const day = byDate.get(span.date);
    if (!day) continue;
    // A booking belongs to the local day it starts on; one that runs past midnight ends on the next day's clock (endMinute past 1440).
    const end = Math.min(span.end, 2 * MINUTES_PER_DAY);
    day.bookings.push({
      id: b.id,
      patientId: b.patient_id,
      patientName: `${b.given_name} ${b.family_name}`,
      startMinute: span.start,
      endMinute: end,
      localStart: formatMinutes(span.start),
      localEnd: formatMinutes(end),
      status: b.status,
      locationName: place.name,
      consultationType: b.type_name,
    });
  }
  return { doctorId: doctor.id, doctorName: doctorName(doctor), weekStart, days };
}
