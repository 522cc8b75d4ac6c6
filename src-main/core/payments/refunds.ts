/**
 * Money back: refunds of one payment through the method it was taken with, and what the
 * cancellation policy does when a visit is cancelled or missed.
 *
 * - cash: paid out at once (the ledger moves it out of the till);
 * - the desk's card terminal: pending until staff record the terminal's refund reference
 *   (a "needs attention" item says what to do);
 * - Stripe: pending until the follow-up loop has refunded through Stripe's API (idempotent);
 * - an insurer's payment: pending until staff record how the insurer was repaid.
 * The ledger records a refund when the money has actually moved.
 */
import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { CancelPreview, PaymentMethodName } from '../../contract/payments.contract.js';
import { paymentMethodLabels } from '../../contract/payments.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { formatMoney, localeForCountry, percentOf } from '../money/money.js';
import { businessDay, deskId, post } from './ledger.js';
import { moneyState, refreshStatus, syncCommission, type MoneyState, type PaymentRow, type RefundRow } from './payment-state.js';
import { accountOf } from './methods.js';
import { raiseAttention } from './attention.js';

const money = (ctx: Ctx, minor: number, currency: string) => formatMoney(minor, currency, localeForCountry(ctx.settings.defaultCountry));

/** What is left to refund of a payment (refunds that did not fail count). */
export async function refundableOf(ctx: Ctx, payment: PaymentRow): Promise<number> {
  if (payment.status !== 'succeeded') return 0;
  const row = await ctx.db
    .selectFrom('refund')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.val(0)).as('n'))
    .where('payment_id', '=', payment.id)
    .where('status', '<>', 'failed')
    .executeTakeFirstOrThrow();
  return payment.amount_minor - Number(row.n);
}

/** Records a refund of `amount` from `payment`; cash is paid out at once, other methods wait. */
export async function createRefund(ctx: Ctx, payment: PaymentRow, amount: number, kind: RefundRow['kind'], reason: string): Promise<RefundRow> {
  if (payment.method === 'no_charge') throw new DomainError('payment/nothing-to-refund', 'Nothing was taken with “no charge”, so nothing can be refunded.');
  const left = await refundableOf(ctx, payment);
  if (amount > left) {
    const message = left === 0 ? 'This payment has been refunded in full already.' : `At most ${money(ctx, left, payment.currency)} can be refunded from this payment.`;
    throw new DomainError('payment/refund-too-large', message, { fieldErrors: { amountMinor: [message] } });
  }
  const desk = await deskId(ctx);
  const at = nowIso(ctx);
  const immediate = payment.method === 'cash';
  const day = immediate ? await businessDay(ctx, desk) : null;
  const row: RefundRow = {
    id: ctx.newId(),
    payment_id: payment.id,
    appointment_id: payment.appointment_id,
    desk_id: desk,
    currency: payment.currency,
    amount_minor: amount,
    kind,
    reason: reason.slice(0, 300),
    status: immediate ? 'succeeded' : 'pending',
    stripe_refund_id: null,
    reference: null,
    failure_reason: null,
    business_day: day,
    next_check_at: payment.method === 'stripe_terminal' || payment.method === 'stripe_checkout' ? at : null,
    check_attempts: 0,
    version: 1,
    created_at: at,
    created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
    updated_at: at,
    settled_at: immediate ? at : null,
  };
  try {
    await ctx.db.insertInto('refund').values(row).execute();
  } catch (err) {
    if ((err as Error).message === 'payment/refund-too-large') {
      throw new DomainError('payment/refund-too-large', 'This is more than is left of the payment to refund.', { fieldErrors: { amountMinor: ['This is more than is left of the payment to refund.'] } });
    }
    throw err;
  }
  if (row.next_check_at) ctx.afterCommit(() => ctx.stripeFollowUp?.wake());
  if (immediate) await postRefund(ctx, payment, row, { desk, day: day! });
  else if (payment.method === 'card_terminal') {
    await raiseAttention(ctx, {
      kind: 'refund-on-terminal',
      paymentId: payment.id,
      refundId: row.id,
      appointmentId: payment.appointment_id,
      detail: `Refund ${money(ctx, amount, payment.currency)} on the desk’s card terminal to the card used (payment reference ${payment.reference ?? '—'}), then record the terminal’s refund reference.`,
    });
  } else if (payment.method === 'insurance') {
    await raiseAttention(ctx, {
      kind: 'refund-to-insurer',
      paymentId: payment.id,
      refundId: row.id,
      appointmentId: payment.appointment_id,
      detail: `Repay ${money(ctx, amount, payment.currency)} to ${payment.insurer ?? 'the insurer'} (claim ${payment.reference ?? '—'}), then record the reference.`,
    });
  }
  return row;
}

/** The ledger rows of a refund whose money has moved. */
export async function postRefund(ctx: Ctx, payment: PaymentRow, refund: RefundRow, where?: { desk: string; day: string }): Promise<void> {
  await post(
    ctx,
    {
      kind: 'refund',
      currency: refund.currency,
      lines: [
        { account: 'revenue', amountMinor: refund.amount_minor },
        { account: accountOf(payment.method), amountMinor: -refund.amount_minor },
      ],
      memo: `Refund (${paymentMethodLabels[payment.method as PaymentMethodName]}): ${refund.reason}`,
      paymentId: payment.id,
      refundId: refund.id,
      appointmentId: payment.appointment_id,
    },
    where,
  );
}

/** A pending refund's money has moved (terminal reference recorded, Stripe confirmed, insurer repaid). */
export async function completeRefund(ctx: Ctx, refund: RefundRow, fields: { reference?: string; stripeRefundId?: string }): Promise<void> {
  const desk = await deskId(ctx);
  const day = await businessDay(ctx, desk);
  const at = nowIso(ctx);
  const changed = await ctx.db
    .updateTable('refund')
    .set({ status: 'succeeded', business_day: day, settled_at: at, updated_at: at, reference: fields.reference ?? refund.reference, stripe_refund_id: fields.stripeRefundId ?? refund.stripe_refund_id, next_check_at: null })
    .where('id', '=', refund.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('payment/refund-settled', 'This refund has been recorded already.');
  const payment = await ctx.db.selectFrom('payment').selectAll().where('id', '=', refund.payment_id).executeTakeFirstOrThrow();
  await postRefund(ctx, payment, { ...refund, status: 'succeeded' }, { desk, day });
  await ctx.db.updateTable('payment_attention').set({ resolved_at: at, resolved_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null, resolution: fields.reference ? `Refund reference ${fields.reference}` : 'Refunded', version: 2 }).where('refund_id', '=', refund.id).where('resolved_at', 'is', null).execute();
}

/** The policy's fee for a visit cancelled (or missed) now. */
export function policyFee(settings: ClinicSettings, price: number, event: { kind: 'cancel' | 'no_show'; party: 'patient' | 'clinic'; within: boolean }): number {
  if (event.kind === 'no_show') return Math.min(price, settings.noShowFeeMinor);
  if (event.party === 'clinic' || !event.within) return 0;
  if (settings.lateCancelKind === 'fee') return Math.min(price, settings.lateCancelFeeMinor);
  return price - percentOf(price, settings.lateCancelRefundBp);
}

export function policyText(ctx: Ctx, currency: string): string {
  const s = ctx.settings;
  const late =
    s.lateCancelKind === 'fee'
      ? s.lateCancelFeeMinor === 0
        ? 'refunded in full'
        : `refunded except a fee of ${money(ctx, s.lateCancelFeeMinor, currency)}`
      : s.lateCancelRefundBp === 10_000
        ? 'refunded in full'
        : `${s.lateCancelRefundBp / 100} % refunded`;
  const noShow = s.noShowFeeMinor > 0 ? ` A missed visit costs ${money(ctx, s.noShowFeeMinor, currency)}.` : '';
  return `Cancelled by the patient less than ${s.cancellationWindowHours} hours before: ${late}. Earlier, or cancelled by the clinic: refunded in full.${noShow}`;
}

interface Plan {
  fee: number;
  retained: number;
  refunds: Array<{ payment: PaymentRow; amount: number }>;
  refundTotal: number;
}

/** Which payments give back how much: the newest first, each no more than is left of it. */
async function planOf(ctx: Ctx, s: MoneyState, fee: number): Promise<Plan> {
  const net = s.capturedMinor - s.refundedMinor;
  const retained = Math.min(fee, Math.max(0, net));
  let rest = Math.max(0, net - retained);
  const refunds: Plan['refunds'] = [];
  for (const payment of [...s.payments].reverse()) {
    if (rest === 0) break;
    const left = await refundableOf(ctx, payment);
    const amount = Math.min(left, rest);
    if (amount > 0) {
      refunds.push({ payment, amount });
      rest -= amount;
    }
  }
  return { fee, retained, refunds, refundTotal: refunds.reduce((t, r) => t + r.amount, 0) };
}

export async function cancelPreview(ctx: Ctx, input: { appointmentId: string; party?: 'patient' | 'clinic' }, startAt?: string): Promise<CancelPreview> {
  const s = await moneyState(ctx, input.appointmentId);
  const appointment = await ctx.db.selectFrom('appointment').select(['start_at']).where('id', '=', input.appointmentId).executeTakeFirstOrThrow();
  const party = ctx.actor.kind === 'patient' ? 'patient' : (input.party ?? 'clinic');
  const within = Date.parse(startAt ?? appointment.start_at) - ctx.clock.now().getTime() < ctx.settings.cancellationWindowHours * 3_600_000;
  const fee = policyFee(ctx.settings, s.appointment.price_minor, { kind: 'cancel', party, within });
  const plan = await planOf(ctx, s, fee);
  const currency = s.appointment.currency;
  const code = await ctx.db
    .selectFrom('referral_redemption as r')
    .innerJoin('referral_code as c', 'c.id', 'r.code_id')
    .select(['c.commission_kind', 'c.commission_bp', 'c.commission_minor'])
    .where('r.appointment_id', 'in', s.chain)
    .where('r.status', '=', 'confirmed')
    .executeTakeFirst();
  const accrued = await ctx.db
    .selectFrom('ledger_entry')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.val(0)).as('n'))
    .where('appointment_id', 'in', s.chain)
    .where('account', '=', 'commission_payable')
    .executeTakeFirstOrThrow();
  const netAfter = s.capturedMinor - s.refundedMinor - plan.refundTotal;
  const commissionAfter = !code || code.commission_kind === 'none' || netAfter <= 0 ? 0 : code.commission_kind === 'percent' ? percentOf(netAfter, code.commission_bp!) : code.commission_minor!;
  const parts: string[] = [];
  if (plan.refundTotal > 0) {
    parts.push(
      `${money(ctx, plan.refundTotal, currency)} will be refunded (${plan.refunds.map((r) => `${money(ctx, r.amount, currency)} ${r.payment.method === 'cash' ? 'in cash from the till' : `by ${paymentMethodLabels[r.payment.method].toLowerCase()}`}`).join(', ')}).`,
    );
  }
  if (plan.retained > 0) parts.push(`${money(ctx, plan.retained, currency)} is kept as the late-cancellation fee.`);
  if (fee > plan.retained) parts.push(`A late-cancellation fee of ${money(ctx, fee - plan.retained, currency)} will be due.`);
  if (parts.length === 0) parts.push(s.capturedMinor === 0 ? 'Nothing has been paid, and nothing is charged.' : 'Nothing is refunded.');
  return {
    withinWindow: within,
    windowHours: ctx.settings.cancellationWindowHours,
    party,
    currency,
    paidMinor: s.capturedMinor - s.refundedMinor,
    feeMinor: fee,
    refundMinor: plan.refundTotal,
    refunds: plan.refunds.map((r) => ({ paymentId: r.payment.id, method: r.payment.method, amountMinor: r.amount })),
    commissionReversedMinor: Math.max(0, -Number(accrued.n) - commissionAfter),
    policyText: policyText(ctx, currency),
    summary: parts.join(' '),
  };
}

/**
 * The money side of a cancellation or a no-show, in the same transaction: the fee the policy
 * keeps (recorded on the appointment; a fee not covered by payments becomes due), refunds of
 * the rest through each payment's method, pending payments withdrawn, the agent's commission
 * brought to what is still paid, and the payment status. Returns whether anything had been paid
 * (a visit cancelled before payment gives its referral use back).
 */
export async function settleOnCancel(ctx: Ctx, appointmentId: string, event: { kind: 'cancel' | 'no_show'; party: 'patient' | 'clinic'; within: boolean }): Promise<{ paidBefore: boolean }> {
  let s = await moneyState(ctx, appointmentId);
  const fee = policyFee(ctx.settings, s.appointment.price_minor, event);
  const paidBefore = s.capturedMinor > 0 || s.pendingClaimsMinor > 0 || s.pendingOtherMinor > 0;
  if (fee !== s.appointment.fee_minor) await ctx.db.updateTable('appointment').set({ fee_minor: fee }).where('id', '=', appointmentId).execute();
  s = { ...s, appointment: { ...s.appointment, fee_minor: fee } };
  const at = nowIso(ctx);
  const desk = await deskId(ctx);
  const day = await businessDay(ctx, desk);
  // Payments still on their way are withdrawn (a Stripe one that succeeds anyway is refunded by the follow-up).
  for (const p of s.payments.filter((x) => x.status === 'pending')) {
    await ctx.db
      .updateTable('payment')
      .set({ status: 'cancelled', failure_reason: event.kind === 'no_show' ? 'Withdrawn: the patient did not come' : 'Withdrawn: the appointment was cancelled', business_day: day, updated_at: at, version: p.version + 1, next_check_at: p.method.startsWith('stripe') ? at : null })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .execute();
    if (p.method.startsWith('stripe')) ctx.afterCommit(() => ctx.stripeFollowUp?.wake());
  }
  const plan = await planOf(ctx, s, fee);
  if (plan.retained > 0) {
    await post(ctx, { kind: 'fee', currency: s.appointment.currency, lines: [{ account: 'revenue', amountMinor: plan.retained }, { account: 'fee_income', amountMinor: -plan.retained }], memo: event.kind === 'no_show' ? 'No-show fee kept' : 'Late-cancellation fee kept', appointmentId }, { desk, day });
  }
  const why = event.kind === 'no_show' ? 'The patient did not come (no-show policy)' : event.within && event.party === 'patient' ? 'Cancelled inside the policy window' : 'Cancelled: refunded in full';
  for (const r of plan.refunds) await createRefund(ctx, r.payment, r.amount, 'policy', why);
  s = await refreshStatus(ctx, appointmentId);
  await syncCommission(ctx, s);
  return { paidBefore };
}
