/**
 * The patient page's writes around booking: a hold (one per patient; booking's own hold code
 * with the patient as its owner), releasing it, and paying online for an own appointment
 * (booking's Stripe Checkout flow, leading back to the patient page).
 */
import type { Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { placeHold, releaseHold, holderOf } from '../booking/holds.service.js';
import { refuseOverPatientCap } from '../booking/booking.service.js';
import { releaseReservationsOfHolds } from '../booking/booking-price.js';
import { startStripe } from '../payments/stripe-payments.service.js';

const patientOf = (ctx: Ctx): string => {
  if (ctx.actor.kind !== 'patient') throw new DomainError('auth/forbidden', 'This is for patients signed in on the booking page.');
  return ctx.actor.patientId;
};

/** Holds a slot for the patient; their previous hold (if any) is released in the same step. */
export async function portalHold(ctx: Ctx, input: { consultationTypeId: string; doctorId: string; startAt: string }) {
  const patientId = patientOf(ctx);
  // No point holding what the booking cap would refuse.
  await refuseOverPatientCap(ctx, patientId);
  return placeHold(ctx, { ...input, patientId });
}

/** Releases the patient's hold (the named one, or whichever they have). Another patient's hold is "already gone". */
export async function portalReleaseHold(ctx: Ctx, input: { holdId?: string }) {
  patientOf(ctx);
  if (input.holdId) return releaseHold(ctx, { holdId: input.holdId });
  const holder = holderOf(ctx);
  await releaseReservationsOfHolds(ctx, { holder }, 'hold released');
  await ctx.db.deleteFrom('appointment_hold').where('holder', '=', holder).execute();
  ctx.auditRecord('hold', holder);
  return { ok: true as const };
}

export const PAY_UNAVAILABLE = 'Paying online is not available; pay at the desk.';

/**
 * Starts (or finds) a Stripe payment page for what is due on the patient's own appointment.
 * The page itself is made by the Stripe follow-up after commit (see `portalPayUrl`).
 */
export async function portalPay(ctx: Ctx, input: { appointmentId: string }): Promise<{ url: string; paymentId?: string }> {
  const patientId = patientOf(ctx);
  const appointment = await ctx.db.selectFrom('appointment').select(['id', 'patient_id']).where('id', '=', input.appointmentId).executeTakeFirst();
  if (!appointment || appointment.patient_id !== patientId) throw notFound('The appointment');
  // A page already open for this appointment is shown again (a reload, a second tap).
  const open = await ctx.db
    .selectFrom('payment')
    .select(['id', 'stripe_checkout_url'])
    .where('appointment_id', '=', appointment.id)
    .where('method', '=', 'stripe_checkout')
    .where('status', '=', 'pending')
    .where('created_by', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (open) {
    ctx.auditRecord('appointment', appointment.id, 'payment page shown again');
    return { url: open.stripe_checkout_url ?? '', paymentId: open.id };
  }
  try {
    const started = await startStripe(ctx, { method: 'stripe_checkout', appointmentId: appointment.id });
    return { url: '', paymentId: started.payment.id };
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'payment/stripe-not-configured' || err.code === 'payment/stripe-currency')) {
      throw new DomainError('portal/pay-unavailable', PAY_UNAVAILABLE);
    }
    throw err;
  }
}

/**
 * After commit: the page's address. The follow-up makes the page at Stripe (outside any
 * transaction); it is driven here so that the patient gets the address in this answer.
 */
export async function portalPayUrl(ctx: Ctx, out: { url: string; paymentId?: string }): Promise<{ url: string }> {
  if (out.url || !out.paymentId) return { url: out.url };
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await ctx.db.selectFrom('payment').select(['stripe_checkout_url', 'status', 'failure_reason']).where('id', '=', out.paymentId).executeTakeFirst();
    if (row?.stripe_checkout_url && row.status === 'pending') return { url: row.stripe_checkout_url };
    if (!row || row.status !== 'pending') break;
    if (!ctx.stripeFollowUp?.runOnce) break;
    await ctx.stripeFollowUp.runOnce();
  }
  throw new DomainError('portal/pay-not-ready', 'The payment page could not be opened just now. Try again in a minute, or pay at the desk.');
}
