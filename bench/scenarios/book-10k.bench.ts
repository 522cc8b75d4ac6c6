/**
 * book-10k: 10,000 bookings (quick: 1,000) made at the desk through the full service
 * layer, against raw better-sqlite3 transactions writing the same rows, in the same run.
 *
 * Data: the busy-clinic fixture (busyClinicFixture(): 50 doctors working every day
 * 07:00–21:00, horizonDays 730, minNoticeMinutes 0, 30,000 bookings on the next 30 days
 * plus the past). The app's clock is fixed at the fixture's "now". Before timing,
 * pickBookingTargets() draws 2 × (bookings + one warm-up batch) free target slots over
 * days 1–365 (random doctor, day and position on the doctor's slot grid from the start of
 * the hours, none overlapping an existing appointment or another target) with random
 * patients; targets alternate between the sides (even → app, odd → baseline), so both
 * sides book the same mix of doctors, days and table regions.
 *
 * App side: app.dispatch('booking/create', { patientId, doctorId, consultationTypeId,
 * startAt }, staff caller) per booking — session → role check → zod input parse → BEGIN
 * IMMEDIATE → createBooking: patient lookup, checkSlot (doctor, type, "offered" join,
 * notice/horizon window, loadPlans for the doctor ±1 day: hours, exceptions, bookings,
 * holds; working stretch, grid and busy checks in the slot engine), INSERT appointment (the
 * no-overlap trigger runs), DELETE of this desk's holds, the appointment view reload
 * (5-table join), change envelope (after-image read back, UUIDv7, desk sequence) → zod output parse → audit row → COMMIT (fsync:
 * synchronous=FULL). The staff session is made once, untimed, by logging in.
 *
 * Baseline side, on the app's own connection (app.raw: same file, same pragmas, same
 * table), statements prepared once, per booking: BEGIN IMMEDIATE → patient exists →
 * doctor (active, buffer) → consultation type (duration, price) → the same "offered"
 * join → the doctor's working_hours row for that weekday (the location to write) →
 * conflict check over the doctor's appointments (the trigger's own query) and live holds
 * → INSERT appointment (same columns; the trigger runs here too) → DELETE holds → INSERT
 * event (the after-image built from values in hand) → INSERT audit_log → COMMIT. It trusts the slot to lie on the grid inside the
 * hours (the app proves it with the slot engine) and does not reload the appointment:
 * that, Kysely and zod are the app's overhead.
 *
 * Rounds: batches of 100 bookings (quick: 50) per side, alternating (order flipping each
 * round), after one untimed warm-up batch per side. Both sides write to the same tables,
 * so they always face the same table size. Rows: ops_per_s = bookings / summed batch time
 * (goal: ratio ≥ 0.5); ops_per_s_median_batch = batch size / median batch time, which a
 * burst of foreign I/O on a shared machine (fsyncs stretched for seconds, raw batches hit
 * hardest in relative terms) cannot drag; per-booking p50/p95/p99 latency. Afterwards
 * every target is checked to be booked exactly once, by its side.
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

const MINUTE = 60_000;

/** The baseline: one booking as a raw immediate transaction. */
function rawBooker(raw: Database.Database, staff: { id: string }, nowIso: string) {
  const s = {
    begin: raw.prepare('BEGIN IMMEDIATE'),
    commit: raw.prepare('COMMIT'),
    rollback: raw.prepare('ROLLBACK'),
    patient: raw.prepare('select "id" from "patient" where "id" = ?').pluck(),
    doctor: raw.prepare('select "id", "active", "buffer_minutes" from "doctor" where "id" = ?'),
    type: raw.prepare('select * from "consultation_type" where "id" = ?'),
    offered: raw.prepare(
      `select "t"."specialization_id", "d"."doctor_id" from "consultation_type_specialization" as "t"
       left join "doctor_specialization" as "d" on "d"."specialization_id" = "t"."specialization_id" and "d"."doctor_id" = ?
       where "t"."consultation_type_id" = ?`,
    ),
    hours: raw.prepare('select "location_id", "start_minute", "end_minute" from "working_hours" where "doctor_id" = ? and "weekday" = ?'),
    conflict: raw.prepare(
      `select 1 from "appointment" where "doctor_id" = ? and "status" <> 'cancelled'
       and "start_at" >= strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-10 hours') and "start_at" < ? and "block_end_at" > ? limit 1`,
    ),
    held: raw.prepare('select 1 from "appointment_hold" where "doctor_id" = ? and "expires_at" > ? and "holder" <> ? and "start_at" < ? and "block_end_at" > ? limit 1'),
    insert: raw.prepare(
      `insert into "appointment" ("id", "patient_id", "doctor_id", "location_id", "consultation_type_id", "start_at", "end_at", "block_end_at",
        "status", "requirements", "price_minor", "currency", "created_at", "created_by_kind", "created_by", "updated_at", "status_changed_at",
        "status_changed_by", "cancelled_by_party", "cancel_reason", "cancelled_within_policy_window", "rescheduled_from_id", "rescheduled_to_id")
       values (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, 'staff', ?, ?, null, null, null, null, null, null, null)`,
    ),
    releaseHolds: raw.prepare('delete from "appointment_hold" where "holder" = ?'),
    audit: raw.prepare(
      'insert into "audit_log" ("at", "actor_kind", "actor_id", "handler", "record_type", "record_id", "outcome", "detail") values (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const event = rawEventWriter(raw);
  const holder = `staff:${staff.id}`;
  const requirements = JSON.stringify({ accessibility: [], interpreterLanguage: '', notes: '' });
  return (t: BookingTarget): string => {
    s.begin.run();
    try {
      if (!s.patient.get(t.patientId)) throw new Error('baseline: no such patient');
      const doctor = s.doctor.get(t.doctorId) as { active: number; buffer_minutes: number } | undefined;
      if (!doctor || doctor.active !== 1) throw new Error('baseline: no such doctor');
      const type = s.type.get(t.consultationTypeId) as { id: string; active: number; duration_minutes: number; price_minor: number; currency: string } | undefined;
      if (!type || type.active !== 1) throw new Error('baseline: no such type');
      const offered = s.offered.all(t.doctorId, type.id) as Array<{ doctor_id: string | null }>;
      if (offered.length > 0 && !offered.some((o) => o.doctor_id !== null)) throw new Error('baseline: type not offered');
      const hours = s.hours.get(t.doctorId, t.weekday) as { location_id: string } | undefined;
      if (!hours) throw new Error('baseline: outside hours');
      const start = new Date(t.startMs).toISOString();
      const end = new Date(t.startMs + type.duration_minutes * MINUTE).toISOString();
      const blockEnd = new Date(t.startMs + (type.duration_minutes + doctor.buffer_minutes) * MINUTE).toISOString();
      if (s.conflict.get(t.doctorId, start, blockEnd, start) || s.held.get(t.doctorId, nowIso, holder, blockEnd, start)) {
        throw new Error('baseline: slot taken');
      }
      const id = randomUUID();
      s.insert.run(id, t.patientId, t.doctorId, hours.location_id, type.id, start, end, blockEnd, requirements, type.price_minor, type.currency, nowIso, staff.id, nowIso);
      s.releaseHolds.run(holder);
      // The change envelope: the appointment's after-image, as the app writes it.
      event(nowIso, 'appointment', id, {
        id, patient_id: t.patientId, doctor_id: t.doctorId, location_id: hours.location_id, consultation_type_id: type.id, start_at: start, end_at: end,
        block_end_at: blockEnd, status: 'booked', requirements, price_minor: type.price_minor, currency: type.currency, created_at: nowIso,
        created_by_kind: 'staff', created_by: staff.id, updated_at: nowIso, status_changed_at: null, status_changed_by: null, cancelled_by_party: null,
        cancel_reason: null, cancelled_within_policy_window: null, rescheduled_from_id: null, rescheduled_to_id: null, version: 1,
      }, staff.id, t.patientId, t.doctorId);
      s.audit.run(nowIso, 'staff', staff.id, 'booking/create', 'appointment', id, 'ok', null);
      s.commit.run();
      return id;
    } catch (err) {
      if (raw.inTransaction) s.rollback.run();
      throw err;
    }
  };
}

export const book10k: Scenario = {
  name: 'book-10k',
  summary: '10,000 bookings (quick: 1,000) through booking/create (validation, slot check, audit) vs raw transactions, 50 doctors.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('book-10k');
    copyFixture(fixture, scratch.dir);
    const { app, caller } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const bookings = quick ? 1_000 : 10_000;
      const batch = quick ? 50 : 100;
      const rounds = bookings / batch;
      const warmup = 1;
      const settings = app.settings();
      const targets = pickBookingTargets(app.raw, {
        count: 2 * (bookings + warmup * batch),
        today: fixture.today,
        nowIso: fixture.now,
        timeZone: settings.timeZone,
        days: 365,
        seed: 10_007,
        patients: fixture.stats.rows.patients,
      });
      // Round r (warm-up: r < 0) books targets 2·(position) + side.
      const targetOf = (side: 0 | 1, round: number, j: number) => targets[2 * ((round >= 0 ? warmup + round : -1 - round) * batch + j) + side]!;
      const book = rawBooker(app.raw, fixture.staff, fixture.now);
      const latency = { app: [] as number[], baseline: [] as number[] };
      const bookedBy = new Map<string, 'app' | 'baseline'>();

      const appSide = async (_sw: unknown, round: number) => {
        for (let j = 0; j < batch; j++) {
          const t = targetOf(0, round, j);
          const started = nowNs();
          const out = await app.dispatch('booking/create', { patientId: t.patientId, doctorId: t.doctorId, consultationTypeId: t.consultationTypeId, startAt: t.startAt }, caller);
          if (round >= 0) latency.app.push(msSince(started));
          bookedBy.set(okData<{ appointment: { id: string } }>('booking/create', out).appointment.id, 'app');
        }
      };
      const baseSide = (_sw: unknown, round: number) => {
        for (let j = 0; j < batch; j++) {
          const started = nowNs();
          const id = book(targetOf(1, round, j));
          if (round >= 0) latency.baseline.push(msSince(started));
          bookedBy.set(id, 'baseline');
        }
      };
      const countAppointments = app.raw.prepare('select count(*) from appointment').pluck();
      const before = countAppointments.get() as number;
      log(`  ${rounds} alternating batches of ${batch} bookings per side (+${warmup} warm-up batch) on ${before.toLocaleString('en-US')} appointments`);
      const samples = await alternate(appSide, baseSide, rounds, { warmup });

      // Every target booked once, by its side (untimed).
      const at = app.raw.prepare("select id from appointment where doctor_id = ? and start_at = ? and status = 'booked'").pluck();
      const problems: string[] = [];
      targets.forEach((t, i) => {
        const ids = at.all(t.doctorId, t.startAt) as string[];
        const side = i % 2 === 0 ? 'app' : 'baseline';
        if (ids.length !== 1 || bookedBy.get(ids[0]!) !== side) problems.push(`${t.doctorId} ${t.startAt}: ${ids.length} bookings`);
      });
      const after = countAppointments.get() as number;
      if (problems.length > 0 || after - before !== targets.length) {
        throw new Error(`book-10k: ${problems.length} targets not booked as expected (${problems.slice(0, 3).join('; ')}); ${after - before} rows added for ${targets.length}`);
      }

      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const opsApp = bookings / (sum(samples.app) / 1000);
      const opsBase = bookings / (sum(samples.baseline) / 1000);
      const a = summarize(latency.app);
      const b = summarize(latency.baseline);
      // For ops_per_s higher is better: ratio = app / baseline is the share of raw throughput the app keeps.
      return {
        rows: [
          row('book-10k', 'ops_per_s', opsApp, 'ops/s', opsBase),
          // The same from each side's median batch: robust to bursts of I/O from other processes
          // on a shared machine, which stretch fsyncs (and so raw batches most) for a while.
          row('book-10k', 'ops_per_s_median_batch', batch / (percentile(samples.app, 50) / 1000), 'ops/s', batch / (percentile(samples.baseline, 50) / 1000)),
          row('book-10k', 'p50_ms', a.p50, 'ms', b.p50),
          row('book-10k', 'p95_ms', a.p95, 'ms', b.p95),
          row('book-10k', 'p99_ms', a.p99, 'ms', b.p99),
        ],
        notes: {
          fixture: fixture.key,
          appointmentsBefore: before,
          appointmentsAfter: after,
          bookingsPerSide: bookings,
          batch,
          rounds,
          warmupBatches: warmup,
          targetDays: '1–365',
          batchMs: { app: samples.app.map((v) => roundValue(v)), baseline: samples.baseline.map((v) => roundValue(v)) },
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
