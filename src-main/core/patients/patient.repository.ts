import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../db/database.js';
import type { PatientTable } from '../db/schema.js';
import { tokensFor } from './search-tokens.js';
import { nextPatientNumber } from '../desk/next-patient-number.js';

export type NewPatientRow = Omit<PatientTable, 'number' | 'version'>;

export const nationalNumberOf = (e164: string | null): string | null =>
  e164 ? (parsePhoneNumberFromString(e164)?.nationalNumber ?? null) : null;

/** Inserts a patient with this desk's next patient number (see core/desk/patient-number.ts) and its search tokens. */
export async function insertPatient(db: Db, row: NewPatientRow): Promise<{ id: string; number: number }> {
  const number = await nextPatientNumber(db);
  await db.insertInto('patient').values({ ...row, number, version: 1 }).execute();
  await replaceSearchTokens(db, row.id, row);
  return { id: row.id, number };
}

export async function replaceSearchTokens(
  db: Db,
  patientId: string,
  p: Pick<PatientTable, 'given_name' | 'family_name' | 'date_of_birth' | 'phone_e164' | 'email'>,
): Promise<void> {
  await db.deleteFrom('patient_search_token').where('patient_id', '=', patientId).execute();
  const tokens = tokensFor({
    givenName: p.given_name,
    familyName: p.family_name,
    dateOfBirth: p.date_of_birth,
    phoneE164: p.phone_e164,
    phoneNational: nationalNumberOf(p.phone_e164),
    email: p.email,
  });
  if (tokens.length > 0) {
    await db
      .insertInto('patient_search_token')
      .values(tokens.map((token) => ({ token, patient_id: patientId })))
      .execute();
  }
}
