import type { Actor } from '../context.js';
import type { Db } from '../db/database.js';
import { withImmediateTransaction } from '../db/transaction.js';
import type { AuditLogTable } from '../db/schema.js';
import { writeAudit } from './audit.service.js';

/** One refused attempt from the network, before it is counted. */
export interface Refusal {
  at: string;
  /** The caller's network address. */
  source: string;
  actor: Actor;
  handler: string;
  outcome: Exclude<AuditLogTable['outcome'], 'ok'>;
  detail?: string | null;
  recordType?: string | null;
  recordId?: string | null;
}

interface Counted extends Refusal {
  lastAt: string;
  count: number;
}

export interface RefusalLogOptions {
  /** How often the counted rows are written (one transaction each time). */
  intervalMs?: number;
  /** Distinct rows held in memory before an early write. */
  maxPending?: number;
  log?: (line: string) => void;
}

const actorKey = (actor: Actor): string =>
  actor.kind === 'staff' ? `staff:${actor.id}` : actor.kind === 'patient' ? `patient:${actor.patientId}` : actor.kind;

/**
 * Refused attempts from the network, counted instead of committed one by one: a flood of
 * unauthenticated or invalid calls must not turn into one fsync per request. Attempts are
 * gathered per address, handler, outcome, detail, record and minute; every interval (and on
 * close) the gathered counts are written in ONE transaction, as audit rows carrying the count
 * and the first and last time. The audit log stays complete: a crash loses at most the counts
 * of the current interval (default 5 seconds), never a successful change (those are written
 * in the change's own transaction).
 */
export class RefusalLog {
  private pending = new Map<string, Counted>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly maxPending: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Db,
    options: RefusalLogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.maxPending = options.maxPending ?? 5000;
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Starts the periodic write (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  record(refusal: Refusal): void {
    const key = [
      refusal.at.slice(0, 16), // the minute
      refusal.source,
      actorKey(refusal.actor),
      refusal.handler,
      refusal.outcome,
      refusal.detail ?? '',
      refusal.recordType ?? '',
      refusal.recordId ?? '',
    ].join('\u0000');
    const seen = this.pending.get(key);
    if (seen) {
      seen.count += 1;
      if (refusal.at > seen.lastAt) seen.lastAt = refusal.at;
      if (refusal.at < seen.at) seen.at = refusal.at;
      return;
    }
    this.pending.set(key, { ...refusal, lastAt: refusal.at, count: 1 });
    if (this.pending.size >= this.maxPending) void this.flush();
  }

  /** Attempts counted but not yet written. */
  get pendingAttempts(): number {
    let n = 0;
    for (const row of this.pending.values()) n += row.count;
    return n;
  }

  /** Writes the counted rows in one transaction; on failure they are kept for the next try. */
  flush(): Promise<void> {
    // Taken now, so memory is bounded at once; written in order after any earlier batch.
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.writing.then(() => this.writeBatch(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeBatch(batch: Map<string, Counted>): Promise<void> {
    if (batch.size === 0) return;
    try {
      await withImmediateTransaction(this.db, async (trx) => {
        for (const row of batch.values()) {
          await writeAudit(trx, {
            at: row.at,
            actor: row.actor,
            handler: row.handler,
            recordType: row.recordType,
            recordId: row.recordId,
            outcome: row.outcome,
            detail: row.detail,
            count: row.count,
            lastAt: row.lastAt,
            source: row.source,
          });
        }
      });
    } catch (err) {
      this.log(`audit: could not write ${batch.size} counted refusal row(s), will retry: ${(err as Error).message}`);
      for (const [key, row] of batch) {
        const newer = this.pending.get(key);
        if (newer) {
          newer.count += row.count;
          if (row.at < newer.at) newer.at = row.at;
          if (row.lastAt > newer.lastAt) newer.lastAt = row.lastAt;
        } else {
          this.pending.set(key, row);
        }
      }
    }
  }
}
