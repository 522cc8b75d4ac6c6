import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callErr, callOk, DEMO, demoApp, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';
import { DEMO_NAMES, register, searchIds, type BasicInput } from '../helpers/patients.js';

let app: TestApp;
let reception: string;
let admin: string;
let patientId: string;

const START = '2026-03-11T15:00:00.000Z';
const BASIC: BasicInput = {
  givenName: 'Ottoline',
  familyName: 'Featherstonehaugh',
  dateOfBirth: '1958-04-30',
  sex: 'female',
  phone: '(202) 555-0191',
  email: 'ottoline@mail.example',
};
const HISTORY_V1 = { allergies: [{ substance: 'Latex', reaction: 'Rash', severity: 'mild' as const }] };

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  ({ patientId } = await register(app, { basic: BASIC, medicalHistory: HISTORY_V1 }, reception));
});
afterAll(async () => {
  await app.dispose();
});

const profile = () => callOk(app, 'patient/get', { patientId }, reception);

describe('patient/update-basic', () => {
  it('refuses a stale expectedVersion with patient/version-conflict and changes nothing', async () => {
    const before = await profile();
    const counts = tableCounts(app);
    const outcome = await call(
      app,
      'patient/update-basic',
      { patientId, expectedVersion: 2, basic: { ...BASIC, givenName: 'Changed' } },
      reception,
    );
    expect(outcome.status).toBe(409);
    expect(outcome.result).toEqual({
      ok: false,
      error: {
        code: 'patient/version-conflict',
        message: 'Someone else changed this record. Reload it and try again.',
        details: { currentVersion: 1 },
      },
    });
    // patient/get above and below add audit rows of their own: compare before the second read.
    expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
    expect(await profile()).toEqual(before);
  });

  it('refuses an invalid phone with a field error and changes nothing', async () => {
    const error = await callErr(
      app,
      'patient/update-basic',
      { patientId, expectedVersion: 1, basic: { ...BASIC, phone: '12' } },
      reception,
      'validation/invalid-input',
    );
    expect(error.fieldErrors).toEqual({ 'basic.phone': ['Not a valid phone number (numbers without +country are read as US).'] });
    expect((await profile()).version).toBe(1);
  });

  it('changes the record, bumps its version, and re-indexes it for search', async () => {
    expect(await searchIds(app, reception, 'feath')).toEqual([patientId]);
    expect(await searchIds(app, reception, '2025550191')).toEqual([patientId]);

    app.clock.advance({ minutes: 1 });
    const out = await callOk(
      app,
      'patient/update-basic',
      {
        patientId,
        expectedVersion: 1,
        basic: { ...BASIC, givenName: 'Lottie', familyName: 'Fanshawe-Śliwa', phone: '+1 202 555 0192', email: 'Lottie@Mail.Example' },
      },
      reception,
    );
    expect(out).toEqual({ version: 2 });

    const p = await profile();
    expect(p.version).toBe(2);
    expect(p.basic).toMatchObject({ givenName: 'Lottie', familyName: 'Fanshawe-Śliwa', phone: '+12025550192', email: 'lottie@mail.example' });

    expect(await searchIds(app, reception, 'feath')).toEqual([]);
    expect(await searchIds(app, reception, 'ottoline')).toEqual([]);
    expect(await searchIds(app, reception, '2025550191')).toEqual([]);
    expect(await searchIds(app, reception, 'ottoline@')).toEqual([]);
    expect(await searchIds(app, reception, 'sliwa lottie')).toEqual([patientId]);
    expect(await searchIds(app, reception, 'fanshawesliwa')).toEqual([patientId]);
    expect(await searchIds(app, reception, '0192')).toEqual([patientId]);
    expect(await searchIds(app, reception, 'lottie@mail')).toEqual([patientId]);
    expect(await searchIds(app, reception, '1958-04-30')).toEqual([patientId]);

    const tokens = app.raw.prepare('SELECT token FROM patient_search_token WHERE patient_id = ? ORDER BY token').all(patientId);
    expect(tokens.map((t) => (t as { token: string }).token)).toEqual([
      'd:1958-04-30',
      'e:lottie@mail.example',
      'n:fanshawe',
      'n:fanshawesliwa',
      'n:lottie',
      'n:sliwa',
      'p:2025550192',
      'r:29105552021',
    ]);
  });

  it('the old version number is now stale', async () => {
    await callErr(app, 'patient/update-basic', { patientId, expectedVersion: 1, basic: BASIC }, admin, 'patient/version-conflict');
  });
});

describe('patient/update-medical-history and patient/section-history', () => {
  const HISTORY_V2 = { medications: [{ name: 'Lisinopril', dose: '10 mg', frequency: 'daily' }], allergies: HISTORY_V1.allergies };
  const HISTORY_V3 = { ...HISTORY_V2, chronicConditions: [{ name: 'Hypertension' }] };

  it('keeps every version, newest first, with who changed it and when', async () => {
    app.clock.advance({ minutes: 1 });
    const v2 = await callOk(app, 'patient/update-medical-history', { patientId, expectedVersion: 1, data: HISTORY_V2 }, reception);
    expect(v2).toEqual({ version: 2, updatedAt: '2026-03-11T15:02:00.000Z', updatedBy: DEMO_NAMES.reception });

    app.clock.advance({ minutes: 1 });
    const v3 = await callOk(app, 'patient/update-medical-history', { patientId, expectedVersion: 2, data: HISTORY_V3 }, admin);
    expect(v3).toEqual({ version: 3, updatedAt: '2026-03-11T15:03:00.000Z', updatedBy: DEMO_NAMES.admin });

    const empty = { previousConsultations: [], medications: [], allergies: [], chronicConditions: [], familyHistory: [] };
    const history = await callOk(app, 'patient/section-history', { patientId, section: 'medical_history' }, reception);
    expect(history).toEqual({
      changes: [
        {
          version: 3,
          changedAt: '2026-03-11T15:03:00.000Z',
          changedBy: DEMO_NAMES.admin,
          data: { ...empty, ...HISTORY_V3, chronicConditions: [{ name: 'Hypertension', notes: '' }] },
        },
        { version: 2, changedAt: '2026-03-11T15:02:00.000Z', changedBy: DEMO_NAMES.reception, data: { ...empty, ...HISTORY_V2 } },
        { version: 1, changedAt: START, changedBy: DEMO_NAMES.reception, data: { ...empty, ...HISTORY_V1 } },
      ],
    });

    const p = await profile();
    expect(p.medicalHistory.meta).toEqual(v3);
    expect(p.medicalHistory.data.chronicConditions).toEqual([{ name: 'Hypertension', notes: '' }]);
  });

  it('refuses a stale expectedVersion and keeps the history as it was', async () => {
    const counts = tableCounts(app);
    const outcome = await call(app, 'patient/update-medical-history', { patientId, expectedVersion: 2, data: {} }, reception);
    expect(outcome.result).toEqual({
      ok: false,
      error: {
        code: 'patient/version-conflict',
        message: 'Someone else changed this part of the record. Reload it and try again.',
        details: { currentVersion: 3 },
      },
    });
    expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
  });

  it('answers common/not-found for an unknown patient', async () => {
    await callErr(app, 'patient/update-medical-history', { patientId: 'nobody', expectedVersion: 0, data: {} }, reception, 'common/not-found');
    await callErr(app, 'patient/section-history', { patientId: 'nobody', section: 'insurance' }, reception, 'common/not-found');
  });
});

describe('patient/update-emergency-contact', () => {
  it('sets a contact with its phone normalised, then null clears it', async () => {
    const set = await callOk(
      app,
      'patient/update-emergency-contact',
      { patientId, expectedVersion: 0, data: { name: 'Mårten Ek', relationship: 'Husband', phone: '+46 8 123 456 78' } },
      reception,
    );
    expect(set.version).toBe(1);
    expect((await profile()).emergencyContact.data).toEqual({ name: 'Mårten Ek', relationship: 'Husband', phone: '+46812345678' });

    const cleared = await callOk(app, 'patient/update-emergency-contact', { patientId, expectedVersion: 1, data: null }, admin);
    expect(cleared).toMatchObject({ version: 2, updatedBy: DEMO_NAMES.admin });
    expect((await profile()).emergencyContact).toEqual({ data: null, meta: cleared });

    const history = await callOk(app, 'patient/section-history', { patientId, section: 'emergency_contact' }, reception);
    expect(history.changes.map((c) => [c.version, c.changedBy, c.data])).toEqual([
      [2, DEMO_NAMES.admin, null],
      [1, DEMO_NAMES.reception, { name: 'Mårten Ek', relationship: 'Husband', phone: '+46812345678' }],
    ]);
  });

  it('refuses an invalid contact phone under data.phone', async () => {
    const error = await callErr(
      app,
      'patient/update-emergency-contact',
      { patientId, expectedVersion: 2, data: { name: 'A', relationship: 'Friend', phone: '99' } },
      reception,
      'validation/invalid-input',
    );
    expect(error.fieldErrors).toEqual({ 'data.phone': ['Not a valid phone number (numbers without +country are read as US).'] });
  });
});

describe('patient/update-insurance', () => {
  const policy = { provider: 'Acme Health', policyNumber: 'AC-1', holderName: 'Lottie Fanshawe-Śliwa' };

  it('adds insurance to a record that had none', async () => {
    expect((await profile()).insurance).toEqual({ data: null, meta: null });
    const meta = await callOk(app, 'patient/update-insurance', { patientId, expectedVersion: 0, data: policy }, reception);
    expect(meta.version).toBe(1);
    expect((await profile()).insurance.data).toEqual({ ...policy, groupNumber: '', validFrom: '', validTo: '' });
  });

  it('puts an end date before the start date on data.validTo', async () => {
    const error = await callErr(
      app,
      'patient/update-insurance',
      { patientId, expectedVersion: 1, data: { ...policy, validFrom: '2026-05-01', validTo: '2026-04-30' } },
      reception,
      'validation/invalid-input',
    );
    expect(error.fieldErrors).toEqual({ 'data.validTo': ['The end date is before the start date.'] });
  });
});
