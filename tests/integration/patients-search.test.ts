import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callErr, callOk, DEMO, demoApp, lastAuditSeq, auditRowsAfter, loginAs, type TestApp } from '../helpers/test-app.js';
import { basicRegistration, dispatchErr, dispatchOk, register, searchIds } from '../helpers/patients.js';
import { nameParts } from '../../src-main/core/patients/search-tokens.js';

let app: TestApp;
let reception: string;
/** Itzel Núñez Quispe: accents and a two-part family name, a US phone. */
let itzel: { patientId: string; patientNumber: string };
/** 山田 花子: CJK names, a UK phone. */
let hanako: { patientId: string; patientNumber: string };
/** Renée D'Arcy-Lefèvre: an apostrophe and a hyphen. */
let renee: { patientId: string; patientNumber: string };
/** Sunny 🌞 Kahale: an emoji in the given name. */
let sunny: { patientId: string; patientNumber: string };

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  itzel = await register(
    app,
    basicRegistration({
      givenName: 'Itzel',
      familyName: 'Núñez Quispe',
      dateOfBirth: '1987-06-05',
      phone: '(202) 555-0171',
      email: 'Itzel.NQ@correo.example',
    }),
    reception,
  );
  hanako = await register(
    app,
    basicRegistration({ givenName: '花子', familyName: '山田', dateOfBirth: '1975-12-01', phone: '+44 20 7946 0958', email: 'hanako@example.jp' }),
    reception,
  );
  renee = await register(
    app,
    basicRegistration({ givenName: 'Renée', familyName: "D'Arcy-Lefèvre", dateOfBirth: '1966-10-20', phone: '+1 415 555 0132' }),
    reception,
  );
  sunny = await register(
    app,
    basicRegistration({ givenName: 'Sunny 🌞', familyName: 'Kahale', dateOfBirth: '2001-08-08', phone: '+1 808 555 0177' }),
    reception,
  );
});
afterAll(async () => {
  await app.dispose();
});

/** Every term of a name query prefixes some part of the result's names (the rule the search promises). */
function matchesNameQuery(query: string, r: { givenName: string; familyName: string }): boolean {
  const parts = [...nameParts(r.givenName), ...nameParts(r.familyName)];
  return nameParts(query).every((term) => parts.some((p) => p.startsWith(term)));
}

describe('patient/search by name', () => {
  it('returns the patient summary', async () => {
    const out = await callOk(app, 'patient/search', { query: 'itzel' }, reception);
    expect(out).toEqual({
      results: [
        {
          id: itzel.patientId,
          number: itzel.patientNumber,
          givenName: 'Itzel',
          familyName: 'Núñez Quispe',
          dateOfBirth: '1987-06-05',
          phone: '+12025550171',
          email: 'itzel.nq@correo.example',
        },
      ],
    });
  });

  it('finds by 1–4 letter prefixes of either name, in either order', async () => {
    for (let n = 1; n <= 4; n++) {
      const given = 'itzel'.slice(0, n);
      const family = 'quispe'.slice(0, n);
      for (const query of [given, family, `${given} ${family}`, `${family} ${given}`, `${family.toUpperCase()}, ${given}`]) {
        const out = await callOk(app, 'patient/search', { query }, reception);
        expect(out.results.map((r) => r.id), query).toContain(itzel.patientId);
        for (const r of out.results) expect(matchesNameQuery(query, r), `${query} → ${r.givenName} ${r.familyName}`).toBe(true);
      }
    }
    // Two-letter prefixes of both names narrow to Itzel alone in this clinic.
    expect(await searchIds(app, reception, 'qu it')).toEqual([itzel.patientId]);
  });

  it('ignores accents and case both ways', async () => {
    expect(await searchIds(app, reception, 'nunez')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'NÚÑEZ')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'nuñ')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'renee lefevre')).toEqual([renee.patientId]);
  });

  it('finds a multi-part family name joined up, and names with apostrophes and hyphens', async () => {
    expect(await searchIds(app, reception, 'nunezquispe')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'darcylef')).toEqual([renee.patientId]);
    expect(await searchIds(app, reception, "d'arcy")).toEqual([renee.patientId]);
    expect(await searchIds(app, reception, 'D’Arcy-Lefèvre')).toEqual([renee.patientId]);
    expect(await searchIds(app, reception, 'lefèvre')).toEqual([renee.patientId]);
  });

  it('finds CJK names and emoji', async () => {
    expect(await searchIds(app, reception, '山田')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '花')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '花子 山田')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '🌞')).toEqual([sunny.patientId]);
    expect(await searchIds(app, reception, 'kahale sunny')).toEqual([sunny.patientId]);
  });

  it('finds the demo clinic’s accented names without accents', async () => {
    const out = await callOk(app, 'patient/search', { query: 'muller' }, reception);
    expect(out.results.length).toBeGreaterThan(0);
    for (const r of out.results) expect(r.familyName).toBe('Müller');
  });
});

describe('patient/search by phone, birth date, e-mail and number', () => {
  it('finds by phone digits from the start, with or without punctuation and country code', async () => {
    expect(await searchIds(app, reception, '202555017')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '(202) 555-0171')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '+1 202 555 0171')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '020 7946 0958')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '20 7946')).toEqual([hanako.patientId]);
  });

  it('finds by the last four digits', async () => {
    expect(await searchIds(app, reception, '0171')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '0958')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '0132')).toEqual([renee.patientId]);
  });

  it('finds by date of birth, ISO or as the US clinic writes it', async () => {
    expect(await searchIds(app, reception, '1987-06-05')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '06/05/1987')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, '12/1/1975')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, '1987-06-06')).toEqual([]);
  });

  it('finds by an e-mail prefix, any case', async () => {
    expect(await searchIds(app, reception, 'itzel.nq@')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'ITZEL.NQ@CORREO')).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, 'hanako@example.jp')).toEqual([hanako.patientId]);
    expect(await searchIds(app, reception, 'hanako@example.com')).toEqual([]);
  });

  it('finds by patient number (this desk’s prefix and counter), typed in any case, with or without dashes', async () => {
    expect(itzel.patientNumber).toMatch(/^P-[0-9A-Z]{4}-0041$/);
    expect(await searchIds(app, reception, itzel.patientNumber)).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, itzel.patientNumber.toLowerCase())).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, itzel.patientNumber.slice(2).replace('-0041', ' 41'))).toEqual([itzel.patientId]);
    expect(await searchIds(app, reception, itzel.patientNumber.replace('0041', '9999'))).toEqual([]);
    expect(await searchIds(app, reception, 'P999999')).toEqual([]);
  });
});

describe('patient/search limits and misses', () => {
  const area202 = () => (app.raw.prepare("SELECT count(*) AS n FROM patient WHERE phone_e164 LIKE '+1202555%'").get() as { n: number }).n;

  it('returns at most `limit` results, 50 by default', async () => {
    expect(area202()).toBe(41); // the demo clinic's 40 patients and Itzel
    expect(await searchIds(app, reception, '202555', 5)).toHaveLength(5);
    expect(await searchIds(app, reception, '202555', 1)).toHaveLength(1);
    const all = await callOk(app, 'patient/search', { query: '202555' }, reception);
    expect(all.results).toHaveLength(41);
    for (const r of all.results) expect(r.phone.startsWith('+1202555')).toBe(true);
  });

  it('refuses a limit above 50 or below 1', async () => {
    const over = await callErr(app, 'patient/search', { query: 'a', limit: 51 }, reception, 'validation/invalid-input');
    expect(over.fieldErrors).toEqual({ limit: ['Use 50 or less.'] });
    await callErr(app, 'patient/search', { query: 'a', limit: 0 }, reception, 'validation/invalid-input');
  });

  it('answers [] for no match and for an empty query', async () => {
    expect(await callOk(app, 'patient/search', { query: 'zzzzqx' }, reception)).toEqual({ results: [] });
    expect(await callOk(app, 'patient/search', { query: 'itzel zzz' }, reception)).toEqual({ results: [] });
    expect(await callOk(app, 'patient/search', { query: '' }, reception)).toEqual({ results: [] });
    expect(await callOk(app, 'patient/search', { query: '  -- ' }, reception)).toEqual({ results: [] });
  });

  it('is for staff only and is not audited per keystroke', async () => {
    const seq = lastAuditSeq(app);
    await searchIds(app, reception, 'itz');
    expect(auditRowsAfter(app, seq)).toEqual([]);

    const anonymous = await dispatchErr(app, 'patient/search', { query: 'itzel' }, {}, 'auth/unauthenticated');
    expect(anonymous.status).toBe(401);
    expect(anonymous.error.message).toBe('Please sign in.');
    const kiosk = await dispatchOk(app, 'patient/register', basicRegistration({ givenName: 'Search', familyName: 'Kiosk', phone: '+1 808 555 0178' }), {});
    await dispatchErr(app, 'patient/search', { query: 'itzel' }, { patientToken: kiosk.accessToken }, 'auth/forbidden');
  });
});
