/** Fixture writer: patients and their search tokens, computed by the app's own rules. */
import { fakerDE, fakerEN_US, fakerES_MX, fakerFR, fakerIT, fakerPL, fakerVI, type Faker } from '@faker-js/faker';
import { nationalNumberOf } from '../../src-main/core/patients/patient.repository.js';
import { tokensFor } from '../../src-main/core/patients/search-tokens.js';
import { emailPart } from './fixture-clinic.js';
import { DAY_MS, iso, KIND, type GenContext } from './fixture-context.js';
import { pick } from './random.js';

const AREA_CODES = [201, 202, 212, 213, 267, 301, 305, 312, 347, 404, 415, 503, 512, 602, 617, 646, 702, 713, 718, 732, 773, 786, 818, 857, 917, 929];
const MAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'];

/** Name locales and their shares: a US clinic with a varied population. */
const NAME_LOCALES: ReadonlyArray<{ faker: Faker; share: number; language: string }> = [
  { faker: fakerEN_US, share: 0.6, language: 'en' },
  { faker: fakerES_MX, share: 0.16, language: 'es' },
  { faker: fakerVI, share: 0.05, language: 'vi' },
  { faker: fakerDE, share: 0.05, language: 'de' },
  { faker: fakerFR, share: 0.05, language: 'fr' },
  { faker: fakerPL, share: 0.05, language: 'pl' },
  { faker: fakerIT, share: 0.04, language: 'it' },
];

const BATCH = 25_000;

/**
 * Patient n (1-based number) has id seededUuid(seed, KIND.patient, n - 1). Tokens are
 * collected in an unindexed scratch table and moved into patient_search_token sorted by
 * its primary key at the end: appending in key order instead of millions of random
 * inserts into a WITHOUT ROWID b-tree.
 */
export function insertPatients(ctx: GenContext, staffId: string): { tokens: number } {
  const { raw, o, random, id, nowMs } = ctx;
  for (const [i, l] of NAME_LOCALES.entries()) l.faker.seed(o.seed + 1 + i);
  const streets = Array.from({ length: 2048 }, () => fakerEN_US.location.street());
  const places = Array.from({ length: 512 }, () => ({
    city: fakerEN_US.location.city(),
    region: fakerEN_US.location.state({ abbreviated: true }),
    postal: fakerEN_US.location.zipCode('#####'),
  }));
  const insertPatient = raw.prepare(
    `INSERT INTO patient (id, number, given_name, family_name, date_of_birth, sex, gender, phone_e164, email,
       address_line1, address_line2, city, region, postal_code, country, latitude, longitude, preferred_language,
       consent_email, consent_sms, access_token_hash, duplicate_override_by, duplicate_override_at,
       created_at, created_by_kind, created_by, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'US', ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 'staff', ?, ?, 1)`,
  );
  raw.exec('CREATE TEMP TABLE token_load (token TEXT NOT NULL, patient_id TEXT NOT NULL)');
  const insertToken = raw.prepare('INSERT INTO temp.token_load (token, patient_id) VALUES (?, ?)');
  const dobFrom = Date.UTC(1930, 0, 1);
  const dobSpan = Math.floor((nowMs - dobFrom) / DAY_MS);
  const createdFrom = nowMs - 8 * 365 * DAY_MS;
  const createdStep = (nowMs - DAY_MS - createdFrom) / o.patients;
  let tokens = 0;

  const insertBatch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      let roll = random();
      let locale = NAME_LOCALES[0]!;
      for (const l of NAME_LOCALES) {
        if (roll < l.share) {
          locale = l;
          break;
        }
        roll -= l.share;
      }
      const f = locale.faker;
      const s = random();
      const sex = s < 0.49 ? 'female' : s < 0.98 ? 'male' : s < 0.99 ? 'intersex' : 'unknown';
      const given = sex === 'female' || sex === 'male' ? f.person.firstName(sex) : f.person.firstName();
      let family = f.person.lastName();
      if (random() < (locale.language === 'es' ? 0.15 : 0.04)) family = `${family}${locale.language === 'es' ? ' ' : '-'}${f.person.lastName()}`;
      const dob = iso(dobFrom + Math.floor(random() * dobSpan) * DAY_MS).slice(0, 10);
      const phone =
        random() < 0.92
          ? `+1${pick(random, AREA_CODES)}${200 + Math.floor(random() * 800)}${String(Math.floor(random() * 10000)).padStart(4, '0')}`
          : null;
      const email =
        random() < 0.75
          ? `${emailPart(given)}${random() < 0.5 ? '.' : ''}${emailPart(family)}${random() < 0.6 ? Math.floor(random() * 100) : ''}@${pick(random, MAIL_DOMAINS)}`
          : null;
      const place = pick(random, places);
      const geo = random() < 0.3;
      const createdMs = createdFrom + Math.floor((i + random()) * createdStep);
      const created = iso(createdMs);
      const updated = random() < 0.2 ? iso(createdMs + Math.floor(random() * (nowMs - createdMs))) : created;
      const patientId = id(KIND.patient, i);
      insertPatient.run(
        patientId,
        i + 1,
        given,
        family,
        dob,
        sex,
        phone,
        email,
        `${1 + Math.floor(random() * 9999)} ${pick(random, streets)}`,
        random() < 0.15 ? `Apt ${1 + Math.floor(random() * 400)}` : '',
        place.city,
        place.region,
        place.postal,
        geo ? 40.5 + random() * 0.4 : null,
        geo ? -74.2 + random() * 0.4 : null,
        locale.language === 'es' && random() < 0.6 ? 'es' : locale.language === 'vi' && random() < 0.4 ? 'vi' : 'en',
        random() < 0.7 ? 1 : 0,
        random() < 0.6 ? 1 : 0,
        created,
        staffId,
        updated,
      );
      // Exactly what patient.repository's replaceSearchTokens() computes for this row.
      for (const token of tokensFor({
        givenName: given,
        familyName: family,
        dateOfBirth: dob,
        phoneE164: phone,
        phoneNational: nationalNumberOf(phone),
        email,
      })) {
        insertToken.run(token, patientId);
        tokens++;
      }
    }
  });

  const started = performance.now();
  let lastLog = started;
  for (let from = 0; from < o.patients; from += BATCH) {
    const to = Math.min(o.patients, from + BATCH);
    insertBatch(from, to);
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      const rate = Math.round(to / ((lastLog - started) / 1000));
      ctx.log(`  fixture: ${to.toLocaleString('en-US')} / ${o.patients.toLocaleString('en-US')} patients (${rate.toLocaleString('en-US')}/s)`);
    }
  }
  raw.exec(`INSERT INTO patient_search_token (token, patient_id)
            SELECT token, patient_id FROM temp.token_load ORDER BY token, patient_id;
            DROP TABLE temp.token_load;`);
  return { tokens };
}
