import type { Migration } from './types.js';

/**
 * Appointments and slot holds. No two active appointments of one doctor may overlap
 * (including the doctor's buffer): the triggers below refuse it inside the writing
 * transaction, so the database itself guarantees it whatever the concurrency. An
 * appointment plus its buffer lasts at most 10 hours (480 + 120 minutes, the schema's
 * limits), so only appointments starting up to 10 hours earlier are read: the check costs
 * the same however long the doctor's history grows.
 */
export const m0004Appointments: Migration = {
  name: '0004-appointments',
  up(raw) {
    raw.exec(`
      CREATE TABLE appointment (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient (id),
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT NOT NULL REFERENCES location (id),
        consultation_type_id TEXT NOT NULL REFERENCES consultation_type (id),
        start_at TEXT NOT NULL,
        end_at TEXT NOT NULL,
        block_end_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in', 'completed', 'no_show', 'cancelled')),
        requirements TEXT NOT NULL DEFAULT '{}',
        price_minor INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL DEFAULT 'USD',
        created_at TEXT NOT NULL,
        created_by_kind TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        status_changed_at TEXT,
        status_changed_by TEXT,
        cancelled_by_party TEXT CHECK (cancelled_by_party IS NULL OR cancelled_by_party IN ('patient', 'clinic')),
        cancel_reason TEXT,
        cancelled_within_policy_window INTEGER,
        rescheduled_from_id TEXT REFERENCES appointment (id),
        rescheduled_to_id TEXT REFERENCES appointment (id),
        -- Instants in exactly one text form, so that the overlap triggers' text comparisons hold.
        CHECK (start_at = strftime('%Y-%m-%dT%H:%M:%fZ', start_at)),
        CHECK (end_at = strftime('%Y-%m-%dT%H:%M:%fZ', end_at)),
        CHECK (block_end_at = strftime('%Y-%m-%dT%H:%M:%fZ', block_end_at)),
        CHECK (end_at > start_at),
        CHECK (block_end_at >= end_at),
        CHECK (block_end_at <= strftime('%Y-%m-%dT%H:%M:%fZ', start_at, '+10 hours'))
      ) STRICT;
      -- Covers the overlap triggers and the slot engine's busy-time query (no table lookups).
      CREATE INDEX appointment_doctor_start ON appointment (doctor_id, start_at, block_end_at, status, id);
      CREATE INDEX appointment_patient_start ON appointment (patient_id, start_at, id);
      CREATE INDEX appointment_start ON appointment (start_at);

      CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON appointment
        WHEN NEW.status <> 'cancelled'
      BEGIN
        SELECT RAISE(ABORT, 'booking/slot-taken')
        WHERE EXISTS (
          SELECT 1 FROM appointment a
          WHERE a.doctor_id = NEW.doctor_id
            AND a.status <> 'cancelled'
            AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%fZ', NEW.start_at, '-10 hours')
            AND a.start_at < NEW.block_end_at
            AND a.block_end_at > NEW.start_at
        );
      END;

      CREATE TRIGGER appointment_no_overlap_update BEFORE UPDATE OF start_at, block_end_at, doctor_id, status ON appointment
        WHEN NEW.status <> 'cancelled'
      BEGIN
        SELECT RAISE(ABORT, 'booking/slot-taken')
        WHERE EXISTS (
          SELECT 1 FROM appointment a
          WHERE a.doctor_id = NEW.doctor_id
            AND a.id <> NEW.id
            AND a.status <> 'cancelled'
            AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%fZ', NEW.start_at, '-10 hours')
            AND a.start_at < NEW.block_end_at
            AND a.block_end_at > NEW.start_at
        );
      END;

      CREATE TABLE appointment_hold (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        location_id TEXT NOT NULL REFERENCES location (id),
        consultation_type_id TEXT NOT NULL REFERENCES consultation_type (id),
        start_at TEXT NOT NULL,
        end_at TEXT NOT NULL,
        block_end_at TEXT NOT NULL,
        holder TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        CHECK (start_at = strftime('%Y-%m-%dT%H:%M:%fZ', start_at)),
        CHECK (block_end_at = strftime('%Y-%m-%dT%H:%M:%fZ', block_end_at)),
        CHECK (block_end_at > start_at)
      ) STRICT;
      CREATE INDEX appointment_hold_doctor ON appointment_hold (doctor_id, start_at);
    `);
  },
};
