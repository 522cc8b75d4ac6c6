import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, STAFF, type Clinic } from '../helpers/booking.js';
import type { FromWorker, RaceIdentity, RaceRequest, RoundReport, ToWorker } from '../helpers/race-worker.js';
import { forkWorkers, Mailbox, stopWorkers } from '../helpers/mailbox.js';

/**
 * Four real processes, each with its own connection to the same SQLite file and its own
 * dispatcher, race to book one slot: 50 attempts each per round, about 200 per round,
 * over several rounds with a fresh slot each. Exactly one wins each round; every other
 * attempt is told booking/slot-taken (a SQLITE_BUSY would be retried, never lost); and at
 * the end no two live appointments of a doctor overlap.
 */
const WORKERS = 4;
const ATTEMPTS = 50;
const WORKER_SCRIPT = path.resolve(import.meta.dirname, '../helpers/race-worker.ts');
const ROOT = path.resolve(import.meta.dirname, '../..');

let clinic: Clinic;
const children: ChildProcess[] = [];
const mail = new Mailbox<FromWorker>();

function post(child: ChildProcess, message: ToWorker) {
  child.send(message);
}

const collect = <T extends FromWorker>(match: (m: FromWorker) => m is T, count: number, ms = 20_000) => mail.collect(match, count, ms);

const isReady = (m: FromWorker): m is Extract<FromWorker, { type: 'ready' }> => m.type === 'ready';
const isResult = (round: number) => (m: FromWorker): m is RoundReport => m.type === 'result' && m.round === round;

/** Each round: the request each worker sends (the same slot, except in the last round). */
function rounds(): Array<{ label: string; requests: RaceRequest[] }> {
  const same = (doctorId: string, time: string, date = '2026-06-02') => {
    const request = { doctorId, consultationTypeId: IDS.general, startAt: clinic.at(date, time) };
    return { label: `${doctorId} ${date} ${time}`, requests: Array.from({ length: WORKERS }, () => request) };
  };
  const extended = { doctorId: IDS.grey, consultationTypeId: IDS.extended, startAt: clinic.at('2026-06-02', '11:00') };
  const general = { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '11:15') };
  return [
    same(IDS.grey, '09:00'),
    same(IDS.grey, '09:15'), // touches round 0's slot
    // Dr Stone's rounds are on another day: the same patient may not be in two visits at once.
    same(IDS.stone, '09:00', '2026-06-03'),
    same(IDS.stone, '09:30', '2026-06-03'), // 5 minutes after round 2's buffer ends
    same(IDS.grey, '09:30'),
    same(IDS.grey, '10:00'),
    // Different but overlapping requests: 30 minutes from 11:00 against 15 minutes from 11:15.
    { label: 'grey 11:00 (30 min) vs 11:15 (15 min)', requests: [extended, general, extended, general] },
  ];
}

beforeAll(async () => {
  clinic = await openClinic({ patients: 8 });
  // Two of the racers book as patients themselves: let them win every round if they can.
  await clinic.ok('admin', 'settings/update', { patientBookingLimit: 50 });
  const patients = clinic.patients;
  const identities: RaceIdentity[] = [
    { kind: 'staff', username: STAFF.deskA.username, password: STAFF.deskA.password, patientIds: [patients[0]!.patientId, patients[1]!.patientId] },
    { kind: 'patient', token: patients[2]!.accessToken, patientId: patients[2]!.patientId },
    { kind: 'staff', username: STAFF.deskB.username, password: STAFF.deskB.password, patientIds: [patients[3]!.patientId, patients[4]!.patientId] },
    { kind: 'patient', token: patients[5]!.accessToken, patientId: patients[5]!.patientId },
  ];
  children.push(...forkWorkers<FromWorker>(WORKER_SCRIPT, WORKERS, ROOT, mail));
  children.forEach((child, i) => post(child, { type: 'start', dataDir: clinic.app.dataDir, now: clinic.clock.now().toISOString(), identity: identities[i]! }));
  await collect(isReady, WORKERS, 30_000);
}, 45_000);

afterAll(async () => {
  await stopWorkers(children, (child) => post(child, { type: 'exit' }));
  await clinic?.dispose();
});

describe('four processes racing for one slot', () => {
  const results: Array<{ label: string; reports: RoundReport[] }> = [];

  it('each round books exactly one appointment; every other attempt gets booking/slot-taken', async () => {
    const plan = rounds();
    for (const [round, { label, requests }] of plan.entries()) {
      const before = clinic.appointmentCount();
      // The barrier: every worker is idle and waiting; all start at the same instant.
      const goAt = Date.now() + 100;
      children.forEach((child, i) => post(child, { type: 'round', round, goAt, attempts: ATTEMPTS, request: requests[i]! }));
      const reports = await collect(isResult(round), WORKERS);
      results.push({ label, reports });

      const booked = reports.flatMap((r) => r.booked);
      expect(booked, label).toHaveLength(1);
      expect(reports.reduce((n, r) => n + r.taken, 0), label).toBe(WORKERS * ATTEMPTS - 1);
      expect(reports.flatMap((r) => r.other), label).toEqual([]);
      expect(reports.reduce((n, r) => n + r.takenWithoutAlternatives, 0), label).toBe(0);
      expect(clinic.appointmentCount(), label).toBe(before + 1);
      const row = clinic.row(booked[0]!)!;
      const winner = reports.find((r) => r.booked.length === 1)!;
      expect({ doctor: row.doctor_id, start: row.start_at, status: row.status }, label).toEqual({
        doctor: requests[winner.worker]!.doctorId,
        start: requests[winner.worker]!.startAt,
        status: 'booked',
      });
    }
    expect(results).toHaveLength(plan.length);
  }, 60_000);

  it('leaves no two live appointments of one doctor overlapping, and one row per round', () => {
    expect(clinic.overlaps()).toEqual([]);
    const rows = clinic.rows();
    expect(rows).toHaveLength(rounds().length);
    expect(rows.every((r) => r.status === 'booked')).toBe(true);
    // The same check in plain SQL over the instants, per doctor: sorted by start, each ends before the next begins.
    const byDoctor = clinic.app.raw
      .prepare(
        `SELECT doctor_id, start_at, block_end_at,
                lead(start_at) OVER (PARTITION BY doctor_id ORDER BY julianday(start_at)) AS next_start
           FROM appointment WHERE status <> 'cancelled'`,
      )
      .all() as Array<{ doctor_id: string; start_at: string; block_end_at: string; next_start: string | null }>;
    for (const r of byDoctor) if (r.next_start) expect(Date.parse(r.block_end_at)).toBeLessThanOrEqual(Date.parse(r.next_start));
  });

  it('every attempt left an audit row: one ok and the rest refused, per round', () => {
    const rows = clinic.app.raw
      .prepare("SELECT outcome, detail, count(*) AS n FROM audit_log WHERE handler = 'booking/create' GROUP BY outcome, detail ORDER BY outcome")
      .all();
    const n = rounds().length;
    expect(rows).toEqual([
      { outcome: 'error', detail: 'booking/slot-taken', n: n * (WORKERS * ATTEMPTS - 1) },
      { outcome: 'ok', detail: null, n },
    ]);
  });

  it('reports how the wins spread over the workers (for the log)', () => {
    const wins = Array.from({ length: WORKERS }, (_, w) => results.filter((r) => r.reports.some((x) => x.worker === w && x.booked.length > 0)).length);
    const busy = results.reduce((n, r) => n + r.reports.reduce((m, x) => m + x.busyRetries, 0), 0);
    console.log(`booking race: wins per worker ${JSON.stringify(wins)}, SQLITE_BUSY retries ${busy}`);
    expect(wins.reduce((a, b) => a + b, 0)).toBe(results.length);
  });
});
