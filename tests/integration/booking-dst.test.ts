import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * Daylight saving: a 09:00 appointment is 09:00 on the clinic's wall clock on both sides
 * of a change, so its UTC instant moves by the change in offset. Each clinic runs in its
 * own zone (settings and locations), with doctors working every day, and books through
 * booking/find-slots then booking/create as a desk would.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Change {
  name: string;
  before: string;
  change: string;
  after: string;
  /** UTC instants of 09:00 local on `before` and `after`. */
  utcBefore: string;
  utcAfter: string;
  /** after − before, in hours of real time (48 ± 1). */
  hoursBetween: number;
}

const zones: Array<{ zone: string; changes: Change[] }> = [
  {
    zone: 'America/New_York',
    changes: [
      { name: 'spring forward (8 March 2026, 02:00 → 03:00)', before: '2026-03-07', change: '2026-03-08', after: '2026-03-09', utcBefore: '2026-03-07T14:00:00.000Z', utcAfter: '2026-03-09T13:00:00.000Z', hoursBetween: 47 },
      { name: 'fall back (1 November 2026, 02:00 → 01:00)', before: '2026-10-31', change: '2026-11-01', after: '2026-11-02', utcBefore: '2026-10-31T13:00:00.000Z', utcAfter: '2026-11-02T14:00:00.000Z', hoursBetween: 49 },
    ],
  },
  {
    zone: 'Australia/Sydney',
    changes: [
      { name: 'autumn, end of summer time (5 April 2026, 03:00 → 02:00)', before: '2026-04-04', change: '2026-04-05', after: '2026-04-06', utcBefore: '2026-04-03T22:00:00.000Z', utcAfter: '2026-04-05T23:00:00.000Z', hoursBetween: 49 },
      { name: 'spring, start of summer time (4 October 2026, 02:00 → 03:00)', before: '2026-10-03', change: '2026-10-04', after: '2026-10-05', utcBefore: '2026-10-02T23:00:00.000Z', utcAfter: '2026-10-04T22:00:00.000Z', hoursBetween: 47 },
    ],
  },
  {
    zone: 'Europe/London',
    changes: [
      { name: 'spring forward (29 March 2026, 01:00 → 02:00)', before: '2026-03-28', change: '2026-03-29', after: '2026-03-30', utcBefore: '2026-03-28T09:00:00.000Z', utcAfter: '2026-03-30T08:00:00.000Z', hoursBetween: 47 },
      { name: 'fall back (25 October 2026, 02:00 → 01:00)', before: '2026-10-24', change: '2026-10-25', after: '2026-10-26', utcBefore: '2026-10-24T08:00:00.000Z', utcAfter: '2026-10-26T09:00:00.000Z', hoursBetween: 49 },
    ],
  },
];

describe.each(zones)('a clinic in $zone', ({ zone, changes }) => {
  let clinic: Clinic;

  beforeAll(async () => {
    // Monday 2 March 2026, early: every change of the year is within a 365-day horizon.
    clinic = await openClinic({ zone, now: '2026-03-02T00:00:00.000Z', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    await clinic.ok('admin', 'settings/update', { horizonDays: 365 });
  });
  afterAll(async () => {
    await clinic.dispose();
  });

  /** Finds the 09:00 slot of Dr Grey on a local date through find-slots, then books it. */
  async function book09(date: string, patient: number) {
    const found = await clinic.ok('deskA', 'booking/find-slots', {
      consultationTypeId: IDS.general,
      doctorId: IDS.grey,
      preferredDate: date,
      preferredTime: '09:00',
      days: 1,
      limit: 3,
    });
    expect(found.timeZone).toBe(zone);
    const slot = found.slots.find((s) => s.localDate === date && s.localTime === '09:00');
    expect(slot, `find-slots offers 09:00 on ${date}`).toBeDefined();
    const { appointment } = await clinic.ok('deskA', 'booking/create', {
      patientId: clinic.patients[patient]!.patientId,
      doctorId: slot!.doctorId,
      locationId: slot!.locationId,
      consultationTypeId: IDS.general,
      startAt: slot!.startAt,
      endAt: slot!.endAt,
    });
    return { slot: slot!, appointment };
  }

  describe.each(changes)('$name', (c) => {
    it('books 09:00 local the day before and the day after; their UTC instants differ by the offset change', async () => {
      const before = await book09(c.before, 0);
      const after = await book09(c.after, 1);
      for (const [b, date, utc] of [
        [before, c.before, c.utcBefore],
        [after, c.after, c.utcAfter],
      ] as const) {
        expect(b.slot.startAt).toBe(utc);
        expect(b.appointment).toMatchObject({ startAt: utc, localDate: date, localStart: '09:00', localEnd: '09:15', timeZone: zone });
        expect(Date.parse(b.appointment.endAt) - Date.parse(b.appointment.startAt)).toBe(15 * 60_000);
      }
      const between = Date.parse(after.appointment.startAt) - Date.parse(before.appointment.startAt);
      expect(between).toBe(c.hoursBetween * HOUR);
      expect(between - 2 * DAY).toBe((c.hoursBetween - 48) * HOUR);
    });

    it('books 09:00 on the day of the change itself, and the agenda of each day shows 09:00', async () => {
      const on = await book09(c.change, 2);
      expect(on.appointment.localStart).toBe('09:00');
      for (const date of [c.before, c.change, c.after]) {
        const day = await clinic.ok('deskA', 'agenda/day', { date });
        expect(day.items.filter((i) => i.doctorId === IDS.grey).map((i) => i.localStart)).toContain('09:00');
      }
    });

    it('never offers or accepts those 09:00 slots again, from any desk', async () => {
      for (const date of [c.before, c.change, c.after]) {
        const found = await clinic.ok('deskB', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId: IDS.grey, preferredDate: date, preferredTime: '09:00', days: 1, limit: 4 });
        const times = found.slots.filter((s) => s.localDate === date).map((s) => s.localTime);
        expect(times).not.toContain('09:00');
        expect(times).toContain('09:15');
        await clinic.err('deskB', 'booking/create', { patientId: clinic.patients[3]!.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at(date, '09:00') }, 'booking/slot-taken');
      }
      expect(clinic.overlaps()).toEqual([]);
    });

    it('keeps the day’s last slot at 16:45 local and refuses 17:00 on both sides of the change', async () => {
      for (const date of [c.before, c.change, c.after]) {
        await clinic.err('deskB', 'booking/create', { patientId: clinic.patients[3]!.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at(date, '17:00') }, 'booking/outside-hours');
        const { appointment } = await clinic.ok('deskB', 'booking/create', { patientId: clinic.patients[3]!.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at(date, '16:45') });
        expect(appointment.localEnd).toBe('17:00');
      }
    });
  });
});

describe('night hours across the change (New York): the skipped hour has no slots, the repeated hour has two sets', () => {
  let clinic: Clinic;

  beforeAll(async () => {
    clinic = await openClinic({ now: '2026-03-02T00:00:00.000Z' });
    await clinic.ok('admin', 'settings/update', { horizonDays: 365 });
    // Extra hours for Dr Grey, 00:00–04:00 wall time, on both change days (Sundays, not working days).
    const insert = clinic.app.raw.prepare(
      `INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at)
       VALUES (?, ?, ?, 'extra_hours', ?, 0, 240, 'Night clinic', '2026-03-01T00:00:00.000Z')`,
    );
    insert.run('ex-night-spring', IDS.grey, IDS.main, '2026-03-08');
    insert.run('ex-night-fall', IDS.grey, IDS.main, '2026-11-01');
  });
  afterAll(async () => {
    await clinic.dispose();
  });

  const night = async (date: string) =>
    (
      await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId: IDS.grey, preferredDate: date, preferredTime: '00:00', days: 1, limit: 40 })
    ).slots.filter((s) => s.localDate === date);

  it('spring forward: 02:00–03:00 does not exist, so the night has 12 slots, not 16, each 15 real minutes apart', async () => {
    const slots = await night('2026-03-08');
    expect(slots.map((s) => s.localTime)).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45', '03:00', '03:15', '03:30', '03:45']);
    for (let i = 1; i < slots.length; i++) expect(Date.parse(slots[i]!.startAt) - Date.parse(slots[i - 1]!.startAt)).toBe(15 * 60_000);
  });

  it('fall back: 01:00–02:00 happens twice, so the night has 20 slots; both 01:00s can be booked, an hour apart', async () => {
    const slots = await night('2026-11-01');
    expect(slots).toHaveLength(20);
    const ones = slots.filter((s) => s.localTime === '01:00');
    expect(ones.map((s) => s.startAt)).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z']);
    const booked = [];
    for (const [i, s] of ones.entries()) {
      const { appointment } = await clinic.ok('deskA', 'booking/create', { patientId: clinic.patients[i]!.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: s.startAt });
      booked.push(appointment);
    }
    expect(booked.map((a) => [a.localStart, a.localEnd])).toEqual([
      ['01:00', '01:15'],
      ['01:00', '01:15'],
    ]);
    // Each of them once only.
    for (const s of ones) {
      await clinic.err('deskB', 'booking/create', { patientId: clinic.patients[2]!.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: s.startAt }, 'booking/slot-taken');
    }
    expect((await night('2026-11-01')).filter((s) => s.localTime === '01:00')).toEqual([]);
    expect(clinic.overlaps()).toEqual([]);
  });
});
