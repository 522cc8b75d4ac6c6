import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DataDirInUseError, openApp } from '../../src-main/app.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

const LOCK = 'clinic-desk.lock';
const PID = 'clinic-desk.pid';
let dir: string;
let child: ChildProcess | null = null;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Another live process running Clinic Desk on the same data directory. */
async function lockHeldByAnotherProcess(): Promise<number> {
  const holder = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/lock-holder.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  child = holder;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lock holder did not start')), 30_000);
    holder.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    holder.once('exit', () => reject(new Error('lock holder exited')));
  });
  return holder.pid!;
}

async function stopChild(): Promise<void> {
  const c = child;
  child = null;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });
}

beforeEach(() => {
  dir = tempDataDir();
});
afterEach(async () => {
  await stopChild();
  removeDir(dir);
});

describe('one running instance per data directory', () => {
  it('refuses to open a data directory another live process holds, with a clear message', async () => {
    const pid = await lockHeldByAnotherProcess();

    const opening = openApp({ dataDir: dir, log: () => {} });

    await expect(opening).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(opening).rejects.toThrow(`Clinic Desk is already running with the data directory ${dir} (process ${pid})`);
    expect(readFileSync(path.join(dir, PID), 'utf8')).toBe(String(pid));
  });

  it('takes over once the process holding the lock was killed (the OS drops its lock)', async () => {
    const pid = await lockHeldByAnotherProcess();
    await expect(openApp({ dataDir: dir, log: () => {} })).rejects.toBeInstanceOf(DataDirInUseError);
    await stopChild(); // SIGKILL: no clean-up ran, the pid file is stale
    expect(isAlive(pid)).toBe(false);
    expect(readFileSync(path.join(dir, PID), 'utf8')).toBe(String(pid));

    const app = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(readFileSync(path.join(dir, PID), 'utf8')).toBe(String(process.pid));
    } finally {
      await app.close();
    }
  });

  it('is not fooled by a stale pid file naming a live, unrelated process (pid reuse), nor by an old text lock', async () => {
    writeFileSync(path.join(dir, PID), '1');
    writeFileSync(path.join(dir, LOCK), '999999');

    const app = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(readFileSync(path.join(dir, PID), 'utf8')).toBe(String(process.pid));
      expect(app.schemaVersion).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('releases the lock on close, so a new open works', async () => {
    const first = await openApp({ dataDir: dir, log: () => {} });
    expect(existsSync(path.join(dir, PID))).toBe(true);
    await expect(openApp({ dataDir: dir, log: () => {} })).rejects.toBeInstanceOf(DataDirInUseError);
    await first.close();
    expect(existsSync(path.join(dir, PID))).toBe(false);

    const second = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(second.raw.open).toBe(true);
      expect(readFileSync(path.join(dir, PID), 'utf8')).toBe(String(process.pid));
    } finally {
      await second.close();
    }
  });

  it('can skip the lock when asked (lock: false)', async () => {
    const app = await openApp({ dataDir: dir, lock: false, log: () => {} });
    try {
      expect(existsSync(path.join(dir, LOCK))).toBe(false);
      expect(existsSync(path.join(dir, PID))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('the lock after a failed open', () => {
  it('is released when the database cannot be opened, so a later open can take it', async () => {
    const damaged = tempDataDir();
    try {
      writeFileSync(path.join(damaged, 'clinic-desk.sqlite'), 'not a database at all, just text'.repeat(200));
      await expect(openApp({ dataDir: damaged, log: () => {} })).rejects.toThrow();
      expect(existsSync(path.join(damaged, PID))).toBe(false);
      // The lock itself is free: a live holder would make this throw DataDirInUseError.
      const probe = new Database(path.join(damaged, LOCK), { timeout: 0 });
      expect(() => probe.exec('BEGIN EXCLUSIVE; COMMIT;')).not.toThrow();
      probe.close();
    } finally {
      removeDir(damaged);
    }
  });
});
