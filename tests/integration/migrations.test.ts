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
  '0011-events': ['change_digest', 'consumer_cursor', 'consumer_item', 'desk', 'event'],
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
