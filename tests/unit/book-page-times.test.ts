import { describe, expect, it } from 'vitest';
import { formatDate, formatTime, slotTimes } from '../../src-renderer/book/format.js';

/**
 * The patient page shows a time picked and the time confirmed through one formatter. CI once
 * picked "13:00" (the server's 24-hour label) and was shown "01:00 PM" on the confirmation.
 */
describe('times on the patient booking page', () => {
  const NY = 'America/New_York';

  it('writes an afternoon time the same way on the picker and the confirmation, in the page language', () => {
    const startAt = '2026-12-01T18:00:00.000Z'; // 13:00 in New York
    const picked = slotTimes([{ startAt }], NY, 'en-US')[0]!;
    expect(picked).toBe(formatTime(startAt, NY, 'en-US'));
    expect(picked.replace(/\s/g, ' ')).toBe('1:00 PM');
    expect(`${formatDate(startAt, NY, 'en-US')}, ${formatTime(startAt, NY, 'en-US')}`).toContain(picked);
    expect(slotTimes([{ startAt }], NY, 'es-ES')).toEqual(['13:00']);
    expect(slotTimes([{ startAt }], 'Europe/London', 'en-GB')).toEqual(['18:00']);
  });

  it('names the zone only for the hour that happens twice when clocks go back', () => {
    // 1 November 2026, New York: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z), then 09:00 EST.
    const day = [{ startAt: '2026-11-01T05:30:00.000Z' }, { startAt: '2026-11-01T06:30:00.000Z' }, { startAt: '2026-11-01T14:00:00.000Z' }];
    const labels = slotTimes(day, NY, 'en-US').map((l) => l.replace(/\s/g, ' '));
    expect(labels).toEqual(['1:30 AM EDT', '1:30 AM EST', '9:00 AM']);
    expect(new Set(labels).size).toBe(3);
  });
});
