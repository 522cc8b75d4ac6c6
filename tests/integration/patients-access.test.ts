import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, auditRowsAfter, call, callOk, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';
import { basicRegistration, dispatchErr, dispatchOk, register, staffIdOf } from '../helpers/patients.js';

let app: TestApp;
let reception: string;
let receptionId: string;
/** Registered by themselves at a kiosk. */
let ada: { patientId: string; patientNumber: string; accessToken: string };
let bea: { patientId: string; patientNumber: string; accessToken: string };

/** Every piece of personal data this file sends; none may reach an error message or the audit log. */
const PERSONAL = {
  names: ['Adaeze', 'Okonkwo-Bright', 'Beatrix', 'Vandersloot', 'Cornelius', 'Quackenbush', 'Prudence'],
  phones: ['2025550161', '+12025550161', '2025550162', '+12025550162', '555-0163', '2025550164', '+12025550164'],
  emails: ['adaeze.ob@mail.example', 'beatrix.v@mail.example', 'cornelius.q@mail.example', 'c.q@', 'prudence@mail.example'],
};

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  receptionId = await staffIdOf(app, reception);
  ada = await register(
    app,
    basicRegistration({ givenName: 'Adaeze', familyName: 'Okonkwo-Bright', phone: '(202) 555-0161', email: 'adaeze.ob@mail.example' }),
    null,
  );
  bea = await register(
    app,
    basicRegistration({ givenName: 'Beatrix', familyName: 'Vandersloot', dateOfBirth: '1955-05-05', phone: '(202) 555-0162', email: 'beatrix.v@mail.example' }),
    null,
  );
});
afterAll(async () => {
  await app.dispose();
});

describe('who may open a patient record', () => {
  it('an anonymous caller is told, in a patient’s words, that patient/get needs an access link; patient/search is for signed-in staff', async () => {
    const get = await dispatchErr(app, 'patient/get', { patientId: ada.patientId }, {}, 'auth/patient-token-missing');
    expect(get.status).toBe(401);
    expect(get.error.message).toMatch(/^This needs your patient access link\. Ask the clinic's front desk/);
    const search = await dispatchErr(app, 'patient/search', { query: 'adaeze' }, {}, 'auth/unauthenticated');
    expect(search.status).toBe(401);
  });

  it('an unknown patient token is refused in a patient’s words', async () => {
    const { status, error } = await dispatchErr(app, 'patient/get', { patientId: ada.patientId }, { patientToken: 'not-a-real-token-000000000000000' }, 'auth/patient-token-invalid');
    expect(status).toBe(401);
    expect(error.message).not.toMatch(/sign in/i);
  });

  it('a patient with their own token reads their own record', async () => {
    const profile = await dispatchOk(app, 'patient/get', { patientId: ada.patientId }, { patientToken: ada.accessToken });
    expect(profile).toMatchObject({
      id: ada.patientId,
      number: ada.patientNumber,
      basic: { givenName: 'Adaeze', familyName: 'Okonkwo-Bright', phone: '+12025550161', email: 'adaeze.ob@mail.example' },
    });
  });

  it('a patient gets auth/forbidden for another patient’s record, and the refusal is audited', async () => {
    const seq = lastAuditSeq(app);
    const { status, error } = await dispatchErr(app, 'patient/get', { patientId: bea.patientId }, { patientToken: ada.accessToken }, 'auth/forbidden');
    expect(status).toBe(403);
    expect(error).toEqual({ code: 'auth/forbidden', message: 'A patient may only see their own record.' });
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'patient/get', actor_kind: 'patient', actor_id: ada.patientId, outcome: 'denied', detail: 'auth/forbidden' },
    ]);
  });

  it('a patient token opens nothing else', async () => {
    const caller = { patientToken: ada.accessToken };
    await dispatchErr(app, 'patient/search', { query: 'bea' }, caller, 'auth/forbidden');
    await dispatchErr(app, 'patient/section-history', { patientId: ada.patientId, section: 'medical_history' }, caller, 'auth/forbidden');
    await dispatchErr(
      app,
      'patient/update-emergency-contact',
      { patientId: ada.patientId, expectedVersion: 0, data: null },
      caller,
      'auth/forbidden',
    );
  });

  it('a staff member reads any record; an unknown id is common/not-found', async () => {
    expect((await callOk(app, 'patient/get', { patientId: bea.patientId }, reception)).basic.givenName).toBe('Beatrix');
    const missing = await call(app, 'patient/get', { patientId: 'no-such-patient' }, reception);
    expect(missing.status).toBe(404);
    expect(missing.result).toEqual({ ok: false, error: { code: 'common/not-found', message: 'The patient was not found.' } });
  });
});

describe('opening a record is audited', () => {
  it('a staff member opening a record writes one audit row naming the record and the actor', async () => {
    const seq = lastAuditSeq(app);
    await callOk(app, 'patient/get', { patientId: ada.patientId }, reception);
    const rows = auditRowsAfter(app, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      at: '2026-03-11T15:00:00.000Z',
      handler: 'patient/get',
      actor_kind: 'staff',
      actor_id: receptionId,
      record_type: 'patient',
      record_id: ada.patientId,
      outcome: 'ok',
      detail: null,
    });
  });

  it('a patient opening their own record is audited with the patient as actor', async () => {
    const seq = lastAuditSeq(app);
    await dispatchOk(app, 'patient/get', { patientId: bea.patientId }, { patientToken: bea.accessToken });
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'patient/get', actor_kind: 'patient', actor_id: bea.patientId, record_type: 'patient', record_id: bea.patientId, outcome: 'ok' },
    ]);
  });

  it('reading the history of a section is audited too', async () => {
    const seq = lastAuditSeq(app);
    await callOk(app, 'patient/section-history', { patientId: ada.patientId, section: 'medical_history' }, reception);
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'patient/section-history', actor_id: receptionId, record_type: 'patient', record_id: ada.patientId, outcome: 'ok' },
    ]);
  });
});

describe('errors and the audit log carry no personal data', () => {
  it('a registration with a bad phone: the error names the field, not the value', async () => {
    const outcome = await call(
      app,
      'patient/register',
      basicRegistration({ givenName: 'Cornelius', familyName: 'Quackenbush', phone: '555-0163', email: 'cornelius.q@mail.example' }),
      reception,
    );
    expect(outcome.result).toEqual({
      ok: false,
      error: {
        code: 'validation/invalid-input',
        message: 'Some fields need attention.',
        fieldErrors: { 'basic.phone': ['Not a valid phone number (numbers without +country are read as US).'] },
      },
    });
  });

  it('a registration with a bad e-mail and a control character in the name: the same', async () => {
    const outcome = await call(
      app,
      'patient/register',
      basicRegistration({ givenName: 'Cornelius\u0007', familyName: 'Quackenbush', phone: '2025550164', email: 'c.q@' }),
      reception,
    );
    expect(outcome.result).toEqual({
      ok: false,
      error: {
        code: 'validation/invalid-input',
        message: 'Some fields need attention.',
        fieldErrors: { 'basic.givenName': ['Control characters are not allowed.'], 'basic.email': ['Not a valid e-mail address.'] },
      },
    });
  });

  it('a kiosk registration with a bad phone gets the same answer', async () => {
    const { error } = await dispatchErr(
      app,
      'patient/register',
      basicRegistration({ givenName: 'Prudence', familyName: 'Quackenbush', phone: '555-0163', email: 'prudence@mail.example' }),
      {},
      'validation/invalid-input',
    );
    expect(JSON.stringify(error)).not.toMatch(/Prudence|Quackenbush|555|prudence@/);
  });

  it('no audit row of this file mentions a name, phone or e-mail', async () => {
    const rows = auditRows(app);
    expect(rows.filter((r) => r.handler === 'patient/register').map((r) => [r.actor_kind, r.outcome, r.detail])).toEqual([
      ['anonymous', 'ok', null],
      ['anonymous', 'ok', null],
      ['staff', 'error', 'validation/invalid-input'],
      ['staff', 'invalid', 'fields: basic.givenName, basic.email'],
      ['anonymous', 'error', 'validation/invalid-input'],
    ]);
    const text = JSON.stringify(rows);
    for (const value of [...PERSONAL.names, ...PERSONAL.phones, ...PERSONAL.emails]) {
      expect(text, value).not.toContain(value);
    }
  });
});
