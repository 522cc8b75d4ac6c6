import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsAfter,
  call,
  callErr,
  callOk,
  count,
  DEMO,
  demoApp,
  lastAuditSeq,
  loginAs,
  tableCounts,
  type TestApp,
} from '../helpers/test-app.js';
import { basicRegistration, DEMO_NAMES, dispatchOk, fresh, register, staffIdOf, type RegistrationInput } from '../helpers/patients.js';

let app: TestApp;
let reception: string;
let admin: string;
let receptionId: string;

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  receptionId = await staffIdOf(app, reception);
});
afterAll(async () => {
  await app.dispose();
});

const NOW = '2026-03-11T15:00:00.000Z';

const fullRegistration: RegistrationInput = {
  basic: {
    givenName: 'Zoë Ana-María',
    familyName: "O'Brien-Núñez",
    dateOfBirth: '1984-07-19',
    sex: 'female',
    gender: 'woman',
    phone: '(202) 555-0143',
    email: 'zoe.obrien@example.org',
    address: {
      line1: '12 Rue de l’Église',
      line2: 'Apt 3',
      city: 'Springfield',
      region: 'NY',
      postalCode: '10001',
      country: 'US',
      latitude: 40.7128,
      longitude: -74.006,
    },
    preferredLanguage: 'es-MX',
    consentEmail: true,
    consentSms: false,
  },
  medicalHistory: {
    previousConsultations: [
      { date: '2025-11-02', clinicOrDoctor: 'Dr Lefèvre', reason: 'Migraine', notes: 'Prescribed rest' },
      { date: '2019-01-15', clinicOrDoctor: 'City Hospital', reason: 'Broken wrist', notes: '' },
    ],
    medications: [{ name: 'Sumatriptan', dose: '50 mg', frequency: 'as needed' }],
    allergies: [
      { substance: 'Penicillin', reaction: 'Hives', severity: 'severe' },
      { substance: 'Peanuts', reaction: 'Anaphylaxis', severity: 'life_threatening' },
    ],
    chronicConditions: [{ name: 'Asthma', notes: 'Mild, seasonal' }],
    familyHistory: [{ relative: 'Mother', condition: 'Type 2 diabetes' }],
  },
  emergencyContact: { name: 'Seán O’Brien', relationship: 'Brother', phone: '202.555.0144' },
  insurance: {
    provider: 'Acme Health',
    policyNumber: 'AC-998877',
    groupNumber: 'G-12',
    holderName: "Zoë O'Brien-Núñez",
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  },
};

describe('patient/register: a full registration round-trips through patient/get', () => {
  it('stores every field, with phones as E.164 and sections at version 1 by the desk clerk', async () => {
    const counts = tableCounts(app);
    const out = await register(app, fullRegistration, reception);

    expect(out.patientNumber).toMatch(/^P-[0-9A-Z]{4}-0041$/); // after the demo clinic's 40 patients
    // The desk asked for no access token: none exists that nobody holds.
    expect(out.accessToken).toBeUndefined();
    const meta = { version: 1, updatedAt: NOW, updatedBy: DEMO_NAMES.reception };
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, reception);
    expect(profile).toEqual({
      id: out.patientId,
      number: out.patientNumber,
      basic: { ...fullRegistration.basic, phone: '+12025550143' },
      version: 1,
      createdAt: NOW,
      duplicateOverride: null,
      duplicateReview: null,
      medicalHistory: { data: fullRegistration.medicalHistory, meta },
      emergencyContact: { data: { name: 'Seán O’Brien', relationship: 'Brother', phone: '+12025550144' }, meta },
      insurance: { data: fullRegistration.insurance, meta },
      symptomCheck: { data: null, meta: null },
    });

    expect(tableCounts(app)).toMatchObject({
      patient: counts.patient! + 1,
      patient_section: counts.patient_section! + 3,
      patient_section_change: counts.patient_section_change! + 3,
      event: counts.event! + 4,
    });
    const stored = app.raw.prepare('SELECT created_by_kind, created_by, access_token_hash FROM patient WHERE id = ?').get(out.patientId);
    expect(stored).toEqual({ created_by_kind: 'staff', created_by: receptionId, access_token_hash: null });
    expect(app.raw.prepare('SELECT count(*) AS n FROM patient_token WHERE patient_id = ?').get(out.patientId)).toEqual({ n: 0 });
  });

  it('issues an access token to hand over when the desk asks for one: kept only as its hash, for 30 days', async () => {
    const out = fresh(
      await callOk(app, 'patient/register', basicRegistration({ givenName: 'Handed', familyName: 'Over', phone: '202 555 0153' }, { issueAccessToken: true }), reception),
    );
    expect(out.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(out.accessExpiresAt).toBe('2026-04-10T15:00:00.000Z');
    const token = app.raw.prepare('SELECT kind, token_hash, created_at, expires_at FROM patient_token WHERE patient_id = ?').all(out.patientId);
    expect(token).toEqual([{ kind: 'device', token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), created_at: NOW, expires_at: '2026-04-10T15:00:00.000Z' }]);
    expect((token[0] as { token_hash: string }).token_hash).not.toContain(out.accessToken);
  });

  it('keeps CJK characters and emoji in names exactly, and fills the optional parts with defaults', async () => {
    const out = await register(
      app,
      basicRegistration({ givenName: '花子 🌸', familyName: '山田', dateOfBirth: '1975-12-01', sex: 'female', phone: '+81 3-1234-5678', email: '' }),
      reception,
    );
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, reception);
    expect(profile.basic).toEqual({
      givenName: '花子 🌸',
      familyName: '山田',
      dateOfBirth: '1975-12-01',
      sex: 'female',
      gender: '',
      phone: '+81312345678',
      email: '',
      address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '', latitude: null, longitude: null },
      preferredLanguage: 'en',
      consentEmail: false,
      consentSms: false,
    });
    expect(profile.medicalHistory).toEqual({
      data: { previousConsultations: [], medications: [], allergies: [], chronicConditions: [], familyHistory: [] },
      meta: { version: 1, updatedAt: NOW, updatedBy: DEMO_NAMES.reception },
    });
    expect(profile.emergencyContact).toEqual({ data: null, meta: null });
    expect(profile.insurance).toEqual({ data: null, meta: null });
  });

  it('trims names and stores the e-mail in lower case', async () => {
    const out = await register(
      app,
      basicRegistration({ givenName: '  Jürgen ', familyName: ' Weiß ', phone: '202 555 0145', email: 'Juergen.Weiss@Example.DE' }),
      reception,
    );
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, reception);
    expect(profile.basic).toMatchObject({ givenName: 'Jürgen', familyName: 'Weiß', email: 'juergen.weiss@example.de', phone: '+12025550145' });
  });

  it('gives consecutive patient numbers and writes an audit row naming the new patient', async () => {
    const seq = lastAuditSeq(app);
    const a = await register(app, basicRegistration({ givenName: 'Numbered', familyName: 'First', phone: '202 555 0146' }), reception);
    const b = await register(app, basicRegistration({ givenName: 'Numbered', familyName: 'Second', dateOfBirth: '1991-01-01', phone: '202 555 0147' }), reception);
    expect(Number(b.patientNumber.slice(1))).toBe(Number(a.patientNumber.slice(1)) + 1);
    expect(auditRowsAfter(app, seq).map((r) => [r.handler, r.actor_kind, r.actor_id, r.record_type, r.record_id, r.outcome, r.detail])).toEqual([
      ['patient/register', 'staff', receptionId, 'patient', a.patientId, 'ok', null],
      ['patient/register', 'staff', receptionId, 'patient', b.patientId, 'ok', null],
    ]);
  });

  it('lets a patient register themselves at a kiosk (anonymous): sections carry no staff name', async () => {
    const out = await dispatchOk(app, 'patient/register', { ...fullRegistration, basic: { ...fullRegistration.basic, phone: '202 555 0148', email: '', dateOfBirth: '1999-09-09' } }, {});
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, reception);
    expect(profile.medicalHistory.meta).toEqual({ version: 1, updatedAt: NOW, updatedBy: null });
    expect(profile.basic.phone).toBe('+12025550148');
    const stored = app.raw.prepare('SELECT created_by_kind, created_by FROM patient WHERE id = ?').get(out.patientId);
    expect(stored).toEqual({ created_by_kind: 'anonymous', created_by: null });
  });
});

describe('patient/register: invalid input writes nothing but one audit row', () => {
  /** Calls register, asserts the field errors, and that only one audit row (with `outcome`, `detail`) was written. */
  async function expectRefused(input: unknown, fieldErrors: Record<string, string[]>, outcome: 'invalid' | 'error', detail: string) {
    const counts = tableCounts(app);
    const seq = lastAuditSeq(app);
    const outcomeOf = await call(app, 'patient/register', input, reception);
    expect(outcomeOf.status).toBe(400);
    expect(outcomeOf.result).toEqual({
      ok: false,
      error: { code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors },
    });
    expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
    const rows = auditRowsAfter(app, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      handler: 'patient/register',
      actor_kind: 'staff',
      actor_id: receptionId,
      record_id: null,
      outcome,
      detail,
    });
  }

  it('a missing given name → basic.givenName (zod, outcome "invalid")', async () => {
    const { givenName: _omit, ...basic } = fullRegistration.basic;
    await expectRefused({ ...fullRegistration, basic }, { 'basic.givenName': ['This field is required.'] }, 'invalid', 'fields: basic.givenName');
  });

  it('a blank given name → basic.givenName', async () => {
    await expectRefused(
      { ...fullRegistration, basic: { ...fullRegistration.basic, givenName: '   ' } },
      { 'basic.givenName': ['Given name is required.'] },
      'invalid',
      'fields: basic.givenName',
    );
  });

  it('a control character in a name, a bad e-mail and an unknown field → each by path', async () => {
    await expectRefused(
      { ...fullRegistration, basic: { ...fullRegistration.basic, familyName: 'Nu\u0000nez', email: 'zoe@', nickname: 'Z' } },
      {
        'basic.familyName': ['Control characters are not allowed.'],
        'basic.email': ['Not a valid e-mail address.'],
        'basic.nickname': ['Unknown field.'],
      },
      'invalid',
      'fields: basic.familyName, basic.email, basic.nickname',
    );
  });

  it('insurance ending before it starts → insurance.validTo', async () => {
    await expectRefused(
      { ...fullRegistration, insurance: { ...fullRegistration.insurance, validFrom: '2026-06-01', validTo: '2026-05-31' } },
      { 'insurance.validTo': ['The end date is before the start date.'] },
      'invalid',
      'fields: insurance.validTo',
    );
  });

  it('an invalid phone → basic.phone (checked by the service against the clinic country, outcome "error")', async () => {
    await expectRefused(
      { ...fullRegistration, basic: { ...fullRegistration.basic, phone: '555-01' } },
      { 'basic.phone': ['Not a valid phone number (numbers without +country are read as US).'] },
      'error',
      'validation/invalid-input',
    );
  });

  it('a birth date tomorrow in the clinic’s zone → basic.dateOfBirth', async () => {
    await expectRefused(
      { ...fullRegistration, basic: { ...fullRegistration.basic, dateOfBirth: '2026-03-12' } },
      { 'basic.dateOfBirth': ['The date of birth is in the future.'] },
      'error',
      'validation/invalid-input',
    );
  });

  it('an invalid emergency contact phone → emergencyContact.phone, together with the basic errors', async () => {
    await expectRefused(
      {
        ...fullRegistration,
        basic: { ...fullRegistration.basic, phone: 'call me', dateOfBirth: '2030-01-01' },
        emergencyContact: { name: 'Seán', relationship: 'Brother', phone: '12' },
      },
      {
        'basic.phone': ['Not a valid phone number (numbers without +country are read as US).'],
        'basic.dateOfBirth': ['The date of birth is in the future.'],
        'emergencyContact.phone': ['Not a valid phone number (numbers without +country are read as US).'],
      },
      'error',
      'validation/invalid-input',
    );
  });

  it('uses the clinic’s date, not UTC’s: at 02:00 UTC on 12 March it is still 11 March in New York', async () => {
    // A kiosk (anonymous) registration: staff sessions would lock while the clock is 11 hours ahead.
    app.clock.advance({ minutes: 11 * 60 }); // 2026-03-12T02:00Z = 2026-03-11 22:00 in New York
    try {
      const counts = tableCounts(app);
      const refused = await call(app, 'patient/register', { ...fullRegistration, basic: { ...fullRegistration.basic, dateOfBirth: '2026-03-12' } });
      expect(refused.result).toEqual({
        ok: false,
        error: {
          code: 'validation/invalid-input',
          message: 'Some fields need attention.',
          fieldErrors: { 'basic.dateOfBirth': ['The date of birth is in the future.'] },
        },
      });
      expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
      const born = await dispatchOk(
        app,
        'patient/register',
        basicRegistration({ givenName: 'Newborn', familyName: 'Today', dateOfBirth: '2026-03-11', phone: '202 555 0149' }),
      );
      const row = app.raw.prepare('SELECT date_of_birth, created_at FROM patient WHERE id = ?').get(born.patientId);
      expect(row).toEqual({ date_of_birth: '2026-03-11', created_at: '2026-03-12T02:00:00.000Z' });
    } finally {
      app.clock.advance({ minutes: -11 * 60 });
    }
  });
});

describe('patient/register: idempotency keys', () => {
  it('the same key twice creates one patient and answers with the same response', async () => {
    const input = basicRegistration(
      { givenName: 'Retry', familyName: 'Twice', dateOfBirth: '1970-05-05', phone: '202 555 0150' },
      { idempotencyKey: 'desk-retry-0001' },
    );
    const before = count(app, 'patient');
    const first = await register(app, input, reception);
    const second = await callOk(app, 'patient/register', input, reception);
    // The same patient; a replay never issues a credential (staff also see the number).
    expect(second).toEqual({
      patientId: first.patientId,
      patientNumber: first.patientNumber,
      replayed: true,
      message: 'This patient was already registered by this request; no new access token was issued.',
    });
    expect(count(app, 'patient')).toBe(before + 1);
    expect(app.raw.prepare('SELECT count(*) AS n FROM patient_token WHERE patient_id = ?').get(first.patientId)).toEqual({ n: 0 });
    expect(app.raw.prepare("SELECT count(*) AS n FROM patient WHERE given_name = 'Retry'").get()).toEqual({ n: 1 });
  });

  it('another staff member reusing the key does not get the first response', async () => {
    const input = basicRegistration(
      { givenName: 'Shared', familyName: 'Key', dateOfBirth: '1971-06-06', phone: '202 555 0151' },
      { idempotencyKey: 'desk-shared-key-1' },
    );
    const first = await register(app, input, reception);

    // The key is the admin's own: the call runs, and finds the receptionist's patient as a duplicate.
    const error = await callErr(app, 'patient/register', input, admin, 'patient/possible-duplicate');
    expect((error.details as { matches: Array<{ id: string }> }).matches.map((m) => m.id)).toEqual([first.patientId]);

    const second = await register(app, { ...input, overrideDuplicates: true }, admin);
    expect(second.patientId).not.toBe(first.patientId);
    // The admin's own retry now answers with the admin's patient.
    expect(await callOk(app, 'patient/register', { ...input, overrideDuplicates: true }, admin)).toMatchObject({
      patientId: second.patientId,
      patientNumber: second.patientNumber,
      replayed: true,
    });
    expect(app.raw.prepare("SELECT count(*) AS n FROM patient WHERE given_name = 'Shared'").get()).toEqual({ n: 2 });
  });

  it('a refused call does not use up its key', async () => {
    const bad = basicRegistration({ givenName: 'Keyed', familyName: 'Later', phone: 'nope' }, { idempotencyKey: 'desk-fix-and-retry' });
    await callErr(app, 'patient/register', bad, reception, 'validation/invalid-input');
    const fixed = await register(app, { ...bad, basic: { ...bad.basic, phone: '202 555 0152' } }, reception);
    expect(fixed.patientNumber).toMatch(/^P-[0-9A-Z]{4}-\d{4}$/);
  });
});
