import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBusyRetry, setBusyRetryPolicy, BUSY_MESSAGE, backoffMs } from '../../src-main/core/db/transaction.js';
import { call, callOk, DEMO, demoApp, loginAs, openTestApp, type TestApp } from '../helpers/test-app.js';

/** A second real connection to the same file that takes the write lock and keeps it. */
function holdWriteLock(file: string) {
  const other = new Database(file, { timeout: 0 });
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    },
  };
}

/** The demo clinic, reopened with a short busy timeout so a test does not wait seconds per attempt. */
async function busyDemoApp(): Promise<TestApp> {
  const first = await demoApp();
  await first.close();
  return openTestApp({ dataDir: first.dataDir, busyTimeoutMs: 20 });
}

let app: TestApp | undefined;
afterEach(async () => {
  setBusyRetryPolicy(defaultBusyRetry);
  await app?.dispose();
  app = undefined;
});

describe('a busy database', () => {
  it('retries with growing waits and then tells the user the desk was busy, saving nothing', async () => {
    app = await busyDemoApp();
    const token = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const waits: number[] = [];
    setBusyRetryPolicy({ ...defaultBusyRetry, retries: 3, random: () => 1, sleep: async (ms) => void waits.push(ms) });
    const lock = holdWriteLock(app.dbFile);
    try {
      const outcome = await call(app, 'settings/update', { horizonDays: 77 }, token);
      expect(outcome.result).toEqual({ ok: false, error: { code: 'db/busy', message: BUSY_MESSAGE } });
      expect(outcome.status).toBe(503);
      expect(waits).toEqual([100, 200, 400]);
    } finally {
      lock.release();
    }
    expect((await callOk(app, 'settings/get', {}, token)).horizonDays).not.toBe(77);
  });

  it('succeeds when the other writer finishes while it waits', async () => {
    app = await busyDemoApp();
    const token = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const lock = holdWriteLock(app.dbFile);
    let sleeps = 0;
    setBusyRetryPolicy({
      ...defaultBusyRetry,
      sleep: async () => {
        sleeps++;
        if (sleeps === 2) lock.release(); // the other desk commits during the second wait
      },
    });
    const saved = await callOk(app, 'settings/update', { horizonDays: 77 }, token);
    expect(saved.horizonDays).toBe(77);
    expect(sleeps).toBe(2);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, 100, 2000, () => 0))).toEqual([50, 100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, 100, 2000, () => 1))).toEqual([100, 200, 400, 800, 1600, 2000]);
  });
});
