/**
 * An appointment's money, read and summarised: its payments and refunds (across a reschedule
 * chain — money paid for the first time of a moved visit belongs to the new one), the payment
 * status shown everywhere, and the commission its referral code has earned.
 */
import { sql, type Selectable } from 'kysely';
import type { PaymentSummary, PaymentView, RefundView } from '../../contract/payments.contract.js';
import type { PaymentStatus, PaymentTable, RefundTable } from '../db/schema.js';

export type PaymentRow = Selectable<PaymentTable>;
export type RefundRow = Selectable<RefundTable>;
import type { Ctx } from '../context.js';
import { notFound } from '../errors.js';
import { percentOf } from '../money/money.js';
import { post } from './ledger.js';

/** The appointment and those it was rescheduled from (newest first). */
export async function chainOf(ctx: Ctx, appointmentId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, n) AS (
      SELECT id, 0 FROM appointment WHERE id = ${appointmentId}
      UNION ALL
      SELECT a.rescheduled_from_id, c.n + 1 FROM appointment a JOIN chain c ON a.id = c.id
      WHERE a.rescheduled_from_id IS NOT NULL AND c.n < 100
    )
    SELECT id FROM chain ORDER BY n`.execute(ctx.db);
  return rows.rows.map((r) => r.id);
}

export interface MoneyState {
  appointment: { id: string; patient_id: string; status: string; price_minor: number; currency: string; fee_minor: number; payment_status: PaymentStatus };
  chain: string[];
  payments: PaymentRow[];
  refunds: RefundRow[];
  /** Succeeded payments, insurance claims paid included. */
  capturedMinor: number;
  /** Refunds not failed (pending ones are owed to the patient already). */
  refundedMinor: number;
  pendingClaimsMinor: number;
  pendingOtherMinor: number;
}

export async function moneyState(ctx: Ctx, appointmentId: string): Promise<MoneyState> {
  const appointment = await ctx.db
    .selectFrom('appointment')
    .select(['id', 'patient_id', 'status', 'price_minor', 'currency', 'fee_minor', 'payment_status'])
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (!appointment) throw notFound('The appointment');
  if (ctx.actor.kind === 'patient' && appointment.patient_id !== ctx.actor.patientId) throw notFound('The appointment');
  const chain = await chainOf(ctx, appointmentId);
  const payments = await ctx.db.selectFrom('payment').selectAll().where('appointment_id', 'in', chain).orderBy('created_at').orderBy('id').execute();
  const refunds = payments.length
    ? await ctx.db.selectFrom('refund').selectAll().where('payment_id', 'in', payments.map((p) => p.id)).orderBy('created_at').orderBy('id').execute()
    : [];
  const sum = (xs: Array<{ amount_minor: number }>) => xs.reduce((s, x) => s + x.amount_minor, 0);
  return {
    appointment,
    chain,
    payments,
    refunds,
    capturedMinor: sum(payments.filter((p) => p.status === 'succeeded')),
    refundedMinor: sum(refunds.filter((r) => r.status !== 'failed')),
    pendingClaimsMinor: sum(payments.filter((p) => p.status === 'pending' && p.method === 'insurance')),
    pendingOtherMinor: sum(payments.filter((p) => p.status === 'pending' && p.method !== 'insurance')),
  };
}

/** What must be paid: the price, or once the visit is cancelled or missed, the fee kept. */
export const targetOf = (s: MoneyState): number =>
  s.appointment.status === 'cancelled' || s.appointment.status === 'no_show' ? s.appointment.fee_minor : s.appointment.price_minor;

export function statusOf(s: MoneyState): PaymentStatus {
  const net = s.capturedMinor - s.refundedMinor;
  const noCharge = s.payments.some((p) => p.method === 'no_charge' && p.status === 'succeeded');
  if (s.refundedMinor > 0) return net === 0 ? 'refunded' : 'partly_refunded';
  if (s.pendingClaimsMinor > 0) return 'insurance_pending';
  if (s.pendingOtherMinor > 0) return 'pending';
  if (noCharge && net === 0) return 'no_charge';
  const target = targetOf(s);
  if (target === 0 && net === 0) return s.appointment.status === 'cancelled' ? 'unpaid' : 'no_charge';
  if (net >= target && net > 0) return 'paid';
  if (net > 0) return 'partly_paid';
  return 'unpaid';
}

/** Still to take (never negative). Pending claims and payments count as on their way. */
export const dueOf = (s: MoneyState): number => {
  if (s.payments.some((p) => p.method === 'no_charge' && p.status === 'succeeded')) return 0;
  return Math.max(0, targetOf(s) - (s.capturedMinor - s.refundedMinor) - s.pendingClaimsMinor - s.pendingOtherMinor);
};

/** Writes the appointment's payment status if it changed (a change notice then reaches every screen). */
export async function refreshStatus(ctx: Ctx, appointmentId: string): Promise<MoneyState> {
  const s = await moneyState(ctx, appointmentId);
  const status = statusOf(s);
  if (status !== s.appointment.payment_status) {
    await ctx.db.updateTable('appointment').set({ payment_status: status }).where('id', '=', appointmentId).execute();
    s.appointment.payment_status = status;
  }
  return s;
}

/** The referral code of the appointment (through its confirmed redemption, across the chain). */
async function codeOf(ctx: Ctx, chain: string[]) {
  return ctx.db
    .selectFrom('referral_redemption as r')
    .innerJoin('referral_code as c', 'c.id', 'r.code_id')
    .select(['c.id', 'c.code', 'c.commission_kind', 'c.commission_bp', 'c.commission_minor', 'c.currency'])
    .where('r.appointment_id', 'in', chain)
    .where('r.status', '=', 'confirmed')
    .executeTakeFirst();
}

/**
 * Brings the agent's commission for this appointment to what it should be now: a percentage of
 * the net amount paid (taken minus refunded), or the fixed amount once anything is paid and
 * not all refunded. Posts the difference as an accrual or a reversal, so the commission always
 * equals the rule applied once to the net amount (no rounding drift over partial refunds).
 */
export async function syncCommission(ctx: Ctx, s: MoneyState): Promise<number> {
  const code = await codeOf(ctx, s.chain);
  if (!code || code.commission_kind === 'none') return 0;
  const net = s.capturedMinor - s.refunds.filter((r) => r.status === 'succeeded').reduce((t, r) => t + r.amount_minor, 0);
  const target = net <= 0 ? 0 : code.commission_kind === 'percent' ? percentOf(net, code.commission_bp!) : code.commission_minor!;
  const accrued = await ctx.db
    .selectFrom('ledger_entry')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.val(0)).as('n'))
    .where('appointment_id', 'in', s.chain)
    .where('account', '=', 'commission_payable')
    .executeTakeFirstOrThrow();
  const current = -Number(accrued.n); // payable is a credit balance
  const delta = target - current;
  if (delta === 0) return 0;
  await post(ctx, {
    kind: delta > 0 ? 'commission_accrual' : 'commission_reversal',
    currency: s.appointment.currency,
    lines: delta > 0 ? [{ account: 'commission_expense', amountMinor: delta }, { account: 'commission_payable', amountMinor: -delta }] : [{ account: 'commission_payable', amountMinor: -delta }, { account: 'commission_expense', amountMinor: delta }],
    memo: `${delta > 0 ? 'Commission' : 'Commission reversed'} for code ${code.code}`,
    appointmentId: s.appointment.id,
    referralCodeId: code.id,
  });
  return delta;
}

async function staffNames(ctx: Ctx, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => Boolean(x)))];
  if (wanted.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export function refundView(r: RefundRow, method: PaymentView['method']): RefundView {
  return {
    id: r.id,
    paymentId: r.payment_id,
    method,
    currency: r.currency,
    amountMinor: r.amount_minor,
    kind: r.kind,
    reason: r.reason,
    status: r.status,
    reference: r.reference,
    failureReason: r.failure_reason,
    createdAt: r.created_at,
    settledAt: r.settled_at,
  };
}

export function paymentViewOf(p: PaymentRow, refunds: RefundRow[], names: Map<string, string>): PaymentView {
  return {
    id: p.id,
    appointmentId: p.appointment_id,
    patientId: p.patient_id,
    method: p.method,
    status: p.status,
    currency: p.currency,
    amountMinor: p.amount_minor,
    tenderedMinor: p.tendered_minor,
    changeMinor: p.change_minor,
    reference: p.reference,
    insurer: p.insurer,
    checkoutUrl: p.stripe_checkout_url,
    readerId: p.stripe_reader_id,
    failureReason: p.failure_reason,
    refundedMinor: refunds.filter((r) => r.payment_id === p.id && r.status !== 'failed').reduce((t, r) => t + r.amount_minor, 0),
    businessDay: p.business_day,
    createdAt: p.created_at,
    createdByName: p.created_by ? (names.get(p.created_by) ?? null) : null,
    settledAt: p.settled_at,
  };
}

export async function summaryOf(ctx: Ctx, s: MoneyState): Promise<PaymentSummary> {
  const names = await staffNames(ctx, s.payments.map((p) => p.created_by));
  const methodOf = new Map(s.payments.map((p) => [p.id, p.method]));
  return {
    appointmentId: s.appointment.id,
    status: statusOf(s),
    currency: s.appointment.currency,
    priceMinor: s.appointment.price_minor,
    feeMinor: s.appointment.fee_minor,
    paidMinor: s.capturedMinor - s.refundedMinor,
    refundedMinor: s.refundedMinor,
    dueMinor: dueOf(s),
    payments: s.payments.map((p) => paymentViewOf(p, s.refunds, names)),
    refunds: s.refunds.map((r) => refundView(r, methodOf.get(r.payment_id) ?? 'cash')),
  };
}

export async function paymentSummary(ctx: Ctx, input: { appointmentId: string }): Promise<PaymentSummary> {
  return summaryOf(ctx, await moneyState(ctx, input.appointmentId));
}
