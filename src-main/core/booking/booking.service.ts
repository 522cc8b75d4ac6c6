import type { Requirements } from '../../contract/booking.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { freeSlots } from '../scheduling/availability.js';
import { todayIn, wallToInstant, addDays } from '../time/time.js';
import { doctorName } from '../display-names.js';
import { describeSlots, doctorsOffering } from './alternatives.js';
import { consultationTypeViews } from '../roster/roster-read.service.js';
import { bookedView } from './appointment-view.js';
import { checkSlot, slotTaken, type SlotRequest } from './slot-check.js';
import { claimHold, holderOf } from './holds.service.js';
import { checkPatientOverlap } from './patient-overlap.js';
import { confirmBookedPrice, priceColumns, priceForBooking, releaseReservationsOfHolds, type BookedPrice } from './booking-price.js';

const DAY = 86_400_000;

export { holderOf, placeHold, releaseHold } from './holds.service.js';

export async function bookingOptions(ctx: Ctx) {
  const [types, typeSpecs, specs, doctors, doctorSpecs, hours, locations] = await Promise.all([
    ctx.db.selectFrom('consultation_type').selectAll().where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type_specialization').selectAll().execute(),
    ctx.db.selectFrom('specialization').select(['id', 'name']).where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('active', '=', 1).orderBy('family_name').execute(),
    ctx.db.selectFrom('doctor_specialization').selectAll().execute(),
    ctx.db.selectFrom('working_hours').select(['doctor_id', 'location_id']).distinct().execute(),
    ctx.db.selectFrom('location').select(['id', 'name', 'timezone']).where('active', '=', 1).orderBy('name').execute(),
  ]);
  return {
    consultationTypes: consultationTypeViews(types, typeSpecs),
    specializations: specs,
    doctors: doctors.map((d) => ({
      id: d.id,
      name: doctorName(d),
      specializationIds: doctorSpecs.filter((s) => s.doctor_id === d.id).map((s) => s.specialization_id),
      locationIds: [...new Set(hours.filter((h) => h.doctor_id === d.id).map((h) => h.location_id))],
    })),
    locations: locations.map((l) => ({ id: l.id, name: l.name, timeZone: l.timezone })),
  };
}

/** Free slots nearest to the preferred date and time (clinic time), across the chosen doctors. */
export async function findSlots(
  ctx: Ctx,
  input: { consultationTypeId: string; doctorId?: string; specializationId?: string; locationId?: string; preferredDate?: string; preferredTime?: string; days: number; limit: number },
) {
  const zone = ctx.settings.timeZone;
  const now = ctx.clock.now().getTime();
  const type = await ctx.db.selectFrom('consultation_type').select(['id', 'active', 'duration_minutes']).where('id', '=', input.consultationTypeId).executeTakeFirst();
  if (!type || type.active !== 1) {
    throw new DomainError('booking/unknown-consultation-type', 'There is no such consultation type.', {
      fieldErrors: { consultationTypeId: ['There is no such consultation type.'] },
    });
  }
  const doctorIds = input.doctorId ? [input.doctorId] : await doctorsOffering(ctx, input.consultationTypeId, input);
  const date = input.preferredDate ?? todayIn(zone, ctx.clock.now());
  const [h, m] = (input.preferredTime ?? '09:00').split(':').map(Number) as [number, number];
  const preferred = Math.max(now, Date.parse(wallToInstant(date, h * 60 + m, zone)));
  const from = Math.max(now, Date.parse(wallToInstant(addDays(date, -Math.floor(input.days / 4)), 0, zone)));
  const to = Math.max(from, preferred) + input.days * DAY;
  // Search outwards from the preferred time in doubling windows: the nearest `limit` slots are
  // usually within a day or two, so most of the range is never computed.
  let slots: Awaited<ReturnType<typeof freeSlots>>;
  for (let half = DAY; ; half *= 2) {
    const lo = Math.max(from, preferred - half);
    const hi = Math.min(to, preferred + half + 1);
    slots = await freeSlots(ctx.db, {
      doctorIds,
      durationMinutes: type.duration_minutes,
      fromIso: new Date(lo).toISOString(),
      toIso: new Date(hi).toISOString(),
      now: ctx.clock.now(),
      settings: ctx.settings,
      holder: holderOf(ctx),
    });
    // Enough found, and none outside the window can be nearer than the farthest one kept.
    const enough = slots.length >= input.limit && nthDistance(slots, preferred, input.limit) <= half;
    if (enough || (lo === from && hi === to)) break;
  }
  const nearest = slots
    .map((s) => ({ s, distance: Math.abs(Date.parse(s.startAt) - preferred) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, input.limit)
    .map((x) => x.s)
    .sort((a, b) => a.startAt.localeCompare(b.startAt) || a.doctorId.localeCompare(b.doctorId));
  // The last whole day open for booking (the day before now + horizon, in the clinic's zone): a
  // screen says so when the preferred date lies beyond it, instead of "no free slot".
  const horizon = { days: ctx.settings.horizonDays, lastDate: addDays(todayIn(zone, new Date(now + ctx.settings.horizonDays * DAY)), -1) };
  return { slots: await describeSlots(ctx, nearest), timeZone: zone, horizon };
}

/** Distance from `preferred` of the n-th nearest slot. */
function nthDistance(slots: Array<{ startAt: string }>, preferred: number, n: number): number {
  const distances = slots.map((s) => Math.abs(Date.parse(s.startAt) - preferred)).sort((a, b) => a - b);
  return distances[n - 1] ?? Infinity;
}

/** The patient a call acts for: a patient acts for themselves; staff name the patient. */
export async function patientFor(ctx: Ctx, patientId: string | undefined): Promise<string> {
  if (ctx.actor.kind === 'patient') {
    if (patientId && patientId !== ctx.actor.patientId) throw new DomainError('auth/forbidden', 'A patient may only act for themselves.');
    return ctx.actor.patientId;
  }
  if (!patientId) {
    throw new DomainError('validation/invalid-input', 'Choose the patient.', { fieldErrors: { patientId: ['Choose the patient.'] } });
  }
  const row = await ctx.db.selectFrom('patient').select('id').where('id', '=', patientId).executeTakeFirst();
  if (!row) throw notFound('The patient');
  return row.id;
}

export interface NewAppointment {
  patientId: string;
  slot: Awaited<ReturnType<typeof checkSlot>>;
  requirements: Requirements;
  rescheduledFromId?: string;
  /** Staff said "book anyway" to an overlap with another appointment of the patient. */
  overlapAcknowledged?: boolean;
  /** The breakdown to store (from `priceForBooking`, or the old appointment's when rescheduling). */
  price: BookedPrice;
}

/** Patients cannot book over their own appointments; only staff may acknowledge an overlap. */
export function refusePatientOverride(ctx: Ctx, acknowledged: boolean | undefined): void {
  if (acknowledged && ctx.actor.kind !== 'staff') {
    const message = 'Only clinic staff can book over another appointment.';
    throw new DomainError('validation/invalid-input', message, { fieldErrors: { overlapAcknowledged: [message] } });
  }
}

/** Inserts the appointment; the database's trigger refuses any overlap whatever the concurrency. */
export async function insertAppointment(ctx: Ctx, a: NewAppointment): Promise<{ id: string; at: string; overlapsWith: string[] }> {
  const id = ctx.newId();
  const at = nowIso(ctx);
  // Without an acknowledgement the database's trigger is the check (one query saved per booking);
  // its refusal is explained below. With one, the clashes are read to record what was overridden.
  const clashes = a.overlapAcknowledged === true ? await checkPatientOverlap(ctx, { patientId: a.patientId, start: a.slot.start, end: a.slot.end, acknowledged: true }) : [];
  const acknowledged = clashes.length > 0 && ctx.actor.kind === 'staff';
  try {
    await ctx.db
      .insertInto('appointment')
      .values({
        id,
        patient_id: a.patientId,
        doctor_id: a.slot.doctorId,
        location_id: a.slot.locationId,
        consultation_type_id: a.slot.consultationTypeId,
        start_at: new Date(a.slot.start).toISOString(),
        end_at: new Date(a.slot.end).toISOString(),
        block_end_at: new Date(a.slot.blockEnd).toISOString(),
        status: 'booked',
        requirements: JSON.stringify(a.requirements),
        ...priceColumns(a.price),
        created_at: at,
        created_by_kind: ctx.actor.kind,
        created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
        updated_at: at,
        status_changed_at: null,
        status_changed_by: null,
        cancelled_by_party: null,
        cancel_reason: null,
        cancelled_within_policy_window: null,
        rescheduled_from_id: a.rescheduledFromId ?? null,
        rescheduled_to_id: null,
        overlap_acknowledged_at: acknowledged ? at : null,
        overlap_acknowledged_by: acknowledged && ctx.actor.kind === 'staff' ? ctx.actor.id : null,
      })
      .execute();
  } catch (err) {
    if ((err as Error).message === 'booking/slot-taken') {
      throw await slotTaken(ctx, a.slot.doctorId, a.slot.consultationTypeId, a.slot.start, holderOf(ctx));
    }
    if ((err as Error).message === 'booking/patient-overlap') {
      // The trigger refused a clash: name it (doctor, time) the way staff and patients read it.
      await checkPatientOverlap(ctx, { patientId: a.patientId, start: a.slot.start, end: a.slot.end, acknowledged: false });
    }
    throw err;
  }
  return { id, at, overlapsWith: clashes.map((c) => c.appointmentId) };
}

/** The audit detail of a booking made over another appointment of the patient (who and when are the audit row's own). */
export const overlapAuditDetail = (overlapsWith: string[]): string | undefined =>
  overlapsWith.length > 0 ? `overlap acknowledged with appointment ${overlapsWith.join(', ')}`.slice(0, 500) : undefined;

/** Self-service booking is capped, so that one script cannot take every free slot (staff are not capped). */
export async function refuseOverPatientCap(ctx: Ctx, patientId: string): Promise<void> {
  if (ctx.actor.kind !== 'patient') return;
  const active = await ctx.db
    .selectFrom('appointment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('status', 'in', ['booked', 'checked_in'])
    .where('start_at', '>=', nowIso(ctx))
    .executeTakeFirstOrThrow();
  if (Number(active.n) >= ctx.settings.patientBookingLimit) {
    throw new DomainError('booking/limit', `You already have ${ctx.settings.patientBookingLimit} upcoming appointments. Call the clinic to book more.`);
  }
}

export async function createBooking(
  ctx: Ctx,
  input: SlotRequest & { patientId?: string; holdId?: string; requirements: Requirements; overlapAcknowledged?: boolean; referralCode?: string },
) {
  refusePatientOverride(ctx, input.overlapAcknowledged);
  const patientId = await patientFor(ctx, input.patientId);
  await refuseOverPatientCap(ctx, patientId);
  const holder = holderOf(ctx);
  // A named hold must be this desk's, live, and for exactly this slot.
  if (input.holdId) await claimHold(ctx, input.holdId, input);
  const slot = await checkSlot(ctx, input, { holder });
  const patient = await ctx.db.selectFrom('patient').select(['given_name', 'family_name', 'number']).where('id', '=', patientId).executeTakeFirstOrThrow();
  // The referral code is reserved (or the hold's reservation taken over) before the insert, so a
  // refused code refuses the booking; the use is confirmed against the new row below.
  const price = await priceForBooking(ctx, { patientId, slot, referralCode: input.referralCode, holdId: input.holdId });
  const { id, at, overlapsWith } = await insertAppointment(ctx, { patientId, slot, requirements: input.requirements, overlapAcknowledged: input.overlapAcknowledged, price });
  await confirmBookedPrice(ctx, price, id);
  await releaseReservationsOfHolds(ctx, { holder }, 'hold replaced by a booking');
  await ctx.db.deleteFrom('appointment_hold').where('holder', '=', holder).execute();
  ctx.auditRecord('appointment', id, overlapAuditDetail(overlapsWith));
  // Everything the view shows is in hand: no read-back of the row just written.
  const ack = overlapsWith.length > 0 && ctx.actor.kind === 'staff' ? { at, byName: ctx.actor.displayName } : null;
  const appointment = bookedView(id, at, { id: patientId, name: `${patient.given_name} ${patient.family_name}`, number: patient.number }, slot, input.requirements, price, ack);
  return { appointment };
}
