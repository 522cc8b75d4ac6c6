import type Database from 'better-sqlite3';

/** A forward-only migration. `up` runs inside the migrator's transaction. */
export interface Migration {
  readonly name: string;
  up(raw: Database.Database): void;
}
