import { envelopesOf } from '../helpers/events.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, callErr, callOk, DEMO, demoApp, loginAs, openTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await demoApp();
});
beforeEach(async () => {
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
});
afterAll(async () => {
  await app.dispose();
});

describe('settings', () => {
  it('lets an admin change lockMinutes, and the new lock timeout applies at once', async () => {
    const reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    app.clock.advance({ minutes: 2, seconds: 1 });
    expect((await call(app, 'agenda/day', {}, reception)).result.ok).toBe(true); // 10 minutes allowed so far

    const updated = await callOk(app, 'settings/update', { lockMinutes: 2 }, admin);

    expect(updated.lockMinutes).toBe(2);
    expect(updated.clinicName).toBe('Riverside Family Clinic');
    expect(app.settings().lockMinutes).toBe(2);
    expect((await callOk(app, 'settings/get', {}, admin)).lockMinutes).toBe(2);
    expect(app.raw.prepare("SELECT value FROM setting WHERE key = 'lockMinutes'").get()).toEqual({ value: '2' });

    app.clock.advance({ minutes: 2, seconds: 1 });
    await callErr(app, 'agenda/day', {}, reception, 'auth/locked');
    expect((await callOk(app, 'auth/session', {}, reception)).lockMinutes).toBe(2);
    expect((await callOk(app, 'auth/login', { username: 'reception', password: DEMO.reception.password })).lockMinutes).toBe(2);
  });

  it('records the change as a change envelope for sync', async () => {
    await callOk(app, 'settings/update', { horizonDays: 90 }, admin);
    const last = envelopesOf(app, 'settings', 'horizonDays').at(-1);
    expect(last).toMatchObject({ op: 'upsert', record: { key: 'horizonDays', value: '90' }, actor: { kind: 'staff' } });
  });

  it('refuses a lock timeout out of range and keeps the old one', async () => {
    const error = await callErr(app, 'settings/update', { lockMinutes: 241 }, admin, 'validation/invalid-input');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['lockMinutes']);
    expect(app.settings().lockMinutes).toBe(2);
  });
});

describe('settings across a restart', () => {
  it('are read back from the database, while sessions are not kept', async () => {
    const first = await openTestApp();
    const setup = await call(first, 'setup/initialize', {
      clinicName: 'Restart Clinic',
      timeZone: 'Asia/Tokyo',
      currency: 'JPY',
      admin: { username: 'kenji', displayName: 'Kenji', password: 'kenji-password-1' },
    });
    const token = setup.session!.set!;
    await callOk(first, 'settings/update', { lockMinutes: 45 }, token);
    await first.close();

    const second = await openTestApp({ dataDir: first.dataDir, clock: first.clock });
    try {
      expect(second.settings()).toMatchObject({ clinicName: 'Restart Clinic', timeZone: 'Asia/Tokyo', currency: 'JPY', lockMinutes: 45 });
      await callErr(second, 'settings/get', {}, token, 'auth/unauthenticated');
    } finally {
      await second.dispose();
    }
  });
});
