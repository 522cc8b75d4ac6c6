import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw } from '../../src-main/core/db/database.js';
import { openTestApp, type TestApp } from '../helpers/test-app.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

describe('every connection gets the pragmas the app relies on', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp();
  });
  afterAll(async () => {
    await app.dispose();
  });

  it('uses WAL, foreign keys, synchronous FULL and a busy timeout', () => {
    expect(app.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(app.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(app.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(app.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('enforces foreign keys', () => {
    const insert = () =>
      app.raw.prepare("INSERT INTO doctor_specialization (doctor_id, specialization_id) VALUES ('no-doctor', 'no-spec')").run();
    expect(insert).toThrow(/FOREIGN KEY constraint failed/);
  });
});

describe('openRaw options', () => {
  it('takes a custom busy timeout', () => {
    const dir = tempDataDir();
    const raw = openRaw(path.join(dir, 'x.sqlite'), { busyTimeoutMs: 1234 });
    try {
      expect(raw.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
      removeDir(dir);
    }
  });
});
