/**
 * Builds one fixture file: the real migrations, then the clinic, patients and appointments
 * writers, each with raw prepared statements in large transactions. Used by fixtures.ts.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrations } from '../../migrations/index.js';
import { migrate } from '../../src-main/core/db/migrate.js';
import { dayBounds, wallToInstant } from '../../src-main/core/time/time.js';
import { insertAppointments, insertUpcoming } from './fixture-appointments.js';
import { insertClinic, type FixtureStaff } from './fixture-clinic.js';
import { insertPatients } from './fixture-patients.js';
import type { GenContext, GenOptions } from './fixture-context.js';
import { prng, seededUuid } from './random.js';

export interface GeneratedStats {
  seconds: number;
  phases: Record<'schema' | 'clinic' | 'patients' | 'appointments' | 'finish', number>;
  rows: { patients: number; searchTokens: number; appointments: number; other: number; total: number };
  /** Of the appointments: those on days 1..upcoming.days (option `upcoming`), and patient 1's (option `frequentPatient`). */
  upcomingAppointments: number;
  frequentPatientAppointments: number;
  rowsPerSecond: number;
  patientsPerSecond: number;
  /** Appointments of `today` that the agenda shows (not cancelled). */
  agendaToday: number;
  /** Days covered by appointments, relative to today. */
  appointmentDays: { from: number; to: number };
  bytes: number;
}

const secondsSince = (t: number): number => Math.round((performance.now() - t) / 10) / 100;

export async function generate(
  file: string,
  o: GenOptions,
  log: (line: string) => void,
): Promise<{ now: string; staff: FixtureStaff; stats: GeneratedStats }> {
  const started = performance.now();
  const nowIso = wallToInstant(o.today, 10 * 60 + 30, o.timeZone);

  // Schema: the real migrations. Generation itself trades durability for speed (no journal,
  // no fsync); the finished file is switched to WAL like every app database.
  let t = performance.now();
  const raw = new Database(file);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('temp_store = MEMORY');
  raw.pragma(`cache_size = -${512 * 1024}`);
  raw.pragma('foreign_keys = ON');
  migrate(raw, file, migrations, () => nowIso);
  // Secondary indexes and the overlap triggers are dropped for the bulk load and recreated
  // from their own stored SQL afterwards: building an index once is far cheaper than
  // keeping it sorted through millions of random-order inserts, and the overlap trigger's
  // test has no lower bound on start_at, so each insert walks the doctor's index entries
  // from the very first appointment (≈1.4 ms per insert at 16k appointments per doctor).
  // Non-overlap is verified over the finished table instead.
  const deferred = raw
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('patient', 'patient_search_token', 'appointment')
       ORDER BY rowid`,
    )
    .all() as Array<{ type: 'index' | 'trigger'; name: string; sql: string }>;
  for (const d of deferred) raw.exec(`DROP ${d.type.toUpperCase()} "${d.name}"`);
  const phases = { schema: secondsSince(t), clinic: 0, patients: 0, appointments: 0, finish: 0 };

  const ctx: GenContext = {
    raw,
    o,
    random: prng(o.seed),
    id: (kind, index) => seededUuid(o.seed, kind, index),
    nowIso,
    nowMs: Date.parse(nowIso),
    log,
  };
  let clinic: Awaited<ReturnType<typeof insertClinic>>;
  let tokens: number;
  let booked: ReturnType<typeof insertAppointments>;
  let upcoming: ReturnType<typeof insertUpcoming>;
  let agendaToday: number;
  try {
    t = performance.now();
    clinic = await insertClinic(ctx);
    phases.clinic = secondsSince(t);

    t = performance.now();
    tokens = insertPatients(ctx, clinic.staff.id).tokens;
    phases.patients = secondsSince(t);

    t = performance.now();
    booked = insertAppointments(ctx, clinic);
    upcoming = insertUpcoming(ctx, clinic, booked.appointments);
    phases.appointments = secondsSince(t);

    t = performance.now();
    for (const d of deferred) raw.exec(d.sql);
    const overlaps = (
      raw
        .prepare(
          `SELECT count(*) AS n FROM (
             SELECT start_at, lag(block_end_at) OVER (PARTITION BY doctor_id ORDER BY start_at) AS previous_end
             FROM appointment WHERE status <> 'cancelled'
           ) WHERE previous_end > start_at`,
        )
        .get() as { n: number }
    ).n;
    if (overlaps > 0) throw new Error(`fixture: ${overlaps} overlapping appointments generated`);
    const { start, end } = dayBounds(o.today, o.timeZone);
    agendaToday = (
      raw
        .prepare("SELECT count(*) AS n FROM appointment WHERE start_at >= ? AND start_at < ? AND status <> 'cancelled'")
        .get(start, end) as { n: number }
    ).n;
  } finally {
    raw.close();
  }
  const wal = new Database(file);
  wal.pragma('journal_mode = WAL');
  wal.close();
  phases.finish = secondsSince(t);

  const seconds = secondsSince(started);
  const appointments = booked.appointments + upcoming.appointments;
  const total = o.patients + tokens + appointments + clinic.rows;
  return {
    now: nowIso,
    staff: clinic.staff,
    stats: {
      seconds,
      phases,
      rows: { patients: o.patients, searchTokens: tokens, appointments, other: clinic.rows, total },
      upcomingAppointments: upcoming.appointments,
      frequentPatientAppointments: booked.frequentPatient,
      rowsPerSecond: Math.round(total / seconds),
      patientsPerSecond: Math.round(o.patients / (phases.patients || 0.001)),
      agendaToday,
      appointmentDays: { from: booked.days.from, to: Math.max(booked.days.to, upcoming.days.to) },
      bytes: statSync(file).size,
    },
  };
}
