import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RawDb } from './database.js';

/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit
 * that crosses 1,000 WAL pages, so every few dozen writes one commit also copies the log into
 * the database (several ms, with fsyncs). Instead a worker thread with its own connection runs
 * a PASSIVE checkpoint every second, which never blocks writers. If the worker cannot start,
 * the automatic checkpoint is switched back on: nothing is ever lost either way, since the
 * WAL is durable on commit (synchronous=FULL).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { nativeBinding: workerData.nativeBinding });
db.pragma('busy_timeout = 2000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(
  raw: RawDb,
  file: string,
  options: { nativeBinding?: string; intervalMs?: number; log?: (line: string) => void } = {},
): Checkpointer {
  const log = options.log ?? ((line: string) => console.error(line));
  const automatic = () => {
    try {
      raw.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the connection is already closed
    }
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        file,
        nativeBinding: options.nativeBinding,
        intervalMs: options.intervalMs ?? 1000,
      },
    });
  } catch (err) {
    log(`checkpointer: not started (${(err as Error).message}); SQLite checkpoints on commit instead`);
    return { stop: async () => {} };
  }
  raw.pragma('wal_autocheckpoint = 0');
  worker.unref();
  let alive = true;
  worker.on('error', (err) => {
    log(`checkpointer: stopped (${err.message}); SQLite checkpoints on commit instead`);
    alive = false;
    automatic();
  });
  worker.on('exit', () => {
    if (alive) automatic();
    alive = false;
  });
  return {
    async stop() {
      if (!alive) return;
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(() => void worker.terminate().then(() => resolve()), 3000);
        worker.on('message', (message) => {
          if (message === 'stopped') {
            clearTimeout(timeout);
            void worker.terminate().then(() => resolve());
          }
        });
        worker.on('exit', () => {
          clearTimeout(timeout);
          resolve();
        });
        worker.postMessage('stop');
      });
      automatic();
    },
  };
}
