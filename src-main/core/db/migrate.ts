import { migrations as knownMigrations, type Migration } from '../../../migrations/index.js';
import type { RawDb } from './database.js';

export class DatabaseTooNewError extends Error {
  constructor(file: string, unknown: string[]) {
    super(
      `This database (${file}) was written by a newer or different version of Clinic Desk: ` +
        `it has migration(s) ${unknown.join(', ')} that this version does not know. ` +
        'Install the newer Clinic Desk to open it. The file was not changed.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** The schema version is the count of applied migrations. */
export function schemaVersion(raw: RawDb): number {
  return appliedMigrations(raw).length;
}

function appliedMigrations(raw: RawDb): string[] {
  const table = raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'")
    .get();
  if (!table) return [];
  return (raw.prepare('SELECT name FROM schema_migration ORDER BY id').all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

/**
 * Applies the known migrations that are not yet applied, each in its own immediate
 * transaction. Refuses a database whose applied migrations are not a prefix of the known
 * list (written by a newer version, or by a branch): such a file is never "repaired".
 */
export function migrate(
  raw: RawDb,
  file: string,
  migrations: readonly Migration[] = knownMigrations,
  now: () => string = () => new Date().toISOString(),
): { applied: string[]; schemaVersion: number } {
  raw.exec(
    'CREATE TABLE IF NOT EXISTS schema_migration (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL) STRICT',
  );
  const applied = appliedMigrations(raw);
  const known = migrations.map((m) => m.name);
  const mismatch = applied.findIndex((name, i) => known[i] !== name);
  if (mismatch >= 0) {
    throw new DatabaseTooNewError(file, applied.slice(mismatch));
  }
  const pending = migrations.slice(applied.length);
  const insert = raw.prepare('INSERT INTO schema_migration (id, name, applied_at) VALUES (?, ?, ?)');
  const done: string[] = [];
  for (const [offset, migration] of pending.entries()) {
    const apply = raw.transaction(() => {
      migration.up(raw);
      insert.run(applied.length + offset + 1, migration.name, now());
    });
    apply.immediate();
    done.push(migration.name);
  }
  return { applied: done, schemaVersion: applied.length + done.length };
}
