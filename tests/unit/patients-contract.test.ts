import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  basicInfo,
  emergencyContact,
  insurance,
  medicalHistory,
  patientsContract,
  registration,
} from '../../src-main/contract/patients.contract.js';
import { fieldErrorsFrom } from '../../src-main/contract/errors.js';

const basic = {
  givenName: 'Zoë',
  familyName: "O'Brien-Núñez",
  dateOfBirth: '1990-03-04',
  sex: 'female',
  phone: '(202) 555-0143',
};

/** The dispatcher's field errors for an input the schema refuses. */
function errorsOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error(`expected a failure, parsed ${JSON.stringify(parsed.data)}`);
  return fieldErrorsFrom(parsed.error);
}

describe('basicInfo', () => {
  it('fills defaults and trims names', () => {
    expect(basicInfo.parse({ ...basic, givenName: '  Zoë ' })).toEqual({
      ...basic,
      gender: '',
      email: '',
      address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '', latitude: null, longitude: null },
      preferredLanguage: 'en',
      consentEmail: false,
      consentSms: false,
    });
  });

  it('accepts names in any script, with apostrophes, hyphens and emoji', () => {
    for (const [givenName, familyName] of [
      ['花子', '山田'],
      ['Sunny 🌞', 'Kahale'],
      ['Seán', "O'Brien-Núñez"],
      ['Jürgen', 'Weiß'],
      ['Олена', 'Шевченко'],
    ]) {
      expect(basicInfo.parse({ ...basic, givenName, familyName })).toMatchObject({ givenName, familyName });
    }
  });

  it('refuses control characters inside a name', () => {
    expect(errorsOf(basicInfo, { ...basic, givenName: 'Ann\u0000e' })).toEqual({ givenName: ['Control characters are not allowed.'] });
    expect(errorsOf(basicInfo, { ...basic, familyName: 'Le\ne' })).toEqual({ familyName: ['Control characters are not allowed.'] });
    expect(errorsOf(basicInfo, { ...basic, familyName: 'Le\te' })).toEqual({ familyName: ['Control characters are not allowed.'] });
    expect(errorsOf(basicInfo, { ...basic, givenName: 'Ann\u007fe' })).toEqual({ givenName: ['Control characters are not allowed.'] });
  });

  it('says a blank or missing name is required', () => {
    expect(errorsOf(basicInfo, { ...basic, givenName: '   ' })).toEqual({ givenName: ['Given name is required.'] });
    const { familyName: _omit, ...noFamily } = basic;
    expect(errorsOf(basicInfo, noFamily)).toEqual({ familyName: ['This field is required.'] });
  });

  it('refuses names over 100 characters and other oversized text', () => {
    expect(errorsOf(basicInfo, { ...basic, givenName: 'a'.repeat(101) })).toEqual({ givenName: ['At most 100 characters.'] });
    expect(basicInfo.parse({ ...basic, givenName: 'a'.repeat(100) }).givenName).toHaveLength(100);
    expect(errorsOf(basicInfo, { ...basic, phone: '1'.repeat(33) })).toEqual({ phone: ['At most 32 characters.'] });
    expect(errorsOf(basicInfo, { ...basic, address: { line1: 'x'.repeat(201) } })).toEqual({
      'address.line1': ['At most 200 characters.'],
    });
  });

  it('refuses a birth date before 1900 and accepts 1900-01-01', () => {
    expect(errorsOf(basicInfo, { ...basic, dateOfBirth: '1899-12-31' })).toEqual({ dateOfBirth: ['The date is too far in the past.'] });
    expect(basicInfo.parse({ ...basic, dateOfBirth: '1900-01-01' }).dateOfBirth).toBe('1900-01-01');
  });

  it('refuses dates that do not exist or are not YYYY-MM-DD', () => {
    expect(errorsOf(basicInfo, { ...basic, dateOfBirth: '1990-02-30' })).toEqual({ dateOfBirth: ['Enter a whole date that exists: day, month and year.'] });
    expect(errorsOf(basicInfo, { ...basic, dateOfBirth: '04/03/1990' }).dateOfBirth).toContain('Enter a whole date that exists: day, month and year.');
  });

  it('leaves a future birth date to the service, which knows the clinic’s time zone', () => {
    // zod has no clock: 2999-01-01 passes here; patient.service refuses it (see the integration tests).
    expect(basicInfo.parse({ ...basic, dateOfBirth: '2999-01-01' }).dateOfBirth).toBe('2999-01-01');
  });

  it('allows an empty e-mail and refuses a malformed one', () => {
    expect(basicInfo.parse({ ...basic, email: '' }).email).toBe('');
    expect(basicInfo.parse({ ...basic, email: 'zoe@example.com' }).email).toBe('zoe@example.com');
    expect(errorsOf(basicInfo, { ...basic, email: 'zoe@' })).toEqual({ email: ['Not a valid e-mail address.'] });
    expect(errorsOf(basicInfo, { ...basic, email: 'not an email' })).toEqual({ email: ['Not a valid e-mail address.'] });
  });

  it('names unknown fields, nested ones by path', () => {
    expect(errorsOf(basicInfo, { ...basic, nickname: 'Z' })).toEqual({ nickname: ['Unknown field.'] });
    expect(errorsOf(basicInfo, { ...basic, address: { planet: 'Mars' } })).toEqual({ 'address.planet': ['Unknown field.'] });
  });

  it('checks sex, language code, country code and coordinates', () => {
    expect(errorsOf(basicInfo, { ...basic, sex: 'other' })).toEqual({ sex: ['Choose one.'] });
    expect(errorsOf(basicInfo, { ...basic, preferredLanguage: 'English' })).toEqual({
      preferredLanguage: ['Choose a language from the list.'],
    });
    expect(basicInfo.parse({ ...basic, preferredLanguage: 'es-MX' }).preferredLanguage).toBe('es-MX');
    expect(errorsOf(basicInfo, { ...basic, address: { country: 'us' } })).toEqual({
      'address.country': ['Choose a country from the list.'],
    });
    expect(errorsOf(basicInfo, { ...basic, address: { latitude: 91 } })).toEqual({ 'address.latitude': ['Latitude is between -90 and 90.'] });
  });
});

describe('medicalHistory', () => {
  it('defaults every list to empty', () => {
    expect(medicalHistory.parse({})).toEqual({
      previousConsultations: [],
      medications: [],
      allergies: [],
      chronicConditions: [],
      familyHistory: [],
    });
  });

  it('fills entry defaults', () => {
    expect(
      medicalHistory.parse({
        medications: [{ name: 'Metformin' }],
        allergies: [{ substance: 'Penicillin' }],
        previousConsultations: [{ date: '2024-05-01' }],
      }),
    ).toMatchObject({
      medications: [{ name: 'Metformin', dose: '', frequency: '' }],
      allergies: [{ substance: 'Penicillin', reaction: '', severity: 'unknown' }],
      previousConsultations: [{ date: '2024-05-01', clinicOrDoctor: '', reason: '', notes: '' }],
    });
  });

  it('gives field errors by list index', () => {
    expect(errorsOf(medicalHistory, { medications: [{ name: 'A' }, { name: ' ' }] })).toEqual({
      'medications.1.name': ['Medication name is required.'],
    });
    expect(errorsOf(medicalHistory, { allergies: [{ substance: 'Nuts', severity: 'deadly' }] })).toEqual({
      'allergies.0.severity': ['Choose one of the options.'],
    });
    expect(errorsOf(medicalHistory, { previousConsultations: [{ date: '1899-01-01' }] })).toEqual({
      'previousConsultations.0.date': ['The date is too far in the past.'],
    });
    expect(errorsOf(medicalHistory, { previousConsultations: [{ date: '2020-01-01', notes: 'n'.repeat(2001) }] })).toEqual({
      'previousConsultations.0.notes': ['At most 2000 characters.'],
    });
  });

  it('caps list lengths', () => {
    const conditions = Array.from({ length: 101 }, (_, i) => ({ name: `Condition ${i}` }));
    expect(errorsOf(medicalHistory, { chronicConditions: conditions })).toEqual({ chronicConditions: ['At most 100 entries.'] });
  });
});

describe('emergencyContact', () => {
  it('requires name, relationship and phone', () => {
    expect(errorsOf(emergencyContact, {})).toEqual({
      name: ['This field is required.'],
      relationship: ['This field is required.'],
      phone: ['This field is required.'],
    });
    expect(errorsOf(emergencyContact, { name: 'A\u0007B', relationship: 'Sister', phone: '1' })).toEqual({
      name: ['Control characters are not allowed.'],
    });
  });
});

describe('insurance', () => {
  const policy = { provider: 'Acme Health', policyNumber: 'AC-123', holderName: 'Zoë Núñez' };

  it('fills defaults', () => {
    expect(insurance.parse(policy)).toEqual({ ...policy, groupNumber: '', validFrom: '', validTo: '' });
  });

  it('puts an end date before the start date on insurance.validTo inside a registration', () => {
    const errors = errorsOf(registration, {
      basic,
      insurance: { ...policy, validFrom: '2026-01-01', validTo: '2025-12-31' },
    });
    expect(errors).toEqual({ 'insurance.validTo': ['The end date is before the start date.'] });
  });

  it('accepts the same start and end date, and either one alone', () => {
    expect(insurance.parse({ ...policy, validFrom: '2026-01-01', validTo: '2026-01-01' }).validTo).toBe('2026-01-01');
    expect(insurance.parse({ ...policy, validTo: '2020-01-01' }).validTo).toBe('2020-01-01');
  });
});

describe('registration', () => {
  it('defaults the optional parts', () => {
    const parsed = registration.parse({ basic });
    expect(parsed.emergencyContact).toBeNull();
    expect(parsed.insurance).toBeNull();
    expect(parsed.overrideDuplicates).toBe(false);
    expect(parsed.idempotencyKey).toBeUndefined();
    expect(parsed.medicalHistory.allergies).toEqual([]);
  });

  it('refuses unknown top-level fields and a too-short idempotency key', () => {
    expect(errorsOf(registration, { basic, notes: 'x' })).toEqual({ notes: ['Unknown field.'] });
    expect(errorsOf(registration, { basic, idempotencyKey: 'short' })).toEqual({
      idempotencyKey: ['Use at least 8 characters.'],
    });
  });

  it('gives every error of a bad registration at once, by path', () => {
    expect(
      Object.keys(
        errorsOf(registration, {
          basic: { ...basic, givenName: '', email: 'x@', dateOfBirth: '1800-01-01' },
          emergencyContact: { name: 'B', relationship: '', phone: '1' },
        }),
      ).sort(),
    ).toEqual(['basic.dateOfBirth', 'basic.email', 'basic.givenName', 'emergencyContact.relationship']);
  });
});

describe('patients contract access', () => {
  it('lets anonymous callers register, patients read their record, and only staff do the rest', () => {
    expect(patientsContract['patient/register'].access).toMatchObject({ anonymous: true });
    expect(patientsContract['patient/get'].access).toMatchObject({ patient: true });
    expect(patientsContract['patient/get'].auditRead).toBe(true);
    for (const name of ['patient/search', 'patient/check-duplicates', 'patient/update-basic', 'patient/section-history'] as const) {
      expect(patientsContract[name].access.anonymous, name).toBeUndefined();
      expect(patientsContract[name].access.patient, name).toBeUndefined();
    }
  });

  it('caps the search limit at 50', () => {
    expect(patientsContract['patient/search'].input.parse({ query: 'a' })).toEqual({ query: 'a', limit: 50 });
    expect(errorsOf(patientsContract['patient/search'].input, { query: 'a', limit: 51 })).toEqual({
      limit: ['Use 50 or less.'],
    });
  });
});
