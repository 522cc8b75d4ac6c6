import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsAfter, call, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';
import { basicRegistration, DEMO_NAMES, dispatchErr, dispatchOk, register, type BasicInput } from '../helpers/patients.js';

let app: TestApp;
let reception: string;
let admin: string;
let john: { patientId: string; patientNumber: string };

const NOW = '2026-03-11T15:00:00.000Z';
const JOHN: BasicInput = {
  givenName: 'John',
  familyName: 'Smith',
  dateOfBirth: '1980-02-14',
  sex: 'male',
  phone: '(202) 555-0188',
  email: 'john.smith@mail.example',
};
/** What the duplicate warning shows of John. */
let johnMatch: { id: string; number: string; name: string; dateOfBirth: string; phone: string; email: string };

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  john = await register(app, { basic: JOHN }, reception);
  johnMatch = {
    id: john.patientId,
    number: john.patientNumber,
    name: 'John Smith',
    dateOfBirth: '1980-02-14',
    phone: '+12025550188',
    email: 'john.smith@mail.example',
  };
});
afterAll(async () => {
  await app.dispose();
});

/** Registers `basic` as the receptionist, expects the duplicate warning, and checks that nothing but an audit row was written. */
async function expectWarning(basic: Partial<BasicInput>, reasons: string[]) {
  const counts = tableCounts(app);
  const seq = lastAuditSeq(app);
  const outcome = await call(app, 'patient/register', basicRegistration(basic), reception);
  expect(outcome.status).toBe(409);
  expect(outcome.result).toEqual({
    ok: false,
    error: {
      code: 'patient/possible-duplicate',
      message: 'This patient may already be registered.',
      details: { matches: [{ ...johnMatch, reasons }] },
    },
  });
  expect(tableCounts(app)).toEqual({ ...counts, audit_log: counts.audit_log! + 1 });
  expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'patient/register', outcome: 'error', detail: 'patient/possible-duplicate', record_id: null }]);
}

const SAME_NAME_AND_DOB = 'Same date of birth and a similar name';

describe('patient/register: the duplicate warning', () => {
  it('warns about the same birth date with a one-letter typo in the name ("Jon Smith")', async () => {
    await expectWarning({ givenName: 'Jon', familyName: 'Smith', dateOfBirth: '1980-02-14', phone: '202 555 0101' }, [SAME_NAME_AND_DOB]);
  });

  it('warns about the same birth date with given and family names swapped ("Smith John")', async () => {
    await expectWarning({ givenName: 'Smith', familyName: 'John', dateOfBirth: '1980-02-14', phone: '202 555 0102' }, [SAME_NAME_AND_DOB]);
  });

  it('warns about the same birth date with accents added ("Jöhn Smíth")', async () => {
    await expectWarning({ givenName: 'Jöhn', familyName: 'Smíth', dateOfBirth: '1980-02-14', phone: '202 555 0103' }, [SAME_NAME_AND_DOB]);
  });

  it('warns about the same phone number typed in another format', async () => {
    await expectWarning(
      { givenName: 'Maria', familyName: 'Lopez', dateOfBirth: '1993-03-03', phone: '+1 202-555-0188' },
      ['Same phone number'],
    );
  });

  it('warns about the same e-mail address in another case', async () => {
    await expectWarning(
      { givenName: 'Maria', familyName: 'Lopez', dateOfBirth: '1993-03-03', phone: '202 555 0104', email: 'John.SMITH@Mail.Example' },
      ['Same e-mail address'],
    );
  });

  it('lists every reason that applies', async () => {
    await expectWarning({ ...JOHN, phone: '202.555.0188', email: 'JOHN.SMITH@MAIL.EXAMPLE' }, [
      SAME_NAME_AND_DOB,
      'Same phone number',
      'Same e-mail address',
    ]);
  });

  it('does not warn about a similar name with another birth date, or another name with the same birth date', async () => {
    const a = await register(app, basicRegistration({ givenName: 'Jon', familyName: 'Smith', dateOfBirth: '1980-02-15', phone: '202 555 0105' }), reception);
    const b = await register(app, basicRegistration({ givenName: 'Mary', familyName: 'Jones', dateOfBirth: '1980-02-14', phone: '202 555 0106' }), reception);
    expect(a.patientId).not.toBe(b.patientId);
  });

  it('saves with overrideDuplicates: true and records who overrode the warning, and when', async () => {
    const out = await register(
      app,
      basicRegistration({ givenName: 'Jon', familyName: 'Smith', dateOfBirth: '1980-02-14', phone: '202 555 0107' }, { overrideDuplicates: true }),
      reception,
    );
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, admin);
    expect(profile.duplicateOverride).toEqual({ by: DEMO_NAMES.reception, at: NOW });
    expect(profile.basic).toMatchObject({ givenName: 'Jon', familyName: 'Smith', phone: '+12025550107' });
  });

  it('records no override when overrideDuplicates is set but nothing matched', async () => {
    const out = await register(
      app,
      basicRegistration({ givenName: 'Unique', familyName: 'Person', dateOfBirth: '1961-01-01', phone: '202 555 0108' }, { overrideDuplicates: true }),
      reception,
    );
    expect((await callOk(app, 'patient/get', { patientId: out.patientId }, admin)).duplicateOverride).toBeNull();
  });

  it('does not show other patients’ details to an anonymous (kiosk) caller: the registration is saved and queued for staff review', async () => {
    const out = await dispatchOk(app, 'patient/register', basicRegistration({ ...JOHN, phone: '202 555 0109', email: '' }), {});
    expect(Object.keys(out).sort()).toEqual(['accessExpiresAt', 'accessToken', 'patientId', 'patientNumber']);
    const profile = await callOk(app, 'patient/get', { patientId: out.patientId }, admin);
    expect(profile.duplicateOverride).toBeNull();
    expect(profile.basic.familyName).toBe('Smith');
    // Staff see what it resembles and why; the patient reading their own record does not.
    expect(profile.duplicateReview?.find((m) => m.id === john.patientId)?.reasons).toEqual([SAME_NAME_AND_DOB]);
    const own = await dispatchOk(app, 'patient/get', { patientId: out.patientId }, { patientToken: out.accessToken });
    expect(own.duplicateReview).toBeNull();
    // "Not a duplicate" clears the review and records who decided.
    await callOk(app, 'patient/resolve-duplicate-review', { patientId: out.patientId }, reception);
    const after = await callOk(app, 'patient/get', { patientId: out.patientId }, admin);
    expect(after.duplicateReview).toBeNull();
    expect(after.duplicateOverride?.by).toBe('Robin Reception');
  });
});

describe('patient/check-duplicates', () => {
  it('returns the matches with their reasons while the form is being filled', async () => {
    const out = await callOk(
      app,
      'patient/check-duplicates',
      { givenName: 'Jon', familyName: 'Smith', dateOfBirth: '1980-02-14', phone: '202-555-0188', email: ' JOHN.smith@mail.example ' },
      reception,
    );
    const forJohn = out.matches.find((m) => m.id === john.patientId);
    expect(forJohn).toEqual({ ...johnMatch, reasons: [SAME_NAME_AND_DOB, 'Same phone number', 'Same e-mail address'] });
  });

  it('finds by phone alone and by e-mail alone', async () => {
    expect(await callOk(app, 'patient/check-duplicates', { phone: '+12025550188' }, reception)).toEqual({
      matches: [{ ...johnMatch, reasons: ['Same phone number'] }],
    });
    expect(await callOk(app, 'patient/check-duplicates', { email: 'John.Smith@mail.example' }, reception)).toEqual({
      matches: [{ ...johnMatch, reasons: ['Same e-mail address'] }],
    });
  });

  it('leaves out the patient being edited', async () => {
    expect(
      await callOk(app, 'patient/check-duplicates', { phone: '202 555 0188', excludePatientId: john.patientId }, reception),
    ).toEqual({ matches: [] });
  });

  it('returns nothing for empty or unmatched details, and ignores an invalid phone', async () => {
    expect(await callOk(app, 'patient/check-duplicates', {}, reception)).toEqual({ matches: [] });
    expect(await callOk(app, 'patient/check-duplicates', { phone: '12', email: 'nobody@nowhere.example' }, reception)).toEqual({
      matches: [],
    });
  });

  it('is for staff only', async () => {
    const anonymous = await dispatchErr(app, 'patient/check-duplicates', { phone: '202 555 0188' }, {}, 'auth/unauthenticated');
    expect(anonymous.status).toBe(401);
    const kiosk = await dispatchOk(app, 'patient/register', basicRegistration({ givenName: 'Kiosk', familyName: 'Caller', phone: '202 555 0110' }), {});
    const asPatient = await dispatchErr(app, 'patient/check-duplicates', { phone: '202 555 0188' }, { patientToken: kiosk.accessToken }, 'auth/forbidden');
    expect(asPatient.status).toBe(403);
    await callErr(app, 'patient/check-duplicates', { phone: 'x'.repeat(33) }, reception, 'validation/invalid-input');
  });
});
