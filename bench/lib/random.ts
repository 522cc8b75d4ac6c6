/** Small, fast, seeded randomness for fixtures: same seed, same data, on every machine. */

/** mulberry32, the same generator the demo clinic uses. */
export { seededRandom as prng } from '../../src-main/core/util/seeded-random.js';

/** A stateless 32-bit mix of (a, b, c) — ids derived from an index need no stored table. */
export function hash32(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const hex32 = (n: number): string => HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/**
 * A version-4-shaped UUID that is a pure function of (seed, kind, index), so the patient
 * with number 123 456 has the same id in every generated file with that seed.
 */
export function seededUuid(seed: number, kind: number, index: number): string {
  const s = (seed ^ Math.imul(kind, 0x01000193)) >>> 0;
  const w0 = hash32(s, index, 0);
  const w1 = ((hash32(s, index, 1) & 0xffff0fff) | 0x00004000) >>> 0;
  const w2 = ((hash32(s, index, 2) & 0x3fffffff) | 0x80000000) >>> 0;
  const w3 = hash32(s, index, 3);
  const a = hex32(w0);
  const b = hex32(w1);
  const c = hex32(w2);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(w3)}`;
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
