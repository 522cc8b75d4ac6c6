import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsAfter, call, callErr, callOk, count, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let reception: string;
let receptionId: string;

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  receptionId = (await callOk(app, 'auth/session', {}, reception)).staff!.id;
});
afterAll(async () => {
  await app.dispose();
});

describe('dispatcher: who may call what', () => {
  it.each([
    ['staff/create', { username: 'sneaky', displayName: 'Sneaky', role: 'admin', password: 'sneaky-password-1' }],
    ['settings/update', { lockMinutes: 240 }],
  ])('refuses a receptionist calling the admin-only %s, and audits it as denied', async (name, input) => {
    const staffBefore = count(app, 'staff');
    const seq = lastAuditSeq(app);

    const outcome = await call(app, name, input, reception);

    expect(outcome.status).toBe(403);
    expect(outcome.result).toEqual({
      ok: false,
      error: { code: 'auth/forbidden', message: 'Only admin staff may do this; you are signed in as receptionist.' },
    });
    expect(count(app, 'staff')).toBe(staffBefore);
    expect(app.settings().lockMinutes).toBe(10);
    const rows = auditRowsAfter(app, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_kind: 'staff', actor_id: receptionId, handler: name, outcome: 'denied', detail: 'auth/forbidden' });
  });

  it('audits a denied admin-only read too', async () => {
    const seq = lastAuditSeq(app);
    await callErr(app, 'audit/list', {}, reception, 'auth/forbidden');
    expect(auditRowsAfter(app, seq).map((r) => [r.handler, r.outcome])).toEqual([['audit/list', 'denied']]);
  });

  it('lets a receptionist call staff handlers', async () => {
    const agenda = await callOk(app, 'agenda/day', {}, reception);
    expect(agenda.timeZone).toBe('America/New_York');
  });

  it('answers an anonymous call to a staff handler with auth/unauthenticated', async () => {
    const outcome = await call(app, 'agenda/day', {});
    expect(outcome.status).toBe(401);
    expect(outcome.result).toEqual({ ok: false, error: { code: 'auth/unauthenticated', message: 'Please sign in.' } });
  });

  it('treats an unknown session token as anonymous', async () => {
    await callErr(app, 'settings/get', {}, 'not-a-real-token', 'auth/unauthenticated');
  });

  it('audits an anonymous call to a staff mutation as denied', async () => {
    const seq = lastAuditSeq(app);
    await callErr(app, 'staff/create', { username: 'ghost', displayName: 'Ghost', role: 'admin', password: 'ghost-password-1' }, null, 'auth/unauthenticated');
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { actor_kind: 'anonymous', actor_id: null, handler: 'staff/create', outcome: 'denied', detail: 'auth/unauthenticated' },
    ]);
    expect(count(app, 'staff')).toBe(2);
  });

  it('refuses staff calling a first-run handler meant for nobody signed in', async () => {
    const error = await callErr(app, 'setup/load-demo', {}, reception, 'auth/forbidden');
    expect(error.message).toBe('Staff cannot call this operation.');
  });
});
