/**
 * The Stripe follow-up: a loop owned by the app that drives every Stripe payment and refund
 * in progress. It runs OUTSIDE transactions: it calls Stripe (through the StripePort) with
 * idempotency keys derived from our row ids, then records what Stripe said in a short
 * transaction of its own, with the system actor (the change log and the audit log record it).
 *
 *   pi-create:<paymentId>        the PaymentIntent of a reader payment
 *   reader-process:<paymentId>   sending it to the reader
 *   checkout-create:<paymentId>  the payment page
 *   pi-cancel / reader-cancel / checkout-expire:<paymentId>   abandoning one
 *   refund:<refundId>            a refund
 *
 * A crash (or a stop) between a Stripe call and its record loses nothing: the row still says
 * what to do, and the same call with the same key returns the same object (never a second
 * charge or refund). A desk cannot receive webhooks, so it polls with backoff (2 s, 4 s … 60 s);
 * where a server receives signed webhooks, `handleEvent` records through the same functions —
 * whichever comes first records, the other finds nothing left to do.
 */
import { WakeLoop } from '../util/wake-loop.js';
import type { ClinicSettings } from '../../contract/settings.contract.js';
import { fromStripeAmount } from '../../contract/stripe-currency.js';
import { paymentMethodLabels } from '../../contract/payments.contract.js';
import { backoffSchedule } from '../../adapters/stripe/backoff.js';
import { isStripeAdapterError, type PaymentIntentInfo, type StripePort } from '../../adapters/stripe/stripe-adapter.js';
import type { StripeWebhookEvent } from '../../adapters/stripe/webhooks.js';
import { newUuid, nowIso, type Clock, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { withImmediateTransaction } from '../db/transaction.js';
import { writeAudit } from '../audit/audit.service.js';
import type { ChangeLog } from '../events/change-log.js';
import type { ChangeHub } from '../events/change-hub.js';
import type { EventRunner } from '../events/runner.js';
import { DomainError } from '../errors.js';
import { formatMoney, localeForCountry } from '../money/money.js';
import { checkSlot } from '../booking/slot-check.js';
import { insertAppointment } from '../booking/booking.service.js';
import { confirmRedemption } from '../referrals/redemption.service.js';
import { businessDay } from './ledger.js';
import { postCharge } from './payment.service.js';
import { moneyState, refreshStatus, syncCommission, targetOf, type PaymentRow, type RefundRow } from './payment-state.js';
import { completeRefund, createRefund, refundableOf } from './refunds.js';
import { raiseAttention } from './attention.js';
import { extendHold, releasePrepaidHold, type StoredBookingRequest } from './stripe-payments.service.js';
import type { BookedPrice } from '../booking/booking-price.js';

/** How long a pay-before-booking page may stay open before the slot is given back. */
export const PREPAID_PAGE_MINUTES = 30;
/** The audit log's handler name for what the follow-up records. */
export const FOLLOW_UP_AUDIT = 'stripe/follow-up';

export interface StripeFollowUpOptions {
  db: Db;
  clock: Clock;
  settings(): ClinicSettings;
  /** The Stripe adapter of this desk, or null while no key is set. */
  stripe(): Promise<StripePort | null>;
  changeLog?: ChangeLog;
  changes?: ChangeHub;
  background?: EventRunner;
  /** Where the patient lands after paying on the page (default: Stripe's own receipt page stays). */
  returnUrl?: string;
  /**
   * The patient page's base address: a page a patient opened themselves for a booked visit
   * (portal/pay) leads back to `<base>/book#/booked/<appointmentId>`.
   */
  publicBaseUrl?: () => string | null;
  /** Jitter source for the backoff (tests pass a fixed one). */
  random?: () => number;
  /** Timer period (default 1 s): due rows are looked at on each tick. */
  intervalMs?: number;
  log?: (line: string) => void;
}

/** What Stripe said about a payment, recorded in one transaction. */
export type PaymentOutcome =
  | { kind: 'succeeded'; paymentIntentId: string | null }
  | { kind: 'failed'; reason: string }
  | { kind: 'wait'; note?: string }
  /** A withdrawn payment is settled at Stripe too (nothing more to do). */
  | { kind: 'closed' };

/** The follow-up was stopped while a Stripe call was on its way: nothing is recorded (as after a crash). */
/** The price breakdown of a booking paid before it was made: the referral reservation's, or the price paid. */
async function prepaidPrice(ctx: Ctx, request: StoredBookingRequest, slot: { currency: string }): Promise<BookedPrice> {
  if (request.redemptionId) {
    const r = await ctx.db
      .selectFrom('referral_redemption as r')
      .innerJoin('referral_code as c', 'c.id', 'r.code_id')
      .select(['r.id', 'r.code_id', 'c.code', 'r.base_minor', 'r.discount_minor', 'r.total_minor', 'r.currency'])
      .where('r.id', '=', request.redemptionId)
      .executeTakeFirst();
    if (r && r.total_minor === request.priceMinor) {
      return { currency: r.currency, baseMinor: r.base_minor, discountMinor: r.discount_minor, totalMinor: r.total_minor, referral: { codeId: r.code_id, redemptionId: r.id, code: r.code } };
    }
  }
  return { currency: slot.currency, baseMinor: request.priceMinor, discountMinor: 0, totalMinor: request.priceMinor, referral: null };
}

class Stopped extends Error {}

const errorText = (err: unknown): string => (((err as Error)?.message ?? String(err)) || 'failed').slice(0, 300);

export class StripeFollowUp {
  /** The pass in progress (the loop's or a direct runOnce): passes never overlap. */
  private passing: Promise<number> | null = null;
  private readonly loop = new WakeLoop(
    async () => {
      await this.runOnce();
    },
    (err) => this.o.log?.(`stripe follow-up failed: ${errorText(err)}`),
  );

  constructor(private readonly o: StripeFollowUpOptions) {}

  /** Where the payer lands after the page: back on the patient page for a patient's own visit. */
  private returnUrlOf(p: PaymentRow): string {
    const base = this.o.publicBaseUrl?.();
    if (base && p.appointment_id && p.created_by === null) return `${base}/book#/booked/${encodeURIComponent(p.appointment_id)}`;
    return this.o.returnUrl ?? 'https://stripe.com/';
  }

  start(intervalMs = this.o.intervalMs ?? 1000): void {
    this.loop.start(intervalMs);
  }

  /** Stops the loop; a Stripe call on its way is not recorded (the next start picks the row up again). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.passing?.catch(() => 0);
  }

  /** Run soon (after a commit that wrote a Stripe payment or refund); never two runs at once. */
  wake(): void {
    this.loop.wake();
  }

  /** One pass over every due Stripe payment and refund; returns how many it looked at. Tests call it directly. */
  runOnce(): Promise<number> {
    if (this.passing) return this.passing.then(() => this.runOnce());
    this.passing = this.pass().finally(() => {
      this.passing = null;
    });
    return this.passing;
  }

  private now(): string {
    return this.o.clock.now().toISOString();
  }

  private async pass(): Promise<number> {
    const now = this.now();
    const payments = await this.o.db
      .selectFrom('payment')
      .selectAll()
      .where('method', 'in', ['stripe_terminal', 'stripe_checkout'])
      .where('next_check_at', 'is not', null)
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(100)
      .execute();
    const refunds = await this.o.db
      .selectFrom('refund as r')
      .innerJoin('payment as p', 'p.id', 'r.payment_id')
      .selectAll('r')
      .where('p.method', 'in', ['stripe_terminal', 'stripe_checkout'])
      .where('r.status', '=', 'pending')
      .where('r.next_check_at', 'is not', null)
      .where('r.next_check_at', '<=', now)
      .orderBy('r.next_check_at')
      .limit(100)
      .execute();
    if (payments.length + refunds.length === 0) return 0;
    const stripe = await this.o.stripe().catch(() => null);
    let seen = 0;
    for (const p of payments) {
      if (this.loop.halted) break;
      seen++;
      await this.followPayment(stripe, p).catch((err) => {
        if (!(err instanceof Stopped)) this.o.log?.(`stripe follow-up: payment ${p.id}: ${errorText(err)}`);
      });
    }
    // Refunds created just now (a payment that arrived for a lost slot) are done in the same pass.
    const more = refunds.length > 0 || payments.length > 0 ? await this.dueRefunds(refunds) : refunds;
    for (const r of more) {
      if (this.loop.halted) break;
      seen++;
      await this.followRefund(stripe, r).catch((err) => {
        if (!(err instanceof Stopped)) this.o.log?.(`stripe follow-up: refund ${r.id}: ${errorText(err)}`);
      });
    }
    return seen;
  }

  private async dueRefunds(known: RefundRow[]): Promise<RefundRow[]> {
    const rows = await this.o.db
      .selectFrom('refund as r')
      .innerJoin('payment as p', 'p.id', 'r.payment_id')
      .selectAll('r')
      .where('p.method', 'in', ['stripe_terminal', 'stripe_checkout'])
      .where('r.status', '=', 'pending')
      .where('r.next_check_at', 'is not', null)
      .where('r.next_check_at', '<=', this.now())
      .orderBy('r.next_check_at')
      .limit(100)
      .execute();
    return rows.length >= known.length ? rows : known;
  }

  /** A Stripe call; if the loop was stopped meanwhile, its answer is dropped (as if the desk had crashed). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const out = await fn();
    if (this.loop.halted) throw new Stopped('stopped');
    return out;
  }

  // ---------------------------------------------------------------- payments

  private async followPayment(stripe: StripePort | null, p: PaymentRow): Promise<void> {
    if (!stripe) {
      // No key (yet): look again later; nothing is lost.
      await this.recordPayment(p.id, { kind: 'wait', note: 'no Stripe key' });
      return;
    }
    try {
      const outcome = p.status === 'pending' ? await this.pendingOutcome(stripe, p) : await this.withdrawnOutcome(stripe, p);
      await this.recordPayment(p.id, outcome);
    } catch (err) {
      if (err instanceof Stopped) throw err;
      if (isStripeAdapterError(err) && !err.retryable && err.kind !== 'unknown' && p.status === 'pending') {
        await this.recordPayment(p.id, { kind: 'failed', reason: err.message });
      } else if (isStripeAdapterError(err) && !err.retryable && err.kind !== 'unknown') {
        this.o.log?.(`stripe follow-up: withdrawing payment ${p.id} at Stripe failed: ${err.message}`);
        await this.recordPayment(p.id, { kind: 'closed' });
      } else {
        await this.recordPayment(p.id, { kind: 'wait', note: errorText(err) });
      }
    }
  }

  private description(p: PaymentRow): string {
    return `Clinic visit payment ${p.id}`;
  }

  private metadata(p: PaymentRow): Record<string, string> {
    return { paymentId: p.id, ...(p.appointment_id ? { appointmentId: p.appointment_id } : {}) };
  }

  private fromIntent(pi: PaymentIntentInfo): PaymentOutcome {
    switch (pi.status) {
      case 'succeeded':
        return { kind: 'succeeded', paymentIntentId: pi.id };
      case 'canceled':
        return { kind: 'failed', reason: 'The payment was cancelled at Stripe.' };
      case 'requires_payment_method':
        return pi.lastError ? { kind: 'failed', reason: pi.lastError.message } : { kind: 'wait' };
      default:
        return { kind: 'wait' };
    }
  }

  private async pendingOutcome(stripe: StripePort, p: PaymentRow): Promise<PaymentOutcome> {
    if (p.method === 'stripe_terminal') {
      let pi: PaymentIntentInfo;
      if (!p.stripe_payment_intent_id) {
        pi = await this.call(() =>
          stripe.createPaymentIntent({ amountMinor: p.amount_minor, currency: p.currency, idempotencyKey: `pi-create:${p.id}`, description: this.description(p), metadata: this.metadata(p), cardPresent: true }),
        );
        await this.tx(async (ctx) => {
          await ctx.db.updateTable('payment').set({ stripe_payment_intent_id: pi.id, updated_at: nowIso(ctx) }).where('id', '=', p.id).where('stripe_payment_intent_id', 'is', null).execute();
        }, { id: p.id, detail: `payment intent ${pi.id}` });
      } else pi = await this.call(() => stripe.getPaymentIntent(p.stripe_payment_intent_id!));
      const outcome = this.fromIntent(pi);
      if (outcome.kind !== 'wait' || pi.status !== 'requires_payment_method') return outcome;
      const reader = await this.call(() => stripe.getReader(p.stripe_reader_id!));
      if (reader.action && reader.action.paymentIntentId === pi.id) {
        if (reader.action.status === 'failed') return { kind: 'failed', reason: reader.action.failureMessage ?? 'The reader could not take the card.' };
        return { kind: 'wait' };
      }
      await this.call(() => stripe.processOnReader({ readerId: p.stripe_reader_id!, paymentIntentId: pi.id, idempotencyKey: `reader-process:${p.id}` }));
      return { kind: 'wait' };
    }
    // A payment page.
    if (!p.stripe_checkout_id) {
      const page = await this.call(() =>
        stripe.createCheckoutSession({
          amountMinor: p.amount_minor,
          currency: p.currency,
          description: this.description(p),
          successUrl: this.returnUrlOf(p),
          cancelUrl: this.returnUrlOf(p),
          idempotencyKey: `checkout-create:${p.id}`,
          metadata: this.metadata(p),
        }),
      );
      await this.tx(async (ctx) => {
        await ctx.db
          .updateTable('payment')
          .set({ stripe_checkout_id: page.id, stripe_checkout_url: page.url, updated_at: nowIso(ctx) })
          .where('id', '=', p.id)
          .where('stripe_checkout_id', 'is', null)
          .execute();
      }, { id: p.id, detail: `payment page ${page.id}` });
      return { kind: 'wait' };
    }
    let page = await this.call(() => stripe.getCheckoutSession(p.stripe_checkout_id!));
    const tooLate = p.hold_id !== null && Date.parse(this.now()) - Date.parse(p.created_at) > PREPAID_PAGE_MINUTES * 60_000;
    if (page.status === 'open' && tooLate) page = await this.call(() => stripe.expireCheckoutSession(p.stripe_checkout_id!, `checkout-expire:${p.id}`));
    if (page.status === 'complete' && page.paymentStatus === 'paid') return { kind: 'succeeded', paymentIntentId: page.paymentIntentId };
    if (page.status === 'expired') {
      return { kind: 'failed', reason: tooLate ? `The payment page was not paid within ${PREPAID_PAGE_MINUTES} minutes; the slot was given back.` : 'The payment page expired before it was paid.' };
    }
    return { kind: 'wait' };
  }

  /** A payment withdrawn on our side (cancelled, failed): make sure Stripe stops asking, and catch money that arrived anyway. */
  private async withdrawnOutcome(stripe: StripePort, p: PaymentRow): Promise<PaymentOutcome> {
    if (p.method === 'stripe_terminal') {
      if (!p.stripe_payment_intent_id) return { kind: 'closed' }; // never sent to a reader: nothing to stop
      let pi = await this.call(() => stripe.getPaymentIntent(p.stripe_payment_intent_id!));
      if (pi.status === 'succeeded') return { kind: 'succeeded', paymentIntentId: pi.id };
      if (pi.status === 'canceled') return { kind: 'closed' };
      if (pi.status === 'processing') return { kind: 'wait' };
      const reader = p.stripe_reader_id ? await this.call(() => stripe.getReader(p.stripe_reader_id!)) : null;
      if (reader?.action?.paymentIntentId === pi.id && reader.action.status === 'in_progress') {
        await this.call(() => stripe.cancelReaderAction(p.stripe_reader_id!, `reader-cancel:${p.id}`)).catch((err: unknown) => {
          if (!isStripeAdapterError(err) || err.retryable) throw err; // the action ended meanwhile: fine
        });
      }
      try {
        pi = await this.call(() => stripe.cancelPaymentIntent(pi.id, `pi-cancel:${p.id}`));
      } catch (err) {
        if (!isStripeAdapterError(err) || err.retryable) throw err;
        pi = await this.call(() => stripe.getPaymentIntent(pi.id));
      }
      return pi.status === 'succeeded' ? { kind: 'succeeded', paymentIntentId: pi.id } : pi.status === 'canceled' ? { kind: 'closed' } : { kind: 'wait' };
    }
    if (!p.stripe_checkout_id) return { kind: 'closed' }; // the page was never made: nobody can pay it
    let page = await this.call(() => stripe.getCheckoutSession(p.stripe_checkout_id!));
    if (page.status === 'open') {
      try {
        page = await this.call(() => stripe.expireCheckoutSession(page.id, `checkout-expire:${p.id}`));
      } catch (err) {
        if (!isStripeAdapterError(err) || err.retryable) throw err;
        page = await this.call(() => stripe.getCheckoutSession(page.id));
      }
    }
    if (page.status === 'complete' && page.paymentStatus === 'paid') return { kind: 'succeeded', paymentIntentId: page.paymentIntentId };
    return page.status === 'open' ? { kind: 'wait' } : { kind: 'closed' };
  }

  /** Records what Stripe said about a payment (also the webhook path). Idempotent: a second record of the same outcome does nothing. */
  async recordPayment(paymentId: string, outcome: PaymentOutcome): Promise<void> {
    await this.tx(async (ctx) => {
      const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', paymentId).executeTakeFirst();
      if (!p) return;
      const at = nowIso(ctx);
      if (outcome.kind === 'wait') {
        if (p.next_check_at === null) return; // settled meanwhile (e.g. by a webhook)
        const delay = backoffSchedule(p.check_attempts, { random: this.o.random });
        await ctx.db
          .updateTable('payment')
          .set({ next_check_at: new Date(ctx.clock.now().getTime() + delay).toISOString(), check_attempts: p.check_attempts + 1 })
          .where('id', '=', p.id)
          .execute();
        if (p.status === 'pending') await extendHold(ctx, p);
        return;
      }
      if (outcome.kind === 'closed') {
        if (p.next_check_at !== null) await ctx.db.updateTable('payment').set({ next_check_at: null, updated_at: at }).where('id', '=', p.id).execute();
        return;
      }
      if (outcome.kind === 'failed') {
        if (p.status !== 'pending') return;
        const day = await businessDay(ctx, p.desk_id);
        await ctx.db
          .updateTable('payment')
          .set({ status: 'failed', failure_reason: outcome.reason.slice(0, 300), business_day: day, settled_at: at, updated_at: at, next_check_at: null, version: p.version + 1 })
          .where('id', '=', p.id)
          .where('version', '=', p.version)
          .execute();
        ctx.auditRecord('payment', p.id, `failed: ${outcome.reason}`);
        if (p.appointment_id) await refreshStatus(ctx, p.appointment_id);
        else await releasePrepaidHold(ctx, p, 'The payment failed');
        return;
      }
      await this.recordSucceeded(ctx, p, outcome.paymentIntentId);
    });
  }

  private async recordSucceeded(ctx: Ctx, p: PaymentRow, paymentIntentId: string | null): Promise<void> {
    if (p.status === 'succeeded') return; // recorded already (the other path came first)
    const late = p.status !== 'pending';
    const at = nowIso(ctx);
    const day = await businessDay(ctx, p.desk_id);
    const changed = await ctx.db
      .updateTable('payment')
      .set({
        status: 'succeeded',
        failure_reason: null,
        business_day: day,
        settled_at: at,
        updated_at: at,
        next_check_at: null,
        stripe_payment_intent_id: p.stripe_payment_intent_id ?? paymentIntentId,
        version: p.version + 1,
      })
      .where('id', '=', p.id)
      .where('version', '=', p.version)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    const row: PaymentRow = { ...p, status: 'succeeded', business_day: day, settled_at: at, stripe_payment_intent_id: p.stripe_payment_intent_id ?? paymentIntentId, version: p.version + 1 };
    ctx.auditRecord('payment', p.id, late ? 'succeeded after it was withdrawn' : 'succeeded');
    if (p.appointment_id) {
      const s = await moneyState(ctx, p.appointment_id);
      const closed = s.appointment.status === 'cancelled' || s.appointment.status === 'no_show';
      await postCharge(ctx, row, closed, { desk: p.desk_id, day });
      let after = await refreshStatus(ctx, p.appointment_id);
      // More than is due now (withdrawn, the visit cancelled, or paid another way meanwhile): the rest goes back.
      const excess = Math.min(after.capturedMinor - after.refundedMinor - targetOf(after), await refundableOf(ctx, row));
      if (excess > 0) {
        const why = late ? 'Paid after the payment was withdrawn: refunded automatically' : 'More than was due: refunded automatically';
        await createRefund(ctx, row, excess, 'manual', why);
        after = await refreshStatus(ctx, p.appointment_id);
      }
      await syncCommission(ctx, after);
      return;
    }
    await this.bookPrepaid(ctx, row);
  }

  /** Money arrived for a held slot: book it, or if the slot was lost meanwhile, refund in full and say so. */
  private async bookPrepaid(ctx: Ctx, p: PaymentRow): Promise<void> {
    const request = JSON.parse(p.booking_request!) as StoredBookingRequest;
    const hold = p.hold_id ? await ctx.db.selectFrom('appointment_hold').select(['holder']).where('id', '=', p.hold_id).executeTakeFirst() : undefined;
    const asPatient: Ctx = { ...ctx, actor: { kind: 'patient', patientId: request.patientId } };
    let appointmentId: string | null = null;
    let lostBecause = '';
    try {
      const slot = await checkSlot(asPatient, { doctorId: request.doctorId, locationId: request.locationId, consultationTypeId: request.consultationTypeId, startAt: request.startAt }, { holder: hold?.holder ?? request.holder });
      const made = await insertAppointment(asPatient, { patientId: request.patientId, slot: { ...slot, priceMinor: request.priceMinor }, requirements: request.requirements, price: await prepaidPrice(ctx, request, slot) });
      appointmentId = made.id;
    } catch (err) {
      if (!(err instanceof DomainError) && !['booking/slot-taken', 'booking/patient-overlap'].includes((err as Error).message)) throw err;
      lostBecause = err instanceof DomainError ? err.message : 'The slot was taken meanwhile.';
    }
    if (appointmentId) {
      await ctx.db.updateTable('payment').set({ appointment_id: appointmentId }).where('id', '=', p.id).execute();
      if (p.hold_id) await ctx.db.deleteFrom('appointment_hold').where('id', '=', p.hold_id).execute();
      if (request.redemptionId) {
        try {
          await confirmRedemption(ctx, request.redemptionId, appointmentId);
        } catch (err) {
          this.o.log?.(`stripe follow-up: the referral code of payment ${p.id} could not be confirmed: ${errorText(err)}`);
        }
      }
      ctx.auditRecord('appointment', appointmentId, `booked after payment ${p.id}`);
      const row = { ...p, appointment_id: appointmentId };
      await postCharge(ctx, row, false, { desk: p.desk_id, day: p.business_day! });
      const after = await refreshStatus(ctx, appointmentId);
      await syncCommission(ctx, after);
      return;
    }
    // Never a paid appointment without a slot: the money goes back through Stripe, and staff see it.
    await postCharge(ctx, p, false, { desk: p.desk_id, day: p.business_day! });
    await createRefund(ctx, p, p.amount_minor, 'slot-lost', 'The slot was lost before the payment arrived');
    await releasePrepaidHold(ctx, p, 'The slot was lost before the payment arrived');
    const money = formatMoney(p.amount_minor, p.currency, localeForCountry(ctx.settings.defaultCountry));
    await raiseAttention(ctx, {
      // Not tied to the refund row: it stays open when the refund succeeds (staff still call the patient).
      kind: 'slot-lost-refunded',
      paymentId: p.id,
      detail: `${money} was paid online for ${request.startAt} after the held slot was lost (${lostBecause}). It is being refunded in full through Stripe; contact the patient to book another time.`,
    });
  }

  // ---------------------------------------------------------------- refunds

  private async followRefund(stripe: StripePort | null, r: RefundRow): Promise<void> {
    if (!stripe) return this.recordRefundWait(r.id);
    const p = await this.o.db.selectFrom('payment').selectAll().where('id', '=', r.payment_id).executeTakeFirstOrThrow();
    if (!p.stripe_payment_intent_id) return this.recordRefundFailed(r.id, 'Stripe has no record of this payment’s charge here, so it cannot refund it. Refund the patient another way.');
    try {
      // Asked once (idempotent); after that only read: a replayed create would answer its first status.
      const out = r.stripe_refund_id
        ? await this.call(() => stripe.getRefund(r.stripe_refund_id!))
        : await this.call(() =>
            stripe.createRefund({ paymentIntentId: p.stripe_payment_intent_id!, amountMinor: r.amount_minor, idempotencyKey: `refund:${r.id}`, reason: 'requested_by_customer', metadata: { refundId: r.id, paymentId: p.id } }),
          );
      if (out.status === 'failed' || out.status === 'canceled') return this.recordRefundFailed(r.id, `Stripe could not refund (${out.status}).`);
      if (out.status === 'succeeded') return this.recordRefundSucceeded(r.id, out.id);
      // pending / requires_action: Stripe has taken the refund on and settles it later (or fails
      // it). The row stays pending, with Stripe's id, and is read again with backoff.
      await this.recordRefundWait(r.id, out.id);
    } catch (err) {
      if (err instanceof Stopped) throw err;
      if (isStripeAdapterError(err) && !err.retryable && err.kind !== 'unknown') return this.recordRefundFailed(r.id, err.message);
      await this.recordRefundWait(r.id);
    }
  }

  /** Not settled yet: read again later (with backoff); `stripeRefundId` once Stripe has taken the refund on. */
  private async recordRefundWait(refundId: string, stripeRefundId?: string): Promise<void> {
    await this.tx(async (ctx) => {
      const r = await ctx.db.selectFrom('refund').selectAll().where('id', '=', refundId).executeTakeFirst();
      if (!r || r.status !== 'pending') return;
      const delay = backoffSchedule(r.check_attempts, { random: this.o.random });
      const known = stripeRefundId && !r.stripe_refund_id;
      await ctx.db
        .updateTable('refund')
        .set({
          next_check_at: new Date(ctx.clock.now().getTime() + delay).toISOString(),
          check_attempts: r.check_attempts + 1,
          ...(known ? { stripe_refund_id: stripeRefundId, updated_at: nowIso(ctx), version: r.version + 1 } : {}),
        })
        .where('id', '=', r.id)
        .execute();
      if (known) ctx.auditRecord('refund', r.id, `taken on by Stripe (${stripeRefundId}); it settles later`);
    });
  }

  /** Stripe refunded (also from a webhook): the ledger moves the money out, the commission follows. Idempotent. */
  async recordRefundSucceeded(refundId: string, stripeRefundId: string): Promise<void> {
    await this.tx(async (ctx) => {
      const r = await ctx.db.selectFrom('refund').selectAll().where('id', '=', refundId).executeTakeFirst();
      if (!r || r.status !== 'pending') return;
      await completeRefund(ctx, r, { stripeRefundId });
      ctx.auditRecord('refund', r.id, `refunded through Stripe (${stripeRefundId})`);
      if (r.appointment_id) {
        const after = await refreshStatus(ctx, r.appointment_id);
        await syncCommission(ctx, after);
      }
    });
  }

  async recordRefundFailed(refundId: string, reason: string): Promise<void> {
    await this.tx(async (ctx) => {
      const r = await ctx.db.selectFrom('refund').selectAll().where('id', '=', refundId).executeTakeFirst();
      if (!r || r.status !== 'pending') return;
      const at = nowIso(ctx);
      const day = await businessDay(ctx, r.desk_id);
      await ctx.db
        .updateTable('refund')
        .set({ status: 'failed', failure_reason: reason.slice(0, 300), business_day: day, settled_at: at, updated_at: at, next_check_at: null, version: r.version + 1 })
        .where('id', '=', r.id)
        .where('status', '=', 'pending')
        .execute();
      ctx.auditRecord('refund', r.id, `failed: ${reason}`);
      const p = await ctx.db.selectFrom('payment').select(['method']).where('id', '=', r.payment_id).executeTakeFirstOrThrow();
      const money = formatMoney(r.amount_minor, r.currency, localeForCountry(ctx.settings.defaultCountry));
      await raiseAttention(ctx, {
        kind: 'refund-failed',
        paymentId: r.payment_id,
        refundId: r.id,
        appointmentId: r.appointment_id,
        detail: `The refund of ${money} (${paymentMethodLabels[p.method]}) failed: ${reason} Refund the patient another way and note how.`,
      });
      if (r.appointment_id) {
        const after = await refreshStatus(ctx, r.appointment_id);
        await syncCommission(ctx, after);
      }
    });
  }

  // ---------------------------------------------------------------- webhooks

  /**
   * A verified Stripe event (POST /api/stripe/webhook): recorded through the same functions as
   * the polling path, so whichever comes first records and the other does nothing. Events
   * about payments that are not ours are ignored.
   */
  async handleEvent(event: StripeWebhookEvent): Promise<void> {
    const obj = event.data.object as Record<string, unknown> & { id?: string; metadata?: Record<string, string> };
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);
    const paymentOf = async (column: 'stripe_payment_intent_id' | 'stripe_checkout_id', id: string | null) => {
      const byMeta = obj.metadata?.paymentId;
      const q = this.o.db.selectFrom('payment').selectAll().where('method', 'in', ['stripe_terminal', 'stripe_checkout']);
      if (byMeta) {
        const row = await q.where('id', '=', byMeta).executeTakeFirst();
        if (row && (row[column] === null || row[column] === id)) return row;
      }
      return id ? q.where(column, '=', id).executeTakeFirst() : undefined;
    };
    switch (event.type) {
      case 'payment_intent.succeeded': {
        const p = await paymentOf('stripe_payment_intent_id', str(obj.id));
        if (p) await this.recordPayment(p.id, { kind: 'succeeded', paymentIntentId: str(obj.id) });
        break;
      }
      case 'payment_intent.payment_failed': {
        const p = await paymentOf('stripe_payment_intent_id', str(obj.id));
        const last = obj.last_payment_error as { code?: string; decline_code?: string } | null | undefined;
        const reason = last?.code === 'card_declined' ? `The card was declined${last.decline_code ? ` (${last.decline_code.replace(/_/g, ' ')})` : ''}. Ask for another card or another way to pay.` : 'The payment failed at Stripe.';
        // A Checkout page stays open after a declined card (the patient may try another): only reader payments fail here.
        if (p && p.method === 'stripe_terminal') await this.recordPayment(p.id, { kind: 'failed', reason });
        break;
      }
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const p = await paymentOf('stripe_checkout_id', str(obj.id));
        if (p && obj.payment_status === 'paid') await this.recordPayment(p.id, { kind: 'succeeded', paymentIntentId: str(obj.payment_intent) });
        break;
      }
      case 'checkout.session.expired': {
        const p = await paymentOf('stripe_checkout_id', str(obj.id));
        if (p) await this.recordPayment(p.id, p.status === 'pending' ? { kind: 'failed', reason: 'The payment page expired before it was paid.' } : { kind: 'closed' });
        break;
      }
      case 'charge.refunded':
      case 'refund.created':
      case 'refund.updated': {
        const refunds = event.type === 'charge.refunded' ? (((obj.refunds as { data?: unknown[] } | undefined)?.data ?? []) as Array<Record<string, unknown>>) : [obj];
        for (const re of refunds) {
          const ourId = (re.metadata as Record<string, string> | undefined)?.refundId;
          const stripeId = str(re.id);
          const row = ourId
            ? await this.o.db.selectFrom('refund').selectAll().where('id', '=', ourId).executeTakeFirst()
            : stripeId
              ? await this.o.db.selectFrom('refund').selectAll().where('stripe_refund_id', '=', stripeId).executeTakeFirst()
              : undefined;
          if (!row || !stripeId) continue;
          if (re.status === 'failed' || re.status === 'canceled') await this.recordRefundFailed(row.id, `Stripe could not refund (${String(re.status)}).`);
          else if (re.status === 'succeeded') await this.recordRefundSucceeded(row.id, stripeId);
          // pending / requires_action: not money moved yet; the follow-up reads it until it settles.
          else await this.recordRefundWait(row.id, stripeId);
        }
        break;
      }
      default:
        break;
    }
    this.wake();
  }

  // ---------------------------------------------------------------- transactions

  /** One short transaction with the system actor: change envelopes and an audit row, as the dispatcher writes them. */
  private async tx<T>(fn: (ctx: Ctx) => Promise<T>, audit?: { id: string; detail: string }): Promise<T> {
    let notices: ReturnType<ChangeLog['flush']> = [];
    const record: { type?: string; id?: string; detail?: string } = audit ? { type: 'payment', ...audit } : {};
    const after: Array<() => unknown> = [];
    const result = await withImmediateTransaction(this.o.db, async (trx) => {
      this.o.changeLog?.begin();
      const ctx: Ctx = {
        db: trx,
        clock: this.o.clock,
        newId: newUuid,
        actor: { kind: 'system' },
        sessionId: null,
        settings: this.o.settings(),
        auditRecord(type, id, detail) {
          record.type = type;
          record.id = id;
          if (detail !== undefined) record.detail = detail;
        },
        afterCommit(job) {
          after.push(job);
        },
        session: { start() {}, renew() {}, end() {}, lock() {}, unlock() {}, endOthersOf() {}, locked: false, endedReason: null },
        background: this.o.background,
        stripeFollowUp: this,
        settingsChanged() {},
      };
      const out = await fn(ctx);
      if (record.id) {
        await writeAudit(trx, { at: nowIso(ctx), actor: { kind: 'system' }, handler: FOLLOW_UP_AUDIT, recordType: record.type, recordId: record.id, outcome: 'ok', detail: record.detail?.slice(0, 500) });
      }
      notices = this.o.changeLog?.flush({ kind: 'system' }, nowIso(ctx)) ?? [];
      return out;
    });
    this.o.changes?.publish(notices);
    if (notices.length > 0) this.o.background?.wake();
    for (const job of after) {
      try {
        await job();
      } catch {
        // best effort, as in the dispatcher
      }
    }
    return result;
  }
}

/** For tests and tools: the amount of a webhook object in our minor units. */
export const webhookAmount = (obj: { amount?: number; currency?: string }): number | null =>
  typeof obj.amount === 'number' && typeof obj.currency === 'string' ? fromStripeAmount(obj.amount, obj.currency.toUpperCase()) : null;
