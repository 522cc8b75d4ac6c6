import { sql } from 'kysely';
import type { AppointmentStatus } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { appointmentQuery, loadAppointment, toView } from './appointment-view.js';
import { holderOf, insertAppointment, overlapAuditDetail, patientFor, refusePatientOverride } from './booking.service.js';
import { claimHold } from './holds.service.js';
import { checkSlot } from './slot-check.js';
import { settleOnCancel } from '../payments/refunds.js';
import { refreshStatus } from '../payments/payment-state.js';
import { redemptionOnCancel, redemptionOnReschedule, releaseReservationsOfHolds, storedPrice } from './booking-price.js';
import type { Requirements } from '../../contract/booking.contract.js';
import { markMoney, recordUndo } from './appointment-undo.js';

const HOUR = 3_600_000;

/** Staff see every appointment; a patient only their own. */
async function readable(ctx: Ctx, appointmentId: string) {
  const row = await ctx.db.selectFrom('appointment').selectAll().where('id', '=', appointmentId).executeTakeFirst();
  if (!row || (ctx.actor.kind === 'patient' && row.patient_id !== ctx.actor.patientId)) throw notFound('The appointment');
  return row;
}

export async function getAppointment(ctx: Ctx, input: { appointmentId: string }) {
  await readable(ctx, input.appointmentId);
  return { appointment: await loadAppointment(ctx.db, input.appointmentId) };
}

/** Once an appointment has started it can only be completed or recorded as a no-show. */
function refuseIfStarted(ctx: Ctx, startAt: string): void {
  if (Date.parse(startAt) <= ctx.clock.now().getTime()) {
    throw new DomainError('appointment/already-started', 'This appointment has already started: record it as completed or as a no-show instead.');
  }
}

/** A cancellation (or move) this close to the start falls inside the clinic's policy window (recorded for payments). */
export const insidePolicyWindow = (ctx: Ctx, startAt: string): boolean =>
  Date.parse(startAt) - ctx.clock.now().getTime() < ctx.settings.cancellationWindowHours * HOUR;

/**
 * A patient moves their own appointment online only before the cancellation window (inside it
 * the clinic's fee rules apply, so the desk does it), and never over another of their bookings.
 */
function refusePatientMove(ctx: Ctx, startAt: string, overlapAcknowledged: boolean | undefined): void {
  refusePatientOverride(ctx, overlapAcknowledged);
  if (insidePolicyWindow(ctx, startAt)) {
    const hours = ctx.settings.cancellationWindowHours;
    throw new DomainError(
      'appointment/inside-policy-window',
      `This appointment starts in less than ${hours} hour${hours === 1 ? '' : 's'}, so it can no longer be moved online. Call the clinic to change it, or cancel it (the cancellation policy shows any fee first).`,
    );
  }
}

const staffId = (ctx: Ctx) => (ctx.actor.kind === 'staff' ? ctx.actor.id : null);

export async function cancelAppointment(ctx: Ctx, input: { appointmentId: string; party?: 'patient' | 'clinic'; reason: string }) {
  const row = await readable(ctx, input.appointmentId);
  ctx.auditRecord('appointment', row.id);
  if (row.status === 'cancelled') throw new DomainError('appointment/already-cancelled', 'This appointment is already cancelled.');
  if (row.status !== 'booked') {
    throw new DomainError('appointment/not-cancellable', `A ${row.status.replace('_', '-')} appointment cannot be cancelled.`);
  }
  refuseIfStarted(ctx, row.start_at);
  const party = ctx.actor.kind === 'patient' ? 'patient' : (input.party ?? 'clinic');
  if (ctx.actor.kind === 'staff' && input.reason.trim() === '') {
    throw new DomainError('validation/invalid-input', 'Say why the appointment is cancelled.', { fieldErrors: { reason: ['Say why the appointment is cancelled.'] } });
  }
  const within = insidePolicyWindow(ctx, row.start_at);
  const mark = await markMoney(ctx, row.id);
  const at = nowIso(ctx);
  const changed = await ctx.db
    .updateTable('appointment')
    .set({
      status: 'cancelled',
      cancelled_by_party: party,
      cancel_reason: input.reason.trim() || (party === 'patient' ? 'Cancelled by the patient' : 'Cancelled by the clinic'),
      cancelled_within_policy_window: within ? 1 : 0,
      status_changed_at: at,
      status_changed_by: staffId(ctx),
      updated_at: at,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'booked')
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('appointment/already-cancelled', 'This appointment is already cancelled.');
  // The money, by the clinic's policy, in the same transaction: fee kept, refunds, commission.
  const { paidBefore } = await settleOnCancel(ctx, row.id, { kind: 'cancel', party, within });
  // A visit cancelled before anything was paid gives its referral code's use back; once paid, the
  // use stays spent (refunds reverse the agent's commission instead).
  if (!paidBefore) await redemptionOnCancel(ctx, row.id);
  const undo = await recordUndo(ctx, { appointmentId: row.id, action: 'cancel', from: 'booked', to: 'cancelled', mark });
  const appointment = await loadAppointment(ctx.db, row.id);
  return { appointment, undo };
}

const transitions: Record<AppointmentStatus, AppointmentStatus[]> = {
  booked: ['checked_in', 'completed', 'no_show'],
  checked_in: ['completed', 'no_show'],
  completed: [],
  no_show: [],
  cancelled: [],
};

export async function setStatus(ctx: Ctx, input: { appointmentId: string; status: 'checked_in' | 'completed' | 'no_show' }) {
  const row = await readable(ctx, input.appointmentId);
  ctx.auditRecord('appointment', row.id);
  if (!transitions[row.status].includes(input.status)) {
    throw new DomainError('appointment/invalid-transition', `A ${row.status.replace('_', '-')} appointment cannot become ${input.status.replace('_', '-')}.`);
  }
  const untilStart = Date.parse(row.start_at) - ctx.clock.now().getTime();
  if (input.status === 'no_show' && untilStart > 0) {
    throw new DomainError('appointment/too-early', 'A no-show can be recorded only once the appointment time has come.');
  }
  if (input.status !== 'no_show' && untilStart > 24 * HOUR) {
    throw new DomainError('appointment/too-early', 'Check-in opens on the day of the appointment.');
  }
  const mark = input.status === 'no_show' ? await markMoney(ctx, row.id) : undefined;
  const at = nowIso(ctx);
  await ctx.db
    .updateTable('appointment')
    .set({ status: input.status, status_changed_at: at, status_changed_by: staffId(ctx), updated_at: at })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .execute();
  if (input.status === 'no_show') await settleOnCancel(ctx, row.id, { kind: 'no_show', party: 'patient', within: true });
  // Check-in and no-show can be undone for a few minutes; completing a visit cannot.
  const undo =
    input.status === 'completed' ? null : await recordUndo(ctx, { appointmentId: row.id, action: input.status === 'checked_in' ? 'check_in' : 'no_show', from: row.status, to: input.status, mark });
  const appointment = await loadAppointment(ctx.db, row.id);
  return { appointment, undo };
}

/**
 * Moves a booking inside one immediate transaction: the old appointment is released and
 * the new one inserted together, so no other desk ever sees the old time free without the
 * new one taken; if the new slot cannot be had, nothing changes.
 */
export async function rescheduleAppointment(
  ctx: Ctx,
  input: { appointmentId: string; doctorId?: string; locationId?: string; startAt: string; holdId?: string; reason: string; overlapAcknowledged?: boolean },
) {
  const old = await readable(ctx, input.appointmentId);
  ctx.auditRecord('appointment', old.id);
  if (old.status !== 'booked') {
    throw new DomainError('appointment/not-reschedulable', `A ${old.status.replace('_', '-')} appointment cannot be rescheduled.`);
  }
  refuseIfStarted(ctx, old.start_at);
  if (ctx.actor.kind === 'patient') refusePatientMove(ctx, old.start_at, input.overlapAcknowledged);
  const holder = holderOf(ctx);
  if (input.holdId) {
    await claimHold(ctx, input.holdId, { doctorId: input.doctorId ?? old.doctor_id, locationId: input.locationId, consultationTypeId: old.consultation_type_id, startAt: input.startAt });
  }
  const slot = await checkSlot(
    ctx,
    { doctorId: input.doctorId ?? old.doctor_id, locationId: input.locationId, consultationTypeId: old.consultation_type_id, startAt: input.startAt },
    { holder, excludeAppointmentId: old.id },
  );
  const at = nowIso(ctx);
  await ctx.db
    .updateTable('appointment')
    .set({
      status: 'cancelled',
      cancelled_by_party: ctx.actor.kind === 'patient' ? 'patient' : 'clinic',
      cancel_reason: input.reason.trim() || 'Rescheduled',
      cancelled_within_policy_window: insidePolicyWindow(ctx, old.start_at) ? 1 : 0,
      status_changed_at: at,
      status_changed_by: staffId(ctx),
      updated_at: at,
    })
    .where('id', '=', old.id)
    .execute();
  // The old appointment is cancelled above, so it never counts as a clash with its own new time.
  const { id, overlapsWith } = await insertAppointment(ctx, {
    patientId: old.patient_id,
    slot,
    requirements: JSON.parse(old.requirements) as Requirements,
    rescheduledFromId: old.id,
    overlapAcknowledged: input.overlapAcknowledged,
    // The same price as booked, discount included; the code's use moves with it (not counted twice).
    price: storedPrice(old),
  });
  await redemptionOnReschedule(ctx, old, id);
  const detail = overlapAuditDetail(overlapsWith);
  if (detail) ctx.auditRecord('appointment', old.id, detail);
  await ctx.db.updateTable('appointment').set({ rescheduled_to_id: id }).where('id', '=', old.id).execute();
  // Money paid for the old time belongs to the new one (payments are read across the chain).
  if (old.payment_status !== 'unpaid') await refreshStatus(ctx, id);
  await releaseReservationsOfHolds(ctx, { holder }, 'hold replaced by a reschedule');
  await ctx.db.deleteFrom('appointment_hold').where('holder', '=', holder).execute();
  const [appointment, previous] = await Promise.all([loadAppointment(ctx.db, id), loadAppointment(ctx.db, old.id)]);
  return { appointment, previous };
}

const encodeCursor = (startAt: string, id: string) => Buffer.from(`${startAt}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { startAt: string; id: string } {
  const [startAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!startAt || !id || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(startAt)) throw new DomainError('validation/invalid-input', 'The page cursor is not valid.', { fieldErrors: { cursor: ['Not a valid cursor.'] } });
  return { startAt, id };
}

/** Keyset pagination over (start_at, id): the last page costs what the first does. */
export async function appointmentHistory(
  ctx: Ctx,
  input: { patientId?: string; filter: 'upcoming' | 'past' | 'cancelled' | 'all'; cursor?: string; limit: number },
) {
  const patientId = await patientFor(ctx, input.patientId);
  const now = nowIso(ctx);
  const ascending = input.filter === 'upcoming';
  let query = appointmentQuery(ctx.db).where('a.patient_id', '=', patientId);
  if (input.filter === 'upcoming') query = query.where('a.status', 'in', ['booked', 'checked_in']).where('a.start_at', '>=', now);
  if (input.filter === 'past') query = query.where('a.status', '<>', 'cancelled').where('a.start_at', '<', now);
  if (input.filter === 'cancelled') query = query.where('a.status', '=', 'cancelled');
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    query = ascending
      ? query.where(sql<boolean>`(a.start_at, a.id) > (${c.startAt}, ${c.id})`)
      : query.where(sql<boolean>`(a.start_at, a.id) < (${c.startAt}, ${c.id})`);
  }
  const direction = ascending ? 'asc' : 'desc';
  const rows = await query.orderBy('a.start_at', direction).orderBy('a.id', direction).limit(input.limit + 1).execute();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.start_at, last.id) : null,
  };
}
