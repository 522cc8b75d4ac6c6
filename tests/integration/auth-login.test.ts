import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsAfter, call, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
const ids: Record<string, string> = {};

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password';

beforeAll(async () => {
  app = await demoApp();
  const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  for (const username of ['wrong.once', 'throttle.me', 'reset.me', 'throttle.twin']) {
    const { staff } = await callOk(app, 'staff/create', { username, displayName: username, role: 'receptionist', password: PASSWORD }, admin);
    ids[username] = staff.id;
  }
});
afterAll(async () => {
  await app.dispose();
});

const staffRow = (username: string) =>
  app.raw.prepare('SELECT failed_logins, throttled_until, last_login_at FROM staff WHERE username = ?').get(username) as {
    failed_logins: number;
    throttled_until: string | null;
    last_login_at: string | null;
  };

const login = (username: string, password: string) => call(app, 'auth/login', { username, password });

describe('auth/login', () => {
  it('signs in and asks the transport to set a session', async () => {
    const outcome = await login(DEMO.admin.username, DEMO.admin.password);

    expect(outcome.status).toBe(200);
    expect(outcome.result).toEqual({
      ok: true,
      data: { staff: { id: expect.any(String), username: 'admin', displayName: 'Alex Admin', role: 'admin' }, lockMinutes: 10 },
    });
    expect(outcome.session?.set).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await callOk(app, 'auth/session', {}, outcome.session!.set);
    expect(session).toMatchObject({ staff: { username: 'admin' }, locked: false, clinicName: 'Riverside Family Clinic' });
    expect(staffRow('admin').last_login_at).toBe(app.clock.now().toISOString());
  });

  it('accepts the username in any letter case', async () => {
    const outcome = await login('ADMIN', DEMO.admin.password);
    expect(outcome.result.ok).toBe(true);
  });

  it('refuses a wrong password, keeps the failure count and audits it as denied', async () => {
    const seq = lastAuditSeq(app);

    const outcome = await login('wrong.once', WRONG);

    expect(outcome.status).toBe(401);
    expect(outcome.session).toBeUndefined();
    expect(outcome.result).toEqual({ ok: false, error: { code: 'auth/invalid-credentials', message: 'Wrong username or password.' } });
    expect(staffRow('wrong.once')).toMatchObject({ failed_logins: 1, throttled_until: null });
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { actor_kind: 'anonymous', handler: 'auth/login', record_type: 'staff', record_id: ids['wrong.once'], outcome: 'denied', detail: 'auth/invalid-credentials' },
    ]);
  });

  it('gives an unknown username exactly the same answer as a wrong password', async () => {
    const unknown = await login('nobody.here', WRONG);
    const wrong = await login('reset.me', WRONG);
    expect(unknown).toEqual(wrong);
    expect(unknown.result).toEqual({ ok: false, error: { code: 'auth/invalid-credentials', message: 'Wrong username or password.' } });
    await login('reset.me', PASSWORD); // leave reset.me as it was
  });

  it('throttles an unknown username exactly like a real one, so throttling does not reveal which names exist', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const unknown = await login('no.such.person', WRONG);
      const real = await login('throttle.twin', WRONG);
      answers.push([unknown.status, unknown.result, real.status, real.result]);
    }
    for (const [us, ur, rs, rr] of answers) {
      expect(us).toBe(rs);
      expect(ur).toEqual(rr);
    }
    expect(answers[3]![0]).toBe(429);
    // Only a hash of the typed name is kept.
    const stored = JSON.stringify(app.raw.prepare('SELECT * FROM unknown_login').all());
    expect(stored).not.toContain('no.such.person');
  });

  it('throttles after three failures, says how long to wait, and lifts when the wait is over', async () => {
    const first = await login('throttle.me', WRONG);
    const second = await login('throttle.me', WRONG);
    expect([first.result, second.result].map((r) => (r.ok ? 'ok' : r.error.details))).toEqual([undefined, undefined]);

    const third = await callErr(app, 'auth/login', { username: 'throttle.me', password: WRONG }, null, 'auth/invalid-credentials');
    expect(third.details).toEqual({ retryAfterSeconds: 2 });
    expect(staffRow('throttle.me')).toEqual({
      failed_logins: 3,
      throttled_until: new Date(app.clock.now().getTime() + 2000).toISOString(),
      last_login_at: null,
    });

    // Even the right password is refused while the wait lasts, and the attempt is not counted.
    const seq = lastAuditSeq(app);
    const throttled = await login('throttle.me', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.session).toBeUndefined();
    expect(throttled.result).toEqual({
      ok: false,
      error: { code: 'auth/throttled', message: 'Too many failed attempts. Try again in 2 seconds.', details: { retryAfterSeconds: 2 } },
    });
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'auth/login', outcome: 'denied', detail: 'auth/throttled' }]);

    app.clock.advance({ seconds: 1 });
    const later = await callErr(app, 'auth/login', { username: 'throttle.me', password: PASSWORD }, null, 'auth/throttled');
    expect(later.details).toEqual({ retryAfterSeconds: 1 });
    expect(later.message).toBe('Too many failed attempts. Try again in 1 second.');
    expect(staffRow('throttle.me').failed_logins).toBe(3);

    app.clock.advance({ seconds: 1, ms: 1 });
    const ok = await login('throttle.me', PASSWORD);
    expect(ok.result.ok).toBe(true);
    expect(staffRow('throttle.me')).toMatchObject({ failed_logins: 0, throttled_until: null });
  });

  it('doubles the wait with each further failure', async () => {
    for (let i = 0; i < 3; i++) await login('throttle.me', WRONG);
    app.clock.advance({ seconds: 2 });
    const fourth = await callErr(app, 'auth/login', { username: 'throttle.me', password: WRONG }, null, 'auth/invalid-credentials');
    expect(fourth.details).toEqual({ retryAfterSeconds: 4 });
    expect(staffRow('throttle.me').failed_logins).toBe(4);
    app.clock.advance({ seconds: 4 });
    expect((await login('throttle.me', PASSWORD)).result.ok).toBe(true);
  });

  it('resets the failure count after a successful login', async () => {
    await login('reset.me', WRONG);
    await login('reset.me', WRONG);
    expect(staffRow('reset.me').failed_logins).toBe(2);

    expect((await login('reset.me', PASSWORD)).result.ok).toBe(true);
    expect(staffRow('reset.me')).toMatchObject({ failed_logins: 0, throttled_until: null });

    // Two more failures do not throttle: the count started again from zero.
    await login('reset.me', WRONG);
    const again = await callErr(app, 'auth/login', { username: 'reset.me', password: WRONG }, null, 'auth/invalid-credentials');
    expect(again.details).toBeUndefined();
    expect(staffRow('reset.me')).toMatchObject({ failed_logins: 2, throttled_until: null });
  });
});
