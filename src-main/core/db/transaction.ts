import { sql } from 'kysely';
import type { Db } from './database.js';
import { DomainError } from '../errors.js';

export const BUSY_MESSAGE = "The desk's database is busy (another window or desk is saving). Try again in a moment; nothing was saved.";

/** How a write that found the database locked (past SQLite's busy timeout) is retried. */
export interface BusyRetryPolicy {
  /** Further attempts after the first (bounded). */
  retries: number;
  baseMs: number;
  maxMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const defaultBusyRetry: BusyRetryPolicy = {
  retries: 4,
  baseMs: 100,
  maxMs: 2000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

let busyRetry: BusyRetryPolicy = defaultBusyRetry;
/** Tests swap the policy (a fake sleep that releases a lock holder); returns the previous one. */
export function setBusyRetryPolicy(policy: BusyRetryPolicy): BusyRetryPolicy {
  const previous = busyRetry;
  busyRetry = policy;
  return previous;
}

/** Exponential backoff with jitter: the n-th retry waits between half and all of base·2ⁿ (capped). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

let writeLockDepth = 0;
/** True while this process holds the database's write lock (between BEGIN IMMEDIATE and COMMIT). */
export const isWriteLockHeld = (): boolean => writeLockDepth > 0;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
};

/**
 * Runs `fn` inside `BEGIN IMMEDIATE` on the one connection: the write lock is taken up
 * front, so checks and writes inside cannot interleave with another writer (another
 * process included). A DomainError with `keepChanges` commits before it is rethrown.
 * When another connection holds the lock past the busy timeout, BEGIN is retried with
 * backoff; after the last retry the caller gets `db/busy` (nothing ran, nothing was saved).
 */
export async function withImmediateTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        break;
      } catch (err) {
        if (!isBusy(err)) throw err;
        const policy = busyRetry;
        if (attempt >= policy.retries) throw new DomainError('db/busy', BUSY_MESSAGE);
        await policy.sleep(backoffMs(attempt, policy.baseMs, policy.maxMs, policy.random));
      }
    }
    writeLockDepth++;
    let result: T;
    try {
      try {
        result = await fn(conn);
      } catch (err) {
        if (err instanceof DomainError && err.keepChanges) await commitOrRollBack(conn);
        else await rollBackQuietly(conn);
        throw err;
      }
      await commitOrRollBack(conn);
    } finally {
      writeLockDepth--;
    }
    return result;
  });
}

/** A failed COMMIT (disk full, I/O error) must not leave the one connection inside a transaction. */
async function commitOrRollBack(conn: Db): Promise<void> {
  try {
    await sql`COMMIT`.execute(conn);
  } catch (err) {
    await rollBackQuietly(conn);
    throw err;
  }
}

/** SQLite may already have rolled back by itself; that must not hide the original error. */
async function rollBackQuietly(conn: Db): Promise<void> {
  try {
    await sql`ROLLBACK`.execute(conn);
  } catch {
    // no transaction is active any more
  }
}
