import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTestApp } from '../helpers/test-app.js';
import { removeDir } from '../helpers/temp-dir.js';

describe('WAL checkpoints run off the request path', () => {
  it('turns off the in-commit checkpoint and copies the log into the database from a worker', async () => {
    const app = await openTestApp();
    try {
      expect(app.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const sizeBefore = statSync(app.dbFile).size;
      const insert = app.raw.prepare('INSERT INTO change_digest (day, entity, changes) VALUES (?, ?, 1)');
      const many = app.raw.transaction(() => {
        for (let i = 0; i < 400; i++) insert.run(String(i), 'x'.repeat(2000));
      });
      many();
      // The commit left ~1 MB in the WAL; the worker copies it into the main file within seconds.
      const deadline = Date.now() + 10_000;
      while (statSync(app.dbFile).size < sizeBefore + 500_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(app.dbFile).size).toBeGreaterThan(sizeBefore + 500_000);
    } finally {
      await app.dispose();
    }
  });

  it('leaves nothing in the WAL after close', async () => {
    const app = await openTestApp();
    const walFile = `${app.dbFile}-wal`;
    app.raw.prepare("INSERT INTO change_digest (day, entity, changes) VALUES ('2026-01-01', 't', 1)").run();
    await app.close();
    let walSize: number;
    try {
      walSize = statSync(walFile).size;
    } catch {
      walSize = 0; // removed on close
    }
    expect(walSize).toBe(0);
    removeDir(app.dataDir);
  });
});
