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
      if (err instanceof DomainError && err.keepChanges) {
        await sql`COMMIT`.execute(conn);
      } else {
        await sql`ROLLBACK`.execute(conn);
      }
      throw err;
    }
    await sql`COMMIT`.execute(conn);
    return result;
  });
}
