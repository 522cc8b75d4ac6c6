import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openApp } from '../../src-main/app.js';
import { DatabaseIntegrityError, openRaw } from '../../src-main/core/db/database.js';
import { migrate } from '../../src-main/core/db/migrate.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = tempDataDir();
  file = path.join(dir, DB_FILE_NAME);
});
afterEach(() => removeDir(dir));

describe('a damaged database file is reported, never replaced', () => {
  it('refuses a file of garbage bytes and leaves it as it was', async () => {
    const garbage = Buffer.from('this is not a database, it is a shopping list. '.repeat(200));
    writeFileSync(file, garbage);

    const opening = openApp({ dataDir: dir, log: () => {} });

    await expect(opening).rejects.toBeInstanceOf(DatabaseIntegrityError);
    await expect(opening).rejects.toThrow(/failed its integrity check.*left untouched/s);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    // No new database, and the lock released (its file stays; only the pid file names a holder).
    expect(readdirSync(dir).filter((f) => f !== 'clinic-desk.lock')).toEqual([DB_FILE_NAME]);
  });

  it('refuses a real database whose pages were overwritten', async () => {
    const raw = openRaw(file);
    migrate(raw, file);
    raw.exec('CREATE TABLE filler (x TEXT); CREATE INDEX filler_x ON filler (x);');
    const insert = raw.prepare('INSERT INTO filler VALUES (?)');
    for (let i = 0; i < 1500; i++) insert.run(`row ${i} ${'.'.repeat(100)}`);
    // Pages of the filler table itself (not wherever the middle of the file falls: new migrations
    // move it, e.g. onto an empty index whose overwritten page quick_check cannot tell apart).
    const fillerPages = raw.prepare("SELECT pageno FROM dbstat WHERE name = 'filler' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
    raw.close();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const middle = fillerPages[Math.floor(fillerPages.length / 2)]! - 1; // dbstat numbers pages from 1
    for (let p = middle; p < middle + 3; p++) bytes.fill(0x41, p * pageSize + 8, (p + 1) * pageSize - 8);
    writeFileSync(file, bytes);

    await expect(openApp({ dataDir: dir, log: () => {} })).rejects.toBeInstanceOf(DatabaseIntegrityError);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(path.join(dir, 'clinic-desk.pid'))).toBe(false);
  });
});
