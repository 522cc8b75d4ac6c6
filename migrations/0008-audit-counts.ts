import type { Migration } from './types.js';

/**
 * Counted audit rows. Refused attempts from the network (wrong passwords, calls without a
 * session, invalid input) are gathered per address, handler and minute and written as one row
 * that says how many there were and from when to when, instead of one committed row per
 * attempt. `count` is 1 for every ordinary row; `last_at` is the last attempt of a counted row;
 * `source` is the caller's network address (NULL for the local desk).
 */
export const m0008AuditCounts: Migration = {
  name: '0008-audit-counts',
  up(raw) {
    raw.exec(`
      ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
      ALTER TABLE audit_log ADD COLUMN last_at TEXT;
      ALTER TABLE audit_log ADD COLUMN source TEXT;
    `);
  },
};
