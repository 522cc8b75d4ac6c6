import { describe, expect, it } from 'vitest';
import { ageIn, clockIn, offsetLabel, slotTimeLabel, todayIn } from '../../src-renderer/components/format.js';

/**
 * The renderer's clinic-time helpers (issue 8, smaller points): "today", ages and clock
 * times follow the clinic's zone, not the machine's; slots in the repeated hour are told
 * apart. Zones far from any test machine's (UTC+14, UTC−11) make the difference visible.
 */
const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe('todayIn / clockIn / ageIn use the clinic’s zone', () => {
  // 2026-06-01 10:30 UTC is already 2 June in Kiribati (UTC+14) and still 31 May in Samoa-time Pago Pago (UTC−11).
  const now = new Date('2026-06-01T10:30:00Z');

  it('is not the machine’s zone (the test would prove nothing otherwise)', () => {
    expect(['Pacific/Kiritimati', 'Pacific/Pago_Pago']).not.toContain(machineZone);
  });

  it('today is the clinic’s date', () => {
    expect(todayIn('Pacific/Kiritimati', now)).toBe('2026-06-02');
    expect(todayIn('Pacific/Pago_Pago', now)).toBe('2026-05-31');
    expect(todayIn('UTC', now)).toBe('2026-06-01');
  });

  it('a clock time is the clinic’s wall time', () => {
    expect(clockIn('2026-06-01T10:30:00Z', 'Pacific/Kiritimati')).toBe('00:30');
    expect(clockIn('2026-06-01T10:30:00Z', 'Pacific/Pago_Pago')).toBe('23:30');
    expect(clockIn('2026-06-01T10:30:00Z', 'America/New_York')).toBe('06:30');
  });

  it('an age turns on the clinic’s birthday, not the machine’s', () => {
    // Born 2 June 1990: 36 in Kiribati already, still 35 in Pago Pago, at the same instant.
    expect(ageIn('1990-06-02', 'Pacific/Kiritimati', now)).toBe(36);
    expect(ageIn('1990-06-02', 'Pacific/Pago_Pago', now)).toBe(35);
    expect(ageIn('1990-06-01', 'UTC', now)).toBe(36);
    expect(ageIn('1990-12-31', 'UTC', now)).toBe(35);
  });
});

describe('slotTimeLabel', () => {
  const slot = (startAt: string, localDate: string, localTime: string, timeZone: string) => ({ startAt, localDate, localTime, timeZone });

  it('is the plain wall time on an ordinary day', () => {
    expect(slotTimeLabel(slot('2026-06-02T13:00:00.000Z', '2026-06-02', '09:00', 'America/New_York'))).toBe('09:00');
    // The day clocks go back, outside the repeated hour.
    expect(slotTimeLabel(slot('2026-11-01T04:30:00.000Z', '2026-11-01', '00:30', 'America/New_York'))).toBe('00:30');
    expect(slotTimeLabel(slot('2026-11-01T07:00:00.000Z', '2026-11-01', '02:00', 'America/New_York'))).toBe('02:00');
  });

  it('tells the two 01:30s apart on the night clocks go back (New York, 1 November 2026)', () => {
    const first = slotTimeLabel(slot('2026-11-01T05:30:00.000Z', '2026-11-01', '01:30', 'America/New_York'));
    const second = slotTimeLabel(slot('2026-11-01T06:30:00.000Z', '2026-11-01', '01:30', 'America/New_York'));
    expect(first).toBe('01:30 (first, UTC−4)');
    expect(second).toBe('01:30 (second, UTC−5)');
    // 01:00 exactly is repeated too.
    expect(slotTimeLabel(slot('2026-11-01T05:00:00.000Z', '2026-11-01', '01:00', 'America/New_York'))).toBe('01:00 (first, UTC−4)');
    expect(slotTimeLabel(slot('2026-11-01T06:00:00.000Z', '2026-11-01', '01:00', 'America/New_York'))).toBe('01:00 (second, UTC−5)');
  });

  it('works in the southern hemisphere and with a 30-minute change (Lord Howe, 5 April 2026)', () => {
    // Lord Howe goes from UTC+11 to UTC+10:30 at 02:00 local: 01:30–02:00 happens twice.
    expect(slotTimeLabel(slot('2026-04-04T14:30:00.000Z', '2026-04-05', '01:30', 'Australia/Lord_Howe'))).toBe('01:30 (first, UTC+11)');
    expect(slotTimeLabel(slot('2026-04-04T15:00:00.000Z', '2026-04-05', '01:30', 'Australia/Lord_Howe'))).toBe('01:30 (second, UTC+10:30)');
    expect(slotTimeLabel(slot('2026-04-04T15:30:00.000Z', '2026-04-05', '02:00', 'Australia/Lord_Howe'))).toBe('02:00');
  });

  it('the spring-forward day has no repeated time', () => {
    expect(slotTimeLabel(slot('2026-03-08T07:00:00.000Z', '2026-03-08', '03:00', 'America/New_York'))).toBe('03:00');
    expect(slotTimeLabel(slot('2026-03-08T06:30:00.000Z', '2026-03-08', '01:30', 'America/New_York'))).toBe('01:30');
  });

  it('offsetLabel', () => {
    expect([offsetLabel(0), offsetLabel(-240), offsetLabel(330), offsetLabel(-570)]).toEqual(['UTC', 'UTC−4', 'UTC+5:30', 'UTC−9:30']);
  });
});
