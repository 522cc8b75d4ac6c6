import type { Migration } from './types.js';

/**
 * The symptom checker's result joins the patient's record as a section (`symptom_check`):
 * each check is a new version, and every version stays in patient_section_change like the
 * other sections. SQLite cannot widen a CHECK in place, so patient_section is rebuilt with
 * the same columns and rows (nothing references it; its change history is untouched).
 */
export const m0016SymptomChecks: Migration = {
  name: '0016-symptom-checks',
  up(raw) {
    raw.exec(`
      CREATE TABLE patient_section_new (
        patient_id TEXT NOT NULL REFERENCES patient (id),
        section TEXT NOT NULL CHECK (section IN ('medical_history', 'emergency_contact', 'insurance', 'symptom_check')),
        data TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        PRIMARY KEY (patient_id, section)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO patient_section_new (patient_id, section, data, version, updated_at, updated_by)
        SELECT patient_id, section, data, version, updated_at, updated_by FROM patient_section;
      DROP TABLE patient_section;
      ALTER TABLE patient_section_new RENAME TO patient_section;
    `);
  },
};
