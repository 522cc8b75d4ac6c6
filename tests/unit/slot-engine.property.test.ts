import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { computeSlots, type DoctorPlan, type SlotQuery } from '../../src-main/core/scheduling/slot-engine.js';
import { referenceSlots } from '../helpers/reference-slots.js';

const MINUTE = 60_000;
/** Zones with DST in both hemispheres, a 30-minute DST (Lord Howe) and a midnight DST (Santiago). */
const ZONES = ['America/New_York', 'Australia/Sydney', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'];
/** Days around DST changes in those zones, plus an ordinary one. */
const DAYS = ['2026-03-08', '2026-11-01', '2026-04-05', '2026-10-04', '2026-03-29', '2026-10-25', '2026-09-06', '2026-04-04', '2026-06-17'];

/** Boundaries land often in the small hours, where clocks change. */
const minute = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 240 }), fc.constantFrom(0, 60, 90, 120, 150, 180, 210));
const interval = fc
  .tuple(minute, fc.integer({ min: 1, max: 600 }))
  .map(([start, len]) => ({ start, end: Math.min(1440, start + len) }));

const planArb = (doctorId: string, locations: string[], days: string[]) =>
  fc.record({
    slotMinutes: fc.constantFrom(10, 15, 20, 30, 45, 60),
    bufferMinutes: fc.constantFrom(0, 0, 5, 10),
    weekly: fc.array(
      fc.tuple(fc.constantFrom(...locations), fc.oneof(fc.integer({ min: 1, max: 7 }), fc.constantFrom(...days.map((d) => DateTime.fromISO(d).weekday))), interval).map(([locationId, weekday, i]) => ({ locationId, weekday, startMinute: i.start, endMinute: i.end })),
      { maxLength: 8 },
    ),
    exceptions: fc.array(
      fc
        .tuple(fc.constantFrom('time_off' as const, 'extra_hours' as const), fc.option(fc.constantFrom(...locations), { nil: null }), fc.constantFrom(...days), interval)
        .map(([kind, loc, date, i]) => ({ kind, locationId: kind === 'extra_hours' ? (loc ?? locations[0]!) : loc, date, startMinute: i.start, endMinute: i.end })),
      { maxLength: 4 },
    ),
    busy: fc.array(fc.tuple(fc.integer({ min: -2 * 1440, max: 3 * 1440 }), fc.integer({ min: 5, max: 120 })), { maxLength: 6 }),
  });

describe('slot engine against the brute-force reference', () => {
  it('agrees on random schedules around daylight-saving changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...DAYS),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: 0, max: 2 * 1440 }),
        fc.integer({ min: 0, max: 1440 }),
        (zoneA, zoneB, day, duration, noticeOffset, horizonCut) => {
          const zones = new Map([
            ['L1', zoneA],
            ['L2', zoneB],
          ]);
          const base = DateTime.fromISO(day, { zone: zoneA }).startOf('day').toMillis();
          const days = [-1, 0, 1].map((d) => DateTime.fromISO(day).plus({ days: d }).toISODate()!);
          // The inner assert throws on a counterexample, which fails the outer property.
          fc.assert(
            fc.property(planArb('D1', ['L1', 'L2'], days), (raw) => {
              const plan: DoctorPlan = {
                doctorId: 'D1',
                slotMinutes: raw.slotMinutes,
                bufferMinutes: raw.bufferMinutes,
                weekly: raw.weekly,
                exceptions: raw.exceptions,
                busy: raw.busy.map(([s, len]) => ({ start: base + s * MINUTE, end: base + (s + len) * MINUTE })),
              };
              const q: SlotQuery = {
                from: base - 6 * 60 * MINUTE,
                to: base + 30 * 60 * MINUTE,
                durationMinutes: duration,
                notBefore: base - 6 * 60 * MINUTE + noticeOffset * MINUTE,
                notAfter: base + 30 * 60 * MINUTE - horizonCut * MINUTE,
              };
              const engine = computeSlots([plan], zones, q);
              const reference = referenceSlots([plan], zones, q);
              expect(engine).toEqual(reference);
            }),
            // Deterministic: the inner runs are seeded from the outer case.
            { numRuns: 3, seed: noticeOffset * 7919 + horizonCut * 31 + duration },
          );
        },
      ),
      { numRuns: 60, seed: 20261124 },
    );
  }, 180_000);

  it('agrees with limitPerDoctor and two doctors', () => {
    const zones = new Map([['L1', 'Australia/Sydney']]);
    const base = DateTime.fromISO('2026-04-05', { zone: 'Australia/Sydney' }).toMillis();
    fc.assert(
      fc.property(planArb('A', ['L1'], ['2026-04-04', '2026-04-05', '2026-04-06']), planArb('B', ['L1'], ['2026-04-05']), fc.integer({ min: 1, max: 5 }), (a, b, limit) => {
        const toPlan = (id: string, raw: typeof a): DoctorPlan => ({
          doctorId: id,
          slotMinutes: raw.slotMinutes,
          bufferMinutes: raw.bufferMinutes,
          weekly: raw.weekly,
          exceptions: raw.exceptions,
          busy: raw.busy.map(([s, len]) => ({ start: base + s * MINUTE, end: base + (s + len) * MINUTE })),
        });
        const q: SlotQuery = { from: base, to: base + 26 * 60 * MINUTE, durationMinutes: 30, notBefore: 0, notAfter: Infinity, limitPerDoctor: limit };
        const plans = [toPlan('A', a), toPlan('B', b)];
        expect(computeSlots(plans, zones, q)).toEqual(referenceSlots(plans, zones, q));
      }),
      { numRuns: 40, seed: 7 },
    );
  }, 120_000);
});
