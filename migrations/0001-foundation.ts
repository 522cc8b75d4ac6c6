import type { Migration } from './types.js';

/** Settings, staff accounts, the append-only audit log, the outbox and idempotency keys. */
export const m0001Foundation: Migration = {
  name: '0001-foundation',
  up(raw) {
    raw.exec(`
      CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT
      ) STRICT;

      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'receptionist')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        failed_logins INTEGER NOT NULL DEFAULT 0,
        throttled_until TEXT,
        last_login_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Failed sign-ins for names that are not staff accounts, keyed by a hash of the typed
      -- name (people type passwords there): unknown names slow down exactly like real ones.
      CREATE TABLE unknown_login (
        name_hash TEXT PRIMARY KEY,
        failed_logins INTEGER NOT NULL,
        throttled_until TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('staff', 'patient', 'anonymous', 'system')),
        actor_id TEXT,
        handler TEXT NOT NULL,
        record_type TEXT,
        record_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'invalid', 'error')),
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_log_record ON audit_log (record_type, record_id, seq);
      CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        topic TEXT NOT NULL,
        record_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        sent_at TEXT
      ) STRICT;
      CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

      CREATE TABLE idempotency_key (
        key TEXT NOT NULL,
        handler TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (handler, key)
      ) STRICT;
    `);
  },
};
