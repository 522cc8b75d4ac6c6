/**
 * The patient's own health questions (the medical history section) on the patient page. The
 * patient is the token's own, never an id from the request; saving goes through the staff
 * side's write path (patients/patient.service.ts `updateSection`): the same section, the same
 * history rows (changed_by_kind 'patient'), the same audit.
 */
import { DomainError } from '../errors.js';
import type { Ctx } from '../context.js';
import { updateSection } from '../patients/patient.service.js';
import { historyFilledIn } from './portal-read.service.js';
import { medicalHistory as medicalHistorySchema, type MedicalHistory } from '../../contract/patients.contract.js';
import type { PortalMedicalHistory } from '../../contract/portal.contract.js';

const STALE_MESSAGE =
  'Your health answers were changed since you opened them (on another device, or by the clinic). Nothing was saved. Open them again to see the latest answers, then make your change.';

function ownPatient(ctx: Ctx): string {
  if (ctx.actor.kind !== 'patient') throw new DomainError('auth/forbidden', 'This is for patients signed in on the booking page.');
  return ctx.actor.patientId;
}

export async function portalMedicalHistory(ctx: Ctx): Promise<PortalMedicalHistory> {
  const patientId = ownPatient(ctx);
  const row = await ctx.db
    .selectFrom('patient_section')
    .select(['data', 'version', 'updated_at'])
    .where('patient_id', '=', patientId)
    .where('section', '=', 'medical_history')
    .executeTakeFirst();
  if (!row) return { data: medicalHistorySchema.parse({}), version: 0, answered: false, updatedAt: null };
  const answered = historyFilledIn(row);
  return { data: parseStored(row.data), version: row.version, answered, updatedAt: answered ? row.updated_at : null };
}

/** A stored questionnaire as the contract reads it today (older or damaged rows read as empty fields). */
function parseStored(json: string): MedicalHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = medicalHistorySchema.safeParse(raw);
  return parsed.success ? parsed.data : medicalHistorySchema.parse({});
}

export async function portalUpdateMedicalHistory(ctx: Ctx, input: { expectedVersion: number; data: MedicalHistory }): Promise<PortalMedicalHistory> {
  const patientId = ownPatient(ctx);
  try {
    await updateSection(ctx, { patientId, expectedVersion: input.expectedVersion, data: input.data }, 'medical_history');
  } catch (e) {
    if (e instanceof DomainError && e.code === 'patient/version-conflict') {
      throw new DomainError('patient/version-conflict', STALE_MESSAGE, { details: e.details });
    }
    throw e;
  }
  return portalMedicalHistory(ctx);
}
