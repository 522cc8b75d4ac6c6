import { envelopesOf } from '../helpers/events.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { removeDir } from '../helpers/temp-dir.js';
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

describe('a stored setting that cannot be used', () => {
  it('falls back alone: an invalid time zone row leaves the clinic name and currency intact, and admins see which and why', async () => {
    const own = await demoApp();
    try {
      await callOk(own, 'settings/update', { currency: 'EUR' }, await loginAs(own, DEMO.admin.username, DEMO.admin.password));
      // A bad copy, a hand edit, an older version: the stored zone is no longer valid.
      own.raw.prepare("UPDATE setting SET value = ? WHERE key = 'timeZone'").run(JSON.stringify('Mars/Olympus_Mons'));
      own.raw.prepare("INSERT INTO setting (key, value, updated_at) VALUES ('holdMinutes', '{broken', '2026-01-01T00:00:00Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
      await own.close();

      const lines: string[] = [];
      const reopened = await openApp({ dataDir: own.dataDir, clock: own.clock, log: (line) => lines.push(line) });
      try {
        expect(reopened.settings()).toMatchObject({ clinicName: 'Riverside Family Clinic', currency: 'EUR', timeZone: 'UTC', holdMinutes: 5 });
        expect(lines.join('\n')).toMatch(/the setting timeZone is invalid .*using "UTC" instead/);

        const admin = await loginAs(reopened, DEMO.admin.username, DEMO.admin.password);
        const got = await callOk(reopened, 'settings/get', {}, admin);
        expect(got.clinicName).toBe('Riverside Family Clinic');
        expect(got.currency).toBe('EUR');
        expect([...got.invalid].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
          { key: 'holdMinutes', stored: '{broken', problem: 'The stored value cannot be read.', usedInstead: 5 },
          { key: 'timeZone', stored: 'Mars/Olympus_Mons', problem: 'Unknown time zone: use an IANA name such as Europe/Paris.', usedInstead: 'UTC' },
        ]);

        // Saving a valid value clears the warning for that key only.
        await callOk(reopened, 'settings/update', { timeZone: 'America/New_York' }, admin);
        expect((await callOk(reopened, 'settings/get', {}, admin)).invalid.map((i) => i.key)).toEqual(['holdMinutes']);
        expect(reopened.settings().timeZone).toBe('America/New_York');
      } finally {
        await reopened.close();
      }
    } finally {
      removeDir(own.dataDir);
    }
  });
});
