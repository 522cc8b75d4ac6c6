import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';

/**
 * The baselines' change envelope: one prepared INSERT into `event` with the record's
 * after-image built from values in hand — what the app writes per changed record.
 */
export function rawEventWriter(raw: Database.Database) {
  const deskId = raw.prepare('SELECT id FROM desk').pluck().get() as string;
  const insert = raw.prepare(
    `INSERT INTO event (id, desk_id, desk_seq, at, entity, entity_id, op, version, record, actor_kind, actor_id, schema_version, patient_id, doctor_id)
     VALUES (?, ?, (SELECT coalesce(max(desk_seq), 0) + 1 FROM event WHERE desk_id = ?), ?, ?, ?, 'upsert', 1, ?, 'staff', ?, 1, ?, ?)`,
  );
  return (at: string, entity: string, entityId: string, record: object, actorId: string, patientId: string | null, doctorId: string | null) =>
    insert.run(uuidv7(), deskId, deskId, at, entity, entityId, JSON.stringify(record), actorId, patientId, doctorId);
}
