import { createHash } from 'node:crypto';

/**
 * Patient numbers that never collide between desks: P-<desk prefix>-<per-desk counter>, e.g.
 * P-K7Q4-0041. The prefix is four characters of Crockford's base-32 alphabet taken from a
 * hash of the desk id (20 bits: 1,048,576 prefixes). Stored as one integer so the existing
 * UNIQUE column, index and number search keep working:
 *   number = (prefixIndex + 1) · 10,000,000 + counter   (counter 1 … 9,999,999)
 * Numbers below 10,000,000 are the older MAX+1 numbers (P000041) and stay as they are.
 */
export const DESK_NUMBER_BASE = 10_000_000;

/** Crockford's base-32: no I, L, O, U (nothing to misread or to spell a word with). */
export const DESK_PREFIX_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function deskPrefixIndex(deskId: string): number {
  return createHash('sha256').update(deskId).digest().readUInt32BE(0) >>> 12;
}

export function deskPrefixOf(index: number): string {
  let out = '';
  for (let i = 3; i >= 0; i--) out += DESK_PREFIX_ALPHABET[(index >>> (i * 5)) & 31];
  return out;
}

/** The prefix index of four typed characters (I and L read as 1, O as 0), or null. */
export function parseDeskPrefix(text: string): number | null {
  const chars = text.toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
  if (chars.length !== 4) return null;
  let index = 0;
  for (const ch of chars) {
    const v = DESK_PREFIX_ALPHABET.indexOf(ch);
    if (v < 0) return null;
    index = index * 32 + v;
  }
  return index;
}

/** The first and last number a desk may issue. */
export const deskNumberRange = (prefixIndex: number): [number, number] => {
  const base = (prefixIndex + 1) * DESK_NUMBER_BASE;
  return [base + 1, base + DESK_NUMBER_BASE - 1];
};

export function formatPatientNumber(n: number): string {
  if (n < DESK_NUMBER_BASE) return `P${String(n).padStart(6, '0')}`;
  const prefixIndex = Math.floor(n / DESK_NUMBER_BASE) - 1;
  return `P-${deskPrefixOf(prefixIndex)}-${String(n % DESK_NUMBER_BASE).padStart(4, '0')}`;
}

/**
 * "P-K7Q4-0041", "p k7q4 41", "K7Q4-41" → the stored number; null if it is not one. The
 * prefix and the counter must be apart ("P0000041" is an older number), and without the P
 * the prefix must hold a letter (so "2025-5550" stays a phone search).
 */
export function parseDeskPatientNumber(text: string): number | null {
  const m = /^(p\s*-?\s*)?([0-9a-z]{4})[\s-]+(\d{1,7})$/i.exec(text.trim());
  if (!m) return null;
  if (!m[1] && /^\d{4}$/.test(m[2]!)) return null;
  const prefix = parseDeskPrefix(m[2]!);
  const counter = Number(m[3]);
  if (prefix === null || counter < 1) return null;
  return (prefix + 1) * DESK_NUMBER_BASE + counter;
}
