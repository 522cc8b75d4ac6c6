import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { localDateOf, localTime, zoneOffset } from '../../src-main/core/time/time.js';

const ZONES = ['America/New_York', 'Australia/Sydney', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kathmandu', 'Pacific/Chatham', 'Asia/Kolkata'];

describe('the memoised zone offset agrees with luxon at every instant', () => {
  it('on random instants of 2025–2027, minutes and all, in zones with odd offsets and DST', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }), (zone, at) => {
        const expected = DateTime.fromMillis(at, { zone });
        expect(zoneOffset(zone, at)).toBe(expected.offset);
        const iso = new Date(at).toISOString();
        expect(localTime(iso, zone)).toBe(expected.toFormat('HH:mm'));
        expect(localDateOf(iso, zone)).toBe(expected.toISODate());
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('on both sides of each transition, to the minute', () => {
    for (const zone of ZONES) {
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 3_600_000) {
        if (DateTime.fromMillis(at, { zone }).offset === DateTime.fromMillis(at + 3_600_000, { zone }).offset) continue;
        for (let m = -2; m <= 62; m++) {
          const t = at + m * 60_000;
          expect(zoneOffset(zone, t)).toBe(DateTime.fromMillis(t, { zone }).offset);
        }
      }
    }
  });
});
