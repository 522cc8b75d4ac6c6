import { describe, expect, it } from 'vitest';
import { addDays, addMinutes, dayBounds, isoWeekday, localDateOf, localTime, todayIn, wallToInstant } from '../../src-main/core/time/time.js';

const NY = 'America/New_York';

describe('clinic time rules', () => {
  it("gives today's date in the clinic's zone, not in UTC", () => {
    const lateEvening = new Date('2026-03-12T02:30:00Z'); // 22:30 on the 11th in New York
    expect(todayIn(NY, lateEvening)).toBe('2026-03-11');
    expect(todayIn('UTC', lateEvening)).toBe('2026-03-12');
    expect(todayIn('Asia/Tokyo', lateEvening)).toBe('2026-03-12');
  });

  it('turns wall time into UTC instants on both sides of a DST change', () => {
    expect(wallToInstant('2026-03-07', 9 * 60, NY)).toBe('2026-03-07T14:00:00.000Z'); // EST
    expect(wallToInstant('2026-03-09', 9 * 60, NY)).toBe('2026-03-09T13:00:00.000Z'); // EDT
    expect(wallToInstant('2026-03-09', 1440, NY)).toBe('2026-03-10T04:00:00.000Z'); // end of day
  });

  it('moves a time in the skipped hour forward', () => {
    expect(wallToInstant('2026-03-08', 2 * 60 + 30, NY)).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });

  it('gives half-open day bounds, 23 hours long on the spring-forward day', () => {
    expect(dayBounds('2026-03-11', NY)).toEqual({ start: '2026-03-11T04:00:00.000Z', end: '2026-03-12T04:00:00.000Z' });
    const { start, end } = dayBounds('2026-03-08', NY);
    expect((Date.parse(end) - Date.parse(start)) / 3_600_000).toBe(23);
  });

  it('shows instants as local times and dates', () => {
    expect(localTime('2026-03-11T15:05:00.000Z', NY)).toBe('11:05');
    expect(localDateOf('2026-03-12T02:30:00.000Z', NY)).toBe('2026-03-11');
  });

  it('does calendar arithmetic', () => {
    expect(isoWeekday('2026-03-11')).toBe(3);
    expect(isoWeekday('2026-03-15')).toBe(7);
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMinutes('2026-03-11T23:50:00.000Z', 15)).toBe('2026-03-12T00:05:00.000Z');
  });
});
