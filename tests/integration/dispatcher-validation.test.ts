import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsAfter, call, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';

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

describe('dispatcher: names and input parsing', () => {
  it('answers an unknown handler with rpc/unknown-handler', async () => {
    const outcome = await call(app, 'patient/teleport', {}, admin);
    expect(outcome.status).toBe(404);
    expect(outcome.result).toEqual({
      ok: false,
      error: { code: 'rpc/unknown-handler', message: 'There is no operation named “patient/teleport”.' },
    });
  });

  it('does not treat inherited object keys as handlers', async () => {
    await callErr(app, 'constructor', {}, admin, 'rpc/unknown-handler');
    await callErr(app, '__proto__', {}, admin, 'rpc/unknown-handler');
  });

  it('names an unknown field with "Unknown field."', async () => {
    const error = await callErr(app, 'settings/update', { lockMinutes: 5, colour: 'teal' }, admin, 'validation/invalid-input');
    expect(error.message).toBe('Some fields need attention.');
    expect(error.fieldErrors).toEqual({ colour: ['Unknown field.'] });
  });

  it('names an unknown nested field by its path', async () => {
    const error = await callErr(
      app,
      'setup/initialize',
      {
        clinicName: 'X',
        timeZone: 'UTC',
        currency: 'EUR',
        admin: { username: 'boss', displayName: 'Boss', password: 'long-enough-pw', shoeSize: 44 },
      },
      null,
      'validation/invalid-input',
    );
    expect(error.fieldErrors).toEqual({ 'admin.shoeSize': ['Unknown field.'] });
  });

  it('gives a field error for an oversized string', async () => {
    const error = await callErr(app, 'settings/update', { clinicName: 'x'.repeat(121) }, admin, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ clinicName: ['At most 120 characters.'] });
  });

  it('says which field is missing', async () => {
    const error = await callErr(app, 'auth/login', { username: 'admin' }, null, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ password: ['This field is required.'] });
  });

  it('writes nothing for invalid input to a mutation except one audit row with outcome "invalid"', async () => {
    const counts = tableCounts(app);
    const seq = lastAuditSeq(app);

    const outcome = await call(app, 'settings/update', { lockMinutes: 0, currency: 'EURO' }, admin);

    expect(outcome.status).toBe(400);
    expect(outcome.result.ok).toBe(false);
    expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
    expect(app.settings().lockMinutes).toBe(10);
    const rows = auditRowsAfter(app, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_kind: 'staff',
      actor_id: adminId,
      handler: 'settings/update',
      outcome: 'invalid',
      detail: 'fields: currency, lockMinutes',
    });
  });

  it('does not audit invalid input to a read', async () => {
    const seq = lastAuditSeq(app);
    await callErr(app, 'agenda/day', { date: '2026-02-30' }, admin, 'validation/invalid-input');
    expect(auditRowsAfter(app, seq)).toEqual([]);
  });
});
