import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, auditRowsAfter, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let admin: string;
let adminId: string;

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  adminId = (await callOk(app, 'auth/session', {}, admin)).staff!.id;
});
afterAll(async () => {
  await app.dispose();
});

describe('audit log', () => {
  it('records the demo load and the login that followed', () => {
    const rows = auditRows(app);
    expect(rows.map((r) => [r.handler, r.outcome, r.actor_kind])).toEqual([
      ['setup/load-demo', 'ok', 'anonymous'],
      ['auth/login', 'ok', 'staff'],
    ]);
    expect(rows[0]).toMatchObject({ record_type: 'clinic', record_id: 'demo' });
    expect(rows[1]).toMatchObject({ actor_id: adminId, record_type: 'staff', record_id: adminId, at: app.clock.now().toISOString() });
  });

  it('writes exactly one row, naming actor, handler and record, for a successful mutation', async () => {
    const seq = lastAuditSeq(app);
    const created = await callOk(
      app,
      'staff/create',
      { username: 'dana', displayName: 'Dana Desk', role: 'receptionist', password: 'dana-password-1' },
      admin,
    );
    const rows = auditRowsAfter(app, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_kind: 'staff',
      actor_id: adminId,
      handler: 'staff/create',
      record_type: 'staff',
      record_id: created.staff.id,
      outcome: 'ok',
      detail: null,
    });
  });

  it('writes one row per settings change', async () => {
    const seq = lastAuditSeq(app);
    await callOk(app, 'settings/update', { holdMinutes: 7 }, admin);
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { actor_id: adminId, handler: 'settings/update', record_type: 'settings', record_id: 'holdMinutes', outcome: 'ok' },
    ]);
  });

  it('audits a failed mutation as an error with its code, and keeps none of its writes', async () => {
    const seq = lastAuditSeq(app);
    const error = await callErr(
      app,
      'staff/create',
      { username: 'DANA', displayName: 'Another Dana', role: 'admin', password: 'dana-password-2' },
      admin,
      'staff/username-taken',
    );
    expect(error.fieldErrors).toEqual({ username: ['That username is already in use.'] });
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'staff/create', outcome: 'error', detail: 'staff/username-taken' }]);
  });

  it('writes no row for a plain read', async () => {
    const seq = lastAuditSeq(app);
    await callOk(app, 'agenda/day', {}, admin);
    await callOk(app, 'settings/get', {}, admin);
    expect(auditRowsAfter(app, seq)).toEqual([]);
  });

  it('lists rows newest first to an admin, with the actor name', async () => {
    const { rows } = await callOk(app, 'audit/list', { limit: 2 }, admin);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.seq).toBe(lastAuditSeq(app));
    expect(rows[0]!.seq).toBeGreaterThan(rows[1]!.seq);
    expect(rows[0]!.actorName).toBe('Alex Admin');
  });

  it('rejects UPDATE and DELETE at the SQL level', () => {
    const before = auditRows(app);
    expect(() => app.raw.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 1").run()).toThrow('audit_log is append-only');
    expect(() => app.raw.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow('audit_log is append-only');
    expect(() => app.raw.prepare('DELETE FROM audit_log').run()).toThrow('audit_log is append-only');
    expect(auditRows(app)).toEqual(before);
  });
});
