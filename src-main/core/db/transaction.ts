import { sql } from 'kysely';
import type { Db } from './database.js';
import { DomainError } from '../errors.js';

/**
 * Runs `fn` inside `BEGIN IMMEDIATE` on the one connection: the write lock is taken up
 * front, so checks and writes inside cannot interleave with another writer (another
 * process included). A DomainError with `keepChanges` commits before it is rethrown.
 */
export async function withImmediateTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (err) {
      if (err instanceof DomainError && err.keepChanges) await commitOrRollBack(conn);
      else await rollBackQuietly(conn);
      throw err;
    }
    await commitOrRollBack(conn);
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
