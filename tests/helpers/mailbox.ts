import { fork, type ChildProcess } from 'node:child_process';

/**
 * Messages from worker processes, waited for by shape: the race tests fork real processes
 * and collect their reports here. A `failed` message from any worker fails the wait at once.
 */
export class Mailbox<M extends { type: string }> {
  private readonly inbox: M[] = [];
  private readonly waiters: Array<() => void> = [];

  push(message: M): void {
    this.inbox.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Waits until `count` messages match (and takes them), or fails after `ms`. */
  async collect<T extends M>(match: (m: M) => m is T, count: number, ms: number): Promise<T[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const failed = this.inbox.find((m) => m.type === 'failed');
      if (failed) throw new Error(`a worker failed: ${(failed as unknown as { message: string }).message}`);
      const found = this.inbox.filter(match);
      if (found.length >= count) {
        for (const m of found) this.inbox.splice(this.inbox.indexOf(m), 1);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} messages; have ${JSON.stringify(this.inbox)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/**
 * Ends worker processes: asks each to exit (`askToExit`), and kills one that has not gone
 * after 5 seconds. Resolves when every one is gone.
 */
export function stopWorkers(children: readonly ChildProcess[], askToExit: (child: ChildProcess) => void): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          if (child.connected) askToExit(child);
          else child.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

/**
 * Forks `count` worker processes running `script` under tsx (worker i sees RACE_WORKER=i); their
 * messages go to `mail`, and a worker that exits with an error posts a `failed` message there.
 */
export function forkWorkers<M extends { type: string }>(script: string, count: number, cwd: string, mail: Mailbox<M>): ChildProcess[] {
  return Array.from({ length: count }, (_, i) => {
    const child = fork(script, [], {
      cwd,
      execPath: process.execPath,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, RACE_WORKER: String(i) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m: M) => mail.push(m));
    child.on('exit', (code) => {
      if (code !== 0) mail.push({ type: 'failed', worker: i, message: `exited with ${code}` } as unknown as M);
    });
    return child;
  });
}
