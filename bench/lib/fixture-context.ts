/** What the fixture writers share: the generation context, id kinds, time helpers. */
import type Database from 'better-sqlite3';

export interface GenOptions {
  patients: number;
  appointments: number;
  doctors: number;
  locations: number;
  seed: number;
  today: string;
  timeZone: string;
}

/** What every writer gets: the connection, the options, one PRNG stream, the data's "now". */
export interface GenContext {
  raw: Database.Database;
  o: GenOptions;
  random: () => number;
  /** A seeded UUID for the index-th row of a kind (see KIND). */
  id(kind: number, index: number): string;
  nowIso: string;
  nowMs: number;
  log(line: string): void;
}

export const KIND = { staff: 1, location: 2, specialization: 3, doctor: 4, hours: 5, type: 6, patient: 7, appointment: 8 } as const;
export const DAY_MS = 86_400_000;
export const iso = (ms: number): string => new Date(ms).toISOString();
