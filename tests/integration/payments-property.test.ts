import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import { addDays, isoWeekday } from '../../src-main/core/time/time.js';
import type { PaymentSummary } from '../../src-main/contract/index.js';

/**
 * Property tests of the money rules over a real SQLite file, through the dispatcher: random
 * appointments with or without a referral code (a percentage or a fixed commission), random
 * sequences of cash (with change), card-terminal and insurance payments (paid, rejected or left
 * pending), partial refunds through each method, and an ending — none, a cancellation by the
 * patient or the clinic inside or outside the window under either policy (a fee kept or a
 * percentage refunded), or a no-show with a fee.
 *
 * Each run is one business day of its own (the clock moves to the next weekday, the run's
 * appointments are that afternoon, the day is closed at the end with the cash the model says is
 * in the till), so runs do not see each other's money; the invariants over the whole file are
 * checked after every run as well.
 *
 * Invariants: every ledger movement sums to zero; no total is ever negative (paid, due,
 * refunded, the cash account, the day's cash-up figures); the till (cash handed over minus
 * change minus cash paid out) equals the ledger's cash account for the day and in total, and the
 * day closes with no difference; the commission always equals the rule applied once (half-up)
 * to the net amount paid; refunds never exceed what was captured; a cancellation keeps exactly
 * min(fee, net paid) and leaves the rest of the fee due.
 */
const NUM_RUNS = Number(process.env.PAYMENTS_PROPERTY_RUNS ?? 10);

let clinic: Clinic;
beforeAll(async () => {
  clinic = await openClinic({ patients: 4 });
  await clinic.ok('admin', 'settings/update', { horizonDays: 730 });
}, 60_000);
afterAll(async () => {
  await clinic?.dispose();
});

const q = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).get(...args) as T;
let keys = 0;
const key = () => `property-${++keys}`;

/** Half-up of amount × bp / 10 000, in BigInt: the reference for the commission rule. */
const halfUp = (amount: number, bp: number) => Number((BigInt(amount) * BigInt(bp) * 2n + 10_000n) / 20_000n);

type Step =
  | { t: 'cash'; frac: number; extra: number }
  | { t: 'card'; frac: number }
  | { t: 'claim'; frac: number; outcome: 'paid' | 'rejected' | 'pending' }
  | { t: 'refund'; which: number; frac: number };
type Ending =
  | { t: 'none' }
  | { t: 'cancel'; party: 'patient' | 'clinic'; inside: boolean; policy: { kind: 'fee'; feeMinor: number } | { kind: 'percent'; bp: number } }
  | { t: 'noshow'; feeMinor: number };
interface Visit {
  code: null | { kind: 'percent'; bp: number } | { kind: 'fixed'; amountMinor: number };
  steps: Step[];
  ending: Ending;
}

/** A share of what is due or refundable, in per cent. */
const frac = fc.integer({ min: 0, max: 100 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('cash' as const), frac, extra: fc.integer({ min: 0, max: 5000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('card' as const), frac }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('claim' as const), frac, outcome: fc.constantFrom('paid' as const, 'rejected' as const, 'pending' as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('refund' as const), which: fc.nat(5), frac }) },
);
const ending: fc.Arbitrary<Ending> = fc.oneof(
  fc.constant({ t: 'none' as const }),
  fc.record({
    t: fc.constant('cancel' as const),
    party: fc.constantFrom('patient' as const, 'clinic' as const),
    inside: fc.boolean(),
    policy: fc.oneof(
      fc.record({ kind: fc.constant('fee' as const), feeMinor: fc.integer({ min: 0, max: 8000 }) }),
      fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 10_000 }) }),
    ),
  }),
  fc.record({ t: fc.constant('noshow' as const), feeMinor: fc.integer({ min: 0, max: 8000 }) }),
);
const visit: fc.Arbitrary<Visit> = fc.record({
  code: fc.oneof(
    fc.constant(null),
    fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 1, max: 5000 }) }),
    fc.record({ kind: fc.constant('fixed' as const), amountMinor: fc.integer({ min: 1, max: 3000 }) }),
  ),
  steps: fc.array(step, { maxLength: 6 }),
  ending,
});

let day = '2026-06-01';
let codes = 0;

/** The next weekday, 08:00 clinic time, everyone signed in again. */
async function nextDay(): Promise<string> {
  do day = addDays(day, 1);
  while (isoWeekday(day) > 5);
  await clinic.setNow(clinic.at(day, '08:00'));
  return day;
}

async function attachCode(appointmentId: string, code: NonNullable<Visit['code']>) {
  const commission = code.kind === 'percent' ? { kind: 'percent', bp: code.bp } : { kind: 'fixed', amountMinor: code.amountMinor, currency: 'USD' };
  const saved = await clinic.ok('admin', 'referral/save', codeInput({ code: `PROP-${++codes}`, commission, discount: { kind: 'percent', bp: 1, capMinor: null } }));
  const a = one<{ patient_id: string; consultation_type_id: string; price_minor: number }>('SELECT * FROM appointment WHERE id = ?', appointmentId);
  await inTransaction(clinic.app, clinic.clock, async (ctx) => {
    const r = await reserveRedemption(ctx, { code: saved.code.code, patientId: a.patient_id, consultationTypeId: a.consultation_type_id, baseAmount: { minor: a.price_minor, currency: 'USD' } });
    await confirmRedemption(ctx, r.redemptionId, appointmentId);
  });
}

const amountOf = (percent: number, max: number) => Math.min(max, Math.max(1, Math.ceil((percent * max) / 100)));
const summary = (appointmentId: string) => clinic.ok('deskA', 'payment/summary', { appointmentId });

async function confirmPendingRefunds(appointmentId: string) {
  for (const r of (await summary(appointmentId)).refunds.filter((x) => x.status === 'pending')) {
    await clinic.ok('deskA', 'payment/confirm-refund', { refundId: r.id, reference: `R-${r.id.slice(0, 8)}` });
  }
}

function expectNonNegative(s: PaymentSummary) {
  for (const k of ['priceMinor', 'feeMinor', 'paidMinor', 'refundedMinor', 'dueMinor'] as const) expect(s[k], k).toBeGreaterThanOrEqual(0);
  for (const p of s.payments) {
    expect(p.refundedMinor).toBeGreaterThanOrEqual(0);
    expect(p.refundedMinor, 'refunds within the payment').toBeLessThanOrEqual(p.status === 'succeeded' ? p.amountMinor : 0);
  }
}

/** Plays one visit; returns the cash this visit put in (or took out of) the till by the model. */
async function play(v: Visit, appointmentId: string, phase: 'day' | 'evening'): Promise<number> {
  let till = 0;
  if (phase === 'day') {
    for (const st of v.steps) {
      const s = await summary(appointmentId);
      if (st.t === 'refund') {
        const refundable = s.payments.filter((p) => p.status === 'succeeded' && p.method !== 'no_charge' && p.amountMinor - p.refundedMinor > 0);
        if (refundable.length === 0) continue;
        const p = refundable[st.which % refundable.length]!;
        const amount = amountOf(st.frac, p.amountMinor - p.refundedMinor);
        const out = await clinic.ok('deskA', 'payment/refund', { paymentId: p.id, amountMinor: amount, reason: 'Property', idempotencyKey: key() });
        if (p.method === 'cash') till -= amount;
        else await clinic.ok('deskA', 'payment/confirm-refund', { refundId: out.refund.id, reference: 'REF-1' });
        continue;
      }
      if (s.dueMinor === 0) continue;
      const amount = amountOf(st.frac, s.dueMinor);
      if (st.t === 'cash') {
        const out = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId, amountMinor: amount, tenderedMinor: amount + st.extra, idempotencyKey: key() });
        expect(out.payment.changeMinor).toBe(st.extra);
        till += amount; // handed over minus the change given back
      } else if (st.t === 'card') {
        await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId, amountMinor: amount, reference: 'TRM', idempotencyKey: key() });
      } else {
        const claim = await clinic.ok('deskA', 'payment/record', { method: 'insurance', appointmentId, amountMinor: amount, insurer: 'Prop Mutual', reference: 'CLM', idempotencyKey: key() });
        if (st.outcome !== 'pending') await clinic.ok('deskA', 'payment/settle-insurance', { paymentId: claim.payment.id, outcome: st.outcome, note: '' });
      }
    }
  }
  const end = v.ending;
  if ((phase === 'day' && end.t === 'cancel') || (phase === 'evening' && end.t === 'noshow')) {
    const before = await summary(appointmentId);
    const cashBefore = before.payments.filter((p) => p.method === 'cash').reduce((t, p) => t + p.refundedMinor, 0);
    let fee: number;
    if (end.t === 'cancel') {
      const policy = end.policy.kind === 'fee' ? { lateCancelKind: 'fee', lateCancelFeeMinor: end.policy.feeMinor } : { lateCancelKind: 'percent', lateCancelRefundBp: end.policy.bp };
      await clinic.ok('admin', 'settings/update', { ...policy, cancellationWindowHours: end.inside ? 24 : 0 });
      const within = end.inside && end.party === 'patient';
      fee = !within ? 0 : end.policy.kind === 'fee' ? Math.min(before.priceMinor, end.policy.feeMinor) : before.priceMinor - halfUp(before.priceMinor, end.policy.bp);
      const preview = await clinic.ok('deskA', 'payment/cancel-preview', { appointmentId, party: end.party });
      expect(preview.feeMinor).toBe(fee);
      await clinic.ok('deskA', 'appointment/cancel', { appointmentId, party: end.party, reason: 'Property' });
    } else {
      await clinic.ok('admin', 'settings/update', { noShowFeeMinor: end.feeMinor });
      fee = Math.min(before.priceMinor, end.feeMinor);
      await clinic.ok('deskA', 'appointment/set-status', { appointmentId, status: 'no_show' });
    }
    const after = await summary(appointmentId);
    // Exactly the fee is kept from what was paid; the rest of the fee stays due.
    expect(after.feeMinor).toBe(fee);
    expect(after.paidMinor).toBe(Math.min(fee, before.paidMinor));
    expect(after.dueMinor).toBe(Math.max(0, fee - before.paidMinor));
    const cashAfter = after.payments.filter((p) => p.method === 'cash').reduce((t, p) => t + p.refundedMinor, 0);
    till -= cashAfter - cashBefore; // cash refunds are paid out at once
    await confirmPendingRefunds(appointmentId);
  }
  return till;
}

async function checkVisit(appointmentId: string, code: Visit['code']) {
  const s = await summary(appointmentId);
  expectNonNegative(s);
  // Refunds never exceed what was captured, per payment (also straight from the rows).
  const over = q('SELECT p.id FROM payment p JOIN refund r ON r.payment_id = p.id AND r.status <> ? GROUP BY p.id HAVING sum(r.amount_minor) > max(CASE WHEN p.status = ? THEN p.amount_minor ELSE 0 END)', 'failed', 'succeeded');
  expect(over).toEqual([]);
  if (!code) return;
  const captured = one<{ n: number }>("SELECT coalesce(sum(amount_minor), 0) AS n FROM payment WHERE appointment_id = ? AND status = 'succeeded'", appointmentId).n;
  const refunded = one<{ n: number }>("SELECT coalesce(sum(r.amount_minor), 0) AS n FROM refund r JOIN payment p ON p.id = r.payment_id WHERE p.appointment_id = ? AND r.status = 'succeeded'", appointmentId).n;
  const net = captured - refunded;
  const expected = net <= 0 ? 0 : code.kind === 'percent' ? halfUp(net, code.bp) : code.amountMinor;
  const commission = one<{ n: number }>("SELECT coalesce(-sum(amount_minor), 0) AS n FROM ledger_entry WHERE appointment_id = ? AND account = 'commission_payable'", appointmentId).n;
  expect(commission, `commission on net ${net}`).toBe(expected);
}

function checkBooks() {
  expect(q('SELECT txn_id FROM ledger_entry GROUP BY txn_id, currency HAVING sum(amount_minor) <> 0')).toEqual([]);
  const cash = one<{ n: number }>("SELECT coalesce(sum(amount_minor), 0) AS n FROM ledger_entry WHERE account = 'cash'").n;
  // The till by the rows: cash handed over minus change minus cash paid out.
  const rows = one<{ n: number }>(
    "SELECT (SELECT coalesce(sum(tendered_minor - change_minor), 0) FROM payment WHERE method = 'cash' AND status = 'succeeded') - (SELECT coalesce(sum(r.amount_minor), 0) FROM refund r JOIN payment p ON p.id = r.payment_id WHERE p.method = 'cash' AND r.status = 'succeeded') AS n",
  ).n;
  expect(cash).toBe(rows);
  expect(cash).toBeGreaterThanOrEqual(0);
  for (const account of ['card_terminal', 'insurance_received', 'commission_payable'] as const) {
    const n = one<{ n: number }>('SELECT coalesce(sum(amount_minor), 0) AS n FROM ledger_entry WHERE account = ?', account).n;
    if (account === 'commission_payable') expect(-n).toBeGreaterThanOrEqual(0);
    else expect(n).toBeGreaterThanOrEqual(0);
  }
}

describe('money properties over the dispatcher', () => {
  it('the ledger balances, nothing goes negative, the till matches the books, commissions follow the rule', async () => {
    let totalTill = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(visit, { minLength: 1, maxLength: 4 }), async (visits) => {
        const today = await nextDay();
        const booked: string[] = [];
        for (let i = 0; i < visits.length; i++) {
          const a = await clinic.book('deskA', { patient: i % 4, doctorId: IDS.grey, date: today, time: `${13 + Math.floor(i / 4)}:${String((i % 4) * 15).padStart(2, '0')}` });
          booked.push(a.id);
          if (visits[i]!.code) await attachCode(a.id, visits[i]!.code!);
        }
        let till = 0;
        for (let i = 0; i < visits.length; i++) {
          till += await play(visits[i]!, booked[i]!, 'day');
          await checkVisit(booked[i]!, visits[i]!.code);
        }
        if (visits.some((v) => v.ending.t === 'noshow')) {
          await clinic.setNow(clinic.at(today, '17:30'));
          for (let i = 0; i < visits.length; i++) {
            till += await play(visits[i]!, booked[i]!, 'evening');
            await checkVisit(booked[i]!, visits[i]!.code);
          }
        }
        checkBooks();
        const cashUp = await clinic.ok('deskB', 'cashup/preview', {});
        expect(cashUp.businessDay).toBe(today);
        expect(cashUp.totals.cash.expectedMinor).toBe(till);
        for (const v of [cashUp.totals.cash.inMinor, cashUp.totals.cash.refundedMinor, cashUp.totals.refundsMinor, cashUp.totals.feesKeptMinor, cashUp.totals.cardTerminal.inMinor, cashUp.totals.cardTerminal.outMinor, cashUp.totals.paymentCount]) {
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(cashUp.totals.cash.expectedMinor).toBe(cashUp.totals.cash.inMinor - cashUp.totals.cash.refundedMinor);
        const closed = await clinic.ok('deskB', 'cashup/close', { businessDay: today, countedCashMinor: till, note: '' });
        expect(closed.closed?.differenceMinor).toBe(0);
        totalTill += till;
        expect(one<{ n: number }>("SELECT coalesce(sum(amount_minor), 0) AS n FROM ledger_entry WHERE account = 'cash'").n).toBe(totalTill);
      }),
      { numRuns: NUM_RUNS, endOnFailure: true, seed: process.env.PAYMENTS_PROPERTY_SEED ? Number(process.env.PAYMENTS_PROPERTY_SEED) : undefined },
    );
  }, 300_000);
});
