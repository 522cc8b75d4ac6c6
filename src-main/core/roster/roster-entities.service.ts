/** Locations, specializations, doctors and consultation types: create or change (admin). */
import type { z } from 'zod';
import type { consultationTypeInput, doctorInput, locationInput, specializationInput } from '../../contract/roster.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { notFound, type FieldErrors } from '../errors.js';
import { doctorName } from '../display-names.js';
import { findAffected } from './affected-bookings.service.js';
import { locationMap, nameTaken, throwIfAny, unknownSpecializations, type Plan } from './roster-plan.js';
import { weeklyClashes, type Place } from './hours.rules.js';
import { addDays, todayIn } from '../time/time.js';

type LocationInput = Omit<z.output<typeof locationInput>, 'acknowledgeAffected'>;
type DoctorInput = Omit<z.output<typeof doctorInput>, 'acknowledgeAffected'>;

export async function planLocation(ctx: Ctx, input: LocationInput): Promise<Plan<{ id: string }>> {
  const existing = input.id ? await ctx.db.selectFrom('location').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
  if (input.id && !existing) throw notFound('The location');
  const errors: FieldErrors = {};
  if (await nameTaken(ctx.db, 'location', input.name, input.id)) errors.name = ['Another location has this name.'];
  if (existing && existing.active === 1 && !input.active) {
    const working = await ctx.db
      .selectFrom('working_hours as w')
      .innerJoin('doctor as d', 'd.id', 'w.doctor_id')
      .select(['d.title', 'd.given_name', 'd.family_name'])
      .distinct()
      .where('w.location_id', '=', existing.id)
      .execute();
    if (working.length > 0) {
      errors.active = [`${working.map(doctorName).join(', ')} still work${working.length === 1 ? 's' : ''} here: change their weekly hours first.`];
    }
    const today = new Date(ctx.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const extra = await ctx.db
      .selectFrom('schedule_exception')
      .select('id')
      .where('location_id', '=', existing.id)
      .where('kind', '=', 'extra_hours')
      .where('date', '>=', today)
      .limit(1)
      .execute();
    if (extra.length > 0 && !errors.active) {
      errors.active = ['Doctors have extra hours here on coming days: remove them first.'];
    }
  }
  if (existing && existing.timezone !== input.timeZone) errors.timeZone = await zoneChangeClashes(ctx, existing.id, input.timeZone);
  if (errors.timeZone?.length === 0) delete errors.timeZone;
  throwIfAny(errors);
  const id = existing?.id ?? ctx.newId();
  const affected =
    existing && existing.timezone !== input.timeZone
      ? await findAffected(ctx, { locationId: id }, (s) => void s.zones.set(id, input.timeZone))
      : [];
  return {
    affected,
    recordType: 'location',
    async commit() {
      const at = nowIso(ctx);
      const row = {
        name: input.name,
        address: input.address,
        latitude: input.latitude,
        longitude: input.longitude,
        timezone: input.timeZone,
        active: input.active ? 1 : 0,
        updated_at: at,
      };
      if (existing) await ctx.db.updateTable('location').set(row).where('id', '=', id).execute();
      else await ctx.db.insertInto('location').values({ id, ...row, created_at: at }).execute();
      ctx.auditRecord('location', id);
      return { id };
    },
  };
}

/**
 * A new time zone moves the real instants of every doctor's hours here: refuse it when a
 * doctor would then be in two places at once (their hours elsewhere, judged on real instants).
 */
async function zoneChangeClashes(ctx: Ctx, locationId: string, zone: string): Promise<string[]> {
  const doctors = await ctx.db.selectFrom('working_hours').select('doctor_id').distinct().where('location_id', '=', locationId).execute();
  if (doctors.length === 0) return [];
  const locations = await locationMap(ctx.db);
  const place = (id: string): Place | undefined => {
    const l = locations.get(id);
    return l && (id === locationId ? { ...l, zone } : l);
  };
  const from = addDays(todayIn(ctx.settings.timeZone, ctx.clock.now()), -1);
  const messages: string[] = [];
  for (const { doctor_id } of doctors) {
    const [doctor, hours] = await Promise.all([
      ctx.db.selectFrom('doctor').select(['title', 'given_name', 'family_name']).where('id', '=', doctor_id).executeTakeFirstOrThrow(),
      ctx.db.selectFrom('working_hours').selectAll().where('doctor_id', '=', doctor_id).orderBy('weekday').orderBy('start_minute').execute(),
    ]);
    const clashes = weeklyClashes(
      hours.map((h) => ({ locationId: h.location_id, weekday: h.weekday, startMinute: h.start_minute, endMinute: h.end_minute })),
      place,
      from,
    );
    const first = Object.values(clashes)[0]?.[0];
    if (first) messages.push(`In this time zone, ${doctorName(doctor)}: ${first}`);
  }
  return messages;
}

export async function saveSpecialization(ctx: Ctx, input: z.output<typeof specializationInput>) {
  const existing = input.id ? await ctx.db.selectFrom('specialization').select('id').where('id', '=', input.id).executeTakeFirst() : undefined;
  if (input.id && !existing) throw notFound('The specialization');
  if (await nameTaken(ctx.db, 'specialization', input.name, input.id)) throwIfAny({ name: ['Another specialization has this name.'] });
  const id = existing?.id ?? ctx.newId();
  const row = { name: input.name, active: input.active ? 1 : 0 };
  if (existing) await ctx.db.updateTable('specialization').set(row).where('id', '=', id).execute();
  else await ctx.db.insertInto('specialization').values({ id, ...row }).execute();
  ctx.auditRecord('specialization', id);
  return { id };
}

export async function planDoctor(ctx: Ctx, input: DoctorInput): Promise<Plan<{ id: string }>> {
  const existing = input.id ? await ctx.db.selectFrom('doctor').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
  if (input.id && !existing) throw notFound('The doctor');
  const specIds = [...new Set(input.specializationIds)];
  throwIfAny(await unknownSpecializations(ctx.db, specIds, 'specializationIds'));
  const id = existing?.id ?? ctx.newId();
  const deactivating = existing?.active === 1 && !input.active;
  const affected = deactivating
    ? await findAffected(ctx, { doctorId: id }, (s) => {
        const d = s.doctors.get(id);
        if (d) d.active = false;
      })
    : [];
  return {
    affected,
    recordType: 'doctor',
    async commit() {
      const at = nowIso(ctx);
      const row = {
        title: input.title,
        given_name: input.givenName,
        family_name: input.familyName,
        email: input.email ? input.email.toLowerCase() : null,
        phone: input.phone || null,
        slot_minutes: input.slotMinutes,
        buffer_minutes: input.bufferMinutes,
        active: input.active ? 1 : 0,
        updated_at: at,
      };
      if (existing) await ctx.db.updateTable('doctor').set(row).where('id', '=', id).execute();
      else await ctx.db.insertInto('doctor').values({ id, ...row, created_at: at }).execute();
      await ctx.db.deleteFrom('doctor_specialization').where('doctor_id', '=', id).execute();
      if (specIds.length > 0) {
        await ctx.db
          .insertInto('doctor_specialization')
          .values(specIds.map((s) => ({ doctor_id: id, specialization_id: s })))
          .execute();
      }
      ctx.auditRecord('doctor', id);
      return { id };
    },
  };
}

export async function saveConsultationType(ctx: Ctx, input: z.output<typeof consultationTypeInput>) {
  const existing = input.id ? await ctx.db.selectFrom('consultation_type').select('id').where('id', '=', input.id).executeTakeFirst() : undefined;
  if (input.id && !existing) throw notFound('The consultation type');
  const specIds = [...new Set(input.specializationIds)];
  const errors = await unknownSpecializations(ctx.db, specIds, 'specializationIds');
  if (await nameTaken(ctx.db, 'consultation_type', input.name, input.id)) errors.name = ['Another consultation type has this name.'];
  // Consultation types are priced in the clinic's currency: another one would be a price nobody can take.
  if (input.currency !== undefined && input.currency !== ctx.settings.currency) {
    errors.currency = [`Prices are in the clinic’s currency, ${ctx.settings.currency}; ${input.currency} cannot be used.`];
  }
  throwIfAny(errors);
  const id = existing?.id ?? ctx.newId();
  const row = {
    name: input.name,
    kind: input.kind,
    duration_minutes: input.durationMinutes,
    price_minor: input.priceMinor,
    currency: ctx.settings.currency,
    active: input.active ? 1 : 0,
  };
  if (existing) await ctx.db.updateTable('consultation_type').set(row).where('id', '=', id).execute();
  else await ctx.db.insertInto('consultation_type').values({ id, ...row }).execute();
  await ctx.db.deleteFrom('consultation_type_specialization').where('consultation_type_id', '=', id).execute();
  await ctx.db
    .insertInto('consultation_type_specialization')
    .values(specIds.map((s) => ({ consultation_type_id: id, specialization_id: s })))
    .execute();
  ctx.auditRecord('consultation_type', id);
  return { id };
}
