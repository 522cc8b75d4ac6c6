import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, callErr, callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await demoApp();
});
afterAll(async () => {
  await app.dispose();
});
beforeEach(async () => {
  token = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
});

const LOCK_MINUTES = 10; // the demo clinic keeps the default

describe('staff sessions', () => {
  it('stay open while used, however long the day', async () => {
    for (let i = 0; i < 4; i++) {
      app.clock.advance({ minutes: LOCK_MINUTES - 1 });
      await callOk(app, 'agenda/day', {}, token);
    }
    expect(await callOk(app, 'auth/session', {}, token)).toMatchObject({ locked: false, staff: { username: 'reception' } });
  });

  it('do not lock at exactly the timeout', async () => {
    app.clock.advance({ minutes: LOCK_MINUTES });
    expect((await call(app, 'agenda/day', {}, token)).result.ok).toBe(true);
  });

  it('lock after lockMinutes of inactivity; only unlock with the right password lets work continue', async () => {
    app.clock.advance({ minutes: LOCK_MINUTES, seconds: 1 });

    const locked = await call(app, 'agenda/day', {}, token);
    expect(locked.status).toBe(423);
    expect(locked.result).toEqual({
      ok: false,
      error: { code: 'auth/locked', message: 'The session is locked after inactivity. Enter your password to continue.' },
    });
    expect(await callOk(app, 'auth/session', {}, token)).toMatchObject({
      staff: { username: 'reception', role: 'receptionist' },
      locked: true,
      lockMinutes: LOCK_MINUTES,
    });

    const wrong = await callErr(app, 'auth/unlock', { password: 'not-my-password' }, token, 'auth/invalid-credentials');
    expect(wrong.fieldErrors).toEqual({ password: ['Wrong password.'] });
    await callErr(app, 'agenda/day', {}, token, 'auth/locked');

    const unlocked = await callOk(app, 'auth/unlock', { password: DEMO.reception.password }, token);
    expect(unlocked.staff.username).toBe('reception');
    expect((await callOk(app, 'auth/session', {}, token)).locked).toBe(false);
    expect((await call(app, 'agenda/day', {}, token)).result.ok).toBe(true);
  });

  it('asking whether the session is locked does not keep it alive', async () => {
    app.clock.advance({ minutes: LOCK_MINUTES - 1 });
    await callOk(app, 'auth/session', {}, token);
    app.clock.advance({ minutes: 2 });
    expect((await callOk(app, 'auth/session', {}, token)).locked).toBe(true);
  });

  it('lock at once with auth/lock', async () => {
    await callOk(app, 'auth/lock', {}, token);
    await callErr(app, 'agenda/day', {}, token, 'auth/locked');
    expect((await callOk(app, 'auth/session', {}, token)).locked).toBe(true);
  });

  it('end with auth/logout, which tells the transport to forget the token', async () => {
    const outcome = await call(app, 'auth/logout', {}, token);
    expect(outcome.result).toEqual({ ok: true, data: { ok: true } });
    expect(outcome.session).toEqual({ clear: true });

    expect(await callOk(app, 'auth/session', {}, token)).toMatchObject({ staff: null, locked: false });
    await callErr(app, 'agenda/day', {}, token, 'auth/unauthenticated');
    await callErr(app, 'auth/unlock', { password: DEMO.reception.password }, token, 'auth/unauthenticated');
  });

  it('are separate: logging one out leaves another signed in', async () => {
    const other = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    await callOk(app, 'auth/logout', {}, token);
    expect((await callOk(app, 'auth/session', {}, other)).staff?.username).toBe('admin');
  });
});
