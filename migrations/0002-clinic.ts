import type { Migration } from './types.js';

/** Locations, specializations, doctors, weekly hours, dated exceptions, consultation types. */
export const m0002Clinic: Migration = {
  name: '0002-clinic',
  up(raw) {
    raw.exec(`
      CREATE TABLE location (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        address TEXT NOT NULL DEFAULT '',
        latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
        longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
        timezone TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE specialization (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;

      CREATE TABLE doctor (
        id TEXT PRIMARY KEY,
        given_name TEXT NOT NULL,
        family_name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT 'Dr',
        email TEXT,
        phone TEXT,
        slot_minutes INTEGER NOT NULL DEFAULT 15 CHECK (slot_minutes BETWEEN 5 AND 240),
        buffer_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 120),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE doctor_specialization (
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        specialization_id TEXT NOT NULL REFERENCES specialization (id),
        PRIMARY KEY (doctor_id, specialization_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX doctor_specialization_by_spec ON doctor_specialization (specialization_id);

      -- Weekly hours in the location's wall time: ISO weekday 1 (Mon) .. 7 (Sun), minutes since midnight.
      CREATE TABLE working_hours (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT NOT NULL REFERENCES location (id),
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        CHECK (end_minute > start_minute)
      ) STRICT;
      CREATE INDEX working_hours_doctor ON working_hours (doctor_id, weekday);

      -- Dated exceptions in wall time of the location (or of every location when location_id is NULL).
      CREATE TABLE schedule_exception (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT REFERENCES location (id),
        kind TEXT NOT NULL CHECK (kind IN ('time_off', 'extra_hours')),
        date TEXT NOT NULL,
        start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT,
        CHECK (end_minute > start_minute),
        CHECK (kind = 'time_off' OR location_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX schedule_exception_doctor ON schedule_exception (doctor_id, date);

      CREATE TABLE consultation_type (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('general', 'specialist', 'follow_up', 'other')),
        duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
        price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;

      CREATE TABLE consultation_type_specialization (
        consultation_type_id TEXT NOT NULL REFERENCES consultation_type (id),
        specialization_id TEXT NOT NULL REFERENCES specialization (id),
        PRIMARY KEY (consultation_type_id, specialization_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
