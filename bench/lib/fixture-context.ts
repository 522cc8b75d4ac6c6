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
  /** Doctors' weekly hours: 'weekly' (five patterns, 4–5 days a week) or 'long' (every day 07:00–21:00). */
  hours: 'weekly' | 'long';
  /** Extra clinic settings written as JSON rows (e.g. horizonDays, minNoticeMinutes). */
  settings: Record<string, number>;
  /** When set, the history writer fills only today and the past, and exactly this many bookings go to days 1..days. */
  upcoming: { days: number; appointments: number } | null;
  /** When > 0, patient number 1 gets exactly this many of the history appointments, spread over the whole range. */
  frequentPatient: number;
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
