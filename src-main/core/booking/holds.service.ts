import { nowIso, type Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { doctorName } from '../display-names.js';
import { checkSlot, type SlotRequest } from './slot-check.js';
import { clockText, whenText } from './booking-text.js';
import { priceForBooking, releaseReservationsOfHolds } from './booking-price.js';
import { priceView } from './appointment-view.js';

const MINUTE = 60_000;

/**
 * Who holds a slot. Staff: one session (a desk, a window), not the account — two desks signed
 * in with the same account each keep their own hold; the staff id stays readable in the value.
 * A patient: the patient, whatever device or token — one hold per patient at a time (issue 14),
 * so a script with many tokens of one patient cannot hold many slots.
 */
export const holderOf = (ctx: Ctx): string => {
  const session = ctx.sessionId ?? 'none';
  if (ctx.actor.kind === 'staff') return `staff:${ctx.actor.id}:${session}`;
  if (ctx.actor.kind === 'patient') return `patient:${ctx.actor.patientId}`;
  return 'anonymous';
};

/** What a patient hears about a hold that is not theirs: the same as about one that does not exist. */
export const HOLD_GONE = 'The hold on this slot has run out or was released. Choose the slot again.';

/**
 * Holds a slot for this desk. With a patient and a referral code, one use of the code is
 * reserved for as long as the hold lives (released with the hold, gone when it expires) and
 * taken over by the booking that names the hold; a code that cannot be used refuses the hold
 * with the reason on `referralCode`, and nothing is written.
 */
export async function placeHold(ctx: Ctx, input: SlotRequest & { patientId?: string; referralCode?: string }) {
  const holder = holderOf(ctx);
  const at = nowIso(ctx);
  // Expired holds go; this session's previous hold is released (one slot at a time per desk),
  // and with them any referral code reservation made for them.
  await releaseReservationsOfHolds(ctx, { holder, expiredAt: at }, 'hold released');
  await ctx.db.deleteFrom('appointment_hold').where((eb) => eb.or([eb('expires_at', '<=', at), eb('holder', '=', holder)])).execute();
  const slot = await checkSlot(ctx, input, { holder });
  const id = ctx.newId();
  const expiresAt = new Date(ctx.clock.now().getTime() + ctx.settings.holdMinutes * MINUTE).toISOString();
  await ctx.db
    .insertInto('appointment_hold')
    .values({
      id,
      doctor_id: slot.doctorId,
      location_id: slot.locationId,
      consultation_type_id: slot.consultationTypeId,
      start_at: new Date(slot.start).toISOString(),
      end_at: new Date(slot.end).toISOString(),
      block_end_at: new Date(slot.blockEnd).toISOString(),
      holder,
      created_at: at,
      expires_at: expiresAt,
    })
    .execute();
  ctx.auditRecord('hold', id);
  const code = input.referralCode?.trim() ?? '';
  if (code !== '' && !input.patientId) {
    const message = 'Choose the patient before applying a referral code.';
    throw new DomainError('validation/invalid-input', message, { fieldErrors: { patientId: [message] } });
  }
  if (input.patientId && !(await ctx.db.selectFrom('patient').select('id').where('id', '=', input.patientId).executeTakeFirst())) {
    throw new DomainError('common/not-found', 'The patient was not found.', { fieldErrors: { patientId: ['This patient does not exist.'] } });
  }
  const price = await priceForBooking(ctx, { patientId: input.patientId ?? '', slot, referralCode: code, holdId: code ? id : null });
  return { holdId: id, expiresAt, price: priceView(price) };
}

/** Releases this session's hold. A hold that is already gone is fine; another desk's hold is refused. */
export async function releaseHold(ctx: Ctx, input: { holdId: string }) {
  ctx.auditRecord('hold', input.holdId);
  const found = await ctx.db.selectFrom('appointment_hold').select(['holder', 'expires_at']).where('id', '=', input.holdId).executeTakeFirst();
  // Another patient's hold is, to a patient, one that does not exist (nothing to release).
  const hold = found && ctx.actor.kind === 'patient' && found.holder !== holderOf(ctx) ? undefined : found;
  if (hold && hold.holder !== holderOf(ctx) && hold.expires_at > nowIso(ctx)) {
    throw new DomainError(
      'booking/hold-not-yours',
      `This hold was placed at another desk or window, so only that desk can release it. It frees itself at ${clockText(hold.expires_at, ctx.settings.timeZone)}.`,
      { fieldErrors: { holdId: ['This hold belongs to another desk.'] } },
    );
  }
  if (hold) {
    await releaseReservationsOfHolds(ctx, { holdId: input.holdId }, 'hold released');
    await ctx.db.deleteFrom('appointment_hold').where('id', '=', input.holdId).execute();
  }
  return { ok: true as const };
}

/**
 * The hold a booking names must be this session's, still live, and for exactly the slot
 * being booked (doctor, location, start, consultation type); otherwise the booking is
 * refused with what is wrong, and nothing is written.
 */
export async function claimHold(ctx: Ctx, holdId: string, want: { doctorId: string; locationId?: string; consultationTypeId: string; startAt: string }): Promise<void> {
  const hold = await ctx.db
    .selectFrom('appointment_hold as h')
    .innerJoin('doctor as d', 'd.id', 'h.doctor_id')
    .innerJoin('location as l', 'l.id', 'h.location_id')
    .select(['l.timezone', 'h.holder', 'h.doctor_id', 'h.location_id', 'h.consultation_type_id', 'h.start_at', 'h.expires_at', 'd.title', 'd.given_name', 'd.family_name'])
    .where('h.id', '=', holdId)
    .executeTakeFirst();
  const zone = hold?.timezone ?? ctx.settings.timeZone;
  const refuse = (code: string, message: string, field = 'holdId') => new DomainError(code, message, { fieldErrors: { [field]: [message] } });
  if (!hold || (ctx.actor.kind === 'patient' && hold.holder !== holderOf(ctx))) throw refuse('booking/hold-expired', HOLD_GONE);
  if (hold.holder !== holderOf(ctx)) {
    throw refuse('booking/hold-not-yours', 'This hold was placed at another desk or window. Choose a slot and hold it here.');
  }
  if (hold.expires_at <= nowIso(ctx)) {
    throw refuse('booking/hold-expired', `Your hold on this slot ran out at ${clockText(hold.expires_at, zone)}. Choose the slot again.`);
  }
  const sameSlot =
    hold.doctor_id === want.doctorId &&
    hold.consultation_type_id === want.consultationTypeId &&
    Date.parse(hold.start_at) === Date.parse(want.startAt) &&
    (!want.locationId || want.locationId === hold.location_id);
  if (!sameSlot) {
    throw refuse(
      'booking/hold-mismatch',
      `Your hold is for ${doctorName(hold)} on ${whenText(hold.start_at, zone)}, not for the slot in this booking. Book the held slot, or hold the new one first.`,
    );
  }
}
