import type { Migration } from './types.js';

/**
 * Importing a patient list from CSV (issue 12 item 14). The screen sends the file's rows in
 * chunks to `import/stage`, which validates each one and keeps it here; `import/commit` then
 * moves the accepted rows into `patient` in ONE transaction. Both tables are this desk's own
 * working state (never synced): the imported patients sync as ordinary patient records.
 */
export const m0020PatientImport: Migration = {
  name: '0020-patient-import',
  up(raw) {
    raw.exec(`
      CREATE TABLE import_batch (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        total_rows INTEGER NOT NULL,
        created_by TEXT NOT NULL REFERENCES staff (id),
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('staging', 'committed')),
        committed_at TEXT,
        -- The commit's answer (counts), returned again to a replayed commit.
        result TEXT
      ) STRICT;
      CREATE TABLE import_row (
        batch_id TEXT NOT NULL REFERENCES import_batch (id) ON DELETE CASCADE,
        row_number INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'invalid', 'duplicate')),
        -- The row's mapped cells as the file had them (for the failures download).
        cells TEXT NOT NULL,
        errors TEXT,
        matches TEXT,
        -- A valid row: its checked registration details (JSON) and the keys duplicates are found by.
        record TEXT,
        given_name TEXT,
        family_name TEXT,
        date_of_birth TEXT,
        phone_e164 TEXT,
        email TEXT
      ) STRICT;
      -- A rowid table: its rows hold JSON of up to a few KB, too big for a WITHOUT ROWID b-tree.
      CREATE UNIQUE INDEX import_row_key ON import_row (batch_id, row_number);
      CREATE INDEX import_row_birth ON import_row (batch_id, date_of_birth);
      CREATE INDEX import_row_phone ON import_row (batch_id, phone_e164);
      CREATE INDEX import_row_email ON import_row (batch_id, email);
    `);
  },
};
