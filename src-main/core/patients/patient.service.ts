import { normalizePhone } from '../../contract/phone.js';
import { basicRuleErrors, contactRuleErrors } from '../../contract/patient-rules.js';
import type {
  BasicInfo,
  EmergencyContact,
  Insurance,
  MedicalHistory,
  SectionName,
} from '../../contract/patients.contract.js';
import { medicalHistory as medicalHistorySchema } from '../../contract/patients.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import type { PatientTable } from '../db/schema.js';
import { patientNumber } from '../display-names.js';
import { todayIn } from '../time/time.js';
import { findDuplicates } from './duplicates.js';
import { insertPatient, replaceSearchTokens } from './patient.repository.js';
import { issueDeviceToken, REPLAY_MESSAGE } from './patient-token.service.js';
import type { RegistrationOutput } from '../../contract/patients.contract.js';
import type { SavedSymptomCheck } from '../../contract/symptoms.contract.js';

const EMPTY_HISTORY: MedicalHistory = medicalHistorySchema.parse({});


/** Staff may read any patient; a patient with a token only their own record. */
export function assertCanReadPatient(ctx: Ctx, patientId: string): void {
  if (ctx.actor.kind === 'patient' && ctx.actor.patientId !== patientId) {
    throw new DomainError('auth/forbidden', 'A patient may only see their own record.');
  }
}

const actorName = (ctx: Ctx) => (ctx.actor.kind === 'staff' ? ctx.actor.id : null);

/** Normalises and checks what zod cannot: the phone against the clinic's country, no future birth date (contract/patient-rules.ts). */
function normaliseBasic(ctx: Ctx, basic: BasicInfo, prefix = 'basic') {
  const phone = normalizePhone(basic.phone, ctx.settings.defaultCountry);
  const errors = basicRuleErrors(basic, { defaultCountry: ctx.settings.defaultCountry, today: todayIn(ctx.settings.timeZone, ctx.clock.now()) }, prefix);
  return { phone, errors };
}

function normaliseContact(ctx: Ctx, contact: EmergencyContact | null, prefix: string) {
  if (!contact) return { contact: null, errors: {} };
  const errors = contactRuleErrors(contact, ctx.settings, prefix);
  const phone = normalizePhone(contact.phone, ctx.settings.defaultCountry);
  if (!phone) return { contact, errors };
  return { contact: { ...contact, phone: phone.e164 }, errors: {} };
}

const invalid = (fieldErrors: Record<string, string[]>) =>
  new DomainError('validation/invalid-input', 'Some fields need attention.', { fieldErrors });

export function basicColumns(basic: BasicInfo, phoneE164: string) {
  return {
    given_name: basic.givenName,
    family_name: basic.familyName,
    date_of_birth: basic.dateOfBirth,
    sex: basic.sex,
    gender: basic.gender || null,
    phone_e164: phoneE164,
    email: basic.email ? basic.email.toLowerCase() : null,
    address_line1: basic.address.line1,
    address_line2: basic.address.line2,
    city: basic.address.city,
    region: basic.address.region,
    postal_code: basic.address.postalCode,
    country: basic.address.country,
    latitude: basic.address.latitude,
    longitude: basic.address.longitude,
    preferred_language: basic.preferredLanguage,
    consent_email: basic.consentEmail ? 1 : 0,
    consent_sms: basic.consentSms ? 1 : 0,
  };
}

export async function registerPatient(
  ctx: Ctx,
  input: {
    basic: BasicInfo;
    medicalHistory: MedicalHistory;
    emergencyContact: EmergencyContact | null;
    insurance: Insurance | null;
    overrideDuplicates: boolean;
    issueAccessToken: boolean;
  },
): Promise<RegistrationOutput> {
  const { phone, errors } = normaliseBasic(ctx, input.basic);
  const contact = normaliseContact(ctx, input.emergencyContact, 'emergencyContact');
  const fieldErrors = { ...errors, ...contact.errors };
  if (Object.keys(fieldErrors).length > 0 || !phone) throw invalid(fieldErrors);

  let override = false;
  const matches = await findDuplicates(ctx.db, {
    givenName: input.basic.givenName,
    familyName: input.basic.familyName,
    dateOfBirth: input.basic.dateOfBirth,
    phoneE164: phone.e164,
    email: input.basic.email.toLowerCase(),
  });
  // Staff are warned now; a self-registration is saved and queued for staff to review.
  const review = ctx.actor.kind !== 'staff' && matches.length > 0 ? JSON.stringify(matches.map((m) => ({ id: m.id, reasons: m.reasons }))) : null;
  if (ctx.actor.kind === 'staff') {
    if (matches.length > 0 && !input.overrideDuplicates) {
      throw new DomainError('patient/possible-duplicate', 'This patient may already be registered.', {
        details: { matches },
      });
    }
    override = matches.length > 0;
  }

  const at = nowIso(ctx);
  const patientId = ctx.newId();
  const { number } = await insertPatient(ctx.db, {
    id: patientId,
    ...basicColumns(input.basic, phone.e164),
    access_token_hash: null,
    duplicate_override_by: override ? actorName(ctx) : null,
    duplicate_override_at: override ? at : null,
    duplicate_review: review,
    created_at: at,
    created_by_kind: ctx.actor.kind,
    created_by: actorName(ctx),
    updated_at: at,
  });
  await writeSection(ctx, patientId, 'medical_history', input.medicalHistory, 0);
  if (contact.contact) await writeSection(ctx, patientId, 'emergency_contact', contact.contact, 0);
  if (input.insurance) await writeSection(ctx, patientId, 'insurance', input.insurance, 0);
  ctx.auditRecord('patient', patientId);
  const out = { patientId, patientNumber: patientNumber(number) };
  // A credential only for someone who will hold it: the patient registering themselves, or
  // staff who asked for one to hand over.
  if (ctx.actor.kind === 'staff' && !input.issueAccessToken) return out;
  const { accessToken, expiresAt } = await issueDeviceToken(ctx, patientId);
  return { ...out, accessToken, accessExpiresAt: expiresAt };
}

/**
 * The answer to a replayed registration (the same idempotency key and body again). It never
 * issues a credential: whoever replays (the patient whose answer was lost, or someone who
 * learnt their key and details) gets the patient id and how to get access. An anonymous
 * caller learns nothing beyond the id the first answer already gave; staff also get the number.
 */
export function registrationReplay(ctx: Ctx, stored: { patientId: string; patientNumber?: string }): RegistrationOutput {
  if (ctx.actor.kind === 'staff') {
    return {
      patientId: stored.patientId,
      patientNumber: stored.patientNumber,
      replayed: true,
      message: 'This patient was already registered by this request; no new access token was issued.',
    };
  }
  return { patientId: stored.patientId, replayed: true, message: REPLAY_MESSAGE };
}

async function currentSectionVersion(db: Db, patientId: string, section: SectionName): Promise<number> {
  const row = await db
    .selectFrom('patient_section')
    .select('version')
    .where('patient_id', '=', patientId)
    .where('section', '=', section)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Writes a section as a new version and appends the change (who, when, what) to its history. */
export async function writeSection(ctx: Ctx, patientId: string, section: SectionName, data: unknown, expectedVersion: number) {
  const current = await currentSectionVersion(ctx.db, patientId, section);
  if (current !== expectedVersion) {
    throw new DomainError('patient/version-conflict', 'Someone else changed this part of the record. Reload it and try again.', {
      details: { currentVersion: current },
    });
  }
  const version = current + 1;
  const at = nowIso(ctx);
  const json = JSON.stringify(data);
  await ctx.db
    .insertInto('patient_section')
    .values({ patient_id: patientId, section, data: json, version, updated_at: at, updated_by: actorName(ctx) })
    .onConflict((oc) =>
      oc.columns(['patient_id', 'section']).doUpdateSet({ data: json, version, updated_at: at, updated_by: actorName(ctx) }),
    )
    .execute();
  await ctx.db
    .insertInto('patient_section_change')
    .values({ patient_id: patientId, section, version, data: json, changed_at: at, changed_by_kind: ctx.actor.kind, changed_by: actorName(ctx) })
    .execute();
  return { version, updatedAt: at, updatedBy: await staffName(ctx.db, actorName(ctx)) };
}

async function staffName(db: Db, staffId: string | null): Promise<string | null> {
  if (!staffId) return null;
  const row = await db.selectFrom('staff').select('display_name').where('id', '=', staffId).executeTakeFirst();
  return row?.display_name ?? null;
}

async function requirePatient(db: Db, patientId: string): Promise<PatientTable> {
  const row = await db.selectFrom('patient').selectAll().where('id', '=', patientId).executeTakeFirst();
  if (!row) throw notFound('The patient');
  return row;
}

export async function updateSection(
  ctx: Ctx,
  input: { patientId: string; expectedVersion: number; data: unknown },
  section: SectionName,
) {
  await requirePatient(ctx.db, input.patientId);
  ctx.auditRecord('patient', input.patientId);
  let data = input.data;
  if (section === 'emergency_contact') {
    const contact = normaliseContact(ctx, input.data as EmergencyContact | null, 'data');
    if (Object.keys(contact.errors).length > 0) throw invalid(contact.errors);
    data = contact.contact;
  }
  ctx.auditRecord('patient', input.patientId);
  const meta = await writeSection(ctx, input.patientId, section, data, input.expectedVersion);
  return meta;
}

export async function updateBasic(ctx: Ctx, input: { patientId: string; expectedVersion: number; basic: BasicInfo }) {
  const row = await requirePatient(ctx.db, input.patientId);
  ctx.auditRecord('patient', input.patientId);
  if (row.version !== input.expectedVersion) {
    throw new DomainError('patient/version-conflict', 'Someone else changed this record. Reload it and try again.', {
      details: { currentVersion: row.version },
    });
  }
  const { phone, errors } = normaliseBasic(ctx, input.basic);
  if (Object.keys(errors).length > 0 || !phone) throw invalid(errors);
  const columns = basicColumns(input.basic, phone.e164);
  const version = row.version + 1;
  await ctx.db
    .updateTable('patient')
    .set({ ...columns, version, updated_at: nowIso(ctx) })
    .where('id', '=', input.patientId)
    .execute();
  await replaceSearchTokens(ctx.db, input.patientId, columns);
  // The basic details' previous state joins the record's change history too.
  await ctx.db
    .insertInto('patient_section_change')
    .values({
      patient_id: input.patientId,
      section: 'basic',
      version,
      data: JSON.stringify(columns),
      changed_at: nowIso(ctx),
      changed_by_kind: ctx.actor.kind,
      changed_by: actorName(ctx),
    })
    .execute();
  ctx.auditRecord('patient', input.patientId);
  return { version };
}

export async function getProfile(ctx: Ctx, input: { patientId: string }) {
  assertCanReadPatient(ctx, input.patientId);
  const row = await requirePatient(ctx.db, input.patientId);
  ctx.auditRecord('patient', row.id);
  const sections = await ctx.db
    .selectFrom('patient_section')
    .leftJoin('staff', 'staff.id', 'patient_section.updated_by')
    .select([
      'patient_section.section',
      'patient_section.data',
      'patient_section.version',
      'patient_section.updated_at',
      'staff.display_name',
    ])
    .where('patient_section.patient_id', '=', row.id)
    .execute();
  const section = (name: SectionName) => {
    const s = sections.find((x) => x.section === name);
    return s
      ? { data: JSON.parse(s.data) as unknown, meta: { version: s.version, updatedAt: s.updated_at, updatedBy: s.display_name } }
      : { data: null, meta: null };
  };
  const override = row.duplicate_override_at
    ? { by: await staffName(ctx.db, row.duplicate_override_by), at: row.duplicate_override_at }
    : null;
  const history = section('medical_history');
  const duplicateReview = ctx.actor.kind === 'staff' && row.duplicate_review ? await reviewMatches(ctx.db, row.duplicate_review) : null;
  return {
    id: row.id,
    number: patientNumber(row.number),
    basic: {
      givenName: row.given_name,
      familyName: row.family_name,
      dateOfBirth: row.date_of_birth,
      sex: row.sex,
      gender: row.gender ?? '',
      phone: row.phone_e164 ?? '',
      email: row.email ?? '',
      address: {
        line1: row.address_line1,
        line2: row.address_line2,
        city: row.city,
        region: row.region,
        postalCode: row.postal_code,
        country: row.country,
        latitude: row.latitude,
        longitude: row.longitude,
      },
      preferredLanguage: row.preferred_language,
      consentEmail: row.consent_email === 1,
      consentSms: row.consent_sms === 1,
    },
    version: row.version,
    createdAt: row.created_at,
    duplicateOverride: override,
    duplicateReview,
    medicalHistory: { data: (history.data as MedicalHistory | null) ?? EMPTY_HISTORY, meta: history.meta },
    emergencyContact: section('emergency_contact') as { data: EmergencyContact | null; meta: null },
    insurance: section('insurance') as { data: Insurance | null; meta: null },
    symptomCheck: section('symptom_check') as { data: SavedSymptomCheck | null; meta: null },
  };
}

/** The records a self-registration resembled, as they are now. */
async function reviewMatches(db: Db, review: string) {
  const entries = JSON.parse(review) as Array<{ id: string; reasons: string[] }>;
  if (entries.length === 0) return null;
  const rows = await db
    .selectFrom('patient')
    .select(['id', 'number', 'given_name', 'family_name', 'date_of_birth', 'phone_e164', 'email'])
    .where('id', 'in', entries.map((e) => e.id))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: patientNumber(r.number),
    name: `${r.given_name} ${r.family_name}`,
    dateOfBirth: r.date_of_birth,
    phone: r.phone_e164 ?? '',
    email: r.email ?? '',
    reasons: entries.find((e) => e.id === r.id)?.reasons ?? [],
  }));
}

export async function resolveDuplicateReview(ctx: Ctx, input: { patientId: string }) {
  await requirePatient(ctx.db, input.patientId);
  ctx.auditRecord('patient', input.patientId);
  await ctx.db
    .updateTable('patient')
    .set({ duplicate_review: null, duplicate_override_by: actorName(ctx), duplicate_override_at: nowIso(ctx) })
    .where('id', '=', input.patientId)
    .execute();
  return { ok: true as const };
}

export async function sectionHistory(ctx: Ctx, input: { patientId: string; section: SectionName }) {
  await requirePatient(ctx.db, input.patientId);
  ctx.auditRecord('patient', input.patientId);
  const rows = await ctx.db
    .selectFrom('patient_section_change as c')
    .leftJoin('staff as s', 's.id', 'c.changed_by')
    .select(['c.version', 'c.changed_at', 'c.changed_by_kind', 's.display_name', 'c.data'])
    .where('c.patient_id', '=', input.patientId)
    .where('c.section', '=', input.section)
    .orderBy('c.seq', 'desc')
    .execute();
  return {
    changes: rows.map((r) => ({
      version: r.version,
      changedAt: r.changed_at,
      changedBy: r.display_name ?? (r.changed_by_kind === 'patient' ? 'The patient' : null),
      data: JSON.parse(r.data) as unknown,
    })),
  };
}

export async function checkDuplicates(
  ctx: Ctx,
  input: { givenName: string; familyName: string; dateOfBirth: string; phone: string; email: string; excludePatientId?: string },
) {
  const phone = input.phone ? normalizePhone(input.phone, ctx.settings.defaultCountry) : null;
  const matches = await findDuplicates(ctx.db, {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    phoneE164: phone?.e164 ?? null,
    email: input.email.trim().toLowerCase(),
    excludePatientId: input.excludePatientId,
  });
  return { matches };
}
