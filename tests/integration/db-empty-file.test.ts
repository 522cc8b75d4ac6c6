import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openApp } from '../../src-main/app.js';
import { EmptyDatabaseWithWalError } from '../../src-main/core/db/empty-file.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

let dir: string;
let file: string;
const clock = new FakeClock('2026-12-01T09:30:00.000Z');

beforeEach(() => {
  dir = tempDataDir();
  file = path.join(dir, DB_FILE_NAME);
});
afterEach(() => removeDir(dir));

const dbFiles = () => readdirSync(dir).filter((f) => f.startsWith(DB_FILE_NAME)).sort();

const status = async (app: Awaited<ReturnType<typeof openApp>>) => {
  const outcome = await app.dispatch('setup/status', {});
  if (!outcome.result.ok) throw new Error('setup/status failed');
  return outcome.result.data as { needsSetup: boolean; notice: string | null };
};

describe('a database file that exists but is empty (0 bytes)', () => {
  it('is moved aside under a dated name, said in the log and on the setup screen, and a new database starts', async () => {
    writeFileSync(file, '');
    const lines: string[] = [];
    const app = await openApp({ dataDir: dir, clock, log: (line) => lines.push(line) });
    try {
      const movedName = `${DB_FILE_NAME}.empty-2026-12-01T09-30-00Z`;
      expect(dbFiles()).toContain(movedName);
      expect(statSync(path.join(dir, movedName)).size).toBe(0);
      expect(statSync(file).size).toBeGreaterThan(0); // the new database
      expect(lines.join('\n')).toMatch(/database file was empty \(0 bytes\) and was moved aside to clinic-desk\.sqlite\.empty-2026-12-01T09-30-00Z/);
      expect(app.notices).toHaveLength(1);
      const s = await status(app);
      expect(s.needsSetup).toBe(true);
      expect(s.notice).toMatch(/^The database file was empty \(0 bytes\) and was moved aside to clinic-desk\.sqlite\.empty-2026-12-01T09-30-00Z.*restore a backup/);
    } finally {
      await app.close();
    }

    // After a restart, before anyone set the clinic up, the setup screen still says it; nothing more is moved.
    const again = await openApp({ dataDir: dir, clock, log: () => {} });
    try {
      expect(again.notices).toEqual([]);
      expect(dbFiles().filter((f) => f.includes('.empty-'))).toHaveLength(1);
      expect((await status(again)).notice).toMatch(/moved aside/);
      const init = await again.dispatch('setup/initialize', {
        clinicName: 'Riverside',
        timeZone: 'Europe/Paris',
        currency: 'EUR',
        admin: { username: 'boss', displayName: 'Boss', password: 'correct horse battery' },
      });
      expect(init.result.ok).toBe(true);
      expect((await status(again)).notice).toBeNull();
    } finally {
      await again.close();
    }
  });

  it('a second empty file later gets its own dated name; nothing is overwritten', async () => {
    writeFileSync(file, '');
    writeFileSync(`${file}.empty-2026-12-01T09-30-00Z`, 'earlier');
    const app = await openApp({ dataDir: dir, clock, log: () => {} });
    await app.close();
    expect(readFileSync(`${file}.empty-2026-12-01T09-30-00Z`, 'utf8')).toBe('earlier');
    expect(dbFiles()).toContain(`${DB_FILE_NAME}.empty-2026-12-01T09-30-00Z-2`);
  });

  it('is refused, untouched, when its write-ahead log is not empty (the data may be there)', async () => {
    writeFileSync(file, '');
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 7));
    const opening = openApp({ dataDir: dir, clock, log: () => {} });
    await expect(opening).rejects.toBeInstanceOf(EmptyDatabaseWithWalError);
    await expect(opening).rejects.toThrow(/is empty \(0 bytes\) but its write-ahead log .* is not.*Nothing was changed/s);
    expect(dbFiles()).toEqual([DB_FILE_NAME, `${DB_FILE_NAME}-wal`]);
    expect(statSync(file).size).toBe(0);
  });

  it('only a folder with no database file starts fresh without a word', async () => {
    const lines: string[] = [];
    const app = await openApp({ dataDir: dir, clock, log: (line) => lines.push(line) });
    try {
      expect(app.notices).toEqual([]);
      expect(lines.filter((l) => /moved aside/.test(l))).toEqual([]);
      expect((await status(app)).notice).toBeNull();
      expect(dbFiles().filter((f) => f.includes('.empty-'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
