/** Monotonic, nanosecond-resolution timing (process.hrtime.bigint), reported in milliseconds. */

export const nowNs = (): bigint => process.hrtime.bigint();

export const msSince = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e6;

/** Runs fn once and returns how long it took, with its result. */
export async function timeAsync<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = nowNs();
  const result = await fn();
  return { ms: msSince(start), result };
}

/** A stopwatch for timing only part of a function: start/stop around the region that counts. */
export class Stopwatch {
  private startedAt: bigint | null = null;
  private totalNs = 0n;
  private everStarted = false;

  start(): void {
    if (this.startedAt !== null) throw new Error('stopwatch already running');
    this.everStarted = true;
    this.startedAt = nowNs();
  }

  /** Whether start() was ever called. */
  get used(): boolean {
    return this.everStarted;
  }

  stop(): void {
    if (this.startedAt === null) throw new Error('stopwatch not running');
    this.totalNs += nowNs() - this.startedAt;
    this.startedAt = null;
  }

  get ms(): number {
    if (this.startedAt !== null) throw new Error('stopwatch still running');
    return Number(this.totalNs) / 1e6;
  }
}
