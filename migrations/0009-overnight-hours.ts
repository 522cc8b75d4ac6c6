import type { Migration } from './types.js';

/**
 * Night hours: weekly hours and dated exceptions may cross local midnight as one interval.
 * An end after 24:00 (1440) is on the next day's wall clock — 22:00–02:00 is stored as
 * 1320–1560 — and an interval lasts at most a day. SQLite cannot change a CHECK in place, so
 * both tables are rebuilt with their rows (nothing references them).
 */
export const m0009OvernightHours: Migration = {
  name: '0009-overnight-hours',
  up(raw) {
    raw.exec(`
      CREATE TABLE working_hours_0009 (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT NOT NULL REFERENCES location (id),
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 2880),
        CHECK (end_minute > start_minute),
        CHECK (end_minute - start_minute <= 1440)
      ) STRICT;
      INSERT INTO working_hours_0009 (id, doctor_id, location_id, weekday, start_minute, end_minute)
        SELECT id, doctor_id, location_id, weekday, start_minute, end_minute FROM working_hours;
      DROP TABLE working_hours;
      ALTER TABLE working_hours_0009 RENAME TO working_hours;
      CREATE INDEX working_hours_doctor ON working_hours (doctor_id, weekday);

      CREATE TABLE schedule_exception_0009 (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT REFERENCES location (id),
        kind TEXT NOT NULL CHECK (kind IN ('time_off', 'extra_hours')),
        date TEXT NOT NULL,
        start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 2880),
        reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT,
        CHECK (end_minute > start_minute),
        CHECK (end_minute - start_minute <= 1440),
        CHECK (kind = 'time_off' OR location_id IS NOT NULL)
      ) STRICT;
      INSERT INTO schedule_exception_0009 (id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at, created_by)
        SELECT id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at, created_by FROM schedule_exception;
      DROP TABLE schedule_exception;
      ALTER TABLE schedule_exception_0009 RENAME TO schedule_exception;
      CREATE INDEX schedule_exception_doctor ON schedule_exception (doctor_id, date);
    `);
  },
};
