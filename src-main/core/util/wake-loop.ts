/**
 * A background loop on a timer, shared by the change log's runner, the notification sender and
 * the Stripe follow-up: `wake()` runs a pass soon (after a commit), never two at once; a wake
 * during a pass runs one more, and a pass that returns true (more may be due) runs again at once.
 * Not started (or stopped), `wake()` does nothing — the owners' `runOnce()` still works for tests.
 */
export class WakeLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<boolean | void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Stopped: a pass in progress should end at its next safe point. */
  get halted(): boolean {
    return this.stopped;
  }

  start(intervalMs: number): void {
    this.started = true;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops the timer and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if ((await this.pass()) === true) this.again = true;
        } while (this.again && !this.stopped);
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = null;
      }
    })();
  }
}
