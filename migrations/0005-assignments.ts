import type { Migration } from './types.js';

/**
 * Which doctor looks after a patient: one primary doctor and at most one per specialization.
 * Rows are never deleted: a reassignment ends the current row (who, when, why) and adds a
 * new one, so the history stays. The partial unique index lets the database itself refuse
 * two active assignments of the same kind (and specialization) for one patient.
 */
export const m0005Assignments: Migration = {
  name: '0005-assignments',
  up(raw) {
    raw.exec(`
      CREATE TABLE patient_doctor_assignment (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient (id),
        doctor_id TEXT NOT NULL REFERENCES doctor (id),
        kind TEXT NOT NULL CHECK (kind IN ('primary', 'specialist')),
        specialization_id TEXT REFERENCES specialization (id),
        assigned_at TEXT NOT NULL,
        assigned_by TEXT,
        reason TEXT NOT NULL DEFAULT '',
        ended_at TEXT,
        ended_by TEXT,
        end_reason TEXT,
        CHECK ((kind = 'primary' AND specialization_id IS NULL) OR (kind = 'specialist' AND specialization_id IS NOT NULL)),
        CHECK (ended_at IS NULL OR ended_at >= assigned_at)
      ) STRICT;
      CREATE UNIQUE INDEX patient_doctor_assignment_one_active
        ON patient_doctor_assignment (patient_id, kind, coalesce(specialization_id, ''))
        WHERE ended_at IS NULL;
      CREATE INDEX patient_doctor_assignment_patient ON patient_doctor_assignment (patient_id, assigned_at);
      CREATE INDEX patient_doctor_assignment_doctor ON patient_doctor_assignment (doctor_id) WHERE ended_at IS NULL;
    `);
  },
};
