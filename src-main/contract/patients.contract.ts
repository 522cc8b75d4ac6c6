import { z } from 'zod';
import { ALL_STAFF, defineHandler, emptyInput, id, localDate, str, text } from './common.js';
import type { SavedSymptomCheck } from './symptoms.contract.js';

// ---- Field rules ---------------------------------------------------------------------

/** Any script, accents, apostrophes, hyphens, emoji — but no control characters. */
const name = (what: string) =>
  str()
    .trim()
    .min(1, `${what} is required.`)
    .max(100, 'At most 100 characters.')
    // Control characters (C0 and C1) and bidirectional overrides could disguise a name.
    .refine((v) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(v), 'Control characters are not allowed.');

const pastDate = localDate.refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || d >= '1900-01-01', 'The date is too far in the past.');
const phone = str().trim().min(1, 'Phone number is required.').max(32, 'At most 32 characters.');
const email = z.union([z.literal(''), z.email('Not a valid e-mail address.').max(254)]);

export const sexes = ['female', 'male', 'intersex', 'unknown'] as const;
export const allergySeverities = ['mild', 'moderate', 'severe', 'life_threatening', 'unknown'] as const;

export const address = z.strictObject({
  line1: text(200).default(''),
  line2: text(200).default(''),
  city: text(100).default(''),
  region: text(100).default(''),
  postalCode: text(20).default(''),
  country: z.union([z.literal(''), str().regex(/^[A-Z]{2}$/, 'Choose a country from the list.')]).default(''),
  latitude: z.number().min(-90, 'Latitude is between -90 and 90.').max(90, 'Latitude is between -90 and 90.').nullable().default(null),
  longitude: z.number().min(-180, 'Longitude is between -180 and 180.').max(180, 'Longitude is between -180 and 180.').nullable().default(null),
});

export const basicInfo = z.strictObject({
  givenName: name('Given name'),
  familyName: name('Family name'),
  dateOfBirth: pastDate,
  sex: z.enum(sexes, 'Choose one.'),
  gender: text(60).default(''),
  phone,
  email: email.default(''),
  address: address.default({ line1: '', line2: '', city: '', region: '', postalCode: '', country: '', latitude: null, longitude: null }),
  preferredLanguage: str().trim().max(35, 'At most 35 characters.').regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Choose a language from the list.').default('en'),
  consentEmail: z.boolean().default(false),
  consentSms: z.boolean().default(false),
});
export type BasicInfo = z.output<typeof basicInfo>;

export const medicalHistory = z.strictObject({
  previousConsultations: z
    .array(
      z.strictObject({
        date: pastDate,
        clinicOrDoctor: text(200).default(''),
        reason: text(500).default(''),
        notes: text(2000).default(''),
      }),
    )
    .max(50, 'At most 50 entries.')
    .default([]),
  medications: z
    .array(
      z.strictObject({
        name: str().trim().min(1, 'Medication name is required.').max(200),
        dose: text(100).default(''),
        frequency: text(100).default(''),
      }),
    )
    .max(100, 'At most 100 entries.')
    .default([]),
  allergies: z
    .array(
      z.strictObject({
        substance: str().trim().min(1, 'Substance is required.').max(200),
        reaction: text(200).default(''),
        severity: z.enum(allergySeverities).default('unknown'),
      }),
    )
    .max(100, 'At most 100 entries.')
    .default([]),
  chronicConditions: z
    .array(z.strictObject({ name: str().trim().min(1, 'Condition is required.').max(200), notes: text(500).default('') }))
    .max(100, 'At most 100 entries.')
    .default([]),
  familyHistory: z
    .array(
      z.strictObject({
        relative: str().trim().min(1, 'Relative is required.').max(100),
        condition: str().trim().min(1, 'Condition is required.').max(200),
      }),
    )
    .max(100, 'At most 100 entries.')
    .default([]),
});
export type MedicalHistory = z.output<typeof medicalHistory>;

export const emergencyContact = z.strictObject({
  name: name('Contact name'),
  relationship: str().trim().min(1, 'Relationship is required.').max(60),
  phone,
});
export type EmergencyContact = z.output<typeof emergencyContact>;

export const insurance = z
  .strictObject({
    provider: str().trim().min(1, 'Provider is required.').max(120),
    policyNumber: str().trim().min(1, 'Policy or member number is required.').max(60),
    groupNumber: text(60).default(''),
    holderName: str().trim().min(1, 'Policy holder is required.').max(200),
    validFrom: z.union([z.literal(''), localDate]).default(''),
    validTo: z.union([z.literal(''), localDate]).default(''),
  })
  .refine((i) => !i.validFrom || !i.validTo || i.validTo >= i.validFrom, {
    message: 'The end date is before the start date.',
    path: ['validTo'],
  });
export type Insurance = z.output<typeof insurance>;

export const registration = z.strictObject({
  basic: basicInfo,
  medicalHistory: medicalHistory.default({
    previousConsultations: [],
    medications: [],
    allergies: [],
    chronicConditions: [],
    familyHistory: [],
  }),
  emergencyContact: emergencyContact.nullable().default(null),
  insurance: insurance.nullable().default(null),
  /** Save although likely duplicates were shown (recorded with who and when). */
  overrideDuplicates: z.boolean().default(false),
  /**
   * Staff: also issue the patient a device access token (returned once, e.g. to hand over as a
   * link). Off by default, so no credential exists that nobody holds. A self-registration
   * (anonymous) always gets one.
   */
  issueAccessToken: z.boolean().default(false),
  /**
   * The same key sent twice creates one patient. Anonymous callers share one key space, so
   * theirs must be at least 32 characters (a random UUID); the dispatcher checks it.
   */
  idempotencyKey: str().min(8).max(100).optional(),
});

export const sectionNames = ['medical_history', 'emergency_contact', 'insurance', 'symptom_check'] as const;
export type SectionName = (typeof sectionNames)[number];

export const duplicateMatch = z.object({
  id,
  number: str(),
  name: str(),
  dateOfBirth: str(),
  phone: str(),
  email: str(),
  reasons: z.array(str()),
});

const patientSummary = z.object({
  id,
  number: str(),
  givenName: str(),
  familyName: str(),
  dateOfBirth: str(),
  phone: str(),
  email: str(),
});
export type PatientSummary = z.infer<typeof patientSummary>;

const sectionMeta = z.object({ version: z.number().int(), updatedAt: str(), updatedBy: str().nullable() });

export const patientProfile = z.object({
  id,
  number: str(),
  basic: z.object({
    givenName: str(),
    familyName: str(),
    dateOfBirth: str(),
    sex: z.enum(sexes),
    gender: str(),
    phone: str(),
    email: str(),
    address: z.object({
      line1: str(),
      line2: str(),
      city: str(),
      region: str(),
      postalCode: str(),
      country: str(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
    }),
    preferredLanguage: str(),
    consentEmail: z.boolean(),
    consentSms: z.boolean(),
  }),
  version: z.number().int(),
  createdAt: str(),
  duplicateOverride: z.object({ by: str().nullable(), at: str() }).nullable(),
  /** A self-registration that looks like existing records, waiting for staff to review (staff only). */
  duplicateReview: z.array(duplicateMatch).nullable(),
  medicalHistory: z.object({ data: medicalHistory, meta: sectionMeta.nullable() }),
  emergencyContact: z.object({ data: emergencyContact.nullable(), meta: sectionMeta.nullable() }),
  insurance: z.object({ data: z.custom<Insurance>().nullable(), meta: sectionMeta.nullable() }),
  /** The latest symptom check (its history: patient/section-history, section symptom_check). */
  symptomCheck: z.object({ data: z.custom<SavedSymptomCheck>().nullable(), meta: sectionMeta.nullable() }),
});
export type PatientProfile = z.infer<typeof patientProfile>;

const patientRef = z.strictObject({ patientId: id });

/**
 * A registration's answer. A new registration carries the patient's first device token
 * (`accessToken`, shown once; only its hash is kept). A replay (the same idempotency key and
 * body again) never carries a credential: it answers `replayed: true` with a message saying how
 * to get access again, and to an anonymous caller nothing but the patient id it already had.
 */
export const registrationOutput = z.object({
  patientId: id,
  /** Absent on an anonymous replay. */
  patientNumber: str().optional(),
  /** Only when this call created the patient: always for a self-registration, for staff on request. */
  accessToken: str().optional(),
  accessExpiresAt: str().optional(),
  replayed: z.literal(true).optional(),
  message: str().optional(),
});
export type RegistrationOutput = z.infer<typeof registrationOutput>;

export const accessSummary = z.object({
  activeTokens: z.number().int(),
  lastUsedAt: str().nullable(),
  tokens: z.array(z.object({ kind: z.enum(['device', 'sign_in_link']), createdAt: str(), expiresAt: str(), lastUsedAt: str().nullable() })),
});
export type AccessSummary = z.infer<typeof accessSummary>;

export const patientsContract = {
  'patient/register': defineHandler({
    summary: 'Register a patient (staff at the desk, or the patient at a kiosk or web form).',
    input: registration,
    output: registrationOutput,
    access: { staff: ALL_STAFF, anonymous: true },
    mutates: true,
  }),
  'patient/rotate-access': defineHandler({
    summary:
      'A patient swaps the access token they call with for a fresh one (a new lifetime); the old token stops working at once.',
    input: emptyInput,
    output: z.object({ accessToken: str(), expiresAt: str() }),
    access: { patient: true },
    mutates: true,
  }),
  'patient/access-summary': defineHandler({
    summary: 'How many access tokens of a patient work now, and when one was last used (staff).',
    input: patientRef,
    output: accessSummary,
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'patient/revoke-access': defineHandler({
    summary: 'Revoke every access token of a patient (a lost phone, a shared link): they stop working at once. Audited.',
    input: patientRef,
    output: z.object({ revoked: z.number().int() }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/check-duplicates': defineHandler({
    summary: 'Likely existing records for the details being registered, with why they match.',
    input: z.strictObject({
      givenName: str().max(100).default(''),
      familyName: str().max(100).default(''),
      dateOfBirth: z.union([z.literal(''), localDate]).default(''),
      phone: str().max(32).default(''),
      email: str().max(254).default(''),
      excludePatientId: id.optional(),
    }),
    output: z.object({ matches: z.array(duplicateMatch) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'patient/search': defineHandler({
    summary: 'Find patients by name (any order, accents ignored), phone digits, date of birth, e-mail or number.',
    input: z.strictObject({ query: str().max(100), limit: z.number().int().min(1).max(50).default(50) }),
    output: z.object({ results: z.array(patientSummary) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'patient/get': defineHandler({
    summary: 'A patient’s whole record. Opening it is audited.',
    input: patientRef,
    output: patientProfile,
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
    auditRead: true,
  }),
  'patient/update-basic': defineHandler({
    summary: 'Change a patient’s basic information.',
    input: z.strictObject({ patientId: id, expectedVersion: z.number().int().positive(), basic: basicInfo }),
    output: z.object({ version: z.number().int() }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/update-medical-history': defineHandler({
    summary: 'Replace the medical history questionnaire; the previous version stays in the history.',
    input: z.strictObject({ patientId: id, expectedVersion: z.number().int().min(0), data: medicalHistory }),
    output: sectionMeta,
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/update-emergency-contact': defineHandler({
    summary: 'Set or clear the emergency contact.',
    input: z.strictObject({ patientId: id, expectedVersion: z.number().int().min(0), data: emergencyContact.nullable() }),
    output: sectionMeta,
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/update-insurance': defineHandler({
    summary: 'Set or clear the insurance.',
    input: z.strictObject({ patientId: id, expectedVersion: z.number().int().min(0), data: insurance.nullable() }),
    output: sectionMeta,
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/resolve-duplicate-review': defineHandler({
    summary: 'Mark a self-registration as reviewed: not a duplicate of the records it resembled.',
    input: patientRef,
    output: z.object({ ok: z.literal(true) }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'patient/section-history': defineHandler({
    summary: 'Every change to one section of a patient’s record: who, when, and what it said.',
    input: z.strictObject({ patientId: id, section: z.enum(sectionNames) }),
    output: z.object({
      changes: z.array(z.object({ version: z.number().int(), changedAt: str(), changedBy: str().nullable(), data: z.unknown() })),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
    auditRead: true,
  }),
};
