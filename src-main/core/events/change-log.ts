import { v7 as uuidv7 } from 'uuid';
import type Database from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { RawDb } from '../db/database.js';
import type { EventTable } from '../db/schema.js';
import type { Actor } from '../context.js';
import type { ChangeNotice, EntityType } from '../../contract/changes.js';
import { ENVELOPE_SCHEMA_VERSION, type ChangeEnvelope } from '../../contract/events.js';
import { syncedTables, type SyncedTable } from './registry.js';

/** What the capture triggers saw of one record during the current transaction. */
interface Touched {
  spec: SyncedTable;
  key: string;
  inserted: boolean;
  /** The writer set a new version itself (patients and their sections do). */
  selfVersioned: boolean;
  deleted: boolean;
  tombstone: string | null;
  /** The version before this transaction (deletes and re-inserts continue from it). */
  before: number | null;
}

interface Loader {
  image: Database.Statement;
  bump: Database.Statement;
  setVersion: Database.Statement;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The change log of one connection. Temporary triggers on every synced table tell it which
 * records a transaction touched (so no writer can forget to emit, and deletes are seen with
 * their last row); before COMMIT, `flush` loads each record's after-image, gives it its new
 * version and appends one envelope per record to `event` — all inside the same transaction.
 */
export class ChangeLog {
  private readonly touched = new Map<string, Touched>();
  private flushing = false;
  private readonly loaders = new Map<string, Loader>();
  private readonly insertEvent: Database.Statement;
  readonly deskId: string;

  constructor(private readonly raw: RawDb) {
    this.deskId = (raw.prepare('SELECT id FROM desk').pluck().get() as string | undefined) ?? '';
    if (!this.deskId) throw new Error('This database has no desk row (migration 0011 did not run).');
    raw.function('clinic_changed', { varargs: true, deterministic: false }, (...args: unknown[]) => {
      this.capture(args[0] as string, args[1] as string, args[2] as string, args[3] as number | null, args[4] as number | null, args[5] as string | null);
      return null;
    });
    for (const spec of syncedTables) this.install(spec);
    this.insertEvent = raw.prepare(
      `INSERT INTO event (id, desk_id, desk_seq, at, entity, entity_id, op, version, record, actor_kind, actor_id, schema_version, patient_id, doctor_id)
       VALUES (?, ?, (SELECT coalesce(max(desk_seq), 0) + 1 FROM event WHERE desk_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ${ENVELOPE_SCHEMA_VERSION}, ?, ?)`,
    );
  }

  private install(spec: SyncedTable): void {
    const columns = (this.raw.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(spec.table) as string[]);
    if (columns.length === 0) return;
    const hidden = new Set([...(spec.secret ?? []), ...(spec.local ?? [])]);
    const imageColumns = columns.filter((c) => !hidden.has(c));
    const watched = spec.onlyColumns ?? columns.filter((c) => !(spec.local ?? []).includes(c) && c !== 'version');
    const keyOf = (row: 'NEW' | 'OLD' | string) => spec.key.map((k) => `${row}.${ident(k)}`).join(` || ':' || `);
    const imageOf = (row: string) =>
      `json_object(${[
        ...imageColumns.map((c) => `'${c}', ${row}.${ident(c)}`),
        ...(spec.children ?? []).map(
          (ch) =>
            `'${ch.field}', json((SELECT json_group_array(${ident(ch.column)}) FROM (SELECT ${ident(ch.column)} FROM ${ident(ch.table)} WHERE ${ident(ch.parentKey)} = ${row}.${ident(spec.key[0]!)} ORDER BY 1)))`,
        ),
      ].join(', ')})`;
    const t = spec.table;
    const name = (suffix: string) => ident(`capture_${t}_${suffix}`);
    this.raw.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS ${name('insert')} AFTER INSERT ON main.${ident(t)}
        BEGIN SELECT clinic_changed('${t}', ${keyOf('NEW')}, 'insert', NULL, NEW.version, NULL); END;
      CREATE TEMP TRIGGER IF NOT EXISTS ${name('update')} AFTER UPDATE OF ${watched.map(ident).join(', ')} ON main.${ident(t)}
        BEGIN SELECT clinic_changed('${t}', ${keyOf('NEW')}, 'update', OLD.version, NEW.version, NULL); END;
      CREATE TEMP TRIGGER IF NOT EXISTS ${name('delete')} AFTER DELETE ON main.${ident(t)}
        BEGIN SELECT clinic_changed('${t}', ${keyOf('OLD')}, 'delete', OLD.version, NULL, ${imageOf('OLD')}); END;
    `);
    for (const ch of spec.children ?? []) {
      for (const [when, row] of [['INSERT', 'NEW'], ['DELETE', 'OLD']] as const) {
        this.raw.exec(`
          CREATE TEMP TRIGGER IF NOT EXISTS ${ident(`capture_${ch.table}_${when.toLowerCase()}`)} AFTER ${when} ON main.${ident(ch.table)}
            BEGIN SELECT clinic_changed('${t}', ${row}.${ident(ch.parentKey)}, 'child', NULL, NULL, NULL); END;`);
      }
    }
    const where = spec.key.map((k) => `${ident(k)} = ?`).join(' AND ');
    const refs = `${spec.patientColumn ? ident(spec.patientColumn) : 'NULL'} AS patient_id, ${spec.doctorColumn ? ident(spec.doctorColumn) : 'NULL'} AS doctor_id`;
    this.loaders.set(t, {
      image: this.raw.prepare(`SELECT ${imageOf(ident(t))} AS record, version, ${refs} FROM main.${ident(t)} WHERE ${where}`),
      bump: this.raw.prepare(`UPDATE main.${ident(t)} SET version = version + 1 WHERE ${where}`),
      setVersion: this.raw.prepare(`UPDATE main.${ident(t)} SET version = ? WHERE ${where}`),
    });
  }

  private capture(table: string, key: string, op: string, oldVersion: number | null, newVersion: number | null, tombstone: string | null): void {
    if (this.flushing) return;
    const id = `${table}\u0000${key}`;
    let entry = this.touched.get(id);
    if (!entry) {
      const spec = syncedTables.find((s) => s.table === table)!;
      entry = { spec, key, inserted: false, selfVersioned: false, deleted: false, tombstone: null, before: oldVersion };
      this.touched.set(id, entry);
    }
    if (op === 'insert') {
      if (entry.deleted) entry.deleted = false; // deleted and written again in one transaction: an update
      else if (entry.before === null) entry.inserted = true;
    } else if (op === 'update') {
      entry.before ??= oldVersion;
      if (oldVersion !== newVersion) entry.selfVersioned = true;
    } else if (op === 'delete') {
      if (entry.inserted) {
        this.touched.delete(id); // created and removed in one transaction: nobody else ever saw it
        return;
      }
      entry.before ??= oldVersion;
      entry.deleted = true;
      entry.tombstone = tombstone;
    }
  }

  /** Forget what an earlier (rolled-back or foreign) transaction touched. */
  begin(): void {
    this.touched.clear();
  }

  /** Writes one envelope per touched record; returns their notices. Call inside the transaction. */
  flush(actor: Actor, at: string): ChangeNotice[] {
    if (this.touched.size === 0) return [];
    const notices: ChangeNotice[] = [];
    const actorId = actor.kind === 'staff' ? actor.id : actor.kind === 'patient' ? actor.patientId : null;
    this.flushing = true;
    try {
      for (const entry of this.touched.values()) {
        const { spec } = entry;
        const loader = this.loaders.get(spec.table)!;
        const keyParts = spec.key.length === 1 ? [entry.key] : entry.key.split(':');
        let record: string;
        let version: number;
        let patientId: string | null = null;
        let doctorId: string | null = null;
        let op: 'upsert' | 'delete';
        if (entry.deleted) {
          op = 'delete';
          record = entry.tombstone ?? '{}';
          version = (entry.before ?? 0) + 1;
          const last = JSON.parse(record) as Record<string, unknown>;
          patientId = spec.patientColumn ? ((last[spec.patientColumn] as string | undefined) ?? null) : null;
          doctorId = spec.doctorColumn ? ((last[spec.doctorColumn] as string | undefined) ?? null) : null;
        } else {
          op = 'upsert';
          if (!entry.inserted && !entry.selfVersioned) {
            if (entry.before === null) loader.bump.run(...keyParts);
            else loader.setVersion.run(entry.before + 1, ...keyParts);
          }
          const row = loader.image.get(...keyParts) as { record: string; version: number; patient_id: string | null; doctor_id: string | null } | undefined;
          if (!row) continue;
          ({ record, version } = row);
          patientId = row.patient_id;
          doctorId = row.doctor_id;
        }
        this.insertEvent.run(uuidv7(), this.deskId, this.deskId, at, spec.entity, entry.key, op, version, record, actor.kind, actorId, patientId, doctorId);
        const refs: ChangeNotice['refs'] = {};
        if (patientId) refs.patientId = patientId;
        if (doctorId) refs.doctorId = doctorId;
        notices.push({ entity: spec.entity, id: entry.key, op, refs, version });
      }
    } finally {
      this.flushing = false;
      this.touched.clear();
    }
    return notices;
  }
}

/** An `event` row as read back (the table's type, with its sequence number). */
export type EventRow = Selectable<EventTable>;

export function envelopeOf(row: EventRow): ChangeEnvelope {
  return {
    id: row.id,
    deskId: row.desk_id,
    deskSeq: row.desk_seq,
    at: row.at,
    entity: row.entity as EntityType,
    entityId: row.entity_id,
    op: row.op,
    version: row.version,
    record: JSON.parse(row.record) as Record<string, unknown>,
    actor: { kind: row.actor_kind as ChangeEnvelope['actor']['kind'], id: row.actor_id },
    schemaVersion: row.schema_version as typeof ENVELOPE_SCHEMA_VERSION,
  };
}
