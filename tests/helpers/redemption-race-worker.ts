/**
 * A desk in its own process, for tests/integration/referral-race.test.ts: it opens the same
 * database file (its own connection), and on each 'round' message tries `attempts`
 * reservations of one code at the agreed instant, each in its own BEGIN IMMEDIATE
 * transaction, exactly as booking will call reserveRedemption. A SQLITE_BUSY is retried and
 * counted, never reported as a result.
 *
 * Run with: node --import tsx tests/helpers/redemption-race-worker.ts (the test forks it).
 */
import { openApp, type App } from '../../src-main/app.js';
import { DomainError } from '../../src-main/core/errors.js';
import { reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import { FakeClock } from './fake-clock.js';
import { inTransaction } from './referrals.js';

export type ToRedemptionWorker =
  | { type: 'start'; dataDir: string; now: string }
  | {
      type: 'round';
      round: number;
      goAt: number;
      attempts: number;
      code: string;
      consultationTypeId: string;
      patientIds: string[];
      /** Skip the service's checks: a bare INSERT, so only the database's trigger can refuse. */
      direct: boolean;
    }
  | { type: 'exit' };

export interface RedemptionRoundReport {
  type: 'result';
  round: number;
  worker: number;
  reserved: string[];
  usedUp: number;
  busyRetries: number;
  other: string[];
}

export type FromRedemptionWorker = { type: 'ready'; worker: number } | RedemptionRoundReport | { type: 'failed'; worker: number; message: string };

const worker = Number(process.env.RACE_WORKER ?? '0');
const send = (message: FromRedemptionWorker) => process.send?.(message);
let app: App | null = null;
let clock: FakeClock | null = null;

process.on('disconnect', () => void shutdown(0));
setTimeout(() => void shutdown(3), 120_000).unref();

async function shutdown(code: number): Promise<never> {
  try {
    await app?.close();
  } finally {
    process.exit(code);
  }
}

const isBusy = (err: unknown) => /SQLITE_BUSY|database is locked/i.test(`${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`);

async function round(message: Extract<ToRedemptionWorker, { type: 'round' }>): Promise<void> {
  const report: RedemptionRoundReport = { type: 'result', round: message.round, worker, reserved: [], usedUp: 0, busyRetries: 0, other: [] };
  const wait = message.goAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  for (let attempt = 0; attempt < message.attempts; attempt++) {
    const patientId = message.patientIds[attempt % message.patientIds.length]!;
    for (let tries = 0; ; tries++) {
      try {
        if (message.direct) {
          report.reserved.push(directInsert(message.code, patientId, message.consultationTypeId, `${worker}-${message.round}-${attempt}`));
          break;
        }
        const out = await inTransaction(app!, clock!, (ctx) =>
          reserveRedemption(ctx, { code: message.code, patientId, consultationTypeId: message.consultationTypeId, baseAmount: { minor: 6000, currency: 'USD' } }),
        );
        report.reserved.push(out.redemptionId);
      } catch (err) {
        if ((err instanceof DomainError && err.code === 'referral/used-up') || (err as Error)?.message === 'referral/used-up') report.usedUp++;
        else if (isBusy(err) && tries < 50) {
          report.busyRetries++;
          continue;
        } else report.other.push(err instanceof DomainError ? err.code : String((err as Error)?.message ?? err));
      }
      break;
    }
  }
  send(report);
}

/** BEGIN IMMEDIATE + one INSERT through better-sqlite3, bypassing every check in code. */
function directInsert(code: string, patientId: string, consultationTypeId: string, id: string): string {
  const raw = app!.raw;
  const at = clock!.now().toISOString();
  const expires = new Date(clock!.now().getTime() + 300_000).toISOString();
  raw
    .transaction(() => {
      raw
        .prepare(
          `INSERT INTO referral_redemption (id, code_id, patient_id, consultation_type_id, status, currency, base_minor, discount_minor, total_minor, expires_at, version, created_at, updated_at)
           SELECT ?, id, ?, ?, 'reserved', 'USD', 6000, 600, 5400, ?, 1, ?, ? FROM referral_code WHERE code = ?`,
        )
        .run(id, patientId, consultationTypeId, expires, at, at, code);
    })
    .immediate();
  return id;
}

process.on('message', (message: ToRedemptionWorker) => {
  const run =
    message.type === 'start'
      ? (async () => {
          clock = new FakeClock(message.now);
          app = await openApp({ dataDir: message.dataDir, lock: false, clock, log: () => {} });
          send({ type: 'ready', worker });
        })()
      : message.type === 'round'
        ? round(message)
        : shutdown(0);
  run.catch((err: unknown) => send({ type: 'failed', worker, message: (err as Error)?.stack ?? String(err) }));
});
