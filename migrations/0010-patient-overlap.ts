import type { Migration } from './types.js';

/**
 * A patient is never in two appointments at once unless staff said so. The service refuses
 * an overlapping booking and names the clash; staff may book anyway with an explicit
 * acknowledgement, recorded on the new appointment (who, when). The trigger below makes the
 * database itself refuse an unacknowledged overlap whatever the caller. Visits last at most
 * 10 hours (the appointment table's checks), so only appointments starting up to 10 hours
 * earlier are read.
 */
export const m0010PatientOverlap: Migration = {
  name: '0010-patient-overlap',
  up(raw) {
    raw.exec(`
      ALTER TABLE appointment ADD COLUMN overlap_acknowledged_at TEXT;
      ALTER TABLE appointment ADD COLUMN overlap_acknowledged_by TEXT REFERENCES staff (id);

      CREATE TRIGGER appointment_patient_no_overlap_insert BEFORE INSERT ON appointment
        WHEN NEW.status <> 'cancelled' AND NEW.overlap_acknowledged_at IS NULL
      BEGIN
        SELECT RAISE(ABORT, 'booking/patient-overlap')
        WHERE EXISTS (
          SELECT 1 FROM appointment a
          WHERE a.patient_id = NEW.patient_id
            AND a.status <> 'cancelled'
            AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%fZ', NEW.start_at, '-10 hours')
            AND a.start_at < NEW.end_at
            AND a.end_at > NEW.start_at
        );
      END;
    `);
  },
};
