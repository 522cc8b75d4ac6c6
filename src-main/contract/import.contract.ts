import { z } from 'zod';
import { defineHandler, id, str } from './common.js';

/**
 * Importing an existing patient list from CSV (issue 12 item 14). The screen parses the file
 * (papaparse), the admin maps its columns to these fields, and the rows go to the desk in
 * chunks: `import/stage` checks every row with the registration rules and flags likely
 * duplicates; `import/commit` imports the accepted rows in ONE transaction (all or none).
 */
export const importFields = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'sex',
  'gender',
  'phone',
  'email',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
  'preferredLanguage',
] as const;
export type ImportField = (typeof importFields)[number];

/** The field names as a person reads them (the mapping screen, errors, the failures file). */
export const importFieldLabels: Record<ImportField, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  gender: 'Gender',
  phone: 'Phone',
  email: 'E-mail',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  region: 'Region or state',
  postalCode: 'Postal code',
  country: 'Country',
  preferredLanguage: 'Preferred language',
};

/** Fields a row cannot do without (registration requires them). */
export const requiredImportFields: readonly ImportField[] = ['givenName', 'familyName', 'dateOfBirth', 'phone'];

/** Bounds: the screen refuses bigger files before reading them; the desk refuses bigger batches. */
export const IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_CHUNK_ROWS = 1000;
/** A cell longer than this is cut by the screen (any field's own limit is far lower, so the row still fails in words). */
export const IMPORT_MAX_CELL = 1000;

const cell = str().max(IMPORT_MAX_CELL, `At most ${IMPORT_MAX_CELL} characters.`).default('');
const cells = z.strictObject(Object.fromEntries(importFields.map((f) => [f, cell])) as Record<ImportField, typeof cell>);
export type ImportCells = z.output<typeof cells>;

/** A row's number as a spreadsheet shows it (the header is row 1; blank lines keep their numbers). */
const rowNumber = z.number().int().min(1).max(10_000_000);

export const importRowMatch = z.object({
  /** An existing patient, or an earlier row of the same file. */
  kind: z.enum(['patient', 'row']),
  patientId: id.optional(),
  number: str().optional(),
  rowNumber: z.number().int().optional(),
  name: str(),
  reasons: z.array(str()),
});
export type ImportRowMatch = z.infer<typeof importRowMatch>;

export const importRowResult = z.object({
  rowNumber: z.number().int(),
  status: z.enum(['ok', 'invalid', 'duplicate']),
  /** Plain-words reasons a row cannot be imported, each naming its field. */
  errors: z.array(z.object({ field: str(), message: str() })),
  matches: z.array(importRowMatch),
});
export type ImportRowResult = z.infer<typeof importRowResult>;

export const importResult = z.object({
  batchId: id,
  imported: z.number().int(),
  skippedDuplicates: z.number().int(),
  failed: z.number().int(),
  /** True when this batch was committed before: nothing was imported again. */
  replayed: z.boolean(),
});
export type ImportResult = z.infer<typeof importResult>;

const ADMIN = ['admin'] as const;

export const importContract = {
  'import/start': defineHandler({
    summary: 'Start importing a patient list: names the file and how many rows it has (admin).',
    input: z.strictObject({
      fileName: str().trim().max(255, 'At most 255 characters.').default(''),
      totalRows: z
        .number()
        .int()
        .min(1, 'The file has no patient rows.')
        .max(IMPORT_MAX_ROWS, `At most ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows in one import; split the file.`),
    }),
    output: z.object({ batchId: id }),
    access: { staff: ADMIN },
    mutates: true,
  }),
  'import/stage': defineHandler({
    summary:
      'Check a chunk of an import’s rows with the registration rules and flag likely duplicates (existing patients, earlier rows of the file); sending a chunk again replaces it (admin).',
    input: z.strictObject({
      batchId: id,
      rows: z
        .array(z.strictObject({ rowNumber, cells }))
        .min(1)
        .max(IMPORT_CHUNK_ROWS, `At most ${IMPORT_CHUNK_ROWS} rows at a time.`),
    }),
    output: z.object({ results: z.array(importRowResult), staged: z.number().int(), totalRows: z.number().int() }),
    access: { staff: ADMIN },
    mutates: true,
  }),
  'import/failures-csv': defineHandler({
    summary:
      'The rows of an import that cannot be imported, with their row numbers and reasons, as CSV (cells a spreadsheet would run as a formula are neutralised) (admin).',
    input: z.strictObject({ batchId: id }),
    output: z.object({ filename: str(), csv: str(), rows: z.number().int() }),
    access: { staff: ADMIN },
    mutates: false,
  }),
  'import/commit': defineHandler({
    summary:
      'Import every staged row that passed, in one transaction: all or none. Likely duplicates are skipped unless their row numbers are listed. A second commit of the same import imports nothing (admin).',
    input: z.strictObject({
      batchId: id,
      importDuplicateRows: z.array(rowNumber).max(IMPORT_MAX_ROWS).default([]),
    }),
    output: importResult,
    access: { staff: ADMIN },
    mutates: true,
  }),
};

/** Web mode takes request bodies up to 256 KB: a chunk stays well below, whatever its rows hold. */
export const IMPORT_CHUNK_BYTES = 200_000;

/** Splits rows into `import/stage` chunks: at most IMPORT_CHUNK_ROWS rows and about IMPORT_CHUNK_BYTES of JSON each. */
export function importChunks<T>(rows: readonly T[]): T[][] {
  const encoder = new TextEncoder();
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length + 1;
    if (current.length > 0 && (current.length >= IMPORT_CHUNK_ROWS || bytes + size > IMPORT_CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
