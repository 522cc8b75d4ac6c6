import type { Consumer } from './runner.js';

/**
 * The first consumer: how many records of each kind changed per day (UTC), so an admin can
 * see the desk's activity at a glance. Cheap, local, and a real user of the runner's cursor,
 * retry and same-transaction rules.
 */
export const changeDigestConsumer: Consumer = {
  name: 'change-digest',
  summary: 'Counts the changes per day and kind of record.',
  batchSize: 1000,
  handle(events, tx) {
    const counts = new Map<string, number>();
    for (const e of events) {
      const key = `${e.at.slice(0, 10)}\u0000${e.entity}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const upsert = tx.raw.prepare(
      'INSERT INTO change_digest (day, entity, changes) VALUES (?, ?, ?) ON CONFLICT (day, entity) DO UPDATE SET changes = changes + excluded.changes',
    );
    for (const [key, n] of counts) {
      const [day, entity] = key.split('\u0000') as [string, string];
      upsert.run(day, entity, n);
    }
  },
};
