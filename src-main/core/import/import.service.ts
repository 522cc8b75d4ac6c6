import Papa from 'papaparse';
import { sql } from 'kysely';
import {
  importFieldLabels,
  importFields,
  type ImportCells,
  type ImportResult,
  type ImportRowMatch,
  type ImportRowResult,
} from '../../contract/import.contract.js';
import type { BasicInfo } from '../../contract/patients.contract.js';
import { nowIso, type Ctx } from '../context.js';
import type { ImportBatchTable, PatientTable } from '../db/schema.js';
import { deskNumberRange } from '../desk/patient-number.js';
import { nextPatientNumber } from '../desk/next-patient-number.js';
import { DomainError, notFound } from '../errors.js';
import { neutraliseCell } from '../payments/commission-report.service.js';
import { nationalNumberOf } from '../patients/patient.repository.js';
import { basicColumns } from '../patients/patient.service.js';
import { tokensFor } from '../patients/search-tokens.js';
import { todayIn } from '../time/time.js';
import { earlierRowMatches, existingPatientMatches, type DuplicateKey } from './import-duplicates.js';
import { checkRow } from './import-rules.js';

/**
 * SQLite's page cache is 2 MB per connection by default. A 50,000-patient commit touches far
 * more index pages than that (patient, its search tokens, the change log), and a full cache
 * spills dirty pages into the WAL in the middle of the transaction: on 100,000 patients that
 * roughly doubled the time. The import borrows a 128 MB cache for its own calls, then gives it back.
 */
const IMPORT_CACHE_KIB = 128 * 1024;
async function withImportCache<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const before = Math.trunc(Number((await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(ctx.db)).rows[0]?.cache_size ?? -2000));
  const restore = async () => {
    await sql.raw(`PRAGMA cache_size = ${before}`).execute(ctx.db);
  };
  await sql.raw(`PRAGMA cache_size = ${-IMPORT_CACHE_KIB}`).execute(ctx.db);
  let out: T;
  try {
    out = await fn();
  } catch (err) {
    await restore();
    throw err;
  }
  // The dispatcher writes the change envelopes (one per new patient) after this returns and
  // before COMMIT: the cache stays big until then. (A pragma is one synchronous statement on
  // the one connection; it never interleaves with another call's statements.)
  ctx.afterCommit(restore);
  return out;
}

/** A batch nobody finished is removed when the next import starts, after this long. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
/** Rows per multi-row INSERT (patient has ~27 columns; SQLite allows 32,766 parameters). */
const INSERT_ROWS = 500;

function staffId(ctx: Ctx): string {
  if (ctx.actor.kind !== 'staff') throw new DomainError('auth/forbidden', 'Only clinic staff may import patients.');
  return ctx.actor.id;
}

/** The caller's own batch: another admin's import (or an unknown id) is "not found". */
async function ownBatch(ctx: Ctx, batchId: string): Promise<ImportBatchTable> {
  const batch = await ctx.db.selectFrom('import_batch').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch || batch.created_by !== staffId(ctx)) throw notFound('The import');
  return batch;
}

export async function startImport(ctx: Ctx, input: { fileName: string; totalRows: number }) {
  const by = staffId(ctx);
  const at = nowIso(ctx);
  const stale = new Date(ctx.clock.now().getTime() - ABANDONED_AFTER_MS).toISOString();
  // Batches nobody committed for a day are dropped (their rows with them).
  await ctx.db.deleteFrom('import_row').where('batch_id', 'in', (eb) => eb.selectFrom('import_batch').select('id').where('status', '=', 'staging').where('created_at', '<', stale)).execute();
  await ctx.db.deleteFrom('import_batch').where('status', '=', 'staging').where('created_at', '<', stale).execute();
  const batchId = ctx.newId();
  await ctx.db
    .insertInto('import_batch')
    .values({ id: batchId, file_name: input.fileName || 'patients.csv', total_rows: input.totalRows, created_by: by, created_at: at, status: 'staging', committed_at: null, result: null })
    .execute();
  ctx.auditRecord('import', batchId, `${input.totalRows} rows from ${JSON.stringify(input.fileName.slice(0, 100))}`);
  return { batchId };
}

const clinicRules = (ctx: Ctx) => ({ defaultCountry: ctx.settings.defaultCountry, today: todayIn(ctx.settings.timeZone, ctx.clock.now()) });

const keyOf = (rowNumber: number, basic: BasicInfo, phoneE164: string): DuplicateKey => ({
  rowNumber,
  givenName: basic.givenName,
  familyName: basic.familyName,
  dateOfBirth: basic.dateOfBirth,
  phoneE164,
  email: basic.email.toLowerCase(),
});

export function stageRows(ctx: Ctx, input: { batchId: string; rows: Array<{ rowNumber: number; cells: ImportCells }> }) {
  return withImportCache(ctx, () => stageChunk(ctx, input));
}

async function stageChunk(ctx: Ctx, input: { batchId: string; rows: Array<{ rowNumber: number; cells: ImportCells }> }) {
  const batch = await ownBatch(ctx, input.batchId);
  if (batch.status !== 'staging') {
    throw new DomainError('import/finished', 'This import is already finished. Start a new import to add more rows.');
  }
  const numbers = new Set<number>();
  for (const row of input.rows) {
    if (numbers.has(row.rowNumber)) {
      throw new DomainError('validation/invalid-input', `Row ${row.rowNumber} was sent twice.`, { fieldErrors: { rows: [`Row ${row.rowNumber} was sent twice.`] } });
    }
    numbers.add(row.rowNumber);
  }
  const rules = clinicRules(ctx);
  const checked = input.rows.map((row) => ({ row, check: checkRow(row.cells, rules) }));
  const keys: DuplicateKey[] = [];
  for (const { row, check } of checked) if (check.ok) keys.push(keyOf(row.rowNumber, check.basic, check.phoneE164));
  const existing = await existingPatientMatches(ctx.db, keys);
  const earlier = await earlierRowMatches(ctx.db, batch.id, keys, numbers);

  const results: ImportRowResult[] = [];
  const values = checked.map(({ row, check }) => {
    const matches: ImportRowMatch[] = check.ok ? [...(existing.get(row.rowNumber) ?? []), ...(earlier.get(row.rowNumber) ?? [])] : [];
    const status = !check.ok ? 'invalid' : matches.length > 0 ? 'duplicate' : 'ok';
    const errors = check.ok ? [] : check.errors;
    results.push({ rowNumber: row.rowNumber, status, errors, matches });
    return {
      batch_id: batch.id,
      row_number: row.rowNumber,
      status,
      cells: JSON.stringify(row.cells),
      errors: errors.length > 0 ? JSON.stringify(errors) : null,
      matches: matches.length > 0 ? JSON.stringify(matches) : null,
      record: check.ok ? JSON.stringify({ basic: check.basic, phoneE164: check.phoneE164, phoneNational: check.phoneNational }) : null,
      given_name: check.ok ? check.basic.givenName : null,
      family_name: check.ok ? check.basic.familyName : null,
      date_of_birth: check.ok ? check.basic.dateOfBirth : null,
      phone_e164: check.ok ? check.phoneE164 : null,
      email: check.ok && check.basic.email ? check.basic.email.toLowerCase() : null,
    } as const;
  });
  // Sending a chunk again (a retry after a lost answer) replaces its rows.
  await ctx.db.deleteFrom('import_row').where('batch_id', '=', batch.id).where('row_number', 'in', [...numbers]).execute();
  for (let i = 0; i < values.length; i += INSERT_ROWS) await ctx.db.insertInto('import_row').values(values.slice(i, i + INSERT_ROWS)).execute();
  const staged = await ctx.db
    .selectFrom('import_row')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batch.id)
    .executeTakeFirstOrThrow();
  if (Number(staged.n) > batch.total_rows) {
    throw new DomainError('import/too-many-rows', `This import was started for ${batch.total_rows.toLocaleString('en-US')} rows; more were sent. Start the import again.`);
  }
  ctx.auditRecord('import', batch.id, `checked rows ${Math.min(...numbers)}–${Math.max(...numbers)}`);
  return { results, staged: Number(staged.n), totalRows: batch.total_rows };
}

/** The rows that cannot be imported, with their reasons and cells, as CSV for a spreadsheet. */
export async function failuresCsv(ctx: Ctx, input: { batchId: string }) {
  const batch = await ownBatch(ctx, input.batchId);
  const rows = await ctx.db
    .selectFrom('import_row')
    .select(['row_number', 'cells', 'errors'])
    .where('batch_id', '=', batch.id)
    .where('status', '=', 'invalid')
    .orderBy('row_number')
    .execute();
  const header = ['Row', 'Reasons', ...importFields.map((f) => importFieldLabels[f])];
  const data = rows.map((r) => {
    const cells = JSON.parse(r.cells) as ImportCells;
    const errors = JSON.parse(r.errors ?? '[]') as Array<{ field: string; message: string }>;
    return [
      String(r.row_number),
      neutraliseCell(errors.map((e) => `${e.field}: ${e.message}`).join('; ')),
      ...importFields.map((f) => neutraliseCell(cells[f] ?? '')),
    ];
  });
  const csv = Papa.unparse({ fields: header, data }, { quotes: true, newline: '\r\n', escapeFormulae: false });
  const base = batch.file_name.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 60) || 'patients';
  return { filename: `${base}-rows-not-imported.csv`, csv, rows: rows.length };
}

/**
 * Imports every accepted row of a fully checked batch in the dispatcher's ONE transaction
 * (BEGIN IMMEDIATE: no other write, from this desk or another, can interleave, and a failure
 * anywhere rolls every row back). Likely duplicates are skipped unless the admin listed them;
 * rows that have come to look like a patient registered since they were checked are skipped
 * too. A second commit of the same batch answers the first one's counts and imports nothing.
 */
export function commitImport(ctx: Ctx, input: { batchId: string; importDuplicateRows: number[] }): Promise<ImportResult> {
  return withImportCache(ctx, () => commitBatch(ctx, input));
}

async function commitBatch(ctx: Ctx, input: { batchId: string; importDuplicateRows: number[] }): Promise<ImportResult> {
  const by = staffId(ctx);
  const batch = await ownBatch(ctx, input.batchId);
  if (batch.status === 'committed') {
    ctx.auditRecord('import', batch.id, 'replayed commit: nothing imported again');
    return { ...(JSON.parse(batch.result ?? '{}') as ImportResult), replayed: true };
  }
  const counts = await ctx.db
    .selectFrom('import_row')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', '=', batch.id)
    .groupBy('status')
    .execute();
  const count = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  const staged = count('ok') + count('invalid') + count('duplicate');
  if (staged < batch.total_rows) {
    throw new DomainError(
      'import/incomplete',
      `Only ${staged.toLocaleString('en-US')} of ${batch.total_rows.toLocaleString('en-US')} rows have been checked. Check the whole file before importing.`,
    );
  }

  const approved = new Set(input.importDuplicateRows);
  const rows = await ctx.db
    .selectFrom('import_row')
    .select(['row_number', 'status', 'record'])
    .where('batch_id', '=', batch.id)
    .where('status', 'in', ['ok', 'duplicate'])
    .orderBy('row_number')
    .execute();
  const wanted = rows
    .filter((r) => r.status === 'ok' || approved.has(r.row_number))
    .map((r) => ({ rowNumber: r.row_number, override: r.status === 'duplicate', ...(JSON.parse(r.record!) as { basic: BasicInfo; phoneE164: string; phoneNational?: string }) }));
  // Someone may have registered one of these patients since the rows were checked.
  const since = await existingPatientMatches(
    ctx.db,
    wanted.filter((w) => !w.override).map((w) => keyOf(w.rowNumber, w.basic, w.phoneE164)),
  );
  const toImport = wanted.filter((w) => w.override || !since.has(w.rowNumber));
  const skippedDuplicates = rows.length - toImport.length;

  const at = nowIso(ctx);
  let number = await nextPatientNumber(ctx.db);
  const desk = await ctx.db.selectFrom('desk').select('prefix_index').executeTakeFirstOrThrow();
  const [, last] = deskNumberRange(desk.prefix_index);
  if (number + toImport.length - 1 > last) {
    throw new DomainError('import/numbers-exhausted', 'This desk has too few patient numbers left for this many patients; nothing was imported.');
  }
  for (let i = 0; i < toImport.length; i += INSERT_ROWS) {
    const patients: PatientTable[] = [];
    const tokens: Array<{ token: string; patient_id: string }> = [];
    for (const w of toImport.slice(i, i + INSERT_ROWS)) {
      const id = ctx.newId();
      const columns = basicColumns(w.basic, w.phoneE164);
      patients.push({
        id,
        number: number++,
        ...columns,
        access_token_hash: null,
        duplicate_override_by: w.override ? by : null,
        duplicate_override_at: w.override ? at : null,
        duplicate_review: null,
        created_at: at,
        created_by_kind: 'staff',
        created_by: by,
        updated_at: at,
        version: 1,
      });
      // The patient search's token index, as a registration fills it.
      for (const token of tokensFor({
        givenName: columns.given_name,
        familyName: columns.family_name,
        dateOfBirth: columns.date_of_birth,
        phoneE164: columns.phone_e164,
        phoneNational: w.phoneNational ?? nationalNumberOf(columns.phone_e164),
        email: columns.email,
      })) {
        tokens.push({ token, patient_id: id });
      }
    }
    await ctx.db.insertInto('patient').values(patients).execute();
    for (let t = 0; t < tokens.length; t += 5000) await ctx.db.insertInto('patient_search_token').values(tokens.slice(t, t + 5000)).execute();
  }

  const result: ImportResult = {
    batchId: batch.id,
    imported: toImport.length,
    skippedDuplicates,
    failed: count('invalid'),
    replayed: false,
  };
  await ctx.db.updateTable('import_batch').set({ status: 'committed', committed_at: at, result: JSON.stringify(result) }).where('id', '=', batch.id).execute();
  // The imported rows now live in `patient`; only the failures stay (for their download).
  await ctx.db.deleteFrom('import_row').where('batch_id', '=', batch.id).where('status', '!=', 'invalid').execute();
  ctx.auditRecord('import', batch.id, `imported ${result.imported} patients; skipped ${result.skippedDuplicates} likely duplicates; ${result.failed} rows failed`);
  return result;
}
