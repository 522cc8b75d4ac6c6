import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where an empty database file was moved, for the log, the audit and the setup screen. */
export interface MovedEmptyDatabase {
  movedTo: string;
  message: string;
}

/** The audit row that remembers the move (the setup screen reads it). */
export const EMPTY_DATABASE_AUDIT = { handler: 'app/open', recordType: 'empty-database-moved' } as const;

export class EmptyDatabaseWithWalError extends Error {
  constructor(file: string) {
    super(
      `The database file ${file} is empty (0 bytes) but its write-ahead log ${path.basename(file)}-wal is not: ` +
        'the clinic’s data may be in that log. Nothing was changed. Restore the folder from a backup, ' +
        'or move both files aside yourself to start a new clinic.',
    );
    this.name = 'EmptyDatabaseWithWalError';
  }
}

const sizeOf = (file: string): number | null => {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
};

/** 2026-12-01T09:30:00.123Z → 2026-12-01T09-30-00Z (safe in file names on every platform). */
export const fileStamp = (now: Date): string => now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');

/**
 * A database file that exists but is empty (a bad copy, a full disk, an interrupted restore)
 * must never silently become a new clinic. We move it aside under a dated name and say so —
 * rather than refuse — because a 0-byte file holds nothing to lose, the dated file keeps the
 * evidence, and a desk that refuses to start leaves the receptionist with no way forward;
 * the setup screen then tells whoever sets up the new clinic what happened and to restore a
 * backup if they expected data. Only a folder with no database file starts fresh silently.
 * An empty file beside a non-empty `-wal` is refused: the data may be in the log.
 */
export function setAsideEmptyDatabase(dbFile: string, now: Date): MovedEmptyDatabase | null {
  if (sizeOf(dbFile) !== 0) return null;
  const wal = `${dbFile}-wal`;
  if ((sizeOf(wal) ?? 0) > 0) throw new EmptyDatabaseWithWalError(dbFile);
  let movedTo = `${dbFile}.empty-${fileStamp(now)}`;
  for (let n = 2; existsSync(movedTo); n++) movedTo = `${dbFile}.empty-${fileStamp(now)}-${n}`;
  renameSync(dbFile, movedTo);
  rmSync(wal, { force: true });
  rmSync(`${dbFile}-shm`, { force: true });
  return {
    movedTo,
    message:
      `The database file was empty (0 bytes) and was moved aside to ${path.basename(movedTo)} in the data folder; ` +
      'a new, empty clinic was started. If you expected your clinic’s data, close Clinic Desk and restore a backup ' +
      '(see “Where the data lives, and backups” in the README).',
  };
}
