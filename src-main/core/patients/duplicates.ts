import { distance } from 'fastest-levenshtein';
import type { Db } from '../db/database.js';
import { patientNumber } from '../display-names.js';
import { foldText, nameParts } from './search-tokens.js';

/** Name similarity in [0, 1], order of names ignored: "García Ana" ~ "Ana Garcia" = 1. */
export function nameSimilarity(a: string, b: string): number {
  const fa = nameParts(a).sort().join(' ');
  const fb = nameParts(b).sort().join(' ');
  if (fa.length === 0 || fb.length === 0) return 0;
  return 1 - distance(fa, fb) / Math.max(fa.length, fb.length);
}

/** Two names are "similar" when close overall, or when one family name and one given initial agree. */
export function similarNames(a: { given: string; family: string }, b: { given: string; family: string }): boolean {
  if (nameSimilarity(`${a.given} ${a.family}`, `${b.given} ${b.family}`) >= 0.8) return true;
  const famA = foldText(a.family);
  const famB = foldText(b.family);
  const givenA = foldText(a.given);
  const givenB = foldText(b.given);
  return famA.length > 0 && famA === famB && givenA.slice(0, 1) === givenB.slice(0, 1);
}

export interface DuplicateQuery {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  phoneE164: string | null;
  email: string;
  excludePatientId?: string;
}

interface Candidate {
  id: string;
  number: number;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  phone_e164: string | null;
  email: string | null;
}

/** Likely existing records: same birth date and a similar name, the same phone, the same e-mail. */
export async function findDuplicates(db: Db, q: DuplicateQuery) {
  const columns = ['id', 'number', 'given_name', 'family_name', 'date_of_birth', 'phone_e164', 'email'] as const;
  const found = new Map<string, { row: Candidate; reasons: string[] }>();
  const add = (row: Candidate, reason: string) => {
    if (row.id === q.excludePatientId) return;
    const entry = found.get(row.id) ?? { row, reasons: [] };
    entry.reasons.push(reason);
    found.set(row.id, entry);
  };
  if (q.dateOfBirth) {
    const rows = await db.selectFrom('patient').select(columns).where('date_of_birth', '=', q.dateOfBirth).limit(500).execute();
    for (const row of rows) {
      if (similarNames({ given: q.givenName, family: q.familyName }, { given: row.given_name, family: row.family_name })) {
        add(row, 'Same date of birth and a similar name');
      }
    }
  }
  if (q.phoneE164) {
    const rows = await db.selectFrom('patient').select(columns).where('phone_e164', '=', q.phoneE164).limit(20).execute();
    for (const row of rows) add(row, 'Same phone number');
  }
  if (q.email) {
    const rows = await db.selectFrom('patient').select(columns).where('email', '=', q.email).limit(20).execute();
    for (const row of rows) add(row, 'Same e-mail address');
  }
  return [...found.values()].slice(0, 20).map(({ row, reasons }) => ({
    id: row.id,
    number: patientNumber(row.number),
    name: `${row.given_name} ${row.family_name}`,
    dateOfBirth: row.date_of_birth,
    phone: row.phone_e164 ?? '',
    email: row.email ?? '',
    reasons,
  }));
}
