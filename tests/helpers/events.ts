import type { App } from '../../src-main/app.js';
import { envelopeOf, type EventRow } from '../../src-main/core/events/change-log.js';
import { changeEnvelope, type ChangeEnvelope } from '../../src-main/contract/events.js';

/** The change envelopes written after `afterSeq` (checked against the zod schema), oldest first. */
export function envelopesAfter(app: App, afterSeq = 0): ChangeEnvelope[] {
  const rows = app.raw.prepare('SELECT * FROM event WHERE seq > ? ORDER BY seq').all(afterSeq) as EventRow[];
  return rows.map((r) => changeEnvelope.parse(envelopeOf(r)));
}

/** The envelopes of one record, oldest first. */
export function envelopesOf(app: App, entity: string, entityId: string): ChangeEnvelope[] {
  return envelopesAfter(app).filter((e) => e.entity === entity && e.entityId === entityId);
}

export const lastEventSeq = (app: App): number => (app.raw.prepare('SELECT coalesce(max(seq), 0) FROM event').pluck().get() as number);
