import Papa from 'papaparse';
import {
  IMPORT_MAX_CELL,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_ROWS,
  importFields,
  type ImportCells,
  type ImportField,
} from '../../../src-main/contract/import.contract.js';

/**
 * Reading a patient list: the bytes are decoded (UTF-8 unless the admin chooses otherwise),
 * parsed by papaparse (delimiter detected), the header row recognised and the columns mapped
 * to patient fields by their names. No hand-written CSV parsing.
 */
export interface ParsedFile {
  fileName: string;
  delimiter: string;
  /** Every record of the file (the header too, when there is one), cells as text. */
  records: string[][];
  /** The first record names the columns. */
  hasHeader: boolean;
  encoding: 'utf-8' | 'windows-1252';
}

export type ReadOutcome = { ok: true; file: ParsedFile } | { ok: false; message: string; wrongEncoding?: boolean };

const MB = 1024 * 1024;

export function decode(bytes: ArrayBuffer, encoding: ParsedFile['encoding']): string | null {
  try {
    // The BOM a spreadsheet writes is dropped by the decoder.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export async function readCsv(file: File, encoding: ParsedFile['encoding'] = 'utf-8'): Promise<ReadOutcome> {
  if (file.size > IMPORT_MAX_FILE_BYTES) {
    return { ok: false, message: `This file is ${(file.size / MB).toFixed(1)} MB; the limit is ${IMPORT_MAX_FILE_BYTES / MB} MB. Split the list into smaller files and import them one after the other.` };
  }
  if (file.size === 0) return { ok: false, message: 'This file is empty.' };
  const text = decode(await file.arrayBuffer(), encoding);
  if (text === null) {
    return {
      ok: false,
      wrongEncoding: true,
      message:
        'This file is not UTF-8 text, so some letters (such as é or ñ) cannot be read. Save it from your spreadsheet as “CSV UTF-8” and choose it again — or, if it came from an older Windows program, read it as Western European (Windows-1252).',
    };
  }
  return parseCsvText(text, file.name, encoding);
}

export function parseCsvText(text: string, fileName: string, encoding: ParsedFile['encoding'] = 'utf-8'): ReadOutcome {
  if (text.includes('\u0000')) return { ok: false, message: 'This is not a text file (it looks like a spreadsheet or another binary file). Save it as CSV and choose it again.' };
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false, delimitersToGuess: [',', ';', '\t', '|'] });
  const unclosed = result.errors.find((e) => e.code === 'MissingQuotes');
  if (unclosed) {
    return { ok: false, message: `Row ${(unclosed.row ?? 0) + 1} opens a quotation mark that is never closed, so the rest of the file cannot be read. Fix that row and choose the file again.` };
  }
  // A trailing line break leaves one empty record; blank lines keep their row numbers.
  const records = result.data.map((r) => r.map((c) => (c.length > IMPORT_MAX_CELL ? c.slice(0, IMPORT_MAX_CELL) : c)));
  while (records.length > 0 && isBlank(records[records.length - 1]!)) records.pop();
  if (records.length === 0) return { ok: false, message: 'This file has no rows.' };
  const hasHeader = looksLikeHeader(records[0]!);
  const rows = records.length - (hasHeader ? 1 : 0);
  if (rows > IMPORT_MAX_ROWS) {
    return { ok: false, message: `This file has ${rows.toLocaleString('en-US')} rows; at most ${IMPORT_MAX_ROWS.toLocaleString('en-US')} can be imported at once. Split the list into smaller files.` };
  }
  return { ok: true, file: { fileName, delimiter: result.meta.delimiter, records, hasHeader, encoding } };
}

export const isBlank = (record: readonly string[]): boolean => record.every((c) => c.trim() === '');

export const delimiterName = (d: string): string =>
  ({ ',': 'commas', ';': 'semicolons', '\t': 'tabs', '|': 'vertical bars' })[d] ?? `“${d}”`;

/** Header names (letters only, lower case) each field is known by. */
const NAMES: Record<ImportField, string[]> = {
  givenName: ['first', 'firstname', 'given', 'givenname', 'givennames', 'forename', 'forenames', 'prenom', 'nombre', 'vorname'],
  familyName: ['last', 'lastname', 'surname', 'family', 'familyname', 'apellido', 'apellidos', 'nom', 'nachname'],
  dateOfBirth: ['dob', 'dateofbirth', 'birthdate', 'birthday', 'born', 'birth', 'fechadenacimiento', 'geburtsdatum', 'datedenaissance'],
  sex: ['sex', 'sexe', 'sexo', 'geschlecht'],
  gender: ['gender', 'genderidentity'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'telephone', 'tel', 'telefono', 'telefon'],
  email: ['email', 'emailaddress', 'mail', 'correo', 'courriel'],
  addressLine1: ['address', 'address1', 'addressline1', 'street', 'streetaddress', 'direccion', 'adresse'],
  addressLine2: ['address2', 'addressline2', 'apartment', 'apt', 'suite', 'unit'],
  city: ['city', 'town', 'ciudad', 'ville', 'stadt'],
  region: ['state', 'region', 'province', 'county', 'estado'],
  postalCode: ['zip', 'zipcode', 'postcode', 'postalcode', 'plz', 'codigopostal', 'codepostal'],
  country: ['country', 'countrycode', 'pais', 'pays', 'land'],
  preferredLanguage: ['language', 'lang', 'preferredlanguage', 'idioma', 'langue', 'sprache'],
};

const simplify = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

export function guessField(header: string): ImportField | null {
  const s = simplify(header);
  if (!s) return null;
  for (const field of importFields) if (NAMES[field].includes(s)) return field;
  return null;
}

/** The first record names columns when at least two of its cells are known field names. */
export function looksLikeHeader(record: readonly string[]): boolean {
  return record.filter((c) => guessField(c) !== null).length >= 2;
}

/** field → column index (or null): the guess from the header names, each column used once. */
export type Mapping = Record<ImportField, number | null>;

export function guessMapping(file: ParsedFile): Mapping {
  const mapping = Object.fromEntries(importFields.map((f) => [f, null])) as Mapping;
  if (!file.hasHeader) return mapping;
  file.records[0]!.forEach((header, index) => {
    const field = guessField(header);
    if (field && mapping[field] === null) mapping[field] = index;
  });
  return mapping;
}

export function columnNames(file: ParsedFile): string[] {
  const width = Math.max(...file.records.slice(0, 50).map((r) => r.length));
  return Array.from({ length: width }, (_, i) => {
    const name = file.hasHeader ? (file.records[0]![i] ?? '').trim() : '';
    return name ? `${name} (column ${i + 1})` : `Column ${i + 1}`;
  });
}

/** The data rows with their spreadsheet row numbers (blank rows left out). */
export function dataRows(file: ParsedFile): Array<{ rowNumber: number; record: string[] }> {
  const out: Array<{ rowNumber: number; record: string[] }> = [];
  file.records.forEach((record, i) => {
    if (file.hasHeader && i === 0) return;
    if (!isBlank(record)) out.push({ rowNumber: i + 1, record });
  });
  return out;
}

export function cellsOf(record: readonly string[], mapping: Mapping): ImportCells {
  return Object.fromEntries(importFields.map((f) => [f, mapping[f] === null ? '' : (record[mapping[f]!] ?? '')])) as ImportCells;
}
