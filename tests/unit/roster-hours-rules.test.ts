import { describe, expect, it } from 'vitest';
import { weeklyHoursInput } from '../../src-main/contract/roster.contract.js';
import { fieldErrorsFrom } from '../../src-main/contract/errors.js';
import { endAfter, formatSpan, formatWeeklySpan, parseMinutes, weeklyOverlaps } from '../../src-main/contract/roster-intervals.js';
import {
  extraHoursConflict,
  formatMinutes,
  localSpan,
  overlaps,
  weeklyClashes,
  weeklyLocationErrors,
  whyOutside,
  type Place,
  type RosterState,
} from '../../src-main/core/roster/hours.rules.js';

const NY = 'America/New_York';
const places: Record<string, { name: string; active: boolean }> = {
  main: { name: 'Riverside Main', active: true },
  hill: { name: 'Hillcrest Branch', active: true },
  old: { name: 'Old Annex', active: false },
};
const location = (id: string) => places[id];
const h = (locationId: string, weekday: number, start: string, end: string) => ({
  locationId,
  weekday,
  startMinute: toMin(start),
  endMinute: toMin(end),
});
const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

const errorsOf = (hours: unknown[]) => {
  const parsed = weeklyHoursInput.safeParse({ doctorId: 'd1', hours });
  return parsed.success ? {} : fieldErrorsFrom(parsed.error);
};

describe('intervals of wall-clock minutes', () => {
  it('formats and reads minutes as HH:MM, up to 24:00', () => {
    expect([0, 570, 1439, 1440].map(formatMinutes)).toEqual(['00:00', '09:30', '23:59', '24:00']);
    expect(['09:30', '9:30', '0930', '24:00', '25:00', '9:75', 'noon', ''].map(parseMinutes)).toEqual([570, 570, 570, 1440, 1500, null, null, null]);
  });

  it('treats intervals as half-open: touching is not overlapping', () => {
    expect(overlaps({ startMinute: 540, endMinute: 720 }, { startMinute: 720, endMinute: 780 })).toBe(false);
    expect(overlaps({ startMinute: 540, endMinute: 721 }, { startMinute: 720, endMinute: 780 })).toBe(true);
    expect(overlaps({ startMinute: 600, endMinute: 660 }, { startMinute: 540, endMinute: 720 })).toBe(true);
  });

  it('refuses an end before (or at) its start and times outside 00:00–24:00, keyed hours.N.field', () => {
    expect(errorsOf([h('main', 1, '10:00', '09:00'), h('main', 2, '10:00', '10:00'), h('main', 3, '00:00', '24:00')])).toEqual({
      'hours.0.endMinute': ['The end must be after the start.'],
      'hours.1.endMinute': ['The end must be after the start.'],
    });
    expect(errorsOf([{ locationId: 'main', weekday: 8, startMinute: -1, endMinute: 2881 }, { locationId: 'main', weekday: 1, startMinute: 60.5, endMinute: 120 }])).toEqual({
      'hours.0.weekday': ['Weekday is 1 (Monday) to 7 (Sunday).'],
      'hours.0.startMinute': ['Times are between 00:00 and 24:00.'],
      'hours.0.endMinute': ['Night hours end at most 24 hours after they start.'],
      'hours.1.startMinute': ['Use whole minutes.'],
    });
  });

  it('accepts night hours as one interval: an end past 24:00 is the next day, at most a day long', () => {
    expect(errorsOf([{ locationId: 'main', weekday: 1, startMinute: 1320, endMinute: 1560 }])).toEqual({});
    expect(errorsOf([{ locationId: 'main', weekday: 1, startMinute: 600, endMinute: 2100 }])).toEqual({ 'hours.0.endMinute': ['Hours can last at most 24 hours.'] });
    expect(errorsOf([{ locationId: 'main', weekday: 1, startMinute: 1440, endMinute: 1560 }])).toEqual({ 'hours.0.startMinute': ['Hours start before 24:00.'] });
    expect([1560, 1440, 2880].map(formatMinutes)).toEqual(['02:00', '24:00', '24:00']);
    expect(formatSpan(1320, 1560)).toBe('22:00–02:00 next day');
    expect(formatWeeklySpan(7, 1320, 1560)).toBe('Sunday 22:00–Monday 02:00');
    // The form: an end before the start is the next day.
    expect([endAfter(1320, 120), endAfter(1320, 0), endAfter(540, 1020), endAfter(600, 600)]).toEqual([1560, 1440, 1020, 600]);
  });

  it('finds overlaps of night hours with the next day, Sunday night with Monday', () => {
    expect(errorsOf([h('main', 1, '22:00', '02:00'), h('main', 2, '01:00', '03:00')].map((x) => ({ ...x, endMinute: endAfter(x.startMinute, x.endMinute) })))).toEqual({
      'hours.1.startMinute': ['Overlaps Monday 22:00–Tuesday 02:00.'],
    });
    expect(errorsOf([h('main', 1, '00:30', '08:00'), h('main', 7, '23:00', '01:00')].map((x) => ({ ...x, endMinute: endAfter(x.startMinute, x.endMinute) })))).toEqual({
      'hours.1.startMinute': ['Overlaps Monday 00:30–08:00.'],
    });
    // Split at midnight: touching, no overlap.
    expect(errorsOf([h('main', 1, '22:00', '24:00'), h('main', 2, '00:00', '02:00')])).toEqual({});
  });
});

describe('a doctor’s weekly hours', () => {
  it('accepts several intervals a day, and touching ones', () => {
    const hours = [h('main', 1, '08:00', '12:00'), h('main', 1, '13:00', '17:00'), h('hill', 1, '17:00', '20:00'), h('hill', 2, '08:00', '12:00')];
    expect(weeklyOverlaps(hours)).toEqual([]);
    expect(errorsOf(hours)).toEqual({});
  });

  it('reports an overlap once, on the later interval, naming the earlier one', () => {
    const hours = [h('main', 1, '08:00', '12:00'), h('main', 2, '08:00', '12:00'), h('main', 1, '11:00', '14:00'), h('main', 1, '10:00', '11:00')];
    expect(errorsOf(hours)).toEqual({
      'hours.2.startMinute': ['Overlaps Monday 08:00–12:00.'],
      'hours.3.startMinute': ['Overlaps Monday 08:00–12:00.'],
    });
  });

  it('leaves overlaps across locations to the real-instant check (the zones may differ)', () => {
    expect(weeklyOverlaps([h('main', 3, '09:00', '13:00'), h('hill', 3, '12:30', '16:00')])).toEqual([]);
  });

  it('refuses overlaps across locations on real instants, naming both in plain words', () => {
    const zoned: Record<string, Place> = { ny: { name: 'Downtown', zone: NY }, chi: { name: 'Lakeside', zone: 'America/Chicago' }, ny2: { name: 'Uptown', zone: NY } };
    const at = (id: string) => zoned[id];
    expect(weeklyClashes([h('ny', 3, '09:00', '13:00'), h('ny2', 3, '12:30', '16:00')], at, '2026-03-11')).toEqual({
      'hours.1.startMinute': ['Wednesday 12:30–16:00 at Uptown (New York) overlaps Wednesday 09:00–13:00 at Downtown (New York): a doctor cannot be in two places at once.'],
    });
    expect(weeklyClashes([h('chi', 2, '12:00', '13:00'), h('ny', 2, '13:00', '15:00')], at, '2026-03-11')).toEqual({
      'hours.1.startMinute': [
        'Tuesday 13:00–15:00 at Downtown (New York) overlaps Tuesday 12:00–13:00 at Lakeside (Chicago), which is 13:00–14:00 New York time: a doctor cannot be in two places at once.',
      ],
    });
    // Night hours in Chicago reach into Tuesday morning in New York.
    expect(weeklyClashes([h('ny', 2, '00:30', '06:00'), { ...h('chi', 1, '22:00', '00:00'), endMinute: 1440 }], at, '2026-03-11')).toEqual({
      'hours.1.startMinute': [
        'Monday 22:00–24:00 at Lakeside (Chicago) overlaps Tuesday 00:30–06:00 at Downtown (New York), which is Monday 23:30–Tuesday 05:00 Chicago time: a doctor cannot be in two places at once.',
      ],
    });
    expect(weeklyClashes([h('ny', 2, '10:00', '12:00'), h('chi', 2, '11:00', '12:00')], at, '2026-03-11')).toEqual({});
  });

  it('converts each week afresh around a change, even after hours that fell into the skipped hour', () => {
    // London's Sunday 01:00–01:30 does not exist on 28 March 2027, then is 00:00–00:30 UTC all summer.
    const zoned: Record<string, Place> = { ldn: { name: 'Soho', zone: 'Europe/London' }, rey: { name: 'Harbour', zone: 'Atlantic/Reykjavik' } };
    expect(weeklyClashes([h('ldn', 7, '01:00', '01:30'), h('rey', 7, '00:10', '00:20')], (id) => zoned[id], '2027-03-20')).toEqual({
      'hours.1.startMinute': [
        'Sunday 00:10–00:20 at Harbour (Reykjavik) overlaps Sunday 01:00–01:30 at Soho (London), which is 00:00–00:30 Reykjavik time on Sunday 4 April 2027 (around a daylight-saving change): a doctor cannot be in two places at once.',
      ],
    });
  });

  it('reports order errors and overlaps in one go, leaving malformed intervals to their own error', () => {
    expect(errorsOf([h('main', 2, '09:00', '12:00'), h('main', 2, '11:30', '14:00'), h('main', 2, '17:00', '09:00')])).toEqual({
      'hours.1.startMinute': ['Overlaps Tuesday 09:00–12:00.'],
      'hours.2.endMinute': ['The end must be after the start.'],
    });
  });

  it('refuses unknown and inactive locations', () => {
    const errors = weeklyLocationErrors([h('nowhere', 1, '09:00', '10:00'), h('old', 2, '09:00', '10:00'), h('main', 3, '09:00', '10:00')], location);
    expect(errors).toEqual({ 'hours.0.locationId': ['Unknown location.'], 'hours.1.locationId': ['Old Annex is inactive.'] });
  });
});

describe('extra hours', () => {
  const weekly = [{ locationId: 'main', weekday: 3, startMinute: 540, endMinute: 780 }];
  const name = (id: string): Place | undefined => (places[id] ? { name: places[id].name, zone: NY } : undefined);

  it('may not overlap hours at another location that day', () => {
    // 2026-03-11 is a Wednesday.
    expect(extraHoursConflict({ date: '2026-03-11', locationId: 'hill', startMinute: 720, endMinute: 900 }, weekly, [], name)).toBe(
      'Overlaps the weekly hours Wednesday 09:00–13:00 at Riverside Main (New York): a doctor cannot be in two places at once.',
    );
    expect(extraHoursConflict({ date: '2026-03-11', locationId: 'hill', startMinute: 780, endMinute: 900 }, weekly, [], name)).toBeNull();
    expect(extraHoursConflict({ date: '2026-03-12', locationId: 'hill', startMinute: 720, endMinute: 900 }, weekly, [], name)).toBeNull();
  });

  it('may not overlap other extra hours', () => {
    const existing = [{ locationId: 'main', kind: 'extra_hours' as const, date: '2026-03-14', startMinute: 600, endMinute: 720 }];
    expect(extraHoursConflict({ date: '2026-03-14', locationId: 'main', startMinute: 700, endMinute: 800 }, [], existing, name)).toBe(
      'Overlaps extra hours 10:00–12:00 at Riverside Main (New York) that day.',
    );
  });
});

describe('does a booking fit the roster?', () => {
  const state: RosterState = {
    active: true,
    weekly: [{ locationId: 'main', weekday: 3, startMinute: 540, endMinute: 720 }],
    exceptions: [],
  };
  // Wednesday 2026-03-11, 10:00–10:30 in New York (EDT, UTC−4).
  const booking = { locationId: 'main', startAt: '2026-03-11T14:00:00.000Z', endAt: '2026-03-11T14:30:00.000Z' };

  it('reads the booking in its location’s wall time', () => {
    expect(localSpan(booking, NY)).toEqual({ date: '2026-03-11', start: 600, end: 630 });
    expect(localSpan({ ...booking, startAt: '2026-03-12T03:30:00.000Z', endAt: '2026-03-12T04:00:00.000Z' }, NY)).toEqual({
      date: '2026-03-11',
      start: 23 * 60 + 30,
      end: 1440,
    });
  });

  it('fits inside weekly hours, not across their end', () => {
    expect(whyOutside(state, booking, NY)).toBeNull();
    expect(whyOutside(state, { ...booking, startAt: '2026-03-11T15:45:00.000Z', endAt: '2026-03-11T16:15:00.000Z' }, NY)).toBe('Outside working hours');
    expect(whyOutside({ ...state, weekly: [] }, booking, NY)).toBe('Outside working hours');
  });

  it('says when time off covers it, whole day or part, any location or this one', () => {
    const off = (locationId: string | null, startMinute = 0, endMinute = 1440) => ({
      ...state,
      exceptions: [{ locationId, kind: 'time_off' as const, date: '2026-03-11', startMinute, endMinute }],
    });
    expect(whyOutside(off(null), booking, NY)).toBe('Inside time off');
    expect(whyOutside(off('main', 615, 700), booking, NY)).toBe('Inside time off');
    expect(whyOutside(off('hill'), booking, NY)).toBeNull();
    expect(whyOutside(off(null, 630, 700), booking, NY)).toBeNull(); // starts when the booking ends
  });

  it('counts extra hours as working time, and an inactive doctor as none', () => {
    const saturday = { locationId: 'main', startAt: '2026-03-14T14:00:00.000Z', endAt: '2026-03-14T14:30:00.000Z' };
    expect(whyOutside(state, saturday, NY)).toBe('Outside working hours');
    const extra = { ...state, exceptions: [{ locationId: 'main', kind: 'extra_hours' as const, date: '2026-03-14', startMinute: 540, endMinute: 660 }] };
    expect(whyOutside(extra, saturday, NY)).toBeNull();
    expect(whyOutside({ ...state, active: false }, booking, NY)).toBe('The doctor would be inactive');
  });

  it('fits a booking across midnight when the doctor works straight through, one interval or split at midnight', () => {
    // Wednesday 23:30 – Thursday 00:30 in New York.
    const night = { locationId: 'main', startAt: '2026-03-12T03:30:00.000Z', endAt: '2026-03-12T04:30:00.000Z' };
    const one: RosterState = { active: true, weekly: [{ locationId: 'main', weekday: 3, startMinute: 1320, endMinute: 1560 }], exceptions: [] };
    const split: RosterState = {
      active: true,
      weekly: [
        { locationId: 'main', weekday: 3, startMinute: 1320, endMinute: 1440 },
        { locationId: 'main', weekday: 4, startMinute: 0, endMinute: 120 },
      ],
      exceptions: [],
    };
    expect(whyOutside(one, night, NY)).toBeNull();
    expect(whyOutside(split, night, NY)).toBeNull();
    expect(whyOutside({ ...split, weekly: split.weekly.slice(0, 1) }, night, NY)).toBe('Outside working hours');
    // Time off on Thursday morning covers the part after midnight.
    expect(whyOutside({ ...one, exceptions: [{ locationId: null, kind: 'time_off', date: '2026-03-12', startMinute: 0, endMinute: 60 }] }, night, NY)).toBe('Inside time off');
  });

  it('follows the location’s zone: the same instant is another wall time elsewhere', () => {
    expect(whyOutside(state, booking, 'Europe/Paris')).toBe('Outside working hours'); // 15:00 in Paris
  });
});
