/**
 * The price an appointment is booked at, and the referral code's part in it (issue 10, items
 * 2–4): the code is reserved and confirmed inside the booking's own transaction, so a refused
 * code refuses the booking and nothing is written; the breakdown (base, discount, total) is
 * stored on the appointment. Cancelling releases the use, rescheduling moves it, and releasing
 * or replacing a hold releases a reservation made for it.
 */
import type { Ctx } from '../context.js';
import { nowIso } from '../context.js';
import { DomainError } from '../errors.js';
import { priceBreakdown, type PriceBreakdown } from '../money/money.js';
import { confirmRedemption, normaliseCode, releaseRedemption, reserveRedemption } from '../referrals/redemption.service.js';
import type { AppointmentTable } from '../db/schema.js';
import type { CheckedSlot } from './slot-check.js';

/** What is written on the appointment: the breakdown, and the code used (if any). */
export interface BookedPrice extends PriceBreakdown {
  referral: { codeId: string; redemptionId: string; code: string } | null;
}

/** The columns of `appointment` that hold a BookedPrice. */
export function priceColumns(price: BookedPrice) {
  return {
    price_minor: price.totalMinor,
    currency: price.currency,
    base_minor: price.baseMinor,
    discount_minor: price.discountMinor,
    referral_code_id: price.referral?.codeId ?? null,
    referral_redemption_id: price.referral?.redemptionId ?? null,
    referral_code: price.referral?.code ?? null,
  };
}

/** The price stored on an appointment row (rows written without a breakdown read as no discount). */
export function storedPrice(row: Pick<AppointmentTable, 'price_minor' | 'currency' | 'base_minor' | 'discount_minor' | 'referral_code_id' | 'referral_redemption_id' | 'referral_code'>): BookedPrice {
  const discount = row.discount_minor ?? 0;
  return {
    currency: row.currency,
    baseMinor: row.base_minor ?? row.price_minor + discount,
    discountMinor: discount,
    totalMinor: row.price_minor,
    referral:
      row.referral_code_id && row.referral_redemption_id
        ? { codeId: row.referral_code_id, redemptionId: row.referral_redemption_id, code: row.referral_code ?? '' }
        : null,
  };
}

const released = async (ctx: Ctx, redemptionIds: string[], reason: string) => {
  for (const id of redemptionIds) await releaseRedemption(ctx, id, reason);
};

/** Open reservations made with a hold (by `booking/hold` with a code, or a payment waiting on it). */
const reservationsOfHold = (ctx: Ctx, holdId: string) =>
  ctx.db
    .selectFrom('referral_redemption as r')
    .innerJoin('referral_code as c', 'c.id', 'r.code_id')
    .select(['r.id', 'r.patient_id', 'r.consultation_type_id', 'r.base_minor', 'r.currency', 'c.code'])
    .where('r.hold_id', '=', holdId)
    .where('r.status', '=', 'reserved')
    .execute();

/**
 * The price of a booking about to be inserted, with `referralCode` reserved for `patientId`
 * (call it inside the booking's transaction, after the slot checks and before the insert; then
 * `confirmBookedPrice` once the appointment row exists). A reservation already made for
 * `holdId` with the same code, patient and price is used rather than a second one; a
 * reservation for the hold that no longer fits (another code, or no code now) is released.
 * A code that cannot be used throws a `referral/<reason>` DomainError with a field error on
 * `referralCode`, in the same words as `referral/check`.
 */
export async function priceForBooking(
  ctx: Ctx,
  input: { patientId: string; slot: Pick<CheckedSlot, 'consultationTypeId' | 'priceMinor' | 'currency'>; referralCode?: string | null; holdId?: string | null },
): Promise<BookedPrice> {
  const base = { minor: input.slot.priceMinor, currency: input.slot.currency };
  const typed = input.referralCode?.trim() ?? '';
  const wanted = typed === '' ? null : normaliseCode(typed);
  if (input.holdId) {
    const held = await reservationsOfHold(ctx, input.holdId);
    const reuse = held.find(
      (r) => r.code === wanted && r.patient_id === input.patientId && r.consultation_type_id === input.slot.consultationTypeId && r.base_minor === base.minor && r.currency === base.currency,
    );
    await released(ctx, held.filter((r) => r !== reuse).map((r) => r.id), 'replaced at booking');
    if (reuse) {
      const row = await ctx.db.selectFrom('referral_redemption').selectAll().where('id', '=', reuse.id).executeTakeFirstOrThrow();
      return { currency: row.currency, baseMinor: row.base_minor, discountMinor: row.discount_minor, totalMinor: row.total_minor, referral: { codeId: row.code_id, redemptionId: row.id, code: reuse.code } };
    }
  }
  if (!wanted) return { ...priceBreakdown(base, null), referral: null };
  const reserved = await reserveRedemption(ctx, {
    code: wanted,
    patientId: input.patientId,
    consultationTypeId: input.slot.consultationTypeId,
    baseAmount: base,
    holdId: input.holdId ?? null,
  });
  const code = await ctx.db
    .selectFrom('referral_redemption as r')
    .innerJoin('referral_code as c', 'c.id', 'r.code_id')
    .select(['c.id', 'c.code'])
    .where('r.id', '=', reserved.redemptionId)
    .executeTakeFirstOrThrow();
  return { ...reserved.breakdown, referral: { codeId: code.id, redemptionId: reserved.redemptionId, code: code.code } };
}

/** Turns the booking's reservation into a use by the appointment just inserted (same transaction). */
export async function confirmBookedPrice(ctx: Ctx, price: BookedPrice, appointmentId: string): Promise<void> {
  if (price.referral) await confirmRedemption(ctx, price.referral.redemptionId, appointmentId);
}

/**
 * What happens to an appointment's referral code use when it is cancelled: today the use is
 * given back (nothing is paid yet, issue 10 item 4: "released if … the booking is cancelled
 * before payment"). Payments will add "only if unpaid" here. Idempotent; returns the
 * redemption released, or null.
 */
export async function redemptionOnCancel(ctx: Ctx, appointmentId: string, reason = 'appointment cancelled'): Promise<{ releasedRedemptionId: string | null }> {
  const row = await ctx.db
    .selectFrom('referral_redemption')
    .select(['id'])
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (!row) return { releasedRedemptionId: null };
  await releaseRedemption(ctx, row.id, reason);
  return { releasedRedemptionId: row.id };
}

/**
 * Rescheduling keeps the price and the code's use: the confirmed redemption now belongs to the
 * new appointment (no second use is counted — the limits' triggers watch status and expiry,
 * not the appointment). The new appointment stores `storedPrice(from)`; call this after inserting it.
 */
export async function redemptionOnReschedule(ctx: Ctx, from: Pick<AppointmentTable, 'id'>, toAppointmentId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('referral_redemption')
    .select(['id', 'version'])
    .where('appointment_id', '=', from.id)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (!row) return;
  const changed = await ctx.db
    .updateTable('referral_redemption')
    .set({ appointment_id: toAppointmentId, version: row.version + 1, updated_at: nowIso(ctx) })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('referral/redemption-closed', 'The referral code’s use changed meanwhile. Try again.');
}

/**
 * Releases the open reservations of holds that are about to be deleted: this desk's previous
 * hold, expired holds (their reservations already stopped counting at expiry), or one named hold.
 */
export async function releaseReservationsOfHolds(ctx: Ctx, holds: { holder?: string; expiredAt?: string; holdId?: string }, reason: string): Promise<void> {
  const ids = await ctx.db
    .selectFrom('referral_redemption')
    .select('id')
    .where('status', '=', 'reserved')
    .where('hold_id', 'is not', null)
    .where('hold_id', 'in', (q) =>
      q
        .selectFrom('appointment_hold')
        .select('id')
        .where((eb) =>
          eb.or([
            ...(holds.holder ? [eb('holder', '=', holds.holder)] : []),
            ...(holds.expiredAt ? [eb('expires_at', '<=', holds.expiredAt)] : []),
            ...(holds.holdId ? [eb('id', '=', holds.holdId)] : []),
          ]),
        ),
    )
    .execute();
  await released(ctx, ids.map((r) => r.id), reason);
}
