import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src-main/http/server.js';
import { listen } from '../helpers/http.js';
import { DEMO, demoApp, type TestApp } from '../helpers/test-app.js';

/**
 * Staff sessions over the real web-mode server: every request sees the staff member's
 * current role and active flag, sessions have an absolute lifetime, and a change of
 * password, role or active flag ends the person's other sessions.
 */
let app: TestApp;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  app = await demoApp();
  ({ server, base } = await listen(app));
});
afterEach(async () => {
  await server.close();
  await app.dispose();
});

interface Body {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

const rpc = async (name: string, input: unknown, cookie?: string): Promise<{ status: number; body: Body; res: Response }> => {
  const res = await fetch(`${base}/api/rpc/${name}`, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Body, res };
};

async function signIn(username: string, password: string): Promise<string> {
  const { status, res } = await rpc('auth/login', { username, password });
  expect(status).toBe(200);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!setCookie) throw new Error('no session cookie');
  return setCookie.split(';')[0]!;
}

const staffId = (username: string): string =>
  (app.raw.prepare('SELECT id FROM staff WHERE username = ?').get(username) as { id: string }).id;

/** A second admin, so the demo admin can be demoted without leaving the clinic without one. */
async function secondAdmin(adminCookie: string): Promise<string> {
  const created = await rpc('staff/create', { username: 'boss', displayName: 'Second Admin', role: 'admin', password: 'second-admin-pw' }, adminCookie);
  expect(created.status).toBe(200);
  return signIn('boss', 'second-admin-pw');
}

describe('every request sees the current role and active flag', () => {
  it('an admin demoted in the database loses admin rights on the very next request of an existing session', async () => {
    const cookie = await signIn(DEMO.admin.username, DEMO.admin.password);
    expect((await rpc('staff/list', {}, cookie)).status).toBe(200);

    // Another process (or desk) sharing the file demotes her: no call of this process is involved.
    app.raw.prepare("UPDATE staff SET role = 'receptionist' WHERE username = 'admin'").run();

    const list = await rpc('staff/list', {}, cookie);
    expect(list.status).toBe(403);
    expect(list.body.error?.code).toBe('auth/forbidden');
    const session = await rpc('auth/session', {}, cookie);
    expect(session.body.data).toMatchObject({ staff: { username: 'admin', role: 'receptionist' } });
  });

  it('a deactivated account is refused at once, with a plain message, on every handler', async () => {
    const cookie = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect((await rpc('agenda/day', {}, cookie)).status).toBe(200);

    app.raw.prepare("UPDATE staff SET active = 0 WHERE username = 'reception'").run();

    const agenda = await rpc('agenda/day', {}, cookie);
    expect(agenda.status).toBe(401);
    expect(agenda.body.error?.code).toBe('auth/session-ended');
    expect(agenda.body.error?.message).toMatch(/deactivated/i);
    // Locked or not, the session is of no use: unlock with the right password is refused too.
    const unlock = await rpc('auth/unlock', { password: DEMO.reception.password }, cookie);
    expect(unlock.body.error?.code).toBe('auth/session-ended');
    // auth/session (which anyone may call) says who is signed in: nobody, and why.
    const session = await rpc('auth/session', {}, cookie);
    expect(session.body.data).toMatchObject({ staff: null });
    expect(String(session.body.data?.signedOutReason)).toMatch(/deactivated/i);
  });

  it('demotion through staff/set-role takes effect on the next request of the demoted admin’s session', async () => {
    const adminCookie = await signIn(DEMO.admin.username, DEMO.admin.password);
    const bossCookie = await secondAdmin(adminCookie);
    expect((await rpc('staff/list', {}, adminCookie)).status).toBe(200);

    const demote = await rpc('staff/set-role', { staffId: staffId('admin'), role: 'receptionist' }, bossCookie);
    expect(demote.status).toBe(200);

    const list = await rpc('staff/list', {}, adminCookie);
    expect(list.status).toBe(401);
    expect(list.body.error?.code).toBe('auth/session-ended');
    expect(list.body.error?.message).toMatch(/sign in again/i);
    // Signing in again gives the new role, without admin rights.
    const again = await signIn(DEMO.admin.username, DEMO.admin.password);
    expect((await rpc('staff/list', {}, again)).status).toBe(403);
    expect((await rpc('agenda/day', {}, again)).status).toBe(200);
  });

  it('deactivation through staff/set-active ends every session of that person at once', async () => {
    const adminCookie = await signIn(DEMO.admin.username, DEMO.admin.password);
    const desk1 = await signIn(DEMO.reception.username, DEMO.reception.password);
    const desk2 = await signIn(DEMO.reception.username, DEMO.reception.password);

    expect((await rpc('staff/set-active', { staffId: staffId('reception'), active: false }, adminCookie)).status).toBe(200);

    for (const cookie of [desk1, desk2]) {
      const agenda = await rpc('agenda/day', {}, cookie);
      expect(agenda.body.error?.code).toBe('auth/session-ended');
      expect(agenda.body.error?.message).toMatch(/deactivated/i);
    }
    expect((await rpc('auth/login', DEMO.reception)).status).toBe(401);
    // Reactivated, the person signs in again; the old sessions stay ended.
    expect((await rpc('staff/set-active', { staffId: staffId('reception'), active: true }, adminCookie)).status).toBe(200);
    expect((await rpc('agenda/day', {}, desk1)).body.error?.code).toBe('auth/session-ended');
    const fresh = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect((await rpc('agenda/day', {}, fresh)).status).toBe(200);
  });
});

describe('absolute lifetime', () => {
  it('a session in constant use ends after 12 hours (the default), with a message that says so', async () => {
    const cookie = await signIn(DEMO.reception.username, DEMO.reception.password);
    // Busy all day: a call every 9 minutes keeps the inactivity lock away.
    for (let minutes = 9; minutes < 12 * 60; minutes += 9) {
      app.clock.advance({ minutes: 9 });
      const agenda = await rpc('agenda/day', {}, cookie);
      expect(agenda.status, `after ${minutes} minutes`).toBe(200);
    }
    app.clock.advance({ minutes: 12 * 60 - Math.floor((12 * 60 - 1) / 9) * 9 });
    const late = await rpc('agenda/day', {}, cookie);
    expect(late.status).toBe(401);
    expect(late.body.error?.code).toBe('auth/session-ended');
    expect(late.body.error?.message).toMatch(/12 hours/);
    expect(late.body.error?.message).toMatch(/sign in again/i);
    // Signing in again starts a new session.
    const again = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect((await rpc('agenda/day', {}, again)).status).toBe(200);
  });

  it('the lifetime is a clinic setting; a locked session cannot be unlocked past it', async () => {
    const admin = await signIn(DEMO.admin.username, DEMO.admin.password);
    expect((await rpc('settings/update', { sessionMaxHours: 2 }, admin)).status).toBe(200);
    const desk = await signIn(DEMO.reception.username, DEMO.reception.password);
    app.clock.advance({ minutes: 119 });
    // Locked by inactivity, still inside the lifetime: unlock works.
    expect((await rpc('agenda/day', {}, desk)).body.error?.code).toBe('auth/locked');
    expect((await rpc('auth/unlock', { password: DEMO.reception.password }, desk)).status).toBe(200);
    app.clock.advance({ minutes: 1 });
    const unlock = await rpc('auth/unlock', { password: DEMO.reception.password }, desk);
    expect(unlock.body.error?.code).toBe('auth/session-ended');
    expect(unlock.body.error?.message).toMatch(/2 hours/);
  });
});

describe('a change of password, role or active flag ends the person’s other sessions', () => {
  it('changing my own password keeps this session and ends my other ones', async () => {
    const here = await signIn(DEMO.reception.username, DEMO.reception.password);
    const there = await signIn(DEMO.reception.username, DEMO.reception.password);
    const other = await signIn(DEMO.admin.username, DEMO.admin.password);

    const changed = await rpc('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'a-new-desk-password' }, here);
    expect(changed.status).toBe(200);
    // The session it was done from goes on (its token is rotated: the new cookie is set).
    const rotated = changed.res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(rotated, 'the session token is rotated after a password change').toBeDefined();
    const hereNow = rotated!.split(';')[0]!;
    expect((await rpc('agenda/day', {}, here)).status).toBe(401); // the old token is gone
    expect((await rpc('agenda/day', {}, hereNow)).status).toBe(200);
    const ended = await rpc('agenda/day', {}, there);
    expect(ended.body.error?.code).toBe('auth/session-ended');
    expect(ended.body.error?.message).toMatch(/password/i);
    // Other people are not affected.
    expect((await rpc('agenda/day', {}, other)).status).toBe(200);
    // The old password no longer works, the new one does.
    expect((await rpc('auth/login', DEMO.reception)).status).toBe(401);
    await signIn(DEMO.reception.username, 'a-new-desk-password');
  });

  it('an admin resetting someone’s password ends all of that person’s sessions', async () => {
    const admin = await signIn(DEMO.admin.username, DEMO.admin.password);
    const desk = await signIn(DEMO.reception.username, DEMO.reception.password);
    const reset = await rpc('staff/reset-password', { staffId: staffId('reception'), newPassword: 'reset-by-admin-1' }, admin);
    expect(reset.status).toBe(200);
    expect((await rpc('agenda/day', {}, desk)).body.error?.code).toBe('auth/session-ended');
    expect((await rpc('staff/list', {}, admin)).status).toBe(200);
    await signIn(DEMO.reception.username, 'reset-by-admin-1');
  });

  it('promoting a receptionist ends her sessions too (she signs in again as admin)', async () => {
    const admin = await signIn(DEMO.admin.username, DEMO.admin.password);
    const desk = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect((await rpc('staff/set-role', { staffId: staffId('reception'), role: 'admin' }, admin)).status).toBe(200);
    expect((await rpc('agenda/day', {}, desk)).body.error?.code).toBe('auth/session-ended');
    const again = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect((await rpc('staff/list', {}, again)).status).toBe(200);
  });
});
