import type { Migration } from './types.js';

/**
 * Patient access tokens as a credential of their own: one row per device or link, stored only
 * as a SHA-256 hash, with a lifetime, last use and revocation. `kind` is 'device' (a bearer
 * token a patient's phone, browser or the kiosk keeps); 'sign_in_link' is reserved for a later
 * one-time link (short-lived, exchanged once for a device token: revoked_reason 'used').
 *
 * The single `patient.access_token_hash` column of 0003 is carried over: each existing token
 * becomes a device token that keeps working for 30 days from this migration, and the old
 * column is cleared (SQLite cannot drop a UNIQUE column; nothing reads it any more).
 */
export const m0006PatientTokens: Migration = {
  name: '0006-patient-tokens',
  up(raw) {
    raw.exec(`
      CREATE TABLE patient_token (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient (id),
        kind TEXT NOT NULL CHECK (kind IN ('device', 'sign_in_link')),
        token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT,
        -- 'rotated' (the patient took a fresh one), 'staff' (revoked from the record),
        -- 'used' (a one-time link was exchanged)
        revoked_reason TEXT,
        CHECK (expires_at > created_at),
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      ) STRICT;
      CREATE INDEX patient_token_patient ON patient_token (patient_id, expires_at) WHERE revoked_at IS NULL;

      INSERT INTO patient_token (id, patient_id, kind, token_hash, created_at, expires_at)
        SELECT lower(hex(randomblob(16))), id, 'device', access_token_hash,
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+30 days')
          FROM patient WHERE access_token_hash IS NOT NULL;
      UPDATE patient SET access_token_hash = NULL WHERE access_token_hash IS NOT NULL;
    `);
  },
};
