import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Migration } from './types.js';
import { deskPrefixIndex, deskPrefixOf } from '../src-main/core/desk/patient-number.js';

/** Tables whose rows sync between desks: each gets a version (rows created before start at 1). */
const VERSIONED = [
  'appointment',
  'appointment_hold',
  'patient_doctor_assignment',
  'doctor',
  'working_hours',
  'schedule_exception',
  'location',
  'specialization',
  'consultation_type',
  'setting',
  'staff',
];

/**
 * Changes as events. `event` is the append-only change log (one typed envelope per changed
 * record, written in the changing transaction); it supersedes `outbox`, which stays as
 * read-only history (its thin rows cannot be turned into full records). `desk` names this
 * database; consumers keep their cursors and failed items here.
 */
export const m0011Events: Migration = {
  name: '0011-events',
  up(raw) {
    for (const table of VERSIONED) raw.exec(`ALTER TABLE ${table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1`);
    raw.exec(`
      CREATE TABLE desk (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        prefix_index INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE TRIGGER desk_one_row BEFORE INSERT ON desk WHEN (SELECT count(*) FROM desk) > 0
        BEGIN SELECT RAISE(ABORT, 'a database has one desk'); END;
      CREATE TRIGGER desk_id_fixed BEFORE UPDATE OF id, prefix, prefix_index ON desk
        BEGIN SELECT RAISE(ABORT, 'a desk keeps its id and prefix'); END;

      CREATE TABLE event (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        desk_id TEXT NOT NULL,
        desk_seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id TEXT,
        schema_version INTEGER NOT NULL,
        patient_id TEXT,
        doctor_id TEXT,
        UNIQUE (desk_id, desk_seq)
      ) STRICT;
      CREATE INDEX event_entity ON event (entity, entity_id, seq);
      CREATE TRIGGER event_no_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;
      CREATE TRIGGER event_no_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;

      CREATE TRIGGER outbox_read_only_insert BEFORE INSERT ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox is read-only history; changes are written to event'); END;
      CREATE TRIGGER outbox_read_only_update BEFORE UPDATE ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox is read-only history; changes are written to event'); END;
      CREATE TRIGGER outbox_read_only_delete BEFORE DELETE ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox is read-only history; changes are written to event'); END;

      CREATE TABLE consumer_cursor (
        consumer TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- An event a consumer could not handle yet: retried with backoff, parked after a limit.
      -- 'waiting' items are later events of an entity whose earlier event failed (per-entity order).
      CREATE TABLE consumer_item (
        consumer TEXT NOT NULL,
        event_seq INTEGER NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('retry', 'waiting', 'parked')),
        attempts INTEGER NOT NULL,
        last_error TEXT,
        next_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (consumer, event_seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX consumer_item_entity ON consumer_item (consumer, entity, entity_id, event_seq);

      -- The first consumer: how many records of each kind changed per day (UTC), for admins.
      CREATE TABLE change_digest (
        day TEXT NOT NULL,
        entity TEXT NOT NULL,
        changes INTEGER NOT NULL,
        PRIMARY KEY (day, entity)
      ) STRICT, WITHOUT ROWID;
    `);
    const id = randomUUID();
    const index = deskPrefixIndex(id);
    const name = (hostname() || 'Front desk').slice(0, 80);
    raw
      .prepare('INSERT INTO desk (id, name, prefix, prefix_index, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, deskPrefixOf(index), index, new Date().toISOString());
  },
};
