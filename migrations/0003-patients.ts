import type { Migration } from './types.js';

/**
 * Patients, their search tokens, their record sections (medical history, emergency contact,
 * insurance) as versioned JSON documents, and every change to a section.
 */
export const m0003Patients: Migration = {
  name: '0003-patients',
  up(raw) {
    raw.exec(`
      CREATE TABLE patient (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        given_name TEXT NOT NULL,
        family_name TEXT NOT NULL,
        date_of_birth TEXT NOT NULL,
        sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'intersex', 'unknown')),
        gender TEXT,
        phone_e164 TEXT,
        email TEXT COLLATE NOCASE,
        address_line1 TEXT NOT NULL DEFAULT '',
        address_line2 TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
        longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
        preferred_language TEXT NOT NULL DEFAULT 'en',
        consent_email INTEGER NOT NULL DEFAULT 0 CHECK (consent_email IN (0, 1)),
        consent_sms INTEGER NOT NULL DEFAULT 0 CHECK (consent_sms IN (0, 1)),
        access_token_hash TEXT UNIQUE,
        duplicate_override_by TEXT,
        duplicate_override_at TEXT,
        -- Self-registrations are not warned (that would show others' details to the public):
        -- likely duplicates are kept here for staff to review, as JSON [{ id, reasons }].
        duplicate_review TEXT,
        created_at TEXT NOT NULL,
        created_by_kind TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX patient_dob ON patient (date_of_birth);
      CREATE INDEX patient_phone ON patient (phone_e164);
      CREATE INDEX patient_email ON patient (email);

      -- Normalised search tokens: 'n:' name part, 'p:' phone digits, 'r:' reversed phone digits,
      -- 'e:' e-mail, 'd:' date of birth. Prefix queries run as index range scans.
      CREATE TABLE patient_search_token (
        token TEXT NOT NULL,
        patient_id TEXT NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
        PRIMARY KEY (token, patient_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX patient_search_token_by_patient ON patient_search_token (patient_id, token);

      CREATE TABLE patient_section (
        patient_id TEXT NOT NULL REFERENCES patient (id),
        section TEXT NOT NULL CHECK (section IN ('medical_history', 'emergency_contact', 'insurance')),
        data TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        PRIMARY KEY (patient_id, section)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE patient_section_change (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        patient_id TEXT NOT NULL REFERENCES patient (id),
        section TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        changed_by_kind TEXT NOT NULL,
        changed_by TEXT
      ) STRICT;
      CREATE INDEX patient_section_change_patient ON patient_section_change (patient_id, section, seq);
      CREATE TRIGGER patient_section_change_no_update BEFORE UPDATE ON patient_section_change
        BEGIN SELECT RAISE(ABORT, 'patient_section_change is append-only'); END;
    `);
  },
};
