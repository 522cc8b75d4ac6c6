import type { Clock } from '../../src-main/core/context.js';

/** A Wednesday, mid-morning in New York (the demo clinic's zone), after the DST switch. */
export const DEFAULT_TEST_NOW = '2026-03-11T15:00:00.000Z';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  private ms: number;

  constructor(iso: string = DEFAULT_TEST_NOW) {
    this.ms = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(by: { ms?: number; seconds?: number; minutes?: number }): void {
    this.ms += (by.ms ?? 0) + (by.seconds ?? 0) * 1000 + (by.minutes ?? 0) * 60_000;
  }
}
