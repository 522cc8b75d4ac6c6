import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';

/**
 * Taking money at the desk and giving it back by the clinic's policy. The demo-free clinic of
 * tests/helpers/booking.ts: now is Monday 1 June 2026, 08:00 New York; a general consultation
 * costs $60.00; the cancellation window is 24 hours.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const key = () => `pay-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const q = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).get(...args) as T;
const unbalanced = () => q('SELECT txn_id FROM ledger_entry GROUP BY txn_id, currency HAVING sum(amount_minor) <> 0');
const balance = (account: string) => one<{ n: number | null }>('SELECT sum(amount_minor) AS n FROM ledger_entry WHERE account = ?', account).n ?? 0;
const moneyCounts = () => one<Record<string, number>>(
  'SELECT (SELECT count(*) FROM payment) AS payments, (SELECT count(*) FROM refund) AS refunds, (SELECT count(*) FROM ledger_entry) AS ledger, (SELECT count(*) FROM event) AS events',
);

/** Books tomorrow 10:00 with Dr Grey (a $60.00 general consultation). */
const bookTomorrow = (time = '10:00', patient = 0) => clinic.book('deskA', { patient, doctorId: IDS.grey, date: '2026-06-02', time });
/** Today 15:00, seven hours from now: inside the 24-hour window. */
const bookLate = () => clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '15:00' });

/** Attaches a referral code to an appointment, as booking will (reserve + confirm in one transaction). */
async function withCode(appointmentId: string, overrides: Record<string, unknown>) {
  const saved = await clinic.ok('admin', 'referral/save', codeInput(overrides));
  const a = one<{ patient_id: string; consultation_type_id: string; price_minor: number }>('SELECT * FROM appointment WHERE id = ?', appointmentId);
  await inTransaction(clinic.app, clinic.clock, async (ctx) => {
    const r = await reserveRedemption(ctx, { code: saved.code.code, patientId: a.patient_id, consultationTypeId: a.consultation_type_id, baseAmount: { minor: a.price_minor, currency: 'USD' } });
    await confirmRedemption(ctx, r.redemptionId, appointmentId);
  });
  return saved.code;
}

describe('taking money at the desk', () => {
  it('cash: the change is given back, the ledger balances, the status is paid everywhere', async () => {
    const a = await bookTomorrow();
    expect(a.paymentStatus).toBe('unpaid');
    const out = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 10000, idempotencyKey: key() });
    expect(out.payment).toMatchObject({ method: 'cash', status: 'succeeded', amountMinor: 6000, tenderedMinor: 10000, changeMinor: 4000, createdByName: 'Desk A', businessDay: '2026-06-01' });
    expect(out.summary).toMatchObject({ status: 'paid', paidMinor: 6000, dueMinor: 0 });
    expect(balance('cash')).toBe(6000);
    expect(balance('revenue')).toBe(-6000);
    expect(unbalanced()).toEqual([]);
    expect((await clinic.ok('deskB', 'appointment/get', { appointmentId: a.id })).appointment.paymentStatus).toBe('paid');
    const day = await clinic.ok('deskA', 'agenda/day', { date: '2026-06-02' });
    expect(day.items.find((i) => i.id === a.id)?.paymentStatus).toBe('paid');
    // Nothing more is due: a second payment is refused.
    const err = await clinic.err('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 100, tenderedMinor: 100, idempotencyKey: key() }, 'payment/nothing-due');
    expect(err.message).toBe('This appointment is paid in full.');
  });

  it('a retried request takes the money once', async () => {
    const a = await bookTomorrow();
    const input = { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() };
    const first = await clinic.ok('deskA', 'payment/record', input);
    const again = await clinic.ok('deskA', 'payment/record', input);
    expect(again.payment.id).toBe(first.payment.id);
    expect(moneyCounts().payments).toBe(1);
    expect(balance('cash')).toBe(6000);
  });

  it('refuses bad amounts with field errors and writes nothing', async () => {
    const a = await bookTomorrow();
    const before = moneyCounts();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ amountMinor: -100, tenderedMinor: 0 }, 'amountMinor', /negative/],
      [{ amountMinor: 12.5, tenderedMinor: 100 }, 'amountMinor', /whole minor units/],
      [{ amountMinor: 2 ** 60, tenderedMinor: 2 ** 60 }, 'amountMinor', /too large/],
      [{ amountMinor: 0, tenderedMinor: 0 }, 'amountMinor', /Enter the amount/],
      [{ amountMinor: 7000, tenderedMinor: 7000 }, 'amountMinor', /Only \$60\.00 is due/],
      [{ amountMinor: 6000, tenderedMinor: 5000 }, 'tenderedMinor', /less than/],
    ];
    for (const [fields, field, message] of cases) {
      const outcome = await clinic.call('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, idempotencyKey: key(), ...fields });
      expect(outcome.result.ok, JSON.stringify(fields)).toBe(false);
      if (!outcome.result.ok) expect(outcome.result.error.fieldErrors?.[field]?.[0], JSON.stringify(fields)).toMatch(message);
    }
    const terminal = await clinic.call('deskA', 'payment/record', { method: 'card_terminal', appointmentId: a.id, amountMinor: 6000, reference: '  ', idempotencyKey: key() });
    expect(terminal.result.ok || terminal.result.error.fieldErrors?.reference?.[0]).toMatch(/reference/i);
    const unknown = await clinic.call('deskA', 'payment/record', { method: 'bitcoin', appointmentId: a.id, idempotencyKey: key() });
    expect(unknown.result.ok).toBe(false);
    expect(moneyCounts()).toEqual(before);
  });

  it('card terminal with its reference; split with cash; partly paid in between', async () => {
    const a = await bookTomorrow();
    const part = await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: a.id, amountMinor: 2500, reference: 'TRM-0042', idempotencyKey: key() });
    expect(part.summary).toMatchObject({ status: 'partly_paid', dueMinor: 3500 });
    const rest = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 3500, tenderedMinor: 4000, idempotencyKey: key() });
    expect(rest.summary).toMatchObject({ status: 'paid', paidMinor: 6000 });
    expect(balance('card_terminal')).toBe(2500);
    expect(balance('cash')).toBe(3500);
  });

  it('insurance: pending until the insurer pays; a rejection makes it due again and asks for attention', async () => {
    const a = await bookTomorrow();
    const claim = await clinic.ok('deskA', 'payment/record', { method: 'insurance', appointmentId: a.id, amountMinor: 4800, insurer: 'Acme Health', reference: 'CLM-1', idempotencyKey: key() });
    expect(claim.summary).toMatchObject({ status: 'insurance_pending', dueMinor: 1200 });
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 1200, tenderedMinor: 1200, idempotencyKey: key() });
    const rejected = await clinic.ok('deskA', 'payment/settle-insurance', { paymentId: claim.payment.id, outcome: 'rejected', note: 'not covered' });
    expect(rejected.summary).toMatchObject({ status: 'partly_paid', dueMinor: 4800 });
    const attention = await clinic.ok('deskB', 'payment/attention', {});
    expect(attention.items[0]).toMatchObject({ kind: 'insurance-rejected', paymentId: claim.payment.id });
    expect(attention.items[0]!.detail).toMatch(/Acme Health rejected claim CLM-1/);
    const claim2 = await clinic.ok('deskA', 'payment/record', { method: 'insurance', appointmentId: a.id, amountMinor: 4800, insurer: 'Other Mutual', reference: 'CLM-2', idempotencyKey: key() });
    const paid = await clinic.ok('deskA', 'payment/settle-insurance', { paymentId: claim2.payment.id, outcome: 'paid', note: '' });
    expect(paid.summary).toMatchObject({ status: 'paid', dueMinor: 0, paidMinor: 6000 });
    expect(balance('insurance_received')).toBe(4800);
    await clinic.err('deskA', 'payment/settle-insurance', { paymentId: claim2.payment.id, outcome: 'paid', note: '' }, 'payment/settled');
  });

  it('no charge waives what is due', async () => {
    const a = await bookTomorrow();
    const out = await clinic.ok('deskA', 'payment/record', { method: 'no_charge', appointmentId: a.id, reason: 'Follow-up included', idempotencyKey: key() });
    expect(out.summary).toMatchObject({ status: 'no_charge', dueMinor: 0 });
    expect(moneyCounts().ledger).toBe(0);
  });

  it('a patient sees their own money and nobody else’s', async () => {
    const mine = await bookTomorrow('10:00', 0);
    const theirs = await bookTomorrow('11:00', 1);
    const me = clinic.patients[0]!;
    expect((await clinic.asPatient(me, 'payment/summary', { appointmentId: mine.id })).status).toBe('unpaid');
    await clinic.err({ patientToken: me.accessToken }, 'payment/summary', { appointmentId: theirs.id }, 'common/not-found');
    await clinic.err({ patientToken: me.accessToken }, 'payment/record', { method: 'no_charge', appointmentId: mine.id, reason: 'free please', idempotencyKey: key() }, 'auth/forbidden');
  });
});

describe('refunds and the cancellation policy', () => {
  it('a patient cancelling inside the window keeps a fixed fee; the rest goes back in cash; the commission is reversed', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 2000 });
    const a = await bookLate();
    const code = await withCode(a.id, { code: 'AGENT-10', commission: { kind: 'percent', bp: 1000 }, discount: { kind: 'percent', bp: 1, capMinor: null } });
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    expect(balance('commission_payable')).toBe(-600);
    const preview = await clinic.ok('deskA', 'payment/cancel-preview', { appointmentId: a.id, party: 'patient' });
    expect(preview).toMatchObject({ withinWindow: true, feeMinor: 2000, refundMinor: 4000, commissionReversedMinor: 400 });
    expect(preview.summary).toBe('$40.00 will be refunded ($40.00 in cash from the till). $20.00 is kept as the late-cancellation fee.');
    expect(preview.policyText).toMatch(/less than 24 hours before: refunded except a fee of \$20\.00/);
    const cancelled = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Patient is ill' });
    expect(cancelled.appointment.paymentStatus).toBe('partly_refunded');
    const summary = await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id });
    expect(summary).toMatchObject({ feeMinor: 2000, paidMinor: 2000, refundedMinor: 4000, dueMinor: 0 });
    expect(summary.refunds).toEqual([expect.objectContaining({ amountMinor: 4000, status: 'succeeded', kind: 'policy', method: 'cash' })]);
    expect(balance('cash')).toBe(2000);
    expect(balance('fee_income')).toBe(-2000);
    expect(balance('revenue')).toBe(0);
    expect(balance('commission_payable')).toBe(-200);
    expect(q('SELECT kind FROM ledger_entry WHERE referral_code_id = ? GROUP BY txn_id ORDER BY min(seq)', code.id)).toEqual([{ kind: 'commission_accrual' }, { kind: 'commission_reversal' }]);
    expect(unbalanced()).toEqual([]);
  });

  it('a percentage policy, a clinic cancellation, and a cancellation before the window', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'percent', lateCancelRefundBp: 2500 });
    const late = await bookLate();
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: late.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    const p1 = await clinic.ok('deskA', 'payment/cancel-preview', { appointmentId: late.id, party: 'patient' });
    expect(p1).toMatchObject({ feeMinor: 4500, refundMinor: 1500 });
    const p2 = await clinic.ok('deskA', 'payment/cancel-preview', { appointmentId: late.id, party: 'clinic' });
    expect(p2).toMatchObject({ feeMinor: 0, refundMinor: 6000 });
    const early = await bookTomorrow('10:00');
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: early.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    const p3 = await clinic.ok('deskA', 'payment/cancel-preview', { appointmentId: early.id, party: 'patient' });
    expect(p3).toMatchObject({ withinWindow: false, feeMinor: 0, refundMinor: 6000 });
    const out = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: early.id, party: 'patient', reason: 'Travelling' });
    expect(out.appointment.paymentStatus).toBe('refunded');
  });

  it('an unpaid late cancellation leaves the fee due; a card-terminal refund waits for its reference', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 1500 });
    const unpaid = await bookLate();
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: unpaid.id, party: 'patient', reason: 'Forgot' });
    const due = await clinic.ok('deskA', 'payment/summary', { appointmentId: unpaid.id });
    expect(due).toMatchObject({ status: 'unpaid', feeMinor: 1500, dueMinor: 1500 });
    const fee = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: unpaid.id, amountMinor: 1500, tenderedMinor: 2000, idempotencyKey: key() });
    expect(fee.summary).toMatchObject({ status: 'paid', dueMinor: 0 });
    expect(balance('fee_income')).toBe(-1500);

    const card = await bookTomorrow('10:00');
    const paid = await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: card.id, amountMinor: 6000, reference: 'TRM-7', idempotencyKey: key() });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: card.id, party: 'clinic', reason: 'Doctor ill' });
    const pending = await clinic.ok('deskA', 'payment/summary', { appointmentId: card.id });
    expect(pending.refunds).toEqual([expect.objectContaining({ amountMinor: 6000, status: 'pending', method: 'card_terminal' })]);
    expect(balance('card_terminal')).toBe(6000); // not yet given back
    const todo = await clinic.ok('deskA', 'payment/attention', {});
    expect(todo.items.find((i) => i.kind === 'refund-on-terminal')?.detail).toMatch(/Refund \$60\.00 on the desk’s card terminal .*TRM-7/);
    await clinic.err('deskA', 'payment/resolve-attention', { attentionId: todo.items[0]!.id, resolution: 'done' }, 'payment/attention-needs-refund');
    const done = await clinic.ok('deskA', 'payment/confirm-refund', { refundId: pending.refunds[0]!.id, reference: 'TRM-R-9' });
    expect(done.summary.status).toBe('refunded');
    expect(balance('card_terminal')).toBe(0);
    expect((await clinic.ok('deskA', 'payment/attention', {})).items.filter((i) => i.paymentId === paid.payment.id)).toEqual([]);
    expect(unbalanced()).toEqual([]);
  });

  it('a no-show keeps the no-show fee and refunds the rest', async () => {
    await clinic.ok('admin', 'settings/update', { noShowFeeMinor: 2500 });
    const a = await bookLate();
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    await clinic.setNow(clinic.at('2026-06-01', '15:20'));
    const out = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'no_show' });
    expect(out.appointment.paymentStatus).toBe('partly_refunded');
    expect(balance('cash')).toBe(2500);
    expect(balance('fee_income')).toBe(-2500);
  });

  it('manual refunds: never more than was taken, never twice on a retry', async () => {
    const a = await bookTomorrow();
    const paid = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    const err = await clinic.err('deskA', 'payment/refund', { paymentId: paid.payment.id, amountMinor: 6001, reason: 'oops', idempotencyKey: key() }, 'payment/refund-too-large');
    expect(err.fieldErrors?.amountMinor?.[0]).toBe('At most $60.00 can be refunded from this payment.');
    const input = { paymentId: paid.payment.id, amountMinor: 1000, reason: 'Goodwill', idempotencyKey: key() };
    await clinic.ok('deskA', 'payment/refund', input);
    await clinic.ok('deskA', 'payment/refund', input);
    expect(moneyCounts().refunds).toBe(1);
    // The database refuses an over-refund even when the code is skipped.
    expect(() =>
      clinic.app.raw
        .prepare("INSERT INTO refund (id, payment_id, appointment_id, desk_id, currency, amount_minor, kind, reason, status, business_day, version, created_at, updated_at) VALUES ('x', ?, ?, 'd', 'USD', 5001, 'manual', 'r', 'succeeded', '2026-06-01', 1, 'now', 'now')")
        .run(paid.payment.id, a.id),
    ).toThrow(/payment\/refund-too-large/);
  });

  it('the ledger is append-only', async () => {
    const a = await bookTomorrow();
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    expect(() => clinic.app.raw.prepare('UPDATE ledger_entry SET amount_minor = 1').run()).toThrow(/ledger\/append-only/);
    expect(() => clinic.app.raw.prepare('DELETE FROM ledger_entry').run()).toThrow(/ledger\/append-only/);
    const fix = await clinic.ok('admin', 'ledger/correct', { amountMinor: 500, fromAccount: 'cash', toAccount: 'suspense', memo: 'Till short by $5', idempotencyKey: key() });
    expect(fix.businessDay).toBe('2026-06-01');
    const books = await clinic.ok('admin', 'ledger/balance', {});
    expect(books.unbalancedTxns).toBe(0);
    expect(books.accounts).toContainEqual({ account: 'cash', balanceMinor: 5500 });
    await clinic.err('deskA', 'ledger/correct', { amountMinor: 500, fromAccount: 'cash', toAccount: 'suspense', memo: 'x', idempotencyKey: key() }, 'auth/forbidden');
  });

  it('money paid for a visit follows it when it is rescheduled', async () => {
    const a = await bookTomorrow('10:00');
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    const moved = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: a.id, startAt: clinic.at('2026-06-03', '14:00'), reason: 'Patient asked' });
    expect(moved.appointment.paymentStatus).toBe('paid');
    const summary = await clinic.ok('deskA', 'payment/summary', { appointmentId: moved.appointment.id });
    expect(summary).toMatchObject({ paidMinor: 6000, dueMinor: 0 });
    expect(summary.payments).toHaveLength(1);
  });
});
