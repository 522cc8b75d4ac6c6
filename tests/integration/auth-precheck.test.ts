import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await demoApp();
});
afterAll(async () => app.dispose());

describe('password checks never hold the write lock', () => {
  it('other writers get the lock while wrong-password logins are being hashed', async () => {
    const other = new Database(app.dbFile);
    other.pragma('busy_timeout = 0');
    let settled = false;
    const attempts = Promise.all(
      [1, 2, 3].map(() => app.dispatch('auth/login', { username: DEMO.reception.username, password: 'not-the-password' })),
    ).finally(() => {
      settled = true;
    });
    let got = 0;
    let busy = 0;
    while (!settled) {
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec('COMMIT');
        got++;
      } catch {
        busy++;
      }
      await new Promise((r) => setImmediate(r));
    }
    other.close();
    const outcomes = await attempts;
    expect(outcomes.map((o) => (o.result.ok ? 'ok' : o.result.error.code))).toEqual(['auth/invalid-credentials', 'auth/invalid-credentials', 'auth/invalid-credentials']);
    expect(got).toBeGreaterThan(0);
    // Only the short counter updates may briefly hold it, never the hashing.
    expect(busy).toBeLessThan(got);
    expect(app.raw.prepare('SELECT failed_logins FROM staff WHERE username = ?').get(DEMO.reception.username)).toEqual({ failed_logins: 3 });
  });
});
