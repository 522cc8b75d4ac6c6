/**
 * Stripe payments, the handlers' side: they only WRITE ROWS, in the dispatcher's transaction
 * (a `pending` payment with next_check_at = now), and wake the follow-up after commit. The
 * follow-up (stripe-follow-up.ts) makes every Stripe call outside transactions and records
 * outcomes through the functions of stripe-record.ts.
 *
 * - payment/start-stripe: what is due on an appointment, on a Terminal reader from the settings
 *   or as a payment page (Checkout) whose link the desk opens, copies or sends.
 * - payment/start-prepaid: pay before booking — a payment page for a held slot; the booking
 *   request is kept on the payment and booked when the money arrives.
 * - payment/cancel-stripe: abandons one in progress; the follow-up cancels it at Stripe (and
 *   refunds money that arrives anyway).
 */
import type { z } from 'zod';
import type { StripeProgress, bookingRequest } from '../../contract/stripe-payments.contract.js';
import type { Requirements } from '../../contract/booking.contract.js';
import { stripeCurrencyProblem } from '../../contract/stripe-currency.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { readSecret } from '../secrets/secrets.service.js';
import { claimHold, holderOf } from '../booking/holds.service.js';
import { checkSlot } from '../booking/slot-check.js';
import { patientFor, refuseOverPatientCap } from '../booking/booking.service.js';
import { releaseRedemptionsOfHold, reserveRedemption } from '../referrals/redemption.service.js';
import { businessDay, deskId } from './ledger.js';
import { dueOf, moneyState, refreshStatus, summaryOf, syncCommission, type PaymentRow } from './payment-state.js';

/** What the follow-up needs to know from a prepaid payment's booking_request. */
export interface StoredBookingRequest {
  patientId: string;
  doctorId: string;
  locationId: string;
  consultationTypeId: string;
  startAt: string;
  requirements: Requirements;
  /** The session that held the slot (the booking is checked as that holder). */
  holder: string;
  /** The price the patient pays (after a referral discount). */
  priceMinor: number;
  redemptionId: string | null;
}

const refuse = (field: string, message: string, code = 'validation/invalid-input') => new DomainError(code, message, { fieldErrors: { [field]: [message] } });

/** Wakes the follow-up after commit (it is not running in tests: they drive it by hand). */
const wakeAfterCommit = (ctx: Ctx) => ctx.afterCommit(() => ctx.stripeFollowUp?.wake());

async function requireStripe(ctx: Ctx, currency: string): Promise<void> {
  const key = await readSecret({ db: ctx.db, box: ctx.secrets?.box, env: ctx.secrets?.env }, 'stripe.secretKey').catch(() => null);
  if (!key) {
    throw new DomainError('payment/stripe-not-configured', 'Stripe is not set up on this desk yet: an admin sets the Stripe secret key in Settings → Stripe payments. Take the payment another way meanwhile.');
  }
  const problem = stripeCurrencyProblem(currency);
  if (problem) throw new DomainError('payment/stripe-currency', problem);
}

const baseRow = (ctx: Ctx, at: string, desk: string) => ({
  tendered_minor: null,
  change_minor: null,
  reference: null,
  insurer: null,
  stripe_payment_intent_id: null,
  stripe_checkout_id: null,
  stripe_checkout_url: null,
  failure_reason: null,
  business_day: null,
  next_check_at: at,
  check_attempts: 0,
  version: 1,
  created_at: at,
  created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
  updated_at: at,
  settled_at: null,
  desk_id: desk,
  status: 'pending' as const,
});

export async function startStripe(ctx: Ctx, input: { method: 'stripe_terminal' | 'stripe_checkout'; appointmentId: string; readerId?: string }) {
  const s = await moneyState(ctx, input.appointmentId);
  ctx.auditRecord('appointment', s.appointment.id, `payment ${input.method}`);
  const due = dueOf(s);
  if (due === 0) {
    const closed = s.appointment.status === 'cancelled' || s.appointment.status === 'no_show';
    const pending = s.payments.some((p) => p.status === 'pending');
    const message = pending
      ? 'A payment for this appointment is already in progress. Wait for it, or cancel it first.'
      : closed
        ? 'This appointment is cancelled and nothing is due.'
        : s.capturedMinor > 0
          ? 'This appointment is paid in full.'
          : 'Nothing is due for this appointment.';
    throw new DomainError('payment/nothing-due', message);
  }
  let readerId: string | null = null;
  if (input.method === 'stripe_terminal') {
    const reader = ctx.settings.stripeReaders.find((r) => r.id === input.readerId);
    if (!reader) {
      throw refuse('readerId', ctx.settings.stripeReaders.length === 0 ? 'No Stripe reader is set up: an admin adds one in Settings → Stripe payments.' : 'Choose one of the readers set up in Settings.');
    }
    const busy = await ctx.db.selectFrom('payment').select('id').where('stripe_reader_id', '=', reader.id).where('status', '=', 'pending').executeTakeFirst();
    if (busy) throw refuse('readerId', `The reader “${reader.label}” is waiting for another payment. Finish or cancel that one first, or choose another reader.`, 'payment/reader-busy');
    readerId = reader.id;
  }
  await requireStripe(ctx, s.appointment.currency);
  const at = nowIso(ctx);
  const row: PaymentRow = {
    ...baseRow(ctx, at, await deskId(ctx)),
    id: ctx.newId(),
    appointment_id: s.appointment.id,
    hold_id: null,
    booking_request: null,
    patient_id: s.appointment.patient_id,
    method: input.method,
    currency: s.appointment.currency,
    amount_minor: due,
    stripe_reader_id: readerId,
  };
  await ctx.db.insertInto('payment').values(row).execute();
  const after = await refreshStatus(ctx, s.appointment.id);
  const summary = await summaryOf(ctx, after);
  wakeAfterCommit(ctx);
  return { payment: summary.payments.find((p) => p.id === row.id)!, progress: await progressOf(ctx, row), summary };
}

export async function startPrepaid(ctx: Ctx, input: z.output<typeof bookingRequest>) {
  const patientId = await patientFor(ctx, input.patientId);
  ctx.auditRecord('hold', input.holdId, 'pay before booking');
  // A retried start (same hold, still in progress) shows the same payment.
  const existing = await ctx.db.selectFrom('payment').selectAll().where('hold_id', '=', input.holdId).where('status', '=', 'pending').executeTakeFirst();
  if (existing) {
    if (existing.patient_id !== patientId) {
      // To a patient, another patient's hold is one that does not exist.
      if (ctx.actor.kind === 'patient') throw refuse('holdId', 'The hold on this slot has run out or was released. Choose the slot again.', 'booking/hold-expired');
      throw refuse('holdId', 'This hold is being paid for another patient.', 'booking/hold-not-yours');
    }
    return { progress: await progressOf(ctx, existing) };
  }
  await refuseOverPatientCap(ctx, patientId);
  // The hold must be this session's, live, and for exactly this slot.
  await claimHold(ctx, input.holdId, input);
  const holder = holderOf(ctx);
  const slot = await checkSlot(ctx, input, { holder });
  await requireStripe(ctx, slot.currency);
  let price = slot.priceMinor;
  let redemptionId: string | null = null;
  if (input.referralCode && input.referralCode.trim()) {
    const reserved = await reserveRedemption(ctx, {
      code: input.referralCode,
      patientId,
      consultationTypeId: slot.consultationTypeId,
      baseAmount: { minor: slot.priceMinor, currency: slot.currency },
      holdId: input.holdId,
    });
    redemptionId = reserved.redemptionId;
    price = reserved.breakdown.totalMinor;
  }
  if (price <= 0) throw new DomainError('payment/nothing-due', 'Nothing is to be paid for this visit: book it directly.');
  const request: StoredBookingRequest = {
    patientId,
    doctorId: slot.doctorId,
    locationId: slot.locationId,
    consultationTypeId: slot.consultationTypeId,
    startAt: new Date(slot.start).toISOString(),
    requirements: input.requirements,
    holder,
    priceMinor: price,
    redemptionId,
  };
  const at = nowIso(ctx);
  const row: PaymentRow = {
    ...baseRow(ctx, at, await deskId(ctx)),
    id: ctx.newId(),
    appointment_id: null,
    hold_id: input.holdId,
    booking_request: JSON.stringify(request),
    patient_id: patientId,
    method: 'stripe_checkout',
    currency: slot.currency,
    amount_minor: price,
    stripe_reader_id: null,
  };
  await ctx.db.insertInto('payment').values(row).execute();
  // The hold lasts from now while the payment is in progress (the follow-up keeps extending it).
  await extendHold(ctx, row);
  wakeAfterCommit(ctx);
  return { progress: await progressOf(ctx, row) };
}

/** Keeps a prepaid payment's hold (and its referral reservation) alive for another hold length. */
export async function extendHold(ctx: Ctx, p: Pick<PaymentRow, 'hold_id' | 'booking_request'>): Promise<void> {
  if (!p.hold_id) return;
  const until = new Date(ctx.clock.now().getTime() + ctx.settings.holdMinutes * 60_000).toISOString();
  await ctx.db.updateTable('appointment_hold').set({ expires_at: until }).where('id', '=', p.hold_id).where('expires_at', '<', until).execute();
  const request = p.booking_request ? (JSON.parse(p.booking_request) as StoredBookingRequest) : null;
  if (request?.redemptionId) {
    await ctx.db
      .updateTable('referral_redemption')
      .set((eb) => ({ expires_at: until, version: eb('version', '+', 1), updated_at: nowIso(ctx) }))
      .where('id', '=', request.redemptionId)
      .where('status', '=', 'reserved')
      .where('expires_at', '<', until)
      .execute();
  }
}

/** Gives a prepaid payment's hold and referral reservation back (payment failed or abandoned). */
export async function releasePrepaidHold(ctx: Ctx, p: Pick<PaymentRow, 'hold_id'>, reason: string): Promise<void> {
  if (!p.hold_id) return;
  await ctx.db.deleteFrom('appointment_hold').where('id', '=', p.hold_id).execute();
  await releaseRedemptionsOfHold(ctx, p.hold_id, reason);
}

async function paymentFor(ctx: Ctx, paymentId: string): Promise<PaymentRow> {
  const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p || (p.method !== 'stripe_terminal' && p.method !== 'stripe_checkout')) throw notFound('The Stripe payment');
  if (ctx.actor.kind === 'patient' && p.patient_id !== ctx.actor.patientId) throw notFound('The Stripe payment');
  return p;
}

export async function cancelStripe(ctx: Ctx, input: { paymentId: string; reason: string }) {
  const p = await paymentFor(ctx, input.paymentId);
  ctx.auditRecord('payment', p.id, 'cancel stripe');
  // A patient may abandon their own payment page, never a card payment the desk is taking.
  if (ctx.actor.kind === 'patient' && p.method !== 'stripe_checkout') throw new DomainError('auth/forbidden', 'Only the desk can cancel a card payment on its reader.');
  if (p.status !== 'pending') {
    const what = p.status === 'succeeded' ? 'has been paid already (refund it instead)' : p.status === 'failed' ? 'has failed already' : 'was cancelled already';
    throw new DomainError('payment/not-in-progress', `This payment ${what}.`);
  }
  const at = nowIso(ctx);
  const day = await businessDay(ctx, p.desk_id);
  const who = ctx.actor.kind === 'patient' ? 'by the patient' : 'at the desk';
  await ctx.db
    .updateTable('payment')
    .set({ status: 'cancelled', failure_reason: `Cancelled ${who}${input.reason ? `: ${input.reason}` : ''}`.slice(0, 300), business_day: day, updated_at: at, next_check_at: at, version: p.version + 1 })
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .execute();
  if (p.appointment_id) {
    const after = await refreshStatus(ctx, p.appointment_id);
    await syncCommission(ctx, after);
  } else await releasePrepaidHold(ctx, p, 'The payment was cancelled');
  wakeAfterCommit(ctx);
  const row = await ctx.db.selectFrom('payment').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
  return { progress: await progressOf(ctx, row) };
}

export async function stripeProgress(ctx: Ctx, input: { paymentId: string }) {
  return { progress: await progressOf(ctx, await paymentFor(ctx, input.paymentId)) };
}

export async function progressOf(ctx: Ctx, p: PaymentRow): Promise<StripeProgress> {
  const reader = p.stripe_reader_id ? ctx.settings.stripeReaders.find((r) => r.id === p.stripe_reader_id) : undefined;
  const readerLabel = reader?.label ?? p.stripe_reader_id;
  const hold = p.hold_id ? await ctx.db.selectFrom('appointment_hold').select('expires_at').where('id', '=', p.hold_id).executeTakeFirst() : undefined;
  let stage: StripeProgress['stage'];
  let message: string;
  if (p.status === 'pending') {
    if (p.method === 'stripe_terminal') {
      stage = p.stripe_payment_intent_id ? 'waiting-for-card' : 'starting';
      message = p.stripe_payment_intent_id ? `Waiting for the card on the reader “${readerLabel}”…` : `Sending the payment to the reader “${readerLabel}”…`;
    } else {
      stage = p.stripe_checkout_url ? 'waiting-for-page' : 'starting';
      message = p.stripe_checkout_url ? 'Waiting for the payment on the payment page…' : 'Making the payment page…';
    }
  } else if (p.status === 'succeeded') {
    const slotLost = !p.appointment_id && p.booking_request !== null;
    stage = slotLost ? 'refunded-slot-lost' : 'succeeded';
    message = slotLost ? 'The payment arrived after the slot was taken by someone else: it is refunded in full.' : p.booking_request ? 'Paid, and the visit is booked.' : 'Paid.';
  } else if (p.status === 'failed') {
    stage = 'failed';
    message = p.failure_reason ?? 'The payment failed.';
  } else {
    stage = 'cancelled';
    message = p.failure_reason ?? 'The payment was cancelled.';
  }
  return {
    paymentId: p.id,
    appointmentId: p.appointment_id,
    method: p.method as 'stripe_terminal' | 'stripe_checkout',
    status: p.status,
    stage,
    message,
    currency: p.currency,
    amountMinor: p.amount_minor,
    checkoutUrl: p.status === 'pending' ? p.stripe_checkout_url : null,
    readerId: p.stripe_reader_id,
    readerLabel: readerLabel ?? null,
    failureReason: p.failure_reason,
    holdExpiresAt: hold?.expires_at ?? null,
    canCancel: p.status === 'pending',
  };
}
