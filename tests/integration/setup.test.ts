import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRows, call, callErr, callOk, count, openTestApp, tableCounts, type TestApp } from '../helpers/test-app.js';

let app: TestApp;

beforeEach(async () => {
  app = await openTestApp();
});
afterEach(async () => {
  await app.dispose();
});

const valid = {
  clinicName: 'Harbour Health',
  timeZone: 'Europe/Lisbon',
  currency: 'EUR',
  admin: { username: 'ines', displayName: 'Inês Costa', password: 'a-long-enough-password' },
};

describe('first-run setup', () => {
  it('reports that a new database needs setup', async () => {
    expect(await callOk(app, 'setup/status', {})).toEqual({ needsSetup: true, clinicName: null, demoAccounts: null, notice: null, deskName: expect.any(String) });
    expect(count(app, 'staff')).toBe(0);
  });

  it('creates the clinic and its first admin, and signs that admin in', async () => {
    const outcome = await call(app, 'setup/initialize', valid);

    expect(outcome.result).toEqual({
      ok: true,
      data: { staff: { id: expect.any(String), username: 'ines', displayName: 'Inês Costa', role: 'admin' } },
    });
    const token = outcome.session?.set;
    expect(typeof token).toBe('string');
    expect(await callOk(app, 'auth/session', {}, token)).toMatchObject({
      staff: { username: 'ines', role: 'admin' },
      locked: false,
      clinicName: 'Harbour Health',
    });
    expect(await callOk(app, 'settings/get', {}, token)).toMatchObject({ clinicName: 'Harbour Health', timeZone: 'Europe/Lisbon', currency: 'EUR' });
    expect(await callOk(app, 'setup/status', {})).toEqual({ needsSetup: false, clinicName: 'Harbour Health', demoAccounts: null, notice: null, deskName: expect.any(String) });
    expect(auditRows(app).map((r) => [r.handler, r.outcome, r.actor_kind])).toEqual([['setup/initialize', 'ok', 'staff']]);
  });

  it('lets the new admin sign in again with the chosen password', async () => {
    await callOk(app, 'setup/initialize', valid);
    const login = await callOk(app, 'auth/login', { username: 'ines', password: valid.admin.password });
    expect(login.staff.role).toBe('admin');
  });

  it('refuses a second setup/initialize or setup/load-demo with setup/already-done', async () => {
    await callOk(app, 'setup/initialize', valid);

    const again = await call(app, 'setup/initialize', { ...valid, admin: { ...valid.admin, username: 'mallory' } });
    expect(again.status).toBe(409);
    expect(again.session).toBeUndefined();
    expect(again.result).toEqual({
      ok: false,
      error: { code: 'setup/already-done', message: 'This clinic is already set up. Sign in instead.' },
    });
    await callErr(app, 'setup/load-demo', {}, null, 'setup/already-done');

    expect(count(app, 'staff')).toBe(1);
    expect(count(app, 'doctor')).toBe(0);
    expect(app.settings().clinicName).toBe('Harbour Health');
  });

  it('asks for the phone country: stored as settings.defaultCountry, so numbers without +country are read as that country', async () => {
    const token = (await call(app, 'setup/initialize', { ...valid, defaultCountry: 'PT' })).session?.set;
    expect((await callOk(app, 'settings/get', {}, token)).defaultCountry).toBe('PT');
    // A Portuguese mobile typed without +351 is read as Portuguese.
    const reg = await callOk(
      app,
      'patient/register',
      {
        basic: { givenName: 'Rui', familyName: 'Matos', dateOfBirth: '1980-01-02', sex: 'male', phone: '912 345 678' },
        idempotencyKey: 'setup-country-1',
      },
      token,
    );
    expect((await callOk(app, 'patient/get', { patientId: reg.patientId }, token)).basic.phone).toBe('+351912345678');
  });

  it('refuses a phone country that does not exist, in plain words', async () => {
    const error = await callErr(app, 'setup/initialize', { ...valid, defaultCountry: 'ZZ' }, null, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ defaultCountry: ['Choose a country from the list.'] });
    expect(count(app, 'staff')).toBe(0);
  });

  it('records the new admin’s sign-in: the staff list does not say “never” for the admin signed in right now', async () => {
    const token = (await call(app, 'setup/initialize', valid)).session?.set;
    const { staff: rows } = await callOk(app, 'staff/list', {}, token);
    expect(rows.find((r) => r.username === 'ines')?.lastLoginAt).toBe(app.clock.now().toISOString());
  });

  it.each([
    ['timeZone', { ...valid, timeZone: 'Mars/Olympus_Mons' }, ['Unknown time zone: use an IANA name such as Europe/Paris.']],
    ['timeZone', { ...valid, timeZone: 'EST' }, ['Unknown time zone: use an IANA name such as Europe/Paris.']],
    ['currency', { ...valid, currency: 'ZZZ' }, ['Unknown currency code.']],
    ['currency', { ...valid, currency: 'EURO' }, ['Use a three-letter ISO 4217 code such as EUR.', 'Unknown currency code.']],
    ['admin.password', { ...valid, admin: { ...valid.admin, password: 'short' } }, ['Use at least 10 characters.']],
    ['admin.username', { ...valid, admin: { ...valid.admin, username: 'inês costa' } }, ['Letters, digits, dot, dash and underscore only.']],
    ['clinicName', { ...valid, clinicName: '   ' }, ['Clinic name is required.']],
  ])('gives a field error for a bad %s and writes nothing but the audit row', async (field, input, messages) => {
    const before = tableCounts(app);

    const error = await callErr(app, 'setup/initialize', input, null, 'validation/invalid-input');

    expect(error.fieldErrors).toEqual({ [field]: messages });
    expect(tableCounts(app)).toEqual({ ...before, audit_log: before.audit_log! + 1 });
    expect(auditRows(app)).toMatchObject([{ handler: 'setup/initialize', outcome: 'invalid', detail: `fields: ${field}` }]);
    expect(await callOk(app, 'setup/status', {})).toEqual({ needsSetup: true, clinicName: null, demoAccounts: null, notice: null, deskName: expect.any(String) });
  });
});
