/**
 * Defects an attacker-minded review of the hardening and events work found, each with the test
 * that failed before its fix: hostile field names, a cut emoji in a stored setting, and a
 * desk's own session renewed (own password change) without restarting its lifetime or losing
 * its holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isWellFormedText } from '../../src-main/contract/common.js';
import { IDS, openClinic, STAFF, type Clinic } from '../helpers/booking.js';
import { auditRowsAfter, call, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp | null = null;
let clinic: Clinic | null = null;
afterEach(async () => {
  await app?.dispose();
  await clinic?.app.dispose();
  app = null;
  clinic = null;
});

describe('hostile field names', () => {
  it('a field named constructor, toString or __proto__ is an unknown field, not a crash', async () => {
    app = await demoApp();
    for (const name of ['constructor', 'toString', 'valueOf', '__proto__']) {
      const body = JSON.parse(`{"basic":{"givenName":"A"},${JSON.stringify(name)}:1}`) as unknown;
      const outcome = await call(app, 'patient/register', body);
      expect(outcome.status, name).toBe(400);
      if (outcome.result.ok) throw new Error('accepted');
      expect(outcome.result.error.code).toBe('validation/invalid-input');
      if (name !== '__proto__') expect(Object.keys(outcome.result.error.fieldErrors ?? {}), name).toContain(name);
    }
  });

  it('an unknown field name cannot forge audit lines or carry broken text', async () => {
    app = await demoApp();
    const seq = lastAuditSeq(app);
    const outcome = await call(app, 'patient/register', { basic: { givenName: 'A' }, ['\ud800\n\u001b[31mFAKE LOG LINE' + 'x'.repeat(200)]: 1 });
    if (outcome.result.ok) throw new Error('accepted');
    const keys = Object.keys(outcome.result.error.fieldErrors ?? {});
    const hostile = keys.find((k) => k.includes('FAKE'))!;
    expect(hostile).toBeDefined();
    expect(hostile.includes('\n') || hostile.includes('\u001b')).toBe(false);
    expect(isWellFormedText(hostile)).toBe(true);
    expect(Array.from(hostile).length).toBeLessThanOrEqual(64);
    const detail = auditRowsAfter(app, seq).map((r) => r.detail ?? '').join('\n');
    expect(detail.includes('\u001b')).toBe(false);
    expect(detail.split('\n').some((line) => line.startsWith('FAKE'))).toBe(false);
  });
});

describe('a stored setting whose shortened text would cut a character in half', () => {
  it('settings/get still answers, naming the bad key', async () => {
    app = await demoApp();
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    // A clinic name over the limit, with an emoji exactly where the shortened text is cut.
    app.raw.prepare("UPDATE setting SET value = ? WHERE key = 'clinicName'").run(JSON.stringify('a'.repeat(76) + '😀' + 'b'.repeat(400)));
    await app.close();
    const reopened = await demoAppAt(app.dataDir);
    app = reopened;
    const admin2 = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const out = await callOk(app, 'settings/get', {}, admin2);
    expect(out.invalid.map((i) => i.key)).toContain('clinicName');
    expect(out.invalid.every((i) => isWellFormedText(i.stored))).toBe(true);
    void admin;
  });
});

async function demoAppAt(dataDir: string): Promise<TestApp> {
  const { openTestApp } = await import('../helpers/test-app.js');
  return openTestApp({ dataDir });
}

describe('changing one’s own password renews the session, it does not restart it', () => {
  it('keeps the absolute lifetime counted from sign-in', async () => {
    clinic = await openClinic();
    const c = clinic;
    // A busy desk: a call every 10 minutes for 11 hours (never locked by inactivity).
    for (let i = 0; i < 66; i++) {
      c.clock.advance({ minutes: 10 });
      await callOk(c.app, 'booking/options', {}, c.tokens.deskA);
    }
    const renewed = await c.app.dispatch('auth/change-password', { currentPassword: STAFF.deskA.password, newPassword: 'desk-a-new-password-1' }, { sessionToken: c.tokens.deskA });
    expect(renewed.result.ok).toBe(true);
    const token = renewed.session!.set!;
    for (let i = 0; i < 5; i++) {
      c.clock.advance({ minutes: 10 });
      await callOk(c.app, 'booking/options', {}, token);
    }
    c.clock.advance({ minutes: 10 }); // 12 hours after sign-in
    await callErr(c.app, 'booking/options', {}, token, 'auth/session-ended');
  });

  it('keeps the desk’s own hold: it books it and releases it under the new token', async () => {
    clinic = await openClinic();
    const c = clinic;
    const slot = { doctorId: IDS.grey, locationId: IDS.main, consultationTypeId: IDS.general, startAt: c.at('2026-06-02', '10:00') };
    const hold = await c.ok('deskA', 'booking/hold', slot);
    const renewed = await c.app.dispatch('auth/change-password', { currentPassword: STAFF.deskA.password, newPassword: 'desk-a-new-password-1' }, { sessionToken: c.tokens.deskA });
    const token = renewed.session!.set!;
    const booked = await callOk(c.app, 'booking/create', { ...slot, patientId: c.patients[0]!.patientId, holdId: hold.holdId }, token);
    expect(booked.appointment.startAt).toBe(slot.startAt);
    // Another desk on another session still cannot touch such a hold.
    const hold2 = await callOk(c.app, 'booking/hold', { ...slot, startAt: c.at('2026-06-02', '11:00') }, token);
    await callErr(c.app, 'booking/release-hold', { holdId: hold2.holdId }, c.tokens.deskB, 'booking/hold-not-yours');
    await callOk(c.app, 'booking/release-hold', { holdId: hold2.holdId }, token);
  });
});
