import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { computeSlots, type DoctorPlan } from '../../src-main/core/scheduling/slot-engine.js';

const plan = (weekly: DoctorPlan['weekly'], slotMinutes = 60, exceptions: DoctorPlan['exceptions'] = []): DoctorPlan => ({
  doctorId: 'D',
  slotMinutes,
  bufferMinutes: 0,
  weekly,
  exceptions,
  busy: [],
});

const slotsOn = (zone: string, p: DoctorPlan, fromDate: string, toDate: string, duration = 60) => {
  const from = DateTime.fromISO(fromDate, { zone }).toMillis();
  const to = DateTime.fromISO(toDate, { zone }).toMillis();
  return computeSlots([p], new Map([['L', zone]]), { from, to, durationMinutes: duration, notBefore: 0, notAfter: Infinity }).map((s) => ({
    utc: new Date(s.start).toISOString().slice(0, 16),
    local: `${s.localDate} ${s.localTime}`,
  }));
};

describe('daylight saving, northern hemisphere (America/New_York)', () => {
  const zone = 'America/New_York';
  it('keeps 09:00 at 09:00 local across the March change', () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ locationId: 'L', weekday, startMinute: 540, endMinute: 600 }));
    expect(slotsOn(zone, plan(weekdays), '2026-03-06', '2026-03-10')).toEqual([
      { utc: '2026-03-06T14:00', local: '2026-03-06 09:00' },
      { utc: '2026-03-09T13:00', local: '2026-03-09 09:00' },
    ]);
  });

  it('loses no slot and invents none in the skipped hour (Sunday 8 March, 02:00 → 03:00)', () => {
    expect(slotsOn(zone, plan([{ locationId: 'L', weekday: 7, startMinute: 60, endMinute: 240 }]), '2026-03-08', '2026-03-09')).toEqual([
      { utc: '2026-03-08T06:00', local: '2026-03-08 01:00' },
      { utc: '2026-03-08T07:00', local: '2026-03-08 03:00' },
    ]);
  });

  it('starts hours that begin inside the skipped hour at the change itself', () => {
    expect(slotsOn(zone, plan([{ locationId: 'L', weekday: 7, startMinute: 150, endMinute: 300 }], 30), '2026-03-08', '2026-03-09', 30).map((s) => s.local)).toEqual([
      '2026-03-08 03:00',
      '2026-03-08 03:30',
      '2026-03-08 04:00',
      '2026-03-08 04:30',
    ]);
  });

  it('offers both 01:00s of the repeated hour once each (Sunday 1 November)', () => {
    expect(slotsOn(zone, plan([{ locationId: 'L', weekday: 7, startMinute: 0, endMinute: 180 }]), '2026-11-01', '2026-11-02')).toEqual([
      { utc: '2026-11-01T04:00', local: '2026-11-01 00:00' },
      { utc: '2026-11-01T05:00', local: '2026-11-01 01:00' },
      { utc: '2026-11-01T06:00', local: '2026-11-01 01:00' },
      { utc: '2026-11-01T07:00', local: '2026-11-01 02:00' },
    ]);
  });
});

describe('daylight saving, southern hemisphere (Australia/Sydney)', () => {
  const zone = 'Australia/Sydney';
  it('keeps 09:00 at 09:00 local across the October change', () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ locationId: 'L', weekday, startMinute: 540, endMinute: 600 }));
    expect(slotsOn(zone, plan(weekdays), '2026-10-02', '2026-10-06')).toEqual([
      { utc: '2026-10-01T23:00', local: '2026-10-02 09:00' },
      { utc: '2026-10-04T22:00', local: '2026-10-05 09:00' },
    ]);
  });

  it('skips 02:00–03:00 on Sunday 4 October without losing real time', () => {
    expect(slotsOn(zone, plan([{ locationId: 'L', weekday: 7, startMinute: 60, endMinute: 240 }]), '2026-10-04', '2026-10-05').map((s) => s.local)).toEqual([
      '2026-10-04 01:00',
      '2026-10-04 03:00',
    ]);
  });

  it('repeats 02:00–03:00 on Sunday 5 April: four real hours, four slots', () => {
    expect(slotsOn(zone, plan([{ locationId: 'L', weekday: 7, startMinute: 60, endMinute: 240 }]), '2026-04-05', '2026-04-06')).toEqual([
      { utc: '2026-04-04T14:00', local: '2026-04-05 01:00' },
      { utc: '2026-04-04T15:00', local: '2026-04-05 02:00' },
      { utc: '2026-04-04T16:00', local: '2026-04-05 02:00' },
      { utc: '2026-04-04T17:00', local: '2026-04-05 03:00' },
    ]);
  });

  it('applies a whole-day time off and extra hours on that date only', () => {
    const p = plan(
      [1, 2].map((weekday) => ({ locationId: 'L', weekday, startMinute: 540, endMinute: 660 })),
      60,
      [
        { kind: 'time_off', locationId: null, date: '2026-10-05', startMinute: 0, endMinute: 1440 },
        { kind: 'extra_hours', locationId: 'L', date: '2026-10-06', startMinute: 1020, endMinute: 1080 },
      ],
    );
    expect(slotsOn(zone, p, '2026-10-05', '2026-10-07').map((s) => s.local)).toEqual(['2026-10-06 09:00', '2026-10-06 10:00', '2026-10-06 17:00']);
  });
});
