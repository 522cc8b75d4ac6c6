/**
 * Taking money at the desk: cash (with the change given), the desk's own card terminal (its
 * reference), an insurance claim (settled later; the co-payment is another payment), or no
 * charge. Each payment writes its ledger movement, the agent's commission and the appointment's
 * payment status in the caller's transaction; a retried request replays (idempotency key), so
 * nothing is taken twice. Stripe payments start elsewhere (they are followed outside transactions).
 */
import type { LedgerAccount } from '../db/schema.js';
import { paymentMethodLabels } from '../../contract/payments.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { formatMoney, localeForCountry } from '../money/money.js';
import { businessDay, deskId, post, unbalancedTxns } from './ledger.js';
import { dueOf, moneyState, refreshStatus, summaryOf, syncCommission, type PaymentRow } from './payment-state.js';
import { accountOf } from './methods.js';
import { completeRefund, createRefund } from './refunds.js';
import { raiseAttention } from './attention.js';

const money = (ctx: Ctx, minor: number, currency: string) => formatMoney(minor, currency, localeForCountry(ctx.settings.defaultCountry));
const refuse = (field: string, message: string, code = 'validation/invalid-input') => new DomainError(code, message, { fieldErrors: { [field]: [message] } });

type RecordInput =
  | { method: 'cash'; appointmentId: string; amountMinor: number; tenderedMinor: number }
  | { method: 'card_terminal'; appointmentId: string; amountMinor: number; reference: string }
  | { method: 'insurance'; appointmentId: string; amountMinor: number; insurer: string; reference: string }
  | { method: 'no_charge'; appointmentId: string; reason: string };

/** The ledger movement of money taken: into the method's account, out of revenue (or fees, once the visit is cancelled). */
export async function postCharge(ctx: Ctx, p: PaymentRow, cancelled: boolean, where?: { desk: string; day: string }): Promise<void> {
  const income: LedgerAccount = cancelled ? 'fee_income' : 'revenue';
  await post(
    ctx,
    {
      kind: 'charge',
      currency: p.currency,
      lines: [
        { account: accountOf(p.method), amountMinor: p.amount_minor },
        { account: income, amountMinor: -p.amount_minor },
      ],
      memo: `${paymentMethodLabels[p.method]}${p.reference ? ` ${p.reference}` : ''}`,
      paymentId: p.id,
      appointmentId: p.appointment_id,
    },
    where,
  );
}

export async function recordPayment(ctx: Ctx, input: RecordInput) {
  const s = await moneyState(ctx, input.appointmentId);
  ctx.auditRecord('appointment', s.appointment.id, `payment ${input.method}`);
  const currency = s.appointment.currency;
  const due = dueOf(s);
  const closed = s.appointment.status === 'cancelled' || s.appointment.status === 'no_show';
  if (due === 0) {
    const message = closed ? 'This appointment is cancelled and nothing is due.' : s.capturedMinor > 0 ? 'This appointment is paid in full.' : 'Nothing is due for this appointment.';
    throw new DomainError('payment/nothing-due', message);
  }
  const amount = input.method === 'no_charge' ? 0 : input.amountMinor;
  if (amount > due) throw refuse('amountMinor', `Only ${money(ctx, due, currency)} is due.`, 'payment/too-much');
  if (input.method === 'cash' && input.tenderedMinor < amount) {
    throw refuse('tenderedMinor', `The patient handed over ${money(ctx, input.tenderedMinor, currency)}, less than the ${money(ctx, amount, currency)} to pay.`);
  }
  const desk = await deskId(ctx);
  const at = nowIso(ctx);
  const pending = input.method === 'insurance';
  const day = pending ? null : await businessDay(ctx, desk);
  const row: PaymentRow = {
    id: ctx.newId(),
    appointment_id: s.appointment.id,
    hold_id: null,
    booking_request: null,
    patient_id: s.appointment.patient_id,
    desk_id: desk,
    method: input.method,
    status: pending ? 'pending' : 'succeeded',
    currency,
    amount_minor: amount,
    tendered_minor: input.method === 'cash' ? input.tenderedMinor : null,
    change_minor: input.method === 'cash' ? input.tenderedMinor - amount : null,
    reference: input.method === 'no_charge' ? input.reason : input.method === 'cash' ? null : input.reference,
    insurer: input.method === 'insurance' ? input.insurer : null,
    stripe_payment_intent_id: null,
    stripe_checkout_id: null,
    stripe_checkout_url: null,
    stripe_reader_id: null,
    failure_reason: null,
    business_day: day,
    next_check_at: null,
    check_attempts: 0,
    version: 1,
    created_at: at,
    created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
    updated_at: at,
    settled_at: pending ? null : at,
  };
  await ctx.db.insertInto('payment').values(row).execute();
  if (!pending && amount > 0) await postCharge(ctx, row, closed, { desk, day: day! });
  const after = await refreshStatus(ctx, s.appointment.id);
  await syncCommission(ctx, after);
  const summary = await summaryOf(ctx, after);
  return { payment: summary.payments.find((p) => p.id === row.id)!, summary };
}

export async function settleInsurance(ctx: Ctx, input: { paymentId: string; outcome: 'paid' | 'rejected'; note: string }) {
  const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', input.paymentId).executeTakeFirst();
  if (!p || !p.appointment_id) throw notFound('The payment');
  ctx.auditRecord('payment', p.id, `insurance ${input.outcome}`);
  if (p.method !== 'insurance') throw new DomainError('payment/not-insurance', 'This payment is not an insurance claim.');
  if (p.status !== 'pending') throw new DomainError('payment/settled', 'This claim has been settled already.');
  const desk = await deskId(ctx);
  const day = await businessDay(ctx, desk);
  const at = nowIso(ctx);
  const paid = input.outcome === 'paid';
  await ctx.db
    .updateTable('payment')
    .set({ status: paid ? 'succeeded' : 'failed', failure_reason: paid ? null : `Rejected by the insurer${input.note ? `: ${input.note}` : ''}`, business_day: day, settled_at: at, updated_at: at, version: p.version + 1 })
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .execute();
  const appointment = await ctx.db.selectFrom('appointment').select(['status']).where('id', '=', p.appointment_id).executeTakeFirstOrThrow();
  if (paid) await postCharge(ctx, { ...p, status: 'succeeded' }, appointment.status === 'cancelled' || appointment.status === 'no_show', { desk, day });
  else {
    await raiseAttention(ctx, {
      kind: 'insurance-rejected',
      paymentId: p.id,
      appointmentId: p.appointment_id,
      detail: `${p.insurer} rejected claim ${p.reference}: ${money(ctx, p.amount_minor, p.currency)} is now due from the patient.${input.note ? ` ${input.note}` : ''}`,
    });
  }
  const after = await refreshStatus(ctx, p.appointment_id);
  await syncCommission(ctx, after);
  const summary = await summaryOf(ctx, after);
  return { payment: summary.payments.find((x) => x.id === p.id)!, summary };
}

export async function refundPayment(ctx: Ctx, input: { paymentId: string; amountMinor: number; reason: string }) {
  const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', input.paymentId).executeTakeFirst();
  if (!p || !p.appointment_id) throw notFound('The payment');
  ctx.auditRecord('payment', p.id, 'refund');
  if (p.status !== 'succeeded') throw new DomainError('payment/not-captured', 'Only money actually taken can be refunded.');
  const refund = await createRefund(ctx, p, input.amountMinor, 'manual', input.reason);
  const after = await refreshStatus(ctx, p.appointment_id);
  await syncCommission(ctx, after);
  const summary = await summaryOf(ctx, after);
  return { refund: summary.refunds.find((r) => r.id === refund.id)!, summary };
}

export async function confirmRefund(ctx: Ctx, input: { refundId: string; reference: string }) {
  const r = await ctx.db.selectFrom('refund').selectAll().where('id', '=', input.refundId).executeTakeFirst();
  if (!r) throw notFound('The refund');
  ctx.auditRecord('refund', r.id, 'confirmed');
  const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', r.payment_id).executeTakeFirstOrThrow();
  if (p.method !== 'card_terminal' && p.method !== 'insurance') {
    throw new DomainError('payment/refund-automatic', p.method === 'cash' ? 'Cash refunds are paid out when they are made.' : 'Stripe refunds are confirmed by Stripe itself.');
  }
  if (r.status !== 'pending') throw new DomainError('payment/refund-settled', 'This refund has been recorded already.');
  await completeRefund(ctx, r, { reference: input.reference });
  const after = await refreshStatus(ctx, p.appointment_id!);
  await syncCommission(ctx, after);
  const summary = await summaryOf(ctx, after);
  return { refund: summary.refunds.find((x) => x.id === r.id)!, summary };
}

export async function correctLedger(ctx: Ctx, input: { amountMinor: number; fromAccount: LedgerAccount; toAccount: LedgerAccount; memo: string; appointmentId?: string }) {
  if (input.fromAccount === input.toAccount) throw refuse('toAccount', 'Choose two different accounts.');
  if (input.appointmentId) {
    const exists = await ctx.db.selectFrom('appointment').select('id').where('id', '=', input.appointmentId).executeTakeFirst();
    if (!exists) throw refuse('appointmentId', 'There is no such appointment.');
  }
  const desk = await deskId(ctx);
  const day = await businessDay(ctx, desk);
  const txnId = await post(
    ctx,
    { kind: 'correction', currency: ctx.settings.currency, lines: [{ account: input.toAccount, amountMinor: input.amountMinor }, { account: input.fromAccount, amountMinor: -input.amountMinor }], memo: input.memo, appointmentId: input.appointmentId ?? null },
    { desk, day },
  );
  ctx.auditRecord('ledger', txnId!, input.memo.slice(0, 200));
  return { txnId: txnId!, businessDay: day };
}

export async function ledgerBalance(ctx: Ctx, input: { businessDay?: string }) {
  const desk = await deskId(ctx);
  const rows = await ctx.db
    .selectFrom('ledger_entry')
    .select(['account', (eb) => eb.fn.sum<number>('amount_minor').as('n')])
    .where('currency', '=', ctx.settings.currency)
    .$if(Boolean(input.businessDay), (q) => q.where('business_day', '=', input.businessDay!).where('desk_id', '=', desk))
    .groupBy('account')
    .orderBy('account')
    .execute();
  return {
    currency: ctx.settings.currency,
    accounts: rows.map((r) => ({ account: r.account, balanceMinor: Number(r.n) })),
    unbalancedTxns: await unbalancedTxns(ctx),
  };
}

