import type { RawDb } from '../../src-main/core/db/database.js';

/** Names of the user tables in a database, sorted. */
export function tableNames(raw: RawDb): string[] {
  return (
    raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
}

export interface MigrationRow {
  id: number;
  name: string;
  applied_at: string;
}

export function migrationRows(raw: RawDb): MigrationRow[] {
  return raw.prepare('SELECT id, name, applied_at FROM schema_migration ORDER BY id').all() as MigrationRow[];
}

/** The whole schema as SQLite stores it: every table, index and trigger with its SQL. */
export function schemaSql(raw: RawDb): Array<{ type: string; name: string; sql: string | null }> {
  return raw.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as Array<{
    type: string;
    name: string;
    sql: string | null;
  }>;
}
