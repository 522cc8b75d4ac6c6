/**
 * A booking desk in its own process, for tests/integration/booking-race.test.ts. It opens
 * the same database file as the test (openApp without the instance lock: a second
 * process, its own connection, its own dispatcher), signs in as a staff member or acts as
 * a patient with their token, and on each 'round' message tries to book the slot it is
 * given, `attempts` times in a row, starting at the agreed instant. It reports every
 * outcome; a SQLITE_BUSY surfaced as internal/error is retried, and counted.
 *
 * Run with: node --import tsx tests/helpers/race-worker.ts (the test forks it).
 */
import { openApp, type App } from '../../src-main/app.js';
import type { Caller } from '../../src-main/dispatch.js';
import { FakeClock } from './fake-clock.js';

export type RaceIdentity = { kind: 'staff'; username: string; password: string; patientIds: string[] } | { kind: 'patient'; token: string; patientId: string };

export interface RaceRequest {
  doctorId: string;
  consultationTypeId: string;
  startAt: string;
}

export type ToWorker =
  | { type: 'start'; dataDir: string; now: string; identity: RaceIdentity }
  | { type: 'round'; round: number; goAt: number; attempts: number; request: RaceRequest }
  | { type: 'exit' };

export interface RoundReport {
  type: 'result';
  round: number;
  worker: number;
  /** Appointment ids this worker booked. */
  booked: string[];
  taken: number;
  /** slot-taken errors that came without alternatives (must be 0). */
  takenWithoutAlternatives: number;
  busyRetries: number;
  /** Any other outcome: error codes (must be empty). */
  other: string[];
}

export type FromWorker = { type: 'ready'; worker: number } | RoundReport | { type: 'failed'; worker: number; message: string };

const worker = Number(process.env.RACE_WORKER ?? '0');
const send = (message: FromWorker) => process.send?.(message);

let app: App | null = null;
let caller: Caller = {};
let identity: RaceIdentity | null = null;
let lastLog = '';

// Never outlive the test: exit when the parent goes away, and in any case after a minute.
process.on('disconnect', () => void shutdown(0));
setTimeout(() => void shutdown(3), 60_000).unref();

async function shutdown(code: number): Promise<never> {
  try {
    await app?.close();
  } finally {
    process.exit(code);
  }
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  identity = message.identity;
  app = await openApp({ dataDir: message.dataDir, lock: false, clock: new FakeClock(message.now), log: (line) => (lastLog = line) });
  if (identity.kind === 'staff') {
    const login = await app.dispatch('auth/login', { username: identity.username, password: identity.password });
    if (!login.result.ok || !login.session?.set) throw new Error(`login failed: ${JSON.stringify(login.result)}`);
    caller = { sessionToken: login.session.set };
  } else {
    caller = { patientToken: identity.token };
  }
  send({ type: 'ready', worker });
}

async function round(message: Extract<ToWorker, { type: 'round' }>): Promise<void> {
  const report: RoundReport = { type: 'result', round: message.round, worker, booked: [], taken: 0, takenWithoutAlternatives: 0, busyRetries: 0, other: [] };
  const wait = message.goAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  for (let attempt = 0; attempt < message.attempts; attempt++) {
    const input: Record<string, unknown> = { ...message.request };
    if (identity!.kind === 'staff') input.patientId = identity!.patientIds[attempt % identity!.patientIds.length];
    for (let tries = 0; ; tries++) {
      lastLog = '';
      const outcome = await app!.dispatch('booking/create', input, caller);
      if (outcome.result.ok) {
        report.booked.push((outcome.result.data as { appointment: { id: string } }).appointment.id);
      } else if (outcome.result.error.code === 'booking/slot-taken') {
        report.taken++;
        if (!Array.isArray((outcome.result.error.details as { alternatives?: unknown } | undefined)?.alternatives)) report.takenWithoutAlternatives++;
      } else if (outcome.result.error.code === 'internal/error' && /SQLITE_BUSY|database is locked/i.test(lastLog) && tries < 20) {
        report.busyRetries++;
        continue;
      } else {
        report.other.push(`${outcome.result.error.code}: ${lastLog || outcome.result.error.message}`);
      }
      break;
    }
  }
  send(report);
}

process.on('message', (message: ToWorker) => {
  const run = message.type === 'start' ? start(message) : message.type === 'round' ? round(message) : shutdown(0);
  run.catch((err: unknown) => {
    send({ type: 'failed', worker, message: (err as Error)?.stack ?? String(err) });
  });
});
