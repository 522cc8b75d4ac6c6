/** The "needs attention" list: money matters a person must finish (never silently dropped). */
import type { AttentionView } from '../../contract/payments.contract.js';
import type { PaymentAttentionTable } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';

export async function raiseAttention(
  ctx: Ctx,
  item: { kind: PaymentAttentionTable['kind']; paymentId?: string | null; refundId?: string | null; appointmentId?: string | null; detail: string },
): Promise<string> {
  const id = ctx.newId();
  await ctx.db
    .insertInto('payment_attention')
    .values({
      id,
      kind: item.kind,
      payment_id: item.paymentId ?? null,
      refund_id: item.refundId ?? null,
      appointment_id: item.appointmentId ?? null,
      detail: item.detail.slice(0, 1000),
      created_at: nowIso(ctx),
      resolved_at: null,
      resolved_by: null,
      resolution: null,
      version: 1,
    })
    .execute();
  return id;
}

async function views(ctx: Ctx, where: { include: 'open' | 'all'; id?: string }): Promise<AttentionView[]> {
  const rows = await ctx.db
    .selectFrom('payment_attention as t')
    .leftJoin('payment as p', 'p.id', 't.payment_id')
    .leftJoin('patient as pt', 'pt.id', 'p.patient_id')
    .leftJoin('staff as s', 's.id', 't.resolved_by')
    .select([
      't.id',
      't.kind',
      't.payment_id',
      't.refund_id',
      't.appointment_id',
      't.detail',
      't.created_at',
      't.resolved_at',
      't.resolution',
      's.display_name as resolved_by_name',
      'pt.given_name',
      'pt.family_name',
    ])
    .$if(where.include === 'open', (q) => q.where('t.resolved_at', 'is', null))
    .$if(Boolean(where.id), (q) => q.where('t.id', '=', where.id!))
    .orderBy('t.created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    paymentId: r.payment_id,
    refundId: r.refund_id,
    appointmentId: r.appointment_id,
    patientName: r.given_name ? `${r.given_name} ${r.family_name}` : null,
    detail: r.detail,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedByName: r.resolved_by_name ?? null,
    resolution: r.resolution,
  }));
}

export async function listAttention(ctx: Ctx, input: { include: 'open' | 'all' }) {
  return { items: await views(ctx, input) };
}

export async function resolveAttention(ctx: Ctx, input: { attentionId: string; resolution: string }) {
  ctx.auditRecord('payment_attention', input.attentionId);
  const row = await ctx.db.selectFrom('payment_attention').selectAll().where('id', '=', input.attentionId).executeTakeFirst();
  if (!row) throw notFound('That item');
  if (row.resolved_at) throw new DomainError('payment/attention-resolved', 'Someone has dealt with this item already.');
  if (row.kind === 'refund-on-terminal' || row.kind === 'refund-to-insurer') {
    const message = 'Record the refund’s reference on the payment instead: that closes this item and records the refund in the books.';
    throw new DomainError('payment/attention-needs-refund', message, { fieldErrors: { resolution: [message] } });
  }
  await ctx.db
    .updateTable('payment_attention')
    .set({ resolved_at: nowIso(ctx), resolved_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null, resolution: input.resolution, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('resolved_at', 'is', null)
    .execute();
  return { item: (await views(ctx, { include: 'all', id: row.id }))[0]! };
}
