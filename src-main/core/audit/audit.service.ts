import type { Db } from '../db/database.js';
import type { Actor, Ctx } from '../context.js';
import type { AuditLogTable } from '../db/schema.js';

export interface AuditEntry {
  at: string;
  actor: Actor;
  handler: string;
  recordType?: string | null;
  recordId?: string | null;
  outcome: AuditLogTable['outcome'];
  /** Never clinical data: an error code, the names of invalid fields. */
  detail?: string | null;
  /** Counted refusals: how many attempts the row stands for, and the last one's time. */
  count?: number;
  lastAt?: string | null;
  /** The caller's network address (web mode); none for the local desk. */
  source?: string | null;
}

const actorId = (actor: Actor): string | null =>
  actor.kind === 'staff' ? actor.id : actor.kind === 'patient' ? actor.patientId : null;

/** Text from the caller (an unknown field's name in `detail`) may hold lone surrogates: never store them. */
const wellFormed = (text: string | null | undefined): string | null => (text == null ? null : text.replace(/\p{Cs}/gu, '\uFFFD'));

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_kind: entry.actor.kind,
      actor_id: actorId(entry.actor),
      handler: entry.handler,
      record_type: entry.recordType ?? null,
      record_id: wellFormed(entry.recordId),
      outcome: entry.outcome,
      detail: wellFormed(entry.detail),
      count: entry.count ?? 1,
      last_at: entry.lastAt ?? null,
      source: entry.source ?? null,
    })
    .execute();
}

export async function listAudit(ctx: Ctx, input: { beforeSeq?: number; limit?: number }) {
  let query = ctx.db
    .selectFrom('audit_log')
    .leftJoin('staff', (join) => join.onRef('staff.id', '=', 'audit_log.actor_id').on('audit_log.actor_kind', '=', 'staff'))
    .select([
      'audit_log.seq',
      'audit_log.at',
      'audit_log.actor_kind',
      'audit_log.actor_id',
      'staff.display_name',
      'audit_log.handler',
      'audit_log.record_type',
      'audit_log.record_id',
      'audit_log.outcome',
      'audit_log.detail',
      'audit_log.count',
      'audit_log.last_at',
      'audit_log.source',
    ])
    .orderBy('audit_log.seq', 'desc')
    .limit(input.limit ?? 50);
  if (input.beforeSeq) query = query.where('audit_log.seq', '<', input.beforeSeq);
  const rows = await query.execute();
  return {
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.display_name,
      handler: r.handler,
      recordType: r.record_type,
      recordId: r.record_id,
      outcome: r.outcome,
      detail: r.detail,
      count: r.count,
      lastAt: r.last_at,
      source: r.source,
    })),
  };
}
