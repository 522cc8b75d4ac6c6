/**
 * Seeded clinic databases for benchmarks, built fast with raw prepared statements over the
 * real schema (migrate() runs first), and cached under bench/data/fixtures/ keyed by their
 * parameters, the generator version and a fingerprint of the schema and search-token rules.
 *
 * Rows look like the app's own: JSON-encoded settings, scrypt staff hashes from
 * hashPassword(), patient search tokens from tokensFor() (with nationalNumberOf() for the
 * phone, exactly as the patient repository does), appointments on the doctors' weekly hours
 * that never overlap (checked over the finished table; the overlap triggers are dropped
 * during the bulk load and recreated from their stored SQL, like the secondary indexes).
 *
 * Writers: fixture-clinic.ts, fixture-patients.ts, fixture-appointments.ts; the bulk-load
 * frame: fixture-generate.ts.
 *
 * Names come from @faker-js/faker (several locales, so accents, spaces and hyphens occur as
 * in a real clinic); numbers, dates and ids come from a fast seeded PRNG. Same options →
 * same rows (except the random salt inside the staff password hash).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { migrations } from '../../migrations/index.js';
import { DB_FILE_NAME } from '../../src-main/app.js';
import { migrate } from '../../src-main/core/db/migrate.js';
import { nationalNumberOf } from '../../src-main/core/patients/patient.repository.js';
import { tokensFor } from '../../src-main/core/patients/search-tokens.js';
import type { FixtureStaff } from './fixture-clinic.js';
import { generate, type GeneratedStats } from './fixture-generate.js';

/** Bump whenever the generated rows change, so cached files are rebuilt. */
export const GENERATOR_VERSION = 2;

/**
 * The clinic-local date the data is centred on. Fixed (a Wednesday just after the US
 * switch to summer time) so cached files stay valid across days and every run measures the
 * same agenda; scenarios give the app a clock at `fixture.now`.
 */
export const FIXTURE_TODAY = '2026-03-11';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const BENCH_DATA_DIR = path.join(BENCH_DIR, 'data');
const FIXTURE_DIR = path.join(BENCH_DATA_DIR, 'fixtures');

export interface FixtureOptions {
  patients: number;
  /** Appointments in total, from far in the past to a few weeks ahead (default: as many as patients). */
  appointments?: number;
  doctors?: number;
  locations?: number;
  seed?: number;
  /** Clinic-local YYYY-MM-DD the appointments cluster around (default FIXTURE_TODAY). */
  today?: string;
  timeZone?: string;
  /** Doctors' weekly hours: 'weekly' (default: five patterns, 4–5 days a week) or 'long' (every day 07:00–21:00). */
  hours?: 'weekly' | 'long';
  /** Clinic settings written over the app's defaults, e.g. { horizonDays: 730, minNoticeMinutes: 0 }. */
  settings?: Record<string, number>;
  /**
   * Exactly `appointments` bookings (status booked) on days 1..`days` after today, evenly
   * and randomly spread over the doctors' hours; the `appointments` above then fill only
   * today and the past. Default: none (future days thin out from today, see README).
   */
  upcoming?: { days: number; appointments: number } | null;
  /** Patient number 1 gets exactly this many of the (past and today) appointments, spread over the whole range. Default 0. */
  frequentPatient?: number;
}

export type ResolvedFixtureOptions = Required<FixtureOptions>;

/**
 * Shared sizes: scenarios that use the same preset share one cached file. Measured on the
 * 2-core dev machine: 10k ≈ 0.6 s, 100k ≈ 5 s, 1m ≈ 70 s (≈ 1.9 GB) to generate.
 */
export const FIXTURE_SIZES = {
  '10k': { patients: 10_000, appointments: 10_000, doctors: 10 },
  '100k': { patients: 100_000, appointments: 100_000, doctors: 20 },
  '1m': { patients: 1_000_000, appointments: 1_000_000, doctors: 100 },
} as const satisfies Record<string, FixtureOptions>;

/**
 * A busy clinic for the booking, slot and history scenarios (book-10k, slots-50x30,
 * history-2k share one cached file): 50 doctors working every day 07:00–21:00, bookings
 * open 730 days ahead with no minimum notice, exactly 30,000 bookings on the next 30 days,
 * and patient number 1 with 2,000 appointments. Quick runs keep the doctors, the upcoming
 * bookings and patient 1's history, with a tenth of the patients and past appointments.
 * ≈ 4 s to generate (quick ≈ 1 s).
 */
export function busyClinicFixture(quick: boolean): FixtureOptions {
  return {
    patients: quick ? 10_000 : 100_000,
    appointments: quick ? 10_000 : 100_000,
    doctors: 50,
    hours: 'long',
    settings: { horizonDays: 730, minNoticeMinutes: 0 },
    upcoming: { days: 30, appointments: 30_000 },
    frequentPatient: 2_000,
  };
}

export interface FixtureStats extends GeneratedStats {
  generatorVersion: number;
}

export interface Fixture {
  key: string;
  /** The cached database file: copy it (copyFixture) before opening it with the app. */
  file: string;
  options: ResolvedFixtureOptions;
  today: string;
  /** "Now" of the generated data (today 10:30 clinic time, ISO instant): give the app this clock. */
  now: string;
  staff: FixtureStaff;
  /** True when the file came from the cache instead of being generated in this run. */
  cached: boolean;
  stats: FixtureStats;
}

export function resolveFixtureOptions(o: FixtureOptions): ResolvedFixtureOptions {
  const r: ResolvedFixtureOptions = {
    patients: o.patients,
    appointments: o.appointments ?? o.patients,
    doctors: o.doctors ?? 20,
    locations: o.locations ?? 3,
    seed: o.seed ?? 20261124,
    today: o.today ?? FIXTURE_TODAY,
    timeZone: o.timeZone ?? 'America/New_York',
    hours: o.hours ?? 'weekly',
    settings: o.settings ?? {},
    upcoming: o.upcoming ?? null,
    frequentPatient: o.frequentPatient ?? 0,
  };
  if (!Number.isInteger(r.patients) || r.patients < 1) throw new Error('fixture: patients must be a positive integer');
  if (r.doctors < 1 || r.locations < 1) throw new Error('fixture: at least one doctor and one location');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.today)) throw new Error('fixture: today must be YYYY-MM-DD');
  if (r.upcoming && !(r.upcoming.days >= 1 && r.upcoming.appointments >= 0)) throw new Error('fixture: upcoming needs days >= 1');
  if (r.frequentPatient < 0 || r.frequentPatient > r.appointments) throw new Error('fixture: frequentPatient must be within 0..appointments');
  return r;
}

let fingerprint: string | null = null;

/**
 * What generated files depend on besides the options: the schema the migrations build
 * (read back from an in-memory database) and the app's search-token rules (run over a few
 * probe patients). A change to either makes a new cache key, so a stale file is never reused.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const mem = new Database(':memory:');
  try {
    migrate(mem, ':memory:', migrations, () => '2000-01-01T00:00:00.000Z');
    const schema = mem.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
    const probes = [
      { givenName: 'Zoë Ann', familyName: "O'Brien-Núñez", dateOfBirth: '1980-02-29', phoneE164: '+12025550123', email: 'Zoe@Example.com' },
      { givenName: 'Jürgen', familyName: 'Groß', dateOfBirth: '1950-12-31', phoneE164: '+442079460958', email: null },
      { givenName: 'Mei', familyName: 'de la Cruz', dateOfBirth: '2020-01-01', phoneE164: null, email: null },
    ];
    const tokens = probes.map((p) => tokensFor({ ...p, phoneNational: nationalNumberOf(p.phoneE164) }));
    fingerprint = createHash('sha256').update(JSON.stringify({ schema, tokens })).digest('hex');
    return fingerprint;
  } finally {
    mem.close();
  }
}

/** Human-readable prefix + a hash of everything the content depends on. */
export function fixtureKey(o: ResolvedFixtureOptions): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, code: codeFingerprint(), o }))
    .digest('hex')
    .slice(0, 10);
  const extra =
    (o.hours === 'long' ? '-long' : '') +
    (o.upcoming ? `-u${o.upcoming.appointments}in${o.upcoming.days}d` : '') +
    (o.frequentPatient > 0 ? `-f${o.frequentPatient}` : '');
  return `clinic-p${o.patients}-a${o.appointments}-d${o.doctors}${extra}-${o.today}-v${GENERATOR_VERSION}-${hash}`;
}


interface FixtureMeta {
  key: string;
  options: ResolvedFixtureOptions;
  today: string;
  now: string;
  staff: Fixture['staff'];
  stats: FixtureStats;
}

/**
 * The fixture for these options: from the cache when it is there, generated (and cached)
 * otherwise. Generation writes to a temporary file renamed at the end, so an interrupted
 * run never leaves a half-built file behind.
 */
export async function ensureFixture(options: FixtureOptions, log: (line: string) => void = () => {}): Promise<Fixture> {
  const o = resolveFixtureOptions(options);
  const key = fixtureKey(o);
  const file = path.join(FIXTURE_DIR, `${key}.sqlite`);
  const metaFile = path.join(FIXTURE_DIR, `${key}.json`);
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as FixtureMeta;
    return { ...meta, file, cached: true };
  }
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  try {
    const { now, staff, stats } = await generate(tmp, o, log);
    const meta: FixtureMeta = { key, options: o, today: o.today, now, staff, stats: { generatorVersion: GENERATOR_VERSION, ...stats } };
    renameSync(tmp, file);
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    return { ...meta, file, cached: false };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${tmp}${suffix}`, { force: true });
  }
}

/** Copies the cached file into dataDir as the app's database file (stale WAL/SHM removed). */
export function copyFixture(fixture: Fixture, dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, DB_FILE_NAME);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  rmSync(path.join(dataDir, 'clinic-desk.lock'), { force: true });
  copyFileSync(fixture.file, target);
  return target;
}
