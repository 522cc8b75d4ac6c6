import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, openApp } from '../../src-main/app.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

const LOCK = 'clinic-desk.lock';
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

/** Another live process (standing in for a running Clinic Desk) that owns the lock. */
async function lockHeldByAnotherProcess(): Promise<number> {
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const pid = child.pid!;
  writeFileSync(path.join(dir, LOCK), String(pid));
  return pid;
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
    expect(readFileSync(path.join(dir, LOCK), 'utf8')).toBe(String(pid));
  });

  it('takes over once the process holding the lock has died', async () => {
    const pid = await lockHeldByAnotherProcess();
    await expect(openApp({ dataDir: dir, log: () => {} })).rejects.toBeInstanceOf(DataDirInUseError);
    await stopChild();
    expect(isAlive(pid)).toBe(false);

    const app = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(readFileSync(path.join(dir, LOCK), 'utf8')).toBe(String(process.pid));
    } finally {
      await app.close();
    }
  });

  it('takes over a stale lock file naming a dead pid', async () => {
    expect(isAlive(999999)).toBe(false);
    writeFileSync(path.join(dir, LOCK), '999999');

    const app = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(readFileSync(path.join(dir, LOCK), 'utf8')).toBe(String(process.pid));
      expect(app.schemaVersion).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('releases the lock on close, so a new open works', async () => {
    const first = await openApp({ dataDir: dir, log: () => {} });
    expect(existsSync(path.join(dir, LOCK))).toBe(true);
    await first.close();
    expect(existsSync(path.join(dir, LOCK))).toBe(false);

    const second = await openApp({ dataDir: dir, log: () => {} });
    try {
      expect(second.raw.open).toBe(true);
      expect(readFileSync(path.join(dir, LOCK), 'utf8')).toBe(String(process.pid));
    } finally {
      await second.close();
    }
  });

  it('can skip the lock when asked (lock: false)', async () => {
    const app = await openApp({ dataDir: dir, lock: false, log: () => {} });
    try {
      expect(existsSync(path.join(dir, LOCK))).toBe(false);
    } finally {
      await app.close();
    }
  });
});
