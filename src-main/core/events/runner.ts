import type Database from 'better-sqlite3';
import type { Clock } from '../context.js';
import type { Db, RawDb } from '../db/database.js';
import { backoffMs, withImmediateTransaction } from '../db/transaction.js';
import type { ChangeLog, EventRow } from './change-log.js';
import type { ConsumerItemTable } from '../db/schema.js';
import { WakeLoop } from '../util/wake-loop.js';
import type { ChangeNotice } from '../../contract/changes.js';

/** What a consumer gets while it handles events: its writes commit with the cursor. */
export interface ConsumerTx {
  /** The runner's transaction (Kysely). */
  db: Db;
  /** The same connection, for prepared statements in hot paths. */
  raw: RawDb;
  now: Date;
}

/**
 * A consumer of the change log (notifications, payment follow-up, sync…). It reads the
 * events after its own cursor; `handle` runs inside the transaction that also advances the
 * cursor, so its writes and its progress commit together or not at all. Throwing fails the
 * events: they are retried one by one with backoff, and parked after `maxAttempts`.
 * Network calls do not belong in `handle` (the write lock is held): record what to send and
 * send it from outside a transaction.
 */
export interface Consumer {
  name: string;
  summary: string;
  /** Events per transaction (default 500). */
  batchSize?: number;
  handle(events: readonly EventRow[], tx: ConsumerTx): void | Promise<void>;
}

export interface RunnerOptions {
  db: Db;
  raw: RawDb;
  consumers: readonly Consumer[];
  clock: Clock;
  random?: () => number;
  changeLog?: ChangeLog;
  /** Attempts before an event is parked (default 6). */
  maxAttempts?: number;
  /** Backoff base and cap in ms (default 1 s … 15 min). */
  baseMs?: number;
  maxMs?: number;
  /** Timer period (default 1 s). */
  intervalMs?: number;
  /** Batches per consumer per tick, so a long backlog does not starve the dispatcher (default 20). */
  batchesPerTick?: number;
  log?: (line: string) => void;
  /** Change notices of what consumers wrote to synced tables (e.g. message rows), after commit. */
  publish?: (notices: readonly ChangeNotice[]) => void;
}

type ItemRow = Omit<ConsumerItemTable, 'updated_at'>;

const errorText = (err: unknown): string => (((err as Error)?.message ?? String(err)) || 'failed').slice(0, 1000);

/**
 * Runs every consumer over the change log: on a timer, and soon after a commit that wrote
 * envelopes. Never inside the dispatcher's transaction (it takes its own, one at a time on
 * the one connection). A failed event blocks only later events of the same record.
 */
export class EventRunner {
  readonly consumers: readonly Consumer[];
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  /** Not started (or stopped): wake() does nothing; runOnce() still works (tests, benchmarks). */
  private readonly loop = new WakeLoop(
    () => this.runOnce(),
    (err) => this.o.log?.(`background work failed: ${errorText(err)}`),
  );
  private readonly s: Record<string, Database.Statement>;

  constructor(private readonly o: RunnerOptions) {
    this.consumers = o.consumers;
    this.random = o.random ?? Math.random;
    this.maxAttempts = o.maxAttempts ?? 6;
    this.baseMs = o.baseMs ?? 1000;
    this.maxMs = o.maxMs ?? 15 * 60_000;
    const r = o.raw;
    this.s = {
      cursor: r.prepare('SELECT last_seq FROM consumer_cursor WHERE consumer = ?').pluck(),
      setCursor: r.prepare(
        'INSERT INTO consumer_cursor (consumer, last_seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (consumer) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at',
      ),
      events: r.prepare('SELECT * FROM event WHERE seq > ? ORDER BY seq LIMIT ?'),
      event: r.prepare('SELECT * FROM event WHERE seq = ?'),
      openItems: r.prepare('SELECT entity, entity_id FROM consumer_item WHERE consumer = ?'),
      addItem: r.prepare(
        'INSERT INTO consumer_item (consumer, event_seq, entity, entity_id, state, attempts, last_error, next_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      due: r.prepare("SELECT * FROM consumer_item WHERE consumer = ? AND state <> 'parked' AND next_at <= ? ORDER BY event_seq LIMIT 200"),
      earlier: r.prepare('SELECT 1 FROM consumer_item WHERE consumer = ? AND entity = ? AND entity_id = ? AND event_seq < ? LIMIT 1').pluck(),
      item: r.prepare('SELECT * FROM consumer_item WHERE consumer = ? AND event_seq = ?'),
      dropItem: r.prepare('DELETE FROM consumer_item WHERE consumer = ? AND event_seq = ?'),
      retryItem: r.prepare("UPDATE consumer_item SET state = 'retry', next_at = ?, updated_at = ? WHERE consumer = ? AND event_seq = ?"),
      failItem: r.prepare('UPDATE consumer_item SET state = ?, attempts = ?, last_error = ?, next_at = ?, updated_at = ? WHERE consumer = ? AND event_seq = ?'),
    };
  }

  start(intervalMs = this.o.intervalMs ?? 1000): void {
    this.loop.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Run soon (after a commit); runs are never concurrent, a wake during a run runs once more. */
  wake(): void {
    this.loop.wake();
  }

  /** One pass over every consumer: due retries first, then new events. Tests call it directly. */
  async runOnce(): Promise<void> {
    for (const consumer of this.consumers) {
      await this.retryDue(consumer);
      for (let i = 0; i < (this.o.batchesPerTick ?? 20) && !this.loop.halted; i++) {
        if (!(await this.drainBatch(consumer))) break;
      }
    }
  }

  private nowIso(): string {
    return this.o.clock.now().toISOString();
  }

  private async transaction<T>(fn: () => T | Promise<T>): Promise<T> {
    let notices: ChangeNotice[] = [];
    const out = await withImmediateTransaction(this.o.db, async () => {
      this.o.changeLog?.begin();
      const result = await fn();
      notices = this.o.changeLog?.flush({ kind: 'system' }, this.nowIso()) ?? [];
      return result;
    });
    if (notices.length > 0) this.o.publish?.(notices);
    return out;
  }

  private tx(): ConsumerTx {
    return { db: this.o.db, raw: this.o.raw, now: this.o.clock.now() };
  }

  private async runHandler(consumer: Consumer, events: readonly EventRow[]): Promise<unknown> {
    // A savepoint keeps a failed handler's own writes out, while the runner records the failure.
    this.o.raw.exec('SAVEPOINT consumer_handle');
    try {
      await consumer.handle(events, this.tx());
      this.o.raw.exec('RELEASE consumer_handle');
      return null;
    } catch (err) {
      this.o.raw.exec('ROLLBACK TO consumer_handle');
      this.o.raw.exec('RELEASE consumer_handle');
      return err ?? new Error('failed');
    }
  }

  /** Handles the next batch after the cursor; false when there was nothing to do. */
  async drainBatch(consumer: Consumer): Promise<boolean> {
    const size = consumer.batchSize ?? 500;
    const whole = await this.transaction(async () => {
      const cursor = (this.s.cursor!.get(consumer.name) as number | undefined) ?? 0;
      const rows = this.s.events!.all(cursor, size) as EventRow[];
      if (rows.length === 0) return 'empty' as const;
      const blocked = this.blockedKeys(consumer);
      const ready = blocked.size === 0 ? rows : rows.filter((r) => !blocked.has(`${r.entity}\u0000${r.entity_id}`));
      // Whole batch first (the fast path); on failure nothing of it stays and it goes one by one.
      await consumer.handle(ready, this.tx());
      const at = this.nowIso();
      if (ready.length !== rows.length) {
        for (const r of rows) if (blocked.has(`${r.entity}\u0000${r.entity_id}`)) this.s.addItem!.run(consumer.name, r.seq, r.entity, r.entity_id, 'waiting', 0, null, at, at);
      }
      this.s.setCursor!.run(consumer.name, rows.at(-1)!.seq, at);
      return 'done' as const;
    }).catch((err: unknown) => ({ err }));
    if (whole === 'empty') return false;
    if (whole === 'done') return true;
    // One event per transaction: a failing event becomes a retry item, the others go through.
    const rows = await this.transaction(() => this.s.events!.all((this.s.cursor!.get(consumer.name) as number | undefined) ?? 0, size) as EventRow[]);
    for (const row of rows) {
      await this.transaction(async () => {
        if ((((this.s.cursor!.get(consumer.name) as number | undefined) ?? 0) >= row.seq)) return;
        const at = this.nowIso();
        if (this.blockedKeys(consumer).has(`${row.entity}\u0000${row.entity_id}`)) {
          this.s.addItem!.run(consumer.name, row.seq, row.entity, row.entity_id, 'waiting', 0, null, at, at);
        } else {
          const err = await this.runHandler(consumer, [row]);
          if (err) {
            const parked = this.maxAttempts <= 1;
            this.s.addItem!.run(consumer.name, row.seq, row.entity, row.entity_id, parked ? 'parked' : 'retry', 1, errorText(err), this.nextAt(1), at);
          }
        }
        this.s.setCursor!.run(consumer.name, row.seq, at);
      });
    }
    return rows.length > 0;
  }

  private blockedKeys(consumer: Consumer): Set<string> {
    const rows = this.s.openItems!.all(consumer.name) as Array<{ entity: string; entity_id: string }>;
    return new Set(rows.map((r) => `${r.entity}\u0000${r.entity_id}`));
  }

  private nextAt(attempts: number): string {
    return new Date(this.o.clock.now().getTime() + backoffMs(attempts - 1, this.baseMs, this.maxMs, this.random)).toISOString();
  }

  /** Retries failed events whose time has come, oldest first, each behind its record's earlier ones. */
  async retryDue(consumer: Consumer): Promise<void> {
    const due = await this.transaction(() => this.s.due!.all(consumer.name, this.nowIso()) as ItemRow[]);
    for (const item of due) {
      await this.transaction(async () => {
        const current = this.s.item!.get(consumer.name, item.event_seq) as ItemRow | undefined;
        if (!current || current.state === 'parked') return;
        if (this.s.earlier!.get(consumer.name, item.entity, item.entity_id, item.event_seq)) return; // still behind an earlier one
        const row = this.s.event!.get(item.event_seq) as EventRow | undefined;
        const err = row ? await this.runHandler(consumer, [row]) : null;
        if (!err) {
          this.s.dropItem!.run(consumer.name, item.event_seq);
          return;
        }
        const attempts = current.attempts + 1;
        const state = attempts >= this.maxAttempts ? 'parked' : 'retry';
        this.s.failItem!.run(state, attempts, errorText(err), this.nextAt(attempts), this.nowIso(), consumer.name, item.event_seq);
      });
    }
  }

  /**
   * An admin asks for another try now (a parked item gets one more attempt; its last error is
   * kept until it succeeds). Runs inside the caller's transaction.
   */
  retryNow(consumerName: string, eventSeq: number): boolean {
    return this.s.retryItem!.run(this.nowIso(), this.nowIso(), consumerName, eventSeq).changes > 0;
  }
}
