import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { DB } from './schema.js';

export type RawDb = Database.Database;
export type Db = Kysely<DB>;

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for another ABI (Electron); tests use the default. */
  nativeBinding?: string;
  readonly?: boolean;
  busyTimeoutMs?: number;
  /** Skip `PRAGMA quick_check` (benchmarks opening big files measure it separately). */
  skipIntegrityCheck?: boolean;
}

export class DatabaseIntegrityError extends Error {
  constructor(file: string, problems: string[]) {
    super(
      `The database file ${file} failed its integrity check (${problems.slice(0, 3).join('; ').split('\n').slice(0, 3).join(' ').slice(0, 500)}). ` +
        'It was left untouched: restore it from a backup, or move it aside to start a new one.',
    );
    this.name = 'DatabaseIntegrityError';
  }
}

/** better-sqlite3's addon was built for another runtime (Node vs Electron) or is missing. */
export class NativeModuleError extends Error {
  constructor(detail: string) {
    super(
      'The SQLite module (better-sqlite3) is not built for this runtime. Reinstall Clinic Desk, or in a ' +
        `development checkout run \`npm start\`, which builds it for Electron. (${detail.split('\n')[0]})`,
    );
    this.name = 'NativeModuleError';
  }
}

const NATIVE_FAILURE =
  /NODE_MODULE_VERSION|compiled against a different|not a valid Win32|invalid ELF|wrong ELF|dlopen|Could not locate the bindings|Cannot find module .*\.node/i;

/**
 * Opens (or creates) a clinic database file with the pragmas every connection needs:
 * WAL, foreign keys, synchronous=FULL, a busy timeout. A file that fails `quick_check`
 * is reported, never recreated.
 */
export function openRaw(file: string, options: OpenOptions = {}): RawDb {
  let raw: RawDb;
  try {
    raw = new Database(file, {
      readonly: options.readonly ?? false,
      nativeBinding: options.nativeBinding,
    });
  } catch (err) {
    const message = (err as Error).message;
    if (/not a database|malformed|corrupt|encrypted/i.test(message)) throw new DatabaseIntegrityError(file, [message]);
    if (NATIVE_FAILURE.test(message)) throw new NativeModuleError(message);
    throw err;
  }
  try {
    raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      raw.pragma('journal_mode = WAL');
    }
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = FULL');
    if (!options.skipIntegrityCheck) {
      const rows = raw.pragma('quick_check') as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) throw new DatabaseIntegrityError(file, problems);
    }
  } catch (err) {
    raw.close();
    if (err instanceof DatabaseIntegrityError) throw err;
    const message = (err as Error).message;
    if (/not a database|malformed|corrupt/i.test(message)) {
      throw new DatabaseIntegrityError(file, [message]);
    }
    throw err;
  }
  return raw;
}

/**
 * Kysely prepares a statement for every query; compiling the same SQL again costs more than
 * running it. This keeps the most recent statements per SQL text (better-sqlite3 statements
 * are reusable, and SQLite re-prepares them itself after a schema change).
 */
export function cachedStatements(raw: RawDb, capacity = 500): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // most recently used goes last
      } else {
        statement = raw.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

export function kyselyOver(raw: RawDb): Db {
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: cachedStatements(raw) }) });
}
