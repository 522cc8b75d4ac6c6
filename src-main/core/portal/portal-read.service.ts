/**
 * The patient page's reads: the clinic as a patient may see it, the doctors of a consultation
 * type, free slots day by day, and the patient's own details. Only what a patient may see: no
 * staff, no other patients, no prices the clinic has not published (inactive types).
 */
import { DomainError } from '../errors.js';
import type { Ctx } from '../context.js';
import { doctorName } from '../display-names.js';
import { localeForCountry } from '../money/money.js';
import { emergencyNumberFor } from '../../contract/symptoms.contract.js';
import { policyText } from '../payments/refunds.js';
import { loadNotificationSettings } from '../notifications/notification-settings.js';
import { doctorsOffering } from '../booking/alternatives.js';
import { holderOf } from '../booking/holds.service.js';
import { freeSlots, type Slot } from '../scheduling/availability.js';
import { addDays, todayIn, wallToInstant } from '../time/time.js';
import type { PortalClinic, PortalSlot } from '../../contract/portal.contract.js';

/** The languages the patient page and the messages ship in. */
export const PORTAL_LANGUAGES = ['en', 'es'] as const;

export async function portalClinic(ctx: Ctx): Promise<PortalClinic> {
  const s = ctx.settings;
  const [notify, locations, types, typeSpecs, specs] = await Promise.all([
    loadNotificationSettings(ctx.db),
    ctx.db.selectFrom('location').select(['id', 'name', 'address', 'timezone']).where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type').select(['id', 'name', 'duration_minutes', 'price_minor', 'currency']).where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type_specialization').selectAll().execute(),
    ctx.db.selectFrom('specialization').select(['id', 'name']).where('active', '=', 1).orderBy('name').execute(),
  ]);
  const activeSpecs = new Set(specs.map((sp) => sp.id));
  return {
    name: s.clinicName,
    phone: notify.clinicPhone,
    email: notify.email.replyTo || notify.email.fromAddress || null,
    address: notify.clinicAddress,
    timeZone: s.timeZone,
    currency: s.currency,
    locale: localeForCountry(s.defaultCountry),
    languages: [...PORTAL_LANGUAGES],
    emergencyNumber: emergencyNumberFor(s.emergencyNumber, s.defaultCountry) || null,
    cancellationPolicy: `${policyText(ctx, s.currency)} Cancel or move a booking online up to ${s.cancellationWindowHours} hours before it starts; after that, call the clinic.`,
    bookingHorizonDays: s.horizonDays,
    locations: locations.map((l) => ({ id: l.id, name: l.name, address: l.address, timeZone: l.timezone })),
    consultationTypes: types.map((t) => ({
      id: t.id,
      name: t.name,
      durationMinutes: t.duration_minutes,
      priceMinor: t.price_minor,
      currency: t.currency,
      specializationId: typeSpecs.find((x) => x.consultation_type_id === t.id && activeSpecs.has(x.specialization_id))?.specialization_id ?? null,
    })),
    specializations: specs,
  };
}

async function activeType(ctx: Ctx, consultationTypeId: string) {
  const type = await ctx.db
    .selectFrom('consultation_type')
    .select(['id', 'active', 'duration_minutes'])
    .where('id', '=', consultationTypeId)
    .executeTakeFirst();
  if (!type || type.active !== 1) {
    const message = 'There is no such consultation type. Choose one from the list.';
    throw new DomainError('booking/unknown-consultation-type', message, { fieldErrors: { consultationTypeId: [message] } });
  }
  return type;
}

export async function portalDoctors(ctx: Ctx, input: { consultationTypeId: string }) {
  await activeType(ctx, input.consultationTypeId);
  const ids = await doctorsOffering(ctx, input.consultationTypeId);
  if (ids.length === 0) return { doctors: [] };
  const [doctors, specs, typeSpecs, places] = await Promise.all([
    ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('id', 'in', ids).orderBy('family_name').orderBy('given_name').execute(),
    ctx.db
      .selectFrom('doctor_specialization as ds')
      .innerJoin('specialization as s', 's.id', 'ds.specialization_id')
      .select(['ds.doctor_id', 's.id', 's.name'])
      .where('ds.doctor_id', 'in', ids)
      .where('s.active', '=', 1)
      .orderBy('s.name')
      .execute(),
    ctx.db.selectFrom('consultation_type_specialization').select('specialization_id').where('consultation_type_id', '=', input.consultationTypeId).execute(),
    ctx.db
      .selectFrom('working_hours as w')
      .innerJoin('location as l', 'l.id', 'w.location_id')
      .select(['w.doctor_id', 'l.name'])
      .distinct()
      .where('w.doctor_id', 'in', ids)
      .where('l.active', '=', 1)
      .orderBy('l.name')
      .execute(),
  ]);
  const wanted = new Set(typeSpecs.map((t) => t.specialization_id));
  return {
    doctors: doctors.map((d) => {
      const own = specs.filter((s) => s.doctor_id === d.id);
      const spec = own.find((s) => wanted.has(s.id)) ?? own[0];
      return { id: d.id, name: doctorName(d), specialization: spec?.name ?? null, locationName: places.find((p) => p.doctor_id === d.id)?.name ?? null };
    }),
  };
}

const DAY = 86_400_000;

/**
 * Free slots from `from` for `days` days, grouped by the date at the location. Without a doctor,
 * "first available": each start time once, given to the doctor with the most free slots that
 * day (the load spreads; ties by id). Held and booked times are never free.
 */
export async function portalSlots(ctx: Ctx, input: { consultationTypeId: string; doctorId?: string; from: string; days: number }) {
  const type = await activeType(ctx, input.consultationTypeId);
  const zone = ctx.settings.timeZone;
  const offering = await doctorsOffering(ctx, input.consultationTypeId);
  if (input.doctorId && !offering.includes(input.doctorId)) {
    const message = 'This doctor does not offer this consultation. Choose another doctor, or “first available”.';
    throw new DomainError('validation/invalid-input', message, { fieldErrors: { doctorId: [message] } });
  }
  const doctorIds = input.doctorId ? [input.doctorId] : offering;
  const today = todayIn(zone, ctx.clock.now());
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.from, i));
  const fromIso = wallToInstant(input.from, 0, zone);
  const toIso = wallToInstant(addDays(input.from, input.days), 0, zone);
  const common = { doctorIds, durationMinutes: type.duration_minutes, now: ctx.clock.now(), settings: ctx.settings, holder: holderOf(ctx) };
  const found = doctorIds.length === 0 || input.from > addDays(today, ctx.settings.horizonDays) ? [] : await freeSlots(ctx.db, { ...common, fromIso, toIso });
  const chosen = input.doctorId ? found : firstAvailable(found);
  const names = await doctorNames(ctx, chosen);
  const byDate = new Map<string, PortalSlot[]>(dates.map((d) => [d, []]));
  for (const s of chosen.sort((a, b) => a.startAt.localeCompare(b.startAt) || a.doctorId.localeCompare(b.doctorId))) {
    byDate.get(s.localDate)?.push({ startAt: s.startAt, endAt: s.endAt, doctorId: s.doctorId, doctorName: names.get(s.doctorId) ?? '', locationId: s.locationId, label: s.localTime });
  }
  // The next day with a free slot after this range (one slot per doctor is enough to know).
  let nextFreeDate: string | null = null;
  const horizonEnd = ctx.clock.now().getTime() + ctx.settings.horizonDays * DAY;
  if (doctorIds.length > 0 && Date.parse(toIso) < horizonEnd) {
    const later = await freeSlots(ctx.db, { ...common, fromIso: toIso, toIso: new Date(horizonEnd).toISOString(), limitPerDoctor: 1 });
    nextFreeDate = later.map((s) => s.localDate).sort()[0] ?? null;
  }
  return { timeZone: zone, days: dates.map((date) => ({ date, slots: byDate.get(date) ?? [] })), nextFreeDate };
}

/** One slot per start time and location: the doctor with the most free slots that day takes it (spreads the load). */
function firstAvailable(slots: Slot[]): Slot[] {
  const freeCount = new Map<string, number>();
  for (const s of slots) freeCount.set(`${s.doctorId}|${s.localDate}`, (freeCount.get(`${s.doctorId}|${s.localDate}`) ?? 0) + 1);
  const best = new Map<string, Slot>();
  for (const s of slots) {
    const key = `${s.startAt}|${s.locationId}`;
    const current = best.get(key);
    const score = (x: Slot) => freeCount.get(`${x.doctorId}|${x.localDate}`) ?? 0;
    if (!current || score(s) > score(current) || (score(s) === score(current) && s.doctorId < current.doctorId)) best.set(key, s);
  }
  return [...best.values()];
}

async function doctorNames(ctx: Ctx, slots: Slot[]): Promise<Map<string, string>> {
  const ids = [...new Set(slots.map((s) => s.doctorId))];
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((d) => [d.id, doctorName(d)]));
}

export async function portalMe(ctx: Ctx) {
  if (ctx.actor.kind !== 'patient') throw new DomainError('auth/forbidden', 'This is for patients signed in on the booking page.');
  const p = await ctx.db
    .selectFrom('patient')
    .select(['given_name', 'family_name', 'date_of_birth', 'email', 'phone_e164', 'preferred_language'])
    .where('id', '=', ctx.actor.patientId)
    .executeTakeFirstOrThrow();
  const history = await ctx.db
    .selectFrom('patient_section')
    .select(['data', 'version'])
    .where('patient_id', '=', ctx.actor.patientId)
    .where('section', '=', 'medical_history')
    .executeTakeFirst();
  return {
    givenName: p.given_name,
    familyName: p.family_name,
    dateOfBirth: p.date_of_birth,
    email: p.email,
    phone: p.phone_e164,
    language: p.preferred_language,
    medicalHistoryComplete: history !== undefined && historyFilledIn(history),
  };
}

/**
 * Registration stores an empty questionnaire; it counts as filled in once someone saved it
 * again (even "nothing to declare") or it holds any answer.
 */
export function historyFilledIn(row: { data: string; version: number }): boolean {
  if (row.version > 1) return true;
  try {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    return Object.values(data).some((v) => (Array.isArray(v) ? v.length > 0 : v !== '' && v !== null && v !== undefined && v !== false));
  } catch {
    return false;
  }
}
