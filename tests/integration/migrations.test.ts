import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openApp } from '../../src-main/app.js';
import { openRaw, type RawDb } from '../../src-main/core/db/database.js';
import { DatabaseTooNewError, migrate, schemaVersion } from '../../src-main/core/db/migrate.js';
import { migrationRows, schemaSql, tableNames } from '../helpers/sqlite.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

/** The tables each migration must create. A new migration without an entry here fails. */
const expectedTables: Record<string, string[]> = {
  '0001-foundation': ['audit_log', 'idempotency_key', 'outbox', 'setting', 'staff', 'unknown_login'],
  '0002-clinic': [
    'consultation_type',
    'consultation_type_specialization',
    'doctor',
    'doctor_specialization',
    'location',
    'schedule_exception',
    'specialization',
    'working_hours',
  ],
  '0003-patients': ['patient', 'patient_search_token', 'patient_section', 'patient_section_change'],
  '0004-appointments': ['appointment', 'appointment_hold'],
  '0005-assignments': ['patient_doctor_assignment'],
  '0006-patient-tokens': ['patient_token'],
  '0007-staff-session-epoch': [],
  '0008-audit-counts': [],
  // Rebuilds working_hours and schedule_exception (night hours): no new table.
  '0009-overnight-hours': [],
  '0010-patient-overlap': [],
  '0011-events': ['change_digest', 'consumer_cursor', 'consumer_item', 'desk', 'event'],
  '0012-referrals': ['referral_code', 'referral_redemption'],
  // Adds the price breakdown columns to appointment: no new table.
  '0013-appointment-price': [],
  '0014-secrets': ['secret'],
  '0015-payments': ['cash_up', 'ledger_entry', 'payment', 'payment_attention', 'refund'],
  // Rebuilds patient_section to accept the symptom_check section: no new table.
  '0016-symptom-checks': [],
  '0017-notifications': ['message'],
  '0018-sign-in-links': ['sign_in_message'],
  '0019-appointment-undo': ['appointment_undo'],
  '0020-patient-import': ['import_batch', 'import_row'],
};

let dir: string;
let file: string;
let raw: RawDb;

beforeEach(() => {
  dir = tempDataDir();
  file = path.join(dir, 'clinic-desk.sqlite');
  raw = openRaw(file);
});

afterEach(() => {
  if (raw.open) raw.close();
  removeDir(dir);
});

describe('each migration on an empty database', () => {
  it('has a list of expected tables for every known migration', () => {
    expect(migrations.map((m) => m.name)).toEqual(Object.keys(expectedTables));
  });

  it.each(migrations.map((m, i) => [m.name, i] as const))('%s applies and creates its tables', (name, index) => {
    migrate(raw, file, migrations.slice(0, index));
    const before = tableNames(raw);

    const result = migrate(raw, file, migrations.slice(0, index + 1));

    expect(result).toEqual({ applied: [name], schemaVersion: index + 1 });
    const created = tableNames(raw).filter((t) => !before.includes(t));
    expect(created).toEqual(expectedTables[name]);
    expect(migrationRows(raw).at(-1)).toMatchObject({ id: index + 1, name });
  });
});

describe('0007-staff-session-epoch', () => {
  it('gives existing staff accounts epoch 0, so their sessions stay valid after the upgrade', () => {
    const index = migrations.findIndex((m) => m.name === '0007-staff-session-epoch');
    migrate(raw, file, migrations.slice(0, index));
    raw
      .prepare(
        "INSERT INTO staff (id, username, display_name, role, password_hash, active, failed_logins, created_at, updated_at) VALUES ('s1', 'ann', 'Ann', 'admin', 'x', 1, 0, '2026-01-01', '2026-01-01')",
      )
      .run();
    migrate(raw, file, migrations.slice(0, index + 1));
    expect(raw.prepare('SELECT session_epoch FROM staff').all()).toEqual([{ session_epoch: 0 }]);
    expect(() => raw.prepare("UPDATE staff SET session_epoch = -1 WHERE id = 's1'").run()).toThrow(/CHECK/);
  });
});

describe('0016-symptom-checks', () => {
  it('keeps every record section and its history, and accepts the symptom_check section only from then on', () => {
    const index = migrations.findIndex((m) => m.name === '0016-symptom-checks');
    migrate(raw, file, migrations.slice(0, index));
    raw.exec(`
      INSERT INTO patient (id, number, given_name, family_name, date_of_birth, sex, created_at, created_by_kind, updated_at)
        VALUES ('p1', 1, 'Ann', 'Lee', '1980-01-01', 'female', '2026-01-01', 'system', '2026-01-01');
      INSERT INTO patient_section VALUES ('p1', 'insurance', '{"provider":"Acme"}', 3, '2026-01-02', NULL);
      INSERT INTO patient_section_change (patient_id, section, version, data, changed_at, changed_by_kind) VALUES ('p1', 'insurance', 3, '{}', '2026-01-02', 'staff');
    `);
    const symptomCheck = "INSERT INTO patient_section VALUES ('p1', 'symptom_check', '{}', 1, '2026-01-03', NULL)";
    expect(() => raw.exec(symptomCheck)).toThrow(/CHECK/);
    migrate(raw, file, migrations.slice(0, index + 1));
    expect(raw.prepare('SELECT * FROM patient_section').all()).toEqual([
      { patient_id: 'p1', section: 'insurance', data: '{"provider":"Acme"}', version: 3, updated_at: '2026-01-02', updated_by: null },
    ]);
    expect(raw.prepare('SELECT count(*) AS n FROM patient_section_change').get()).toEqual({ n: 1 });
    raw.exec(symptomCheck);
    expect(() => raw.exec("INSERT INTO patient_section VALUES ('p1', 'diary', '{}', 1, '2026-01-03', NULL)")).toThrow(/CHECK/);
    expect(() => raw.exec("INSERT INTO patient_section VALUES ('nobody', 'insurance', '{}', 1, '2026-01-03', NULL)")).toThrow(/FOREIGN KEY/);
  });
});

describe('migrate()', () => {
  it('applies every migration in order on a new file', () => {
    const result = migrate(raw, file, migrations, () => '2026-01-01T00:00:00.000Z');
    expect(result.applied).toEqual(migrations.map((m) => m.name));
    expect(result.schemaVersion).toBe(migrations.length);
    expect(schemaVersion(raw)).toBe(migrations.length);
    expect(migrationRows(raw)).toEqual(
      migrations.map((m, i) => ({ id: i + 1, name: m.name, applied_at: '2026-01-01T00:00:00.000Z' })),
    );
  });

  it('is a no-op when run again', () => {
    migrate(raw, file, migrations, () => '2026-01-01T00:00:00.000Z');
    const rows = migrationRows(raw);
    const schema = schemaSql(raw);

    const again = migrate(raw, file, migrations, () => '2027-06-01T00:00:00.000Z');

    expect(again).toEqual({ applied: [], schemaVersion: migrations.length });
    expect(migrationRows(raw)).toEqual(rows);
    expect(schemaSql(raw)).toEqual(schema);
  });

  it('rolls a failing migration back and records nothing for it', () => {
    const broken = { name: '0099-broken', up: (db: RawDb) => db.exec('CREATE TABLE half_done (x); SELECT * FROM no_such_table;') };
    expect(() => migrate(raw, file, [...migrations, broken])).toThrow(/no_such_table/);
    expect(tableNames(raw)).not.toContain('half_done');
    expect(migrationRows(raw).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });
});

describe('a database this version does not fully know', () => {
  const writeWith = (names: readonly { name: string; up(db: RawDb): void }[]) => {
    migrate(raw, file, names, () => '2026-01-01T00:00:00.000Z');
    raw.close();
  };

  it('refuses a file with an extra, newer migration and leaves it byte for byte unchanged', async () => {
    writeWith([...migrations, { name: '0005-from-the-future', up: (db) => db.exec('CREATE TABLE future_thing (id TEXT) STRICT') }]);
    const before = readFileSync(file);

    const opening = openApp({ dataDir: dir, log: () => {} });

    await expect(opening).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(opening).rejects.toThrow(/0005-from-the-future.*newer Clinic Desk/s);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(path.join(dir, 'clinic-desk.pid'))).toBe(false);
  });

  it('refuses a file whose migration names differ at some position, without touching its schema', () => {
    writeWith([migrations[0]!, { name: '0002-branch-experiment', up: (db) => db.exec('CREATE TABLE experiment (id TEXT) STRICT') }]);
    raw = openRaw(file);
    const rowsBefore = migrationRows(raw);
    const schemaBefore = schemaSql(raw);

    expect(() => migrate(raw, file)).toThrow(DatabaseTooNewError);
    expect(() => migrate(raw, file)).toThrow(/0002-branch-experiment/);

    expect(migrationRows(raw)).toEqual(rowsBefore);
    expect(schemaSql(raw)).toEqual(schemaBefore);
    expect(tableNames(raw)).not.toContain('location');
  });

  it('opens a file that is an older prefix and brings it up to date', async () => {
    writeWith(migrations.slice(0, 2));
    const app = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(app.schemaVersion).toBe(migrations.length);
      expect(migrationRows(app.raw).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await app.close();
    }
  });
});

describe('0009-overnight-hours', () => {
  it('keeps every row of weekly hours and exceptions, and lets an end pass midnight by at most a day', () => {
    const index = migrations.findIndex((m) => m.name === '0009-overnight-hours');
    migrate(raw, file, migrations.slice(0, index));
    const at = '2026-01-01T00:00:00.000Z';
    raw.exec(`
      INSERT INTO location (id, name, address, timezone, active, created_at, updated_at) VALUES ('l1', 'Main', '', 'America/New_York', 1, '${at}', '${at}');
      INSERT INTO doctor (id, given_name, family_name, title, slot_minutes, buffer_minutes, active, created_at, updated_at) VALUES ('d1', 'A', 'B', 'Dr', 15, 0, 1, '${at}', '${at}');
      INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES ('w1', 'd1', 'l1', 2, 540, 1020);
      INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at, created_by)
        VALUES ('e1', 'd1', NULL, 'time_off', '2026-03-20', 0, 1440, 'Holiday', '${at}', NULL);
    `);
    expect(() => raw.exec("INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES ('w2', 'd1', 'l1', 2, 1320, 1560)")).toThrow(/CHECK/);

    migrate(raw, file, migrations.slice(0, index + 1));

    expect(raw.prepare('SELECT * FROM working_hours').all()).toEqual([{ id: 'w1', doctor_id: 'd1', location_id: 'l1', weekday: 2, start_minute: 540, end_minute: 1020 }]);
    expect(raw.prepare('SELECT id, kind, start_minute, end_minute, reason FROM schedule_exception').all()).toEqual([
      { id: 'e1', kind: 'time_off', start_minute: 0, end_minute: 1440, reason: 'Holiday' },
    ]);
    raw.exec("INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES ('w2', 'd1', 'l1', 2, 1320, 1560)");
    raw.exec(`INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, created_at) VALUES ('e2', 'd1', 'l1', 'extra_hours', '2026-03-21', 1260, 1620, '${at}')`);
    for (const [start, end] of [[600, 2100], [1440, 1500], [600, 2881], [600, 600]]) {
      expect(() => raw.exec(`INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES ('bad', 'd1', 'l1', 3, ${start}, ${end})`)).toThrow(/CHECK/);
    }
    expect(() => raw.exec(`INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, created_at) VALUES ('bad', 'd1', NULL, 'extra_hours', '2026-03-21', 60, 120, '${at}')`)).toThrow(/CHECK/);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('working_hours', 'schedule_exception') AND name NOT LIKE 'sqlite_%' ORDER BY name").all()).toEqual([
      { name: 'schedule_exception_doctor' },
      { name: 'working_hours_doctor' },
    ]);
    expect(raw.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('0013-appointment-price', () => {
  it('gives existing appointments their price as the base with no discount, and refuses a breakdown that does not add up', () => {
    const index = migrations.findIndex((m) => m.name === '0013-appointment-price');
    migrate(raw, file, migrations.slice(0, index));
    const at = '2026-01-01T09:00:00.000Z';
    const insert = (id: string, start: string, extra = '', values = '') =>
      raw.exec(`INSERT INTO appointment (id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at, status, price_minor, currency, created_at, created_by_kind, updated_at${extra})
        VALUES ('${id}', 'p1', 'd1', 'l1', 't1', '${start}', '${start.replace(':00:00', ':15:00')}', '${start.replace(':00:00', ':15:00')}', 'booked', 6000, 'EUR', '${at}', 'system', '${at}'${values})`);
    raw.pragma('foreign_keys = OFF'); // the appointment alone is what this migration is about
    insert('a1', '2026-02-02T09:00:00.000Z');

    migrate(raw, file, migrations.slice(0, index + 1));

    expect(raw.prepare('SELECT price_minor, currency, base_minor, discount_minor, referral_code_id, referral_redemption_id, referral_code, updated_at FROM appointment').get()).toEqual({
      price_minor: 6000,
      currency: 'EUR',
      base_minor: 6000,
      discount_minor: 0,
      referral_code_id: null,
      referral_redemption_id: null,
      referral_code: null,
      updated_at: at,
    });
    // A breakdown is written whole and adds up: total = base − discount, discount ≤ base, a code with its redemption.
    expect(() => insert('bad1', '2026-02-02T10:00:00.000Z', ', base_minor, discount_minor', ', 6000, 500')).toThrow(/appointment\/price-breakdown/);
    expect(() => insert('bad2', '2026-02-02T10:00:00.000Z', ', base_minor', ', 6000')).toThrow(/appointment\/price-breakdown/);
    expect(() => insert('bad3', '2026-02-02T10:00:00.000Z', ', base_minor, discount_minor, referral_code', ", 6000, 0, 'X'")).toThrow(/appointment\/price-breakdown/);
    expect(() => raw.exec("UPDATE appointment SET discount_minor = 100 WHERE id = 'a1'")).toThrow(/appointment\/price-breakdown/);
    insert('good', '2026-02-02T10:00:00.000Z', ', base_minor, discount_minor', ', 6000, 0');
    raw.exec("UPDATE appointment SET price_minor = 5000, discount_minor = 1000 WHERE id = 'a1'");
  });
});

describe('0008-audit-counts', () => {
  it('keeps existing audit rows as single attempts, and the log stays append-only', () => {
    const index = migrations.findIndex((m) => m.name === '0008-audit-counts');
    migrate(raw, file, migrations.slice(0, index));
    raw.prepare("INSERT INTO audit_log (at, actor_kind, handler, outcome) VALUES ('2026-01-01T00:00:00.000Z', 'anonymous', 'auth/login', 'denied')").run();
    migrate(raw, file, migrations.slice(0, index + 1));
    expect(raw.prepare('SELECT count, last_at, source FROM audit_log').all()).toEqual([{ count: 1, last_at: null, source: null }]);
    expect(() => raw.prepare('UPDATE audit_log SET count = 5').run()).toThrow(/append-only/);
    expect(() =>
      raw.prepare("INSERT INTO audit_log (at, actor_kind, handler, outcome, count) VALUES ('x', 'anonymous', 'h', 'denied', 0)").run(),
    ).toThrow(/CHECK/);
  });
});

