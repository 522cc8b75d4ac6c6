/**
 * A small seeded clinic for booking tests: a freshly set-up app (setup/initialize through
 * the dispatcher) plus raw inserts of locations, doctors, weekly hours, one day of time
 * off and consultation types. Everything is fixed (ids, hours, the clock) so that tests
 * can name exact slots.
 *
 * Default "now": Monday 1 June 2026, 08:00 in New York (12:00 UTC).
 *
 *   Dr Grey   GP          15-min grid, no buffer   Mon–Fri 09:00–12:00 and 13:00–17:00, Main
 *                                                    time off Wed 3 June 09:00–12:00
 *   Dr Stone  GP          15-min grid, 10-min buffer  Mon–Fri 09:00–17:00, Main
 *   Dr Diaz   Cardiology  30-min grid              Mon, Wed 09:00–13:00 Main; Tue, Thu 09:00–13:00 Annex
 *   Dr Old    GP          inactive
 *
 *   general    15 min, GP           cardiology 30 min, Cardiology
 *   extended   30 min, GP           retired    15 min, inactive
 */
import { DateTime } from 'luxon';
import type { AppError, HandlerName, OutputOf } from '../../src-main/contract/index.js';
import type { AppointmentTable } from '../../src-main/core/db/schema.js';
import type { Caller, DispatchOutcome } from '../../src-main/dispatch.js';
import { FakeClock } from './fake-clock.js';
import { fresh } from './patients.js';
import { call, callOk, loginAs, openTestApp, tableCounts, type TestApp } from './test-app.js';

export const CLINIC_NOW = '2026-06-01T12:00:00.000Z';

export const IDS = {
  main: 'loc-main',
  annex: 'loc-annex',
  gp: 'spec-gp',
  cardio: 'spec-cardio',
  grey: 'doc-grey',
  stone: 'doc-stone',
  diaz: 'doc-diaz',
  old: 'doc-old',
  general: 'type-general',
  cardiology: 'type-cardiology',
  extended: 'type-extended',
  retired: 'type-retired',
} as const;

export const STAFF = {
  admin: { username: 'boss', password: 'boss-password-2026', displayName: 'Bea Boss' },
  deskA: { username: 'desk-a', password: 'desk-a-password-2026', displayName: 'Desk A' },
  deskB: { username: 'desk-b', password: 'desk-b-password-2026', displayName: 'Desk B' },
} as const;
export type StaffName = keyof typeof STAFF;

export interface SeededPatient {
  patientId: string;
  patientNumber: string;
  accessToken: string;
}

export interface ClinicOptions {
  /** IANA zone of the clinic settings and both locations (default America/New_York). */
  zone?: string;
  now?: string;
  /** ISO weekdays on which Dr Grey and Dr Stone work (default Monday to Friday). */
  weekdays?: number[];
  patients?: number;
  dataDir?: string;
  /** The app's environment (e.g. the Stripe key and a fake Stripe's address). */
  env?: Record<string, string | undefined>;
  /** The sender's SMTP timeouts (default 15 s). */
  smtpTimeoutMs?: number;
}

const GIVEN = ['Ada', 'Boris', 'Chiara', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jomo', 'Kaito', 'Lena'];

export class Clinic {
  readonly tokens: Record<StaffName, string> = { admin: '', deskA: '', deskB: '' };
  readonly staffIds: Record<StaffName, string> = { admin: '', deskA: '', deskB: '' };
  patients: SeededPatient[] = [];

  constructor(
    readonly app: TestApp,
    readonly zone: string,
  ) {}

  get clock(): FakeClock {
    return this.app.clock;
  }

  /** The instant (UTC ISO, as the app stores it) of a wall time in the clinic's zone. */
  at(date: string, time: string): string {
    const dt = DateTime.fromISO(`${date}T${time}`, { zone: this.zone });
    if (!dt.isValid || dt.toFormat('yyyy-MM-dd HH:mm') !== `${date} ${time}`) throw new Error(`no such wall time ${date} ${time} in ${this.zone}`);
    return dt.toUTC().toISO()!;
  }

  /** Wall time "YYYY-MM-DD HH:mm" of an instant in the clinic's zone. */
  wall(iso: string): string {
    return DateTime.fromISO(iso, { zone: 'utc' }).setZone(this.zone).toFormat('yyyy-MM-dd HH:mm');
  }

  /** Signs every staff member in again (sessions lock after lockMinutes of fake time). */
  async relogin(): Promise<void> {
    for (const name of Object.keys(STAFF) as StaffName[]) {
      this.tokens[name] = await loginAs(this.app, STAFF[name].username, STAFF[name].password);
    }
  }

  /** Moves the fake clock and signs the staff back in. */
  async advance(by: { minutes?: number; seconds?: number; ms?: number }): Promise<void> {
    this.clock.advance(by);
    await this.relogin();
  }

  async setNow(iso: string): Promise<void> {
    this.clock.advance({ ms: Date.parse(iso) - this.clock.now().getTime() });
    await this.relogin();
  }

  call(who: StaffName, name: string, input: unknown): Promise<DispatchOutcome> {
    return call(this.app, name, input, this.tokens[who]);
  }

  ok<K extends HandlerName>(who: StaffName, name: K, input: unknown): Promise<OutputOf<K>> {
    return callOk(this.app, name, input, this.tokens[who]);
  }

  /** A call that must fail with `code`; returns the error (throws with the actual result otherwise). */
  async err(who: StaffName | Caller, name: string, input: unknown, code: string): Promise<AppError> {
    const outcome = typeof who === 'string' ? await this.call(who, name, input) : await this.app.dispatch(name, input, who);
    if (outcome.result.ok || outcome.result.error.code !== code) throw new Error(`${name}: expected ${code}, got ${JSON.stringify(outcome.result)}`);
    return outcome.result.error;
  }

  /** A call as a patient with their access token. */
  async asPatient<K extends HandlerName>(patient: SeededPatient, name: K, input: unknown): Promise<OutputOf<K>> {
    const outcome = await this.app.dispatch(name, input, { patientToken: patient.accessToken });
    if (!outcome.result.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.result.error)}`);
    return outcome.result.data as OutputOf<K>;
  }

  /** Books as a desk; `time` is clinic wall time. */
  async book(who: StaffName, q: { patient?: number; doctorId: string; consultationTypeId?: string; date: string; time: string; overlapAcknowledged?: true }) {
    const out = await this.ok(who, 'booking/create', {
      patientId: this.patients[q.patient ?? 0]!.patientId,
      doctorId: q.doctorId,
      consultationTypeId: q.consultationTypeId ?? IDS.general,
      startAt: this.at(q.date, q.time),
      ...(q.overlapAcknowledged ? { overlapAcknowledged: true } : {}),
    });
    return out.appointment;
  }

  appointmentCount(): number {
    return (this.app.raw.prepare('SELECT count(*) AS n FROM appointment').get() as { n: number }).n;
  }

  row(id: string): AppointmentTable | undefined {
    return this.app.raw.prepare('SELECT * FROM appointment WHERE id = ?').get(id) as AppointmentTable | undefined;
  }

  rows(): AppointmentTable[] {
    return this.app.raw.prepare('SELECT * FROM appointment ORDER BY start_at, id').all() as AppointmentTable[];
  }

  /** Row counts of every table but the audit log (a refused call still leaves its audit row). */
  dataCounts(): Record<string, number> {
    const { audit_log: _audit, ...rest } = tableCounts(this.app);
    return rest;
  }

  /**
   * Pairs of live appointments of one doctor whose blocked time overlaps: must always be
   * empty. Compares instants (julianday), not strings, so it does not share the triggers' assumptions.
   */
  overlaps(): Array<{ a: string; b: string }> {
    return this.app.raw
      .prepare(
        `SELECT x.id AS a, y.id AS b FROM appointment x JOIN appointment y
           ON x.doctor_id = y.doctor_id AND x.id < y.id
          AND julianday(x.start_at) < julianday(y.block_end_at) AND julianday(y.start_at) < julianday(x.block_end_at)
        WHERE x.status <> 'cancelled' AND y.status <> 'cancelled'`,
      )
      .all() as Array<{ a: string; b: string }>;
  }

  async dispose(): Promise<void> {
    await this.app.dispose();
  }
}

/** Opens a new app, runs first-run setup, seeds the clinic and registers patients. */
export async function openClinic(options: ClinicOptions = {}): Promise<Clinic> {
  const zone = options.zone ?? 'America/New_York';
  const clock = new FakeClock(options.now ?? CLINIC_NOW);
  const app = await openTestApp({ clock, dataDir: options.dataDir, env: options.env, smtpTimeoutMs: options.smtpTimeoutMs });
  const clinic = new Clinic(app, zone);

  const init = await call(app, 'setup/initialize', {
    clinicName: 'Booking Test Clinic',
    timeZone: zone,
    currency: 'USD',
    admin: { username: STAFF.admin.username, displayName: STAFF.admin.displayName, password: STAFF.admin.password },
  });
  if (!init.result.ok || !init.session?.set) throw new Error(`setup failed: ${JSON.stringify(init.result)}`);
  clinic.tokens.admin = init.session.set;
  clinic.staffIds.admin = (init.result.data as OutputOf<'setup/initialize'>).staff.id;
  for (const desk of ['deskA', 'deskB'] as const) {
    const { staff } = await callOk(app, 'staff/create', { ...STAFF[desk], role: 'receptionist' }, clinic.tokens.admin);
    clinic.staffIds[desk] = staff.id;
  }
  await clinic.relogin();

  seedClinic(app, zone, options.weekdays ?? [1, 2, 3, 4, 5]);

  for (let i = 0; i < (options.patients ?? 6); i++) {
    const given = GIVEN[i % GIVEN.length]!;
    const registered = await callOk(
      app,
      'patient/register',
      {
        basic: {
          givenName: given,
          familyName: `Booker${i}`,
          dateOfBirth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
          sex: 'unknown',
          phone: `+1 202 555 ${String(200 + i).padStart(4, '0')}`,
        },
        overrideDuplicates: true,
        issueAccessToken: true,
      },
      clinic.tokens.admin,
    );
    clinic.patients.push(fresh(registered));
  }
  return clinic;
}

function seedClinic(app: TestApp, zone: string, weekdays: number[]): void {
  const at = app.clock.now().toISOString();
  const raw = app.raw;
  const tx = raw.transaction(() => {
    const location = raw.prepare('INSERT INTO location (id, name, address, timezone, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)');
    location.run(IDS.main, 'Main Street', '1 Main St', zone, at, at);
    location.run(IDS.annex, 'Annex', '2 Side St', zone, at, at);

    const spec = raw.prepare('INSERT INTO specialization (id, name, active) VALUES (?, ?, 1)');
    spec.run(IDS.gp, 'General Practice');
    spec.run(IDS.cardio, 'Cardiology');

    const doctor = raw.prepare(
      `INSERT INTO doctor (id, given_name, family_name, title, slot_minutes, buffer_minutes, active, created_at, updated_at)
       VALUES (?, ?, ?, 'Dr', ?, ?, ?, ?, ?)`,
    );
    doctor.run(IDS.grey, 'Meredith', 'Grey', 15, 0, 1, at, at);
    doctor.run(IDS.stone, 'Sam', 'Stone', 15, 10, 1, at, at);
    doctor.run(IDS.diaz, 'Rosa', 'Diaz', 30, 0, 1, at, at);
    doctor.run(IDS.old, 'Otto', 'Old', 15, 0, 0, at, at);

    const ds = raw.prepare('INSERT INTO doctor_specialization (doctor_id, specialization_id) VALUES (?, ?)');
    ds.run(IDS.grey, IDS.gp);
    ds.run(IDS.stone, IDS.gp);
    ds.run(IDS.diaz, IDS.cardio);
    ds.run(IDS.old, IDS.gp);

    let n = 0;
    const hours = raw.prepare('INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?, ?, ?)');
    const add = (doctorId: string, locationId: string, weekday: number, from: number, to: number) => hours.run(`wh-${++n}`, doctorId, locationId, weekday, from, to);
    for (const day of weekdays) {
      add(IDS.grey, IDS.main, day, 9 * 60, 12 * 60);
      add(IDS.grey, IDS.main, day, 13 * 60, 17 * 60);
      add(IDS.stone, IDS.main, day, 9 * 60, 17 * 60);
      add(IDS.old, IDS.main, day, 9 * 60, 17 * 60);
    }
    for (const day of [1, 3]) add(IDS.diaz, IDS.main, day, 9 * 60, 13 * 60);
    for (const day of [2, 4]) add(IDS.diaz, IDS.annex, day, 9 * 60, 13 * 60);

    raw
      .prepare(
        `INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at)
         VALUES ('ex-grey-off', ?, NULL, 'time_off', '2026-06-03', 540, 720, 'Conference', ?)`,
      )
      .run(IDS.grey, at);

    const type = raw.prepare('INSERT INTO consultation_type (id, name, kind, duration_minutes, price_minor, currency, active) VALUES (?, ?, ?, ?, ?, ?, ?)');
    type.run(IDS.general, 'General consultation', 'general', 15, 6000, 'USD', 1);
    type.run(IDS.cardiology, 'Cardiology consultation', 'specialist', 30, 15000, 'USD', 1);
    type.run(IDS.extended, 'Extended consultation', 'general', 30, 9000, 'USD', 1);
    type.run(IDS.retired, 'Retired consultation', 'other', 15, 100, 'USD', 0);
    const cts = raw.prepare('INSERT INTO consultation_type_specialization (consultation_type_id, specialization_id) VALUES (?, ?)');
    cts.run(IDS.general, IDS.gp);
    cts.run(IDS.cardiology, IDS.cardio);
    cts.run(IDS.extended, IDS.gp);
    cts.run(IDS.retired, IDS.gp);
  });
  tx();
}

/** The booking error's alternatives (details.alternatives), typed. */
export interface Alternative {
  doctorId: string;
  locationId: string;
  startAt: string;
  endAt: string;
  localDate: string;
  localTime: string;
}
export const alternativesOf = (error: AppError): Alternative[] => ((error.details as { alternatives?: Alternative[] } | undefined)?.alternatives ?? []);
