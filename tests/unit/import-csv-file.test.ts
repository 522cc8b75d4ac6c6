import { describe, expect, it } from 'vitest';
import { importChunks, IMPORT_CHUNK_BYTES } from '../../src-main/contract/import.contract.js';
import { cellsOf, dataRows, decode, guessMapping, parseCsvText } from '../../src-renderer/features/import/csv-file.js';

const parsed = (text: string) => {
  const out = parseCsvText(text, 'x.csv');
  if (!out.ok) throw new Error(out.message);
  return out.file;
};

describe('reading a patient list', () => {
  it('handles a BOM, CRLF, semicolons and a line break inside quotes, keeping spreadsheet row numbers', () => {
    const file = parsed('\uFEFFFirst name;Surname;DOB;Phone\r\nAna;"García\r\nLópez";1980-01-02;555\r\n\r\nBo;Li;1990-03-04;556\r\n');
    expect(file.delimiter).toBe(';');
    expect(file.hasHeader).toBe(true);
    const map = guessMapping(file);
    expect(map).toMatchObject({ givenName: 0, familyName: 1, dateOfBirth: 2, phone: 3, email: null });
    const rows = dataRows(file);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 4]);
    expect(cellsOf(rows[0]!.record, map).familyName).toBe('García\r\nLópez');
  });

  it('keeps formula cells as text and sees no header in a list of people', () => {
    const file = parsed('=1+2,@SUM(A1),+1 555\n-Ana,Bo,x\n');
    expect(file.hasHeader).toBe(false);
    expect(file.records[0]).toEqual(['=1+2', '@SUM(A1)', '+1 555']);
  });

  it('refuses an unclosed quote, a binary file, an empty file and too many rows in words', () => {
    expect(parseCsvText('a,b\n"open,c\nd,e\n', 'x.csv')).toMatchObject({ ok: false, message: expect.stringContaining('never closed') });
    expect(parseCsvText('PK\u0003\u0004\u0000\u0000', 'x.xlsx')).toMatchObject({ ok: false, message: expect.stringContaining('not a text file') });
    expect(parseCsvText('\r\n\r\n', 'x.csv')).toMatchObject({ ok: false, message: 'This file has no rows.' });
    expect(parseCsvText('a\n'.repeat(100_001), 'x.csv')).toMatchObject({ ok: false, message: expect.stringContaining('at most 100,000') });
  });

  it('cuts very long cells so the desk refuses the row, not the chunk', () => {
    const file = parsed(`First name,Last name\n${'x'.repeat(5000)},Y\n`);
    expect(file.records[1]![0]).toHaveLength(1000);
  });

  it('says when bytes are not UTF-8 and reads them as Windows-1252 on request', () => {
    const bytes = new Uint8Array([0x4a, 0x6f, 0x73, 0xe9]).buffer;
    expect(decode(bytes, 'utf-8')).toBeNull();
    expect(decode(bytes, 'windows-1252')).toBe('José');
  });

  it('chunks rows by count and by size', () => {
    const small = Array.from({ length: 2500 }, (_, i) => ({ rowNumber: i + 2, cells: { givenName: 'A' } }));
    expect(importChunks(small).map((c) => c.length)).toEqual([1000, 1000, 500]);
    const big = Array.from({ length: 30 }, (_, i) => ({ rowNumber: i + 2, cells: { givenName: 'é'.repeat(10_000) } }));
    const chunks = importChunks(big);
    for (const c of chunks) expect(new TextEncoder().encode(JSON.stringify(c)).length).toBeLessThanOrEqual(IMPORT_CHUNK_BYTES + 1000);
    expect(chunks.flat()).toHaveLength(30);
  });
});
