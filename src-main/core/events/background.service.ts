import type { ConsumerStatus } from '../../contract/desk.contract.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import type { EventRunner } from './runner.js';

/** The Background work screen: per consumer, its lag, failing and parked events. */
export async function backgroundStatus(ctx: Ctx, runner: EventRunner): Promise<{ totalEvents: number; consumers: ConsumerStatus[] }> {
  const total = await ctx.db.selectFrom('event').select((eb) => eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('n')).executeTakeFirstOrThrow();
  const out: ConsumerStatus[] = [];
  for (const consumer of runner.consumers) {
    const cursorRow = await ctx.db.selectFrom('consumer_cursor').select('last_seq').where('consumer', '=', consumer.name).executeTakeFirst();
    const cursor = cursorRow?.last_seq ?? 0;
    const lag = await ctx.db.selectFrom('event').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', cursor).executeTakeFirstOrThrow();
    const items = await ctx.db.selectFrom('consumer_item').selectAll().where('consumer', '=', consumer.name).orderBy('event_seq').limit(500).execute();
    out.push({
      name: consumer.name,
      summary: consumer.summary,
      cursor,
      lag: Number(lag.n),
      retrying: items.filter((i) => i.state !== 'parked').length,
      parked: items
        .filter((i) => i.state === 'parked')
        .map((i) => ({ eventSeq: i.event_seq, entity: i.entity, entityId: i.entity_id, attempts: i.attempts, lastError: i.last_error, updatedAt: i.updated_at })),
      failures: items
        .filter((i) => i.state !== 'parked')
        .slice(0, 100)
        .map((i) => ({ eventSeq: i.event_seq, entity: i.entity, entityId: i.entity_id, state: i.state, attempts: i.attempts, lastError: i.last_error, nextAt: i.next_at })),
    });
  }
  return { totalEvents: Number(total.n), consumers: out };
}

export async function retryBackgroundItem(ctx: Ctx, runner: EventRunner, input: { consumer: string; eventSeq: number }) {
  if (!runner.consumers.some((c) => c.name === input.consumer)) {
    throw new DomainError('common/not-found', 'There is no such background task.', { fieldErrors: { consumer: ['Unknown background task.'] } });
  }
  const retried = runner.retryNow(input.consumer, input.eventSeq);
  if (!retried) throw new DomainError('common/not-found', 'That item is no longer waiting; it may have gone through already.');
  ctx.auditRecord('consumer_item', `${input.consumer}:${input.eventSeq}`);
  ctx.afterCommit(() => runner.wake());
  return { retried };
}
