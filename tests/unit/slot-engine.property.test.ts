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
const dayInterval = fc
  .tuple(minute, fc.integer({ min: 1, max: 600 }))
  .map(([start, len]) => ({ start, end: Math.min(1440, start + len) }));
/** Night hours: an end past 24:00 is on the next day's wall clock (22:00–02:00 is 1320–1560); at most a day long. */
const overnightInterval = fc
  .tuple(fc.oneof(fc.integer({ min: 1080, max: 1439 }), fc.integer({ min: 0, max: 1439 })), fc.oneof(fc.integer({ min: 60, max: 600 }), fc.integer({ min: 1, max: 1440 })))
  .map(([start, len]) => ({ start, end: start + len }));
/** Up to 24:00, or ending exactly at midnight then starting at 00:00 the next day (the split form of night hours). */
const interval = fc.oneof({ weight: 3, arbitrary: dayInterval }, { weight: 2, arbitrary: overnightInterval }, { weight: 1, arbitrary: fc.integer({ min: 900, max: 1439 }).map((start) => ({ start, end: 1440 })) });

const planArb = (doctorId: string, locations: string[], days: string[]) =>
  fc.record({
    timeOffZone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
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
                ...(raw.timeOffZone ? { timeOffZone: raw.timeOffZone } : {}),
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
  }, 300_000);

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

/** The nights the clocks change in each zone (the local date the night starts on), 2026. */
const DST_NIGHTS: Array<[string, string]> = [
  ['America/New_York', '2026-03-07'],
  ['America/New_York', '2026-10-31'],
  ['Europe/London', '2026-03-28'],
  ['Europe/London', '2026-10-24'],
  ['Australia/Sydney', '2026-04-04'],
  ['Australia/Sydney', '2026-10-03'],
  ['Australia/Lord_Howe', '2026-04-04'],
  ['Australia/Lord_Howe', '2026-10-03'],
  // Santiago changes at midnight itself: 2026-04-05 00:00 happens twice (clocks go back at 24:00 on the 4th), 2026-09-06 00:00 does not exist.
  ['America/Santiago', '2026-04-04'],
  ['America/Santiago', '2026-09-05'],
];

describe('night hours on the nights the clocks change', () => {
  it('agrees with the reference for overnight and split-at-midnight hours', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DST_NIGHTS),
        fc.integer({ min: 1020, max: 1439 }),
        fc.integer({ min: 60, max: 900 }),
        fc.boolean(),
        fc.constantFrom(10, 15, 20, 30, 45, 60),
        fc.integer({ min: 5, max: 120 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 5, max: 90 })), { maxLength: 3 }),
        ([zone, night], start, len, split, slotMinutes, duration, busy) => {
          const weekday = DateTime.fromISO(night).weekday;
          const end = start + len;
          const weekly = split
            ? [
                { locationId: 'L1', weekday, startMinute: start, endMinute: 1440 },
                { locationId: 'L1', weekday: (weekday % 7) + 1, startMinute: 0, endMinute: Math.max(1, end - 1440) },
              ]
            : [{ locationId: 'L1', weekday, startMinute: start, endMinute: end }];
          const base = DateTime.fromISO(night, { zone }).startOf('day').toMillis();
          const plan: DoctorPlan = {
            doctorId: 'D1',
            slotMinutes,
            bufferMinutes: 0,
            weekly,
            exceptions: [],
            busy: busy.map(([s, l]) => ({ start: base + (960 + s) * MINUTE, end: base + (960 + s + l) * MINUTE })),
          };
          const zones = new Map([['L1', zone]]);
          const q: SlotQuery = { from: base, to: base + 48 * 60 * MINUTE, durationMinutes: duration, notBefore: 0, notAfter: Infinity };
          const engine = computeSlots([plan], zones, q);
          expect(engine).toEqual(referenceSlots([plan], zones, q));
          // Real time: the slots of one overnight interval use exactly its real minutes, no more, no fewer.
          if (!split && busy.length === 0 && engine.length > 0) {
            const first = engine[0]!.start;
            expect(first).toBe(DateTime.fromISO(night, { zone }).startOf('day').plus({ minutes: start }).toMillis());
          }
        },
      ),
      { numRuns: 80, seed: 20261201 },
    );
  }, 300_000);

  it('gives the real hours of a 22:00–02:00 night in Santiago when midnight is skipped or repeated', () => {
    const zones = new Map([['L1', 'America/Santiago']]);
    const slots = (night: string) => {
      const weekday = DateTime.fromISO(night).weekday;
      const plan: DoctorPlan = { doctorId: 'D1', slotMinutes: 60, bufferMinutes: 0, weekly: [{ locationId: 'L1', weekday, startMinute: 1320, endMinute: 1560 }], exceptions: [], busy: [] };
      const from = DateTime.fromISO(night, { zone: 'America/Santiago' }).toMillis();
      return computeSlots([plan], zones, { from, to: from + 36 * 3_600_000, durationMinutes: 60, notBefore: 0, notAfter: Infinity }).map(
        (s) => `${s.localDate} ${s.localTime} ${new Date(s.start).toISOString().slice(11, 16)}Z`,
      );
    };
    // 6 September: 00:00 does not exist (23:59 → 01:00), so 22:00–02:00 is three real hours.
    expect(slots('2026-09-05')).toEqual(['2026-09-05 22:00 02:00Z', '2026-09-05 23:00 03:00Z', '2026-09-06 01:00 04:00Z']);
    // 5 April: 23:00–24:00 happens twice (clocks go back at midnight), so 22:00–02:00 is five real hours.
    expect(slots('2026-04-04')).toEqual([
      '2026-04-04 22:00 01:00Z',
      '2026-04-04 23:00 02:00Z',
      '2026-04-04 23:00 03:00Z',
      '2026-04-05 00:00 04:00Z',
      '2026-04-05 01:00 05:00Z',
    ]);
  });
});
