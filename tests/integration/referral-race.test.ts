import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput } from '../helpers/referrals.js';
import type { FromRedemptionWorker, RedemptionRoundReport, ToRedemptionWorker } from '../helpers/redemption-race-worker.js';
import { forkWorkers, Mailbox, stopWorkers } from '../helpers/mailbox.js';

/**
 * Five real processes, each with its own connection to the same SQLite file, race to redeem
 * one code with a total limit of 10: 100 attempts each, 500 per round, all starting at the
 * same instant. Exactly 10 succeed, every round. Half of the rounds go through
 * reserveRedemption (the service's checks + the database's trigger), the other half are bare
 * INSERTs in BEGIN IMMEDIATE that skip every check in code: the database alone holds the limit.
 */
const WORKERS = 5;
const ATTEMPTS = 100;
const LIMIT = 10;
const ROUNDS: Array<{ direct: boolean }> = [{ direct: false }, { direct: true }, { direct: false }, { direct: true }, { direct: false }, { direct: true }];
const WORKER_SCRIPT = path.resolve(import.meta.dirname, '../helpers/redemption-race-worker.ts');
const ROOT = path.resolve(import.meta.dirname, '../..');

let clinic: Clinic;
const children: ChildProcess[] = [];
const mail = new Mailbox<FromRedemptionWorker>();

const collect = <T extends FromRedemptionWorker>(match: (m: FromRedemptionWorker) => m is T, count: number, ms = 60_000) => mail.collect(match, count, ms);

const isReady = (m: FromRedemptionWorker): m is Extract<FromRedemptionWorker, { type: 'ready' }> => m.type === 'ready';
const isResult = (round: number) => (m: FromRedemptionWorker): m is RedemptionRoundReport => m.type === 'result' && m.round === round;

beforeAll(async () => {
  clinic = await openClinic({ patients: 10 });
  children.push(...forkWorkers<FromRedemptionWorker>(WORKER_SCRIPT, WORKERS, ROOT, mail));
  for (const child of children) child.send({ type: 'start', dataDir: clinic.app.dataDir, now: clinic.clock.now().toISOString() } satisfies ToRedemptionWorker);
  await collect(isReady, WORKERS, 60_000);
}, 90_000);

afterAll(async () => {
  await stopWorkers(children, (child) => child.send({ type: 'exit' } satisfies ToRedemptionWorker));
  await clinic?.dispose();
});

describe('500 simultaneous redemptions of a code limited to 10', () => {
  it('exactly 10 succeed every round; every other attempt is told the code is used up', async () => {
    const patientIds = clinic.patients.map((p) => p.patientId);
    const busy: number[] = [];
    for (const [round, { direct }] of ROUNDS.entries()) {
      const code = `RACE-${round}`;
      const saved = await clinic.ok('admin', 'referral/save', codeInput({ code, usageLimit: LIMIT }));
      const goAt = Date.now() + 150;
      for (const child of children) {
        child.send({ type: 'round', round, goAt, attempts: ATTEMPTS, code, consultationTypeId: IDS.general, patientIds, direct } satisfies ToRedemptionWorker);
      }
      const reports = await collect(isResult(round), WORKERS);
      const label = `round ${round} (${direct ? 'bare INSERT' : 'reserveRedemption'})`;
      expect(reports.flatMap((r) => r.other), label).toEqual([]);
      expect(reports.flatMap((r) => r.reserved), label).toHaveLength(LIMIT);
      expect(reports.reduce((n, r) => n + r.usedUp, 0), label).toBe(WORKERS * ATTEMPTS - LIMIT);
      const rows = clinic.app.raw.prepare("SELECT count(*) AS n FROM referral_redemption WHERE code_id = ? AND status = 'reserved'").get(saved.code.id);
      expect(rows, label).toEqual({ n: LIMIT });
      busy.push(reports.reduce((n, r) => n + r.busyRetries, 0));
    }
    console.log(`referral race: ${ROUNDS.length} rounds × ${WORKERS * ATTEMPTS} attempts; SQLITE_BUSY retries per round ${JSON.stringify(busy)}`);
  }, 240_000);
});
