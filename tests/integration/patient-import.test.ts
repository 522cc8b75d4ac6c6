/**
 * Importing a patient list from CSV (issue 12 item 14): every row checked with the registration
 * rules, duplicates flagged against existing patients and within the file, one all-or-nothing
 * commit, replays import nothing twice, imported patients are searchable and emit change events.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportCells } from '../../src-main/contract/import.contract.js';
import { importFields } from '../../src-main/contract/import.contract.js';
import { auditRowsAfter, call, callErr, callOk, count, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';
import { envelopesAfter, lastEventSeq } from '../helpers/events.js';

let app: TestApp;
let admin: string;
let reception: string;

const blank: ImportCells = Object.fromEntries(importFields.map((f) => [f, ''])) as ImportCells;
const row = (rowNumber: number, cells: Partial<ImportCells>) => ({ rowNumber, cells: { ...blank, ...cells } });

/** Starts a batch and stages `rows` (row numbers from 2: the header is row 1). */
async function staged(rows: Array<Partial<ImportCells>>, token = admin) {
  const { batchId } = await callOk(app, 'import/start', { fileName: 'list.csv', totalRows: rows.length }, token);
  const out = await callOk(app, 'import/stage', { batchId, rows: rows.map((r, i) => row(i + 2, r)) }, token);
  return { batchId, ...out };
}

const ANA = { givenName: 'Anaïs', familyName: 'Quintero-Lopez', dateOfBirth: '1979-03-04', sex: 'F', phone: '(202) 555-0111', email: 'Anais.Q@mail.example' };

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
});
afterAll(async () => {
  await app.dispose();
});

describe('checking rows', () => {
  it('checks every row with the registration rules and says what is wrong in plain words', async () => {
    const out = await staged([
      ANA,
      { givenName: '', familyName: 'Nobody', dateOfBirth: '14/02/1980', sex: 'maybe', phone: '12', email: 'not-an-email' },
      { givenName: 'Future', familyName: 'Kid', dateOfBirth: '2099-01-01', phone: '(202) 555-0112' },
      { givenName: 'Line\nBreak', familyName: 'Person', dateOfBirth: '1990-01-01', phone: '(202) 555-0113' },
    ]);
    expect(out.staged).toBe(4);
    expect(out.results.map((r) => [r.rowNumber, r.status])).toEqual([
      [2, 'ok'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
    ]);
    const bad = out.results[1]!.errors;
    expect(bad).toEqual(
      expect.arrayContaining([
        { field: 'Given name', message: 'Given name is required.' },
        { field: 'Date of birth', message: 'Write the date as year-month-day, for example 1980-04-23.' },
        { field: 'Sex', message: expect.stringContaining('female, male') },
        { field: 'E-mail', message: 'Not a valid e-mail address.' },
        { field: 'Phone', message: expect.stringContaining('Not a valid phone number') },
      ]),
    );
    expect(out.results[2]!.errors).toEqual([{ field: 'Date of birth', message: 'The date of birth is in the future.' }]);
    expect(out.results[3]!.errors).toEqual([{ field: 'Given name', message: 'Control characters are not allowed.' }]);
  });

  it('flags likely duplicates against existing patients and earlier rows of the file', async () => {
    const existing = app.raw.prepare('SELECT id, given_name, family_name, date_of_birth, phone_e164 FROM patient ORDER BY number LIMIT 1').get() as {
      id: string; given_name: string; family_name: string; date_of_birth: string; phone_e164: string;
    };
    const out = await staged([
      { givenName: existing.given_name, familyName: existing.family_name, dateOfBirth: existing.date_of_birth, phone: '(202) 555-0150' },
      { givenName: 'Twin', familyName: 'Row', dateOfBirth: '1991-05-05', phone: '(202) 555-0151', email: 'twin@mail.example' },
      { givenName: 'Other', familyName: 'Name', dateOfBirth: '1992-06-06', phone: '(202) 555-0152', email: 'TWIN@mail.example' },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['duplicate', 'ok', 'duplicate']);
    expect(out.results[0]!.matches).toEqual([expect.objectContaining({ kind: 'patient', patientId: existing.id, reasons: ['Same date of birth and a similar name'] })]);
    expect(out.results[2]!.matches).toEqual([{ kind: 'row', rowNumber: 3, name: 'Twin Row', reasons: ['Same e-mail address'] }]);
  });

  it('refuses other staff, other admins’ batches and more rows than announced', async () => {
    await callErr(app, 'import/start', { fileName: 'x.csv', totalRows: 1 }, reception, 'auth/forbidden');
    const { batchId } = await callOk(app, 'import/start', { fileName: 'x.csv', totalRows: 1 }, admin);
    await callErr(app, 'import/stage', { batchId, rows: [row(2, ANA), row(3, ANA)] }, admin, 'import/too-many-rows');
    await callErr(app, 'import/stage', { batchId, rows: [row(2, ANA)] }, reception, 'auth/forbidden');
    const other = await callOk(app, 'staff/create', { username: 'admin2', displayName: 'Second Admin', role: 'admin', password: 'a-long-password-2' }, admin);
    expect(other.staff.role).toBe('admin');
    const admin2 = await loginAs(app, 'admin2', 'a-long-password-2');
    await callErr(app, 'import/stage', { batchId, rows: [row(2, ANA)] }, admin2, 'common/not-found');
    await callErr(app, 'import/commit', { batchId }, admin2, 'common/not-found');
    await callErr(app, 'import/failures-csv', { batchId }, admin2, 'common/not-found');
  });

  it('refuses a lone surrogate in a cell in words, and too many rows', async () => {
    const { batchId } = await callOk(app, 'import/start', { fileName: 'x.csv', totalRows: 1 }, admin);
    const err = await callErr(app, 'import/stage', { batchId, rows: [row(2, { ...ANA, familyName: 'Bad\uD800' })] }, admin, 'validation/invalid-input');
    expect(JSON.stringify(err.fieldErrors)).toContain('broken character');
    const big = await callErr(app, 'import/start', { fileName: 'x.csv', totalRows: 100_001 }, admin, 'validation/invalid-input');
    expect(big.fieldErrors?.totalRows?.[0]).toContain('split the file');
  });
});

describe('the failures file', () => {
  it('lists the failing rows with row numbers and reasons, formula cells neutralised', async () => {
    const out = await staged([ANA, { givenName: '=HYPERLINK("http://evil.example","x")', familyName: '+Plus', dateOfBirth: 'soon', phone: '@1' }]);
    const file = await callOk(app, 'import/failures-csv', { batchId: out.batchId }, admin);
    expect(file.rows).toBe(1);
    expect(file.filename).toBe('list-rows-not-imported.csv');
    const parsed = Papa.parse<string[]>(file.csv.trim()).data;
    expect(parsed[0]!.slice(0, 4)).toEqual(['Row', 'Reasons', 'Given name', 'Family name']);
    expect(parsed[1]![0]).toBe('3');
    expect(parsed[1]![1]).toContain('Date of birth: Write the date as year-month-day, for example 1980-04-23.');
    expect(parsed[1]![2]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(parsed[1]![3]).toBe("'+Plus");
    expect(parsed[1]![7]).toBe("'@1");
  });
});

describe('committing', () => {
  it('imports accepted rows in one go, skips duplicates unless chosen, and a replay imports nothing', async () => {
    const before = count(app, 'patient');
    const seq = lastEventSeq(app);
    const audit = lastAuditSeq(app);
    const out = await staged([
      { ...ANA, givenName: 'Zebulon', familyName: 'Importwell', phone: '(202) 555-0160', email: 'zeb@mail.example' },
      { givenName: 'Bad', familyName: 'Date', dateOfBirth: 'yesterday', phone: '(202) 555-0161' },
      { givenName: 'Zebulon', familyName: 'Importwell', dateOfBirth: '1979-03-04', phone: '(202) 555-0162' },
      { givenName: 'Yolanda', familyName: 'Importwell', dateOfBirth: '1970-01-01', phone: '(202) 555-0163', email: 'yo@mail.example' },
      { givenName: 'Yolanda', familyName: 'Importwell', dateOfBirth: '1970-01-01', phone: '(202) 555-0164' },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['ok', 'invalid', 'duplicate', 'ok', 'duplicate']);
    const result = await callOk(app, 'import/commit', { batchId: out.batchId, importDuplicateRows: [6] }, admin);
    expect(result).toEqual({ batchId: out.batchId, imported: 3, skippedDuplicates: 1, failed: 1, replayed: false });
    expect(count(app, 'patient')).toBe(before + 3);

    // Change events like a registration's, one per new patient.
    const events = envelopesAfter(app, seq).filter((e) => e.entity === 'patient');
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.op === 'upsert' && e.version === 1)).toBe(true);
    // Audited with the counts.
    const rows = auditRowsAfter(app, audit).filter((r) => r.handler === 'import/commit');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'ok', record_type: 'import', record_id: out.batchId, detail: expect.stringContaining('imported 3 patients') })]);
    // The approved duplicate carries who decided it (as a registration's override does).
    const yolandas = app.raw.prepare("SELECT duplicate_override_by FROM patient WHERE family_name = 'Importwell' AND given_name = 'Yolanda' ORDER BY number").all() as Array<{ duplicate_override_by: string | null }>;
    expect(yolandas.map((y) => y.duplicate_override_by === null)).toEqual([true, false]);

    // A replayed commit (a lost answer, a double click) imports nothing again.
    const again = await callOk(app, 'import/commit', { batchId: out.batchId, importDuplicateRows: [4, 6] }, admin);
    expect(again).toEqual({ ...result, replayed: true });
    expect(count(app, 'patient')).toBe(before + 3);
    await callErr(app, 'import/stage', { batchId: out.batchId, rows: [row(2, ANA)] }, admin, 'import/finished');
  });

  it('makes imported patients searchable like registered ones', async () => {
    const out = await staged([{ givenName: 'Xiomara', familyName: 'Çelik-Searchable', dateOfBirth: '1988-08-08', phone: '(202) 555-0170' }]);
    await callOk(app, 'import/commit', { batchId: out.batchId }, admin);
    for (const query of ['xiomara celik', 'Searchable Xiomara', '555-0170', '1988-08-08']) {
      const found = await callOk(app, 'patient/search', { query }, reception);
      expect(found.results.map((r) => r.familyName), query).toContain('Çelik-Searchable');
    }
  });

  it('refuses to commit before every row was checked', async () => {
    const { batchId } = await callOk(app, 'import/start', { fileName: 'x.csv', totalRows: 2 }, admin);
    await callOk(app, 'import/stage', { batchId, rows: [row(2, ANA)] }, admin);
    const err = await callErr(app, 'import/commit', { batchId }, admin, 'import/incomplete');
    expect(err.message).toBe('Only 1 of 2 rows have been checked. Check the whole file before importing.');
  });

  it('imports nothing at all when the commit fails midway, and can be committed afterwards', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      givenName: `Bulk${i}`,
      familyName: i === 1100 ? 'Boom' : 'Allornothing',
      dateOfBirth: new Date(Date.UTC(1940, 0, 1 + i)).toISOString().slice(0, 10),
      phone: `+1303555${String(2000 + i).padStart(4, '0')}`,
    }));
    const { batchId } = await callOk(app, 'import/start', { fileName: 'big.csv', totalRows: rows.length }, admin);
    for (let i = 0; i < rows.length; i += 1000) {
      await callOk(app, 'import/stage', { batchId, rows: rows.slice(i, i + 1000).map((r, j) => row(i + j + 2, r)) }, admin);
    }
    const before = { patients: count(app, 'patient'), tokens: count(app, 'patient_search_token'), events: lastEventSeq(app) };
    const cacheSize = app.raw.pragma('cache_size', { simple: true });
    // A failure deep into the commit (row 1,102 of 1,201: after the first 1,000 rows were written).
    app.raw.exec("CREATE TEMP TRIGGER import_boom BEFORE INSERT ON main.patient WHEN NEW.family_name = 'Boom' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const failed = await call(app, 'import/commit', { batchId }, admin);
    expect(failed.result.ok).toBe(false);
    app.raw.exec('DROP TRIGGER import_boom');
    expect(app.raw.pragma('cache_size', { simple: true })).toBe(cacheSize);
    expect(count(app, 'patient')).toBe(before.patients);
    expect(count(app, 'patient_search_token')).toBe(before.tokens);
    expect(lastEventSeq(app)).toBe(before.events);
    expect(app.raw.prepare('SELECT status FROM import_batch WHERE id = ?').pluck().get(batchId)).toBe('staging');
    const done = await callOk(app, 'import/commit', { batchId }, admin);
    expect(done).toMatchObject({ imported: 1200, skippedDuplicates: 0 });
    // The big page cache the import borrows is given back, after a failure too.
    expect(app.raw.pragma('cache_size', { simple: true })).toBe(cacheSize);
    expect(count(app, 'patient')).toBe(before.patients + 1200);
  });

  it('skips a row whose patient was registered at the desk after the row was checked', async () => {
    const out = await staged([{ givenName: 'Late', familyName: 'Comer', dateOfBirth: '1966-06-16', phone: '(202) 555-0180' }]);
    await callOk(app, 'patient/register', { basic: { givenName: 'Late', familyName: 'Comer', dateOfBirth: '1966-06-16', sex: 'female', phone: '(202) 555-0181' } }, reception);
    const result = await callOk(app, 'import/commit', { batchId: out.batchId }, admin);
    expect(result).toMatchObject({ imported: 0, skippedDuplicates: 1 });
  });
});
