import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyselyOver, openRaw, type Db, type RawDb } from '../../src-main/core/db/database.js';
import { migrate } from '../../src-main/core/db/migrate.js';
import { withImmediateTransaction } from '../../src-main/core/db/transaction.js';
import { DomainError } from '../../src-main/core/errors.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

let dir: string;
let file: string;
let raw: RawDb;
let db: Db;

beforeEach(() => {
  dir = tempDataDir();
  file = path.join(dir, 'tx.sqlite');
  raw = openRaw(file);
  migrate(raw, file);
  db = kyselyOver(raw);
});
afterEach(async () => {
  await db.destroy();
  removeDir(dir);
});

const addSetting = (trx: Db, key: string) =>
  trx.insertInto('setting').values({ key, value: '1', updated_at: '2026-01-01T00:00:00.000Z', updated_by: null }).execute();
const keys = () => (raw.prepare('SELECT key FROM setting ORDER BY key').all() as Array<{ key: string }>).map((r) => r.key);

describe('withImmediateTransaction', () => {
  it('commits and returns the result', async () => {
    const out = await withImmediateTransaction(db, async (trx) => {
      await addSetting(trx, 'a');
      return 42;
    });
    expect(out).toBe(42);
    expect(keys()).toEqual(['a']);
    expect(raw.inTransaction).toBe(false);
  });

  it('rolls back on an error and rethrows it', async () => {
    await expect(
      withImmediateTransaction(db, async (trx) => {
        await addSetting(trx, 'b');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(keys()).toEqual([]);
    expect(raw.inTransaction).toBe(false);
  });

  it('rolls back on a DomainError, but commits one marked keepChanges', async () => {
    await expect(
      withImmediateTransaction(db, async (trx) => {
        await addSetting(trx, 'dropped');
        throw new DomainError('x/no', 'No.');
      }),
    ).rejects.toMatchObject({ code: 'x/no' });
    await expect(
      withImmediateTransaction(db, async (trx) => {
        await addSetting(trx, 'kept');
        throw new DomainError('auth/invalid-credentials', 'No.', { keepChanges: true });
      }),
    ).rejects.toMatchObject({ code: 'auth/invalid-credentials' });
    expect(keys()).toEqual(['kept']);
  });

  it('holds the write lock from the start, so another connection cannot write meanwhile', async () => {
    const other = openRaw(file, { busyTimeoutMs: 0 });
    try {
      await withImmediateTransaction(db, async () => {
        expect(() => other.exec("INSERT INTO setting (key, value, updated_at, updated_by) VALUES ('other', '1', 'x', NULL)")).toThrow(/database is locked/);
      });
      other.exec("INSERT INTO setting (key, value, updated_at, updated_by) VALUES ('other', '1', 'x', NULL)");
      expect(keys()).toEqual(['other']);
    } finally {
      other.close();
    }
  });

  it('runs concurrent transactions one after the other', async () => {
    const order: string[] = [];
    await Promise.all(
      ['p', 'q', 'r'].map((k) =>
        withImmediateTransaction(db, async (trx) => {
          order.push(`start ${k}`);
          await addSetting(trx, k);
          await new Promise((r) => setTimeout(r, 5));
          order.push(`end ${k}`);
        }),
      ),
    );
    expect(order).toEqual(['start p', 'end p', 'start q', 'end q', 'start r', 'end r']);
    expect(keys()).toEqual(['p', 'q', 'r']);
  });
});
