import { sql } from 'kysely';
import { parseDeskPatientNumber } from '../desk/patient-number.js';
import type { Db } from '../db/database.js';
import { patientNumber } from '../display-names.js';
import { digitsOf, foldText, nameParts, reverse } from './search-tokens.js';

/** The highest code point: "prefix" + MAX bounds every string starting with prefix (UTF-8 byte order). */
const MAX = '\u{10FFFF}';

export type SearchPlan =
  | { kind: 'empty' }
  | { kind: 'number'; number: number }
  | { kind: 'digits'; digits: string; number: number | null }
  | { kind: 'date'; date: string }
  | { kind: 'email'; prefix: string }
  | { kind: 'names'; terms: string[] };

/**
 * What a typed query means: a date of birth, an e-mail, a patient number (P000123), phone
 * digits (any punctuation), or name prefixes in any order with accents ignored.
 */
export function planSearch(raw: string, defaultCountry = 'US'): SearchPlan {
  const query = raw.trim();
  if (query.length === 0) return { kind: 'empty' };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(query);
  if (iso) return { kind: 'date', date: query };
  const slashed = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(query);
  if (slashed) {
    const [a, b, year] = [slashed[1]!, slashed[2]!, slashed[3]!];
    const [month, day] = defaultCountry === 'US' ? [a, b] : [b, a];
    return { kind: 'date', date: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
  }
  const deskNumber = parseDeskPatientNumber(query);
  if (deskNumber !== null) return { kind: 'number', number: deskNumber };
  const numbered = /^p\s*0*(\d{1,9})$/i.exec(query);
  if (numbered) return { kind: 'number', number: Number(numbered[1]) };
  if (query.includes('@')) return { kind: 'email', prefix: query.toLowerCase() };
  if (/^[+\d\s().-]+$/.test(query)) {
    const digits = digitsOf(query);
    if (digits.length === 0) return { kind: 'empty' };
    return { kind: 'digits', digits, number: digits.length <= 9 ? Number(digits) : null };
  }
  const terms = [...new Set(nameParts(query))].filter((t) => t.length > 0);
  return terms.length === 0 ? { kind: 'empty' } : { kind: 'names', terms: terms.slice(0, 4) };
}

/** The ids matching a plan, at most `limit`, as index range scans over patient_search_token. */
export async function matchIds(db: Db, plan: SearchPlan, limit: number): Promise<string[]> {
  switch (plan.kind) {
    case 'empty':
      return [];
    case 'number': {
      const rows = await db.selectFrom('patient').select('id').where('number', '=', plan.number).execute();
      return rows.map((r) => r.id);
    }
    case 'date':
      return tokenRange(db, `d:${plan.date}`, limit, true);
    case 'email':
      return tokenRange(db, `e:${plan.prefix}`, limit, false);
    case 'digits': {
      const ids: string[] = [];
      if (plan.number !== null) {
        const byNumber = await db.selectFrom('patient').select('id').where('number', '=', plan.number).execute();
        ids.push(...byNumber.map((r) => r.id));
      }
      const national = plan.digits.replace(/^0+/, '');
      if (national.length >= 3) ids.push(...(await tokenRange(db, `p:${national}`, limit, false)));
      if (plan.digits.length >= 3) ids.push(...(await tokenRange(db, `r:${reverse(plan.digits)}`, limit, false)));
      return [...new Set(ids)].slice(0, limit);
    }
    case 'names':
      return nameMatches(db, plan.terms, limit);
  }
}

async function tokenRange(db: Db, prefix: string, limit: number, exact: boolean): Promise<string[]> {
  const rows = await db
    .selectFrom('patient_search_token')
    .select('patient_id')
    .distinct()
    .where('token', '>=', prefix)
    .where('token', exact ? '<=' : '<', exact ? prefix : prefix + MAX)
    .limit(limit)
    .execute();
  return rows.map((r) => r.patient_id);
}

/** Every term must prefix some name part of the patient; the longest term drives the scan. */
async function nameMatches(db: Db, terms: string[], limit: number): Promise<string[]> {
  const sorted = [...terms].sort((a, b) => b.length - a.length);
  const [driver, ...rest] = sorted as [string, ...string[]];
  let query = db
    .selectFrom('patient_search_token as t')
    .select('t.patient_id')
    .distinct()
    .where('t.token', '>=', `n:${driver}`)
    .where('t.token', '<', `n:${driver}${MAX}`);
  for (const term of rest) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('patient_search_token as u')
          .select(sql.lit(1).as('one'))
          .whereRef('u.patient_id', '=', 't.patient_id')
          .where('u.token', '>=', `n:${term}`)
          .where('u.token', '<', `n:${term}${MAX}`),
      ),
    );
  }
  const rows = await query.limit(limit).execute();
  return rows.map((r) => r.patient_id);
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

export async function searchPatients(db: Db, query: string, limit: number, defaultCountry: string) {
  const ids = await matchIds(db, planSearch(query, defaultCountry), limit);
  if (ids.length === 0) return { results: [] };
  const rows = await db
    .selectFrom('patient')
    .select(['id', 'number', 'given_name', 'family_name', 'date_of_birth', 'phone_e164', 'email'])
    .where('id', 'in', ids)
    .execute();
  // Fold each name once, then sort with one collator (a comparator that folds costs more than the query).
  const keyed = rows.map((r) => ({ r, family: foldText(r.family_name), given: foldText(r.given_name) }));
  keyed.sort((a, b) => collator.compare(a.family, b.family) || collator.compare(a.given, b.given) || a.r.number - b.r.number);
  return {
    results: keyed.map(({ r }) => ({
      id: r.id,
      number: patientNumber(r.number),
      givenName: r.given_name,
      familyName: r.family_name,
      dateOfBirth: r.date_of_birth,
      phone: r.phone_e164 ?? '',
      email: r.email ?? '',
    })),
  };
}
