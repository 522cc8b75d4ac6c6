import { z } from 'zod';
import { entityTypes } from './changes.js';
import { str } from './common.js';

/** The version of the envelope's shape; bump it when a field's meaning changes. */
export const ENVELOPE_SCHEMA_VERSION = 1;

/**
 * One change to one record, as every writer emits it and every consumer (sync, notifications,
 * payments follow-up, live notices) reads it. `record` is the full row after the change (the
 * last row for a delete, which is a tombstone), as stored: snake_case columns, JSON columns
 * as text, secrets (password and token hashes) and local-only fields left out.
 */
export const changeEnvelope = z.strictObject({
  /** UUIDv7: time-ordered, unique across desks. */
  id: str().uuid(),
  deskId: str().uuid(),
  /** 1, 2, 3 … per desk, without gaps: a receiver sees at once what it has missed. */
  deskSeq: z.number().int().positive(),
  at: str().datetime(),
  entity: z.enum(entityTypes),
  entityId: str().min(1),
  op: z.enum(['upsert', 'delete']),
  /** The record's version after this change; a delete carries the tombstone's version. */
  version: z.number().int().positive(),
  record: z.record(str(), z.unknown()),
  actor: z.strictObject({
    kind: z.enum(['staff', 'patient', 'anonymous', 'system']),
    id: str().nullable(),
  }),
  schemaVersion: z.literal(ENVELOPE_SCHEMA_VERSION),
});
export type ChangeEnvelope = z.infer<typeof changeEnvelope>;
