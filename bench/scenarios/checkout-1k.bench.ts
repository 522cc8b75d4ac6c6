/**
 * checkout-1k: 1,000 checkouts (quick: 200) — a booking with a referral code and a cash
 * payment — through the full service layer, against raw better-sqlite3 transactions writing the
 * same rows, in the same run.
 *
 * Data: the busy-clinic fixture (busyClinicFixture(), shared with book-10k) plus one referral
 * code (10 % commission, 10 % discount, no limits) saved through `referral/save` before timing.
 * Targets: pickBookingTargets() free slots on days 1–365, alternating between the sides.
 *
 * App side, per checkout (all through the dispatcher with a signed-in staff caller, except the
 * redemption — see INTERIM):
 *   1. `booking/create` (validation, slot check, the appointment, its change envelope, audit);
 *   2. INTERIM: the code's redemption reserved and confirmed with the core functions
 *      `reserveRedemption` + `confirmRedemption` in their own BEGIN IMMEDIATE transaction (as
 *      tests/integration/payments.test.ts `withCode` does), because `booking/create` does not
 *      take `referralCode` in this branch yet. At merge with `booking-code`, fold this step into
 *      step 1 as `booking/create { referralCode }` and drop the baseline's separate redemption
 *      transaction (search for INTERIM below): both sides then commit twice per checkout.
 *   3. `payment/record` cash for the appointment's price, tendered exactly (the money state,
 *      the payment row, the charge movement in the ledger, the payment status on the
 *      appointment, the agent's commission accrual, change envelopes for every synced row,
 *      audit).
 *
 * Baseline side, same connection (app.raw), statements prepared once, the same transaction
 * boundaries as the app side (three commits per checkout while INTERIM holds):
 *   1. BEGIN IMMEDIATE → patient, doctor, type, hours → overlap check → INSERT appointment →
 *      envelope → audit → COMMIT;
 *   2. BEGIN IMMEDIATE → the code by its text → INSERT referral_redemption (confirmed; the
 *      usage-limit triggers run) → COMMIT (the app's core call writes no envelope either);
 *   3. BEGIN IMMEDIATE → the appointment → what is paid so far → INSERT payment → 2 charge
 *      rows → the code of the appointment → 2 commission rows → UPDATE payment_status →
 *      envelopes (payment, 4 ledger rows, appointment; full after-images) → audit → the
 *      idempotency key's stored answer (payment/record takes a key, so the app writes one) → COMMIT.
 * It trusts the slot and skips the answer views: Kysely, zod, the slot engine and the summary
 * read-back are the app's overhead.
 *
 * Rounds: batches of 50 checkouts (quick: 25) per side, alternating, after one untimed warm-up
 * batch. Rows: ops_per_s (checkouts per second of summed batch time; goal ratio ≥ 0.4),
 * ops_per_s_median_batch, per-checkout p50/p95/p99. Afterwards every target is checked to
 * be booked once, paid, with one confirmed redemption and a balanced ledger.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { alternate } from '../lib/alternate.js';
import { rawEventWriter } from '../lib/raw-event.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { pickBookingTargets, type BookingTarget } from '../lib/booking-targets.js';
import { busyClinicFixture, copyFixture, ensureFixture } from '../lib/fixtures.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { percentile, roundValue, summarize } from '../lib/stats.js';
import { msSince, nowNs } from '../lib/timer.js';
import { withImmediateTransaction } from '../../src-main/core/db/transaction.js';
import { newUuid, type Clock, type Ctx } from '../../src-main/core/context.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import type { App } from '../../src-main/app.js';
import { percentOf } from '../../src-main/core/money/money.js';

const MINUTE = 60_000;
const CODE = 'BENCH-AGENT';

/** INTERIM: the redemption as booking will make it, with core functions in one transaction. */
async function attachCode(app: App, clock: Clock, appointment: { id: string; patientId: string; consultationTypeId: string; priceMinor: number; currency: string }) {
  await withImmediateTransaction(app.db, async (trx) => {
    const ctx: Ctx = {
      db: trx,
      clock,
      newId: newUuid,
      actor: { kind: 'system' },
      settings: app.settings(),
      auditRecord() {},
      session: { start() {}, renew() {}, end() {}, lock() {}, unlock() {}, endOthersOf() {}, locked: false, endedReason: null },
      sessionId: null,
      settingsChanged() {},
      afterCommit() {},
    };
    const r = await reserveRedemption(ctx, { code: CODE, patientId: appointment.patientId, consultationTypeId: appointment.consultationTypeId, baseAmount: { minor: appointment.priceMinor, currency: appointment.currency } });
    await confirmRedemption(ctx, r.redemptionId, appointment.id);
  });
}

function rawCheckout(raw: Database.Database, staff: { id: string }, nowIso: string, today: string) {
  const s = {
    begin: raw.prepare('BEGIN IMMEDIATE'),
    commit: raw.prepare('COMMIT'),
    rollback: raw.prepare('ROLLBACK'),
    patient: raw.prepare('select "id" from "patient" where "id" = ?').pluck(),
    doctor: raw.prepare('select "id", "active", "buffer_minutes" from "doctor" where "id" = ?'),
    type: raw.prepare('select * from "consultation_type" where "id" = ?'),
    hours: raw.prepare('select "location_id" from "working_hours" where "doctor_id" = ? and "weekday" = ?'),
    conflict: raw.prepare(
      `select 1 from "appointment" where "doctor_id" = ? and "status" <> 'cancelled'
       and "start_at" >= strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-10 hours') and "start_at" < ? and "block_end_at" > ? limit 1`,
    ),
    insertAppointment: raw.prepare(
      `insert into "appointment" ("id", "patient_id", "doctor_id", "location_id", "consultation_type_id", "start_at", "end_at", "block_end_at",
        "status", "requirements", "price_minor", "currency", "created_at", "created_by_kind", "created_by", "updated_at")
       values (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, 'staff', ?, ?)`,
    ),
    code: raw.prepare('select * from "referral_code" where "code" = ? and "active" = 1'),
    insertRedemption: raw.prepare(
      `insert into "referral_redemption" ("id", "code_id", "patient_id", "consultation_type_id", "hold_id", "appointment_id", "status", "currency",
        "base_minor", "discount_minor", "total_minor", "expires_at", "version", "created_at", "updated_at")
       values (?, ?, ?, ?, null, ?, 'confirmed', ?, ?, ?, ?, ?, 1, ?, ?)`,
    ),
    appointment: raw.prepare('select "id", "patient_id", "status", "price_minor", "currency", "fee_minor", "payment_status" from "appointment" where "id" = ?'),
    paidSoFar: raw.prepare(`select coalesce(sum("amount_minor"), 0) from "payment" where "appointment_id" = ? and "status" = 'succeeded'`).pluck(),
    insertPayment: raw.prepare(
      `insert into "payment" ("id", "appointment_id", "patient_id", "desk_id", "method", "status", "currency", "amount_minor", "tendered_minor", "change_minor",
        "business_day", "version", "created_at", "created_by", "updated_at", "settled_at")
       values (?, ?, ?, ?, 'cash', 'succeeded', ?, ?, ?, 0, ?, 1, ?, ?, ?, ?)`,
    ),
    ledger: raw.prepare(
      `insert into "ledger_entry" ("id", "txn_id", "at", "business_day", "desk_id", "kind", "account", "amount_minor", "currency", "payment_id", "appointment_id", "referral_code_id", "memo", "created_by")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    codeOf: raw.prepare(
      `select c."id", c."commission_bp" from "referral_redemption" r join "referral_code" c on c."id" = r."code_id" where r."appointment_id" = ? and r."status" = 'confirmed'`,
    ),
    setStatus: raw.prepare(`update "appointment" set "payment_status" = 'paid' where "id" = ?`),
    audit: raw.prepare(
      'insert into "audit_log" ("at", "actor_kind", "actor_id", "handler", "record_type", "record_id", "outcome", "detail") values (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const event = rawEventWriter(raw);
  const desk = raw.prepare('select id from desk').pluck().get() as string;
  // Envelopes carry the full after-image, as the app's do: every column, from values in hand.
  const columns = (table: string) => (raw.prepare(`select name from pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => c !== 'seq');
  const image = (cols: string[], values: Record<string, unknown>) => Object.fromEntries(cols.map((c) => [c, values[c] ?? null]));
  const appointmentCols = columns('appointment');
  const paymentCols = columns('payment');
  const ledgerCols = columns('ledger_entry');
  const idempotency = raw.prepare('insert into "idempotency_key" ("key", "handler", "request_hash", "response", "created_at") values (?, ?, ?, ?, ?)');
  const requirements = JSON.stringify({ accessibility: [], interpreterLanguage: '', notes: '' });
  const tx = <T>(fn: () => T): T => {
    s.begin.run();
    try {
      const out = fn();
      s.commit.run();
      return out;
    } catch (err) {
      if (raw.inTransaction) s.rollback.run();
      throw err;
    }
  };
  return (t: BookingTarget): string => {
    // 1. The booking.
    const booked = tx(() => {
      if (!s.patient.get(t.patientId)) throw new Error('baseline: no such patient');
      const doctor = s.doctor.get(t.doctorId) as { active: number; buffer_minutes: number } | undefined;
      if (!doctor || doctor.active !== 1) throw new Error('baseline: no such doctor');
      const type = s.type.get(t.consultationTypeId) as { id: string; duration_minutes: number; price_minor: number; currency: string };
      const hours = s.hours.get(t.doctorId, t.weekday) as { location_id: string } | undefined;
      if (!hours) throw new Error('baseline: outside hours');
      const start = new Date(t.startMs).toISOString();
      const end = new Date(t.startMs + type.duration_minutes * MINUTE).toISOString();
      const blockEnd = new Date(t.startMs + (type.duration_minutes + doctor.buffer_minutes) * MINUTE).toISOString();
      if (s.conflict.get(t.doctorId, start, blockEnd, start)) throw new Error('baseline: slot taken');
      const id = randomUUID();
      s.insertAppointment.run(id, t.patientId, t.doctorId, hours.location_id, type.id, start, end, blockEnd, requirements, type.price_minor, type.currency, nowIso, staff.id, nowIso);
      const appointment = {
        id, patient_id: t.patientId, doctor_id: t.doctorId, location_id: hours.location_id, consultation_type_id: type.id, start_at: start, end_at: end,
        block_end_at: blockEnd, status: 'booked', requirements, price_minor: type.price_minor, currency: type.currency, created_at: nowIso,
        created_by_kind: 'staff', created_by: staff.id, updated_at: nowIso, payment_status: 'unpaid', fee_minor: 0, version: 1,
      };
      event(nowIso, 'appointment', id, image(appointmentCols, appointment), staff.id, t.patientId, t.doctorId);
      s.audit.run(nowIso, 'staff', staff.id, 'booking/create', 'appointment', id, 'ok', null);
      return { id, type, appointment };
    });
    // 2. INTERIM: the redemption in its own transaction (folded into step 1 at merge).
    tx(() => {
      const code = s.code.get(CODE) as { id: string; discount_bp: number };
      const discount = percentOf(booked.type.price_minor, code.discount_bp);
      s.insertRedemption.run(randomUUID(), code.id, t.patientId, booked.type.id, booked.id, booked.type.currency, booked.type.price_minor, discount, booked.type.price_minor - discount, nowIso, nowIso, nowIso);
    });
    // 3. The cash payment with its ledger rows and the agent's commission.
    tx(() => {
      const a = s.appointment.get(booked.id) as { id: string; patient_id: string; price_minor: number; currency: string };
      const due = a.price_minor - (s.paidSoFar.get(a.id) as number);
      if (due <= 0) throw new Error('baseline: nothing due');
      const paymentId = randomUUID();
      s.insertPayment.run(paymentId, a.id, a.patient_id, desk, a.currency, due, due, today, nowIso, staff.id, nowIso, nowIso);
      const payment = {
        id: paymentId, appointment_id: a.id, patient_id: a.patient_id, desk_id: desk, method: 'cash', status: 'succeeded', currency: a.currency, amount_minor: due,
        tendered_minor: due, change_minor: 0, business_day: today, check_attempts: 0, version: 1, created_at: nowIso, created_by: staff.id, updated_at: nowIso, settled_at: nowIso,
      };
      event(nowIso, 'payment', paymentId, image(paymentCols, payment), staff.id, a.patient_id, null);
      const charge = randomUUID();
      for (const [account, amount] of [['cash', due], ['revenue', -due]] as const) {
        const lid = randomUUID();
        s.ledger.run(lid, charge, nowIso, today, desk, 'charge', account, amount, a.currency, paymentId, a.id, null, 'Cash', staff.id);
        event(nowIso, 'ledger_entry', lid, image(ledgerCols, { id: lid, txn_id: charge, at: nowIso, business_day: today, desk_id: desk, kind: 'charge', account, amount_minor: amount, currency: a.currency, payment_id: paymentId, appointment_id: a.id, memo: 'Cash', created_by: staff.id, version: 1 }), staff.id, null, null);
      }
      const code = s.codeOf.get(a.id) as { id: string; commission_bp: number } | undefined;
      if (code) {
        const commission = percentOf(due, code.commission_bp);
        const txn = randomUUID();
        for (const [account, amount] of [['commission_expense', commission], ['commission_payable', -commission]] as const) {
          const lid = randomUUID();
          s.ledger.run(lid, txn, nowIso, today, desk, 'commission_accrual', account, amount, a.currency, null, a.id, code.id, `Commission for code ${CODE}`, staff.id);
          event(nowIso, 'ledger_entry', lid, image(ledgerCols, { id: lid, txn_id: txn, at: nowIso, business_day: today, desk_id: desk, kind: 'commission_accrual', account, amount_minor: amount, currency: a.currency, appointment_id: a.id, referral_code_id: code.id, memo: `Commission for code ${CODE}`, created_by: staff.id, version: 1 }), staff.id, null, null);
        }
      }
      s.setStatus.run(a.id);
      event(nowIso, 'appointment', a.id, image(appointmentCols, { ...booked.appointment, payment_status: 'paid', version: 2 }), staff.id, a.patient_id, null);
      s.audit.run(nowIso, 'staff', staff.id, 'payment/record', 'appointment', a.id, 'ok', 'payment cash');
      // The stored answer for the idempotency key (the payment and the appointment's money summary).
      const view = { id: paymentId, appointmentId: a.id, patientId: a.patient_id, method: 'cash', status: 'succeeded', currency: a.currency, amountMinor: due, tenderedMinor: due, changeMinor: 0, reference: null, insurer: null, checkoutUrl: null, readerId: null, failureReason: null, refundedMinor: 0, businessDay: today, createdAt: nowIso, createdByName: 'Bench', settledAt: nowIso };
      const summary = { appointmentId: a.id, status: 'paid', currency: a.currency, priceMinor: a.price_minor, feeMinor: 0, paidMinor: due, refundedMinor: 0, dueMinor: 0, payments: [view], refunds: [] };
      idempotency.run(`staff:${staff.id}:checkout-${paymentId}`, 'payment/record', paymentId, JSON.stringify({ payment: view, summary }), nowIso);
    });
    return booked.id;
  };
}

export const checkout1k: Scenario = {
  name: 'checkout-1k',
  summary: '1,000 checkouts (quick: 200): a booking with a referral code and a cash payment through the dispatcher vs raw transactions writing the same rows.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('checkout-1k');
    copyFixture(fixture, scratch.dir);
    const { app, caller, clock } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const checkouts = quick ? 200 : 1_000;
      const batch = quick ? 25 : 50;
      const rounds = checkouts / batch;
      const warmup = 1;
      const settings = app.settings();
      okData('referral/save', await app.dispatch('referral/save', {
        code: CODE, agentName: 'Bench Agent', agentContact: 'agent@example.org', agentPayout: 'IBAN XX00',
        commission: { kind: 'percent', bp: 1000 }, discount: { kind: 'percent', bp: 1000, capMinor: null },
        validFrom: null, validUntil: null, usageLimit: null, perPatientLimit: null, minAmountMinor: 0, consultationTypeIds: [],
      }, caller));
      const targets = pickBookingTargets(app.raw, {
        count: 2 * (checkouts + warmup * batch),
        today: fixture.today,
        nowIso: fixture.now,
        timeZone: settings.timeZone,
        days: 365,
        seed: 20_011,
        patients: fixture.stats.rows.patients,
      });
      const targetOf = (side: 0 | 1, round: number, j: number) => targets[2 * ((round >= 0 ? warmup + round : -1 - round) * batch + j) + side]!;
      const checkout = rawCheckout(app.raw, fixture.staff, fixture.now, fixture.today);
      const latency = { app: [] as number[], baseline: [] as number[] };
      const bookedBy = new Map<string, 'app' | 'baseline'>();
      let n = 0;

      const appSide = async (_sw: unknown, round: number) => {
        for (let j = 0; j < batch; j++) {
          const t = targetOf(0, round, j);
          const started = nowNs();
          const booked = okData<{ appointment: { id: string; patientId: string; consultationTypeId: string; priceMinor: number; currency: string } }>(
            'booking/create',
            await app.dispatch('booking/create', { patientId: t.patientId, doctorId: t.doctorId, consultationTypeId: t.consultationTypeId, startAt: t.startAt }, caller),
          ).appointment;
          await attachCode(app, clock, booked); // INTERIM: becomes booking/create { referralCode: CODE }
          const price = booked.priceMinor;
          okData('payment/record', await app.dispatch('payment/record', { method: 'cash', appointmentId: booked.id, amountMinor: price, tenderedMinor: price, idempotencyKey: `checkout-${++n}-${booked.id}` }, caller));
          if (round >= 0) latency.app.push(msSince(started));
          bookedBy.set(booked.id, 'app');
        }
      };
      const baseSide = (_sw: unknown, round: number) => {
        for (let j = 0; j < batch; j++) {
          const started = nowNs();
          const id = checkout(targetOf(1, round, j));
          if (round >= 0) latency.baseline.push(msSince(started));
          bookedBy.set(id, 'baseline');
        }
      };
      log(`  ${rounds} alternating batches of ${batch} checkouts per side (+${warmup} warm-up batch)`);
      const samples = await alternate(appSide, baseSide, rounds, { warmup });

      // Every checkout booked once, paid, with its confirmed redemption; the books balance (untimed).
      const check = app.raw.prepare(
        `select a.id, a.payment_status,
           (select count(*) from referral_redemption r where r.appointment_id = a.id and r.status = 'confirmed') as uses,
           (select count(*) from payment p where p.appointment_id = a.id and p.status = 'succeeded') as payments,
           (select count(*) from ledger_entry l where l.appointment_id = a.id and l.kind = 'commission_accrual') as commission
         from appointment a where a.doctor_id = ? and a.start_at = ? and a.status = 'booked'`,
      );
      const problems: string[] = [];
      targets.forEach((t, i) => {
        const rows = check.all(t.doctorId, t.startAt) as Array<{ id: string; payment_status: string; uses: number; payments: number; commission: number }>;
        const side = i % 2 === 0 ? 'app' : 'baseline';
        const r = rows[0];
        if (rows.length !== 1 || bookedBy.get(r!.id) !== side || r!.payment_status !== 'paid' || r!.uses !== 1 || r!.payments !== 1 || r!.commission !== 2) {
          problems.push(`${t.doctorId} ${t.startAt}: ${JSON.stringify(rows)}`);
        }
      });
      const unbalanced = app.raw.prepare('select count(*) from (select txn_id from ledger_entry group by txn_id having sum(amount_minor) <> 0)').pluck().get() as number;
      if (problems.length > 0 || unbalanced > 0) {
        throw new Error(`checkout-1k: ${problems.length} checkouts not as expected (${problems.slice(0, 2).join('; ')}); ${unbalanced} unbalanced movements`);
      }

      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const a = summarize(latency.app);
      const b = summarize(latency.baseline);
      return {
        rows: [
          row('checkout-1k', 'ops_per_s', checkouts / (sum(samples.app) / 1000), 'ops/s', checkouts / (sum(samples.baseline) / 1000)),
          row('checkout-1k', 'ops_per_s_median_batch', batch / (percentile(samples.app, 50) / 1000), 'ops/s', batch / (percentile(samples.baseline, 50) / 1000)),
          row('checkout-1k', 'p50_ms', a.p50, 'ms', b.p50),
          row('checkout-1k', 'p95_ms', a.p95, 'ms', b.p95),
          row('checkout-1k', 'p99_ms', a.p99, 'ms', b.p99),
        ],
        notes: {
          fixture: fixture.key,
          checkoutsPerSide: checkouts,
          batch,
          rounds,
          warmupBatches: warmup,
          commitsPerCheckout: 3,
          interim: 'redemption attached with core functions in its own transaction on the app side and in its own raw transaction on the baseline side; switch to booking/create { referralCode } at merge',
          batchMs: { app: samples.app.map((v) => roundValue(v)), baseline: samples.baseline.map((v) => roundValue(v)) },
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
