/**
 * Pure rules of wall-clock intervals, shared by the contract (so the form and the server
 * report the same errors at once) and by the core: minutes since midnight in a location's
 * zone, half-open [start, end). The start is 0..1439; the end is after the start and at most
 * a day later: past 1440 it is on the next day's wall clock (night hours: 22:00–02:00 is
 * 1320–1560). No dependencies.
 */

export const MINUTES_PER_DAY = 1440;
/** The latest end: 24:00 of the next day. */
export const MAX_END_MINUTE = 2 * MINUTES_PER_DAY;
export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const weekdayName = (weekday: number): string => weekdayNames[weekday - 1] ?? `day ${weekday}`;

/** 570 → '09:30'; 1440 → '24:00'; past 24:00 the next day's clock: 1560 → '02:00'. */
export const formatMinutes = (minute: number): string => {
  const m = minute > MINUTES_PER_DAY ? minute - MINUTES_PER_DAY : minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** '09:00–13:00'; night hours '22:00–02:00 next day'. */
export const formatSpan = (start: number, end: number): string =>
  `${formatMinutes(start)}–${formatMinutes(end)}${end > MINUTES_PER_DAY ? ' next day' : ''}`;

/** 'Tuesday 09:00–13:00'; night hours 'Monday 22:00–Tuesday 02:00'. */
export const formatWeeklySpan = (weekday: number, start: number, end: number): string =>
  end > MINUTES_PER_DAY
    ? `${weekdayName(weekday)} ${formatMinutes(start)}–${weekdayName((weekday % 7) + 1)} ${formatMinutes(end)}`
    : `${weekdayName(weekday)} ${formatMinutes(start)}–${formatMinutes(end)}`;

/**
 * The end the form means: an end at or before the start is on the next day (22:00–02:00),
 * except an equal start and end, left for the "after the start" rule.
 */
export const endAfter = (start: number, end: number): number => (end < start ? end + MINUTES_PER_DAY : end);

/** '09:30' → 570, '24:00' → 1440; null when it is not HH:MM (range is checked elsewhere). */
export function parseMinutes(text: string): number | null {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]);
  return minutes > 59 ? null : Number(m[1]) * 60 + minutes;
}

export interface Interval {
  startMinute: number;
  endMinute: number;
}

/** Half-open: touching intervals (12:00–13:00 and 13:00–14:00) do not overlap. */
export const overlaps = (a: Interval, b: Interval): boolean => a.startMinute < b.endMinute && b.startMinute < a.endMinute;

const wellFormed = (v: Interval) =>
  Number.isInteger(v.startMinute) &&
  Number.isInteger(v.endMinute) &&
  v.startMinute >= 0 &&
  v.startMinute < MINUTES_PER_DAY &&
  v.endMinute > v.startMinute &&
  v.endMinute - v.startMinute <= MINUTES_PER_DAY;

const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** Two weekly intervals overlap somewhere in the week (night hours of Sunday reach into Monday). */
const weeklyClash = (a: Interval & { weekday: number }, b: Interval & { weekday: number }): boolean => {
  const at = (v: Interval & { weekday: number }, shift: number) => ({
    startMinute: (v.weekday - 1) * MINUTES_PER_DAY + v.startMinute + shift,
    endMinute: (v.weekday - 1) * MINUTES_PER_DAY + v.endMinute + shift,
  });
  return [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK].some((shift) => overlaps(at(a, 0), at(b, shift)));
};

export interface IntervalIssue {
  index: number;
  field: 'startMinute';
  message: string;
}

/**
 * Overlaps of a doctor's weekly hours at the same location, in its wall time (night hours
 * included). Hours at different locations may lie in different time zones: the core judges
 * those on real instants (roster/hours.rules.ts). Each overlap is reported once, on the
 * later interval, naming the earlier. Malformed intervals are left to their own field errors.
 */
export function weeklyOverlaps(hours: ReadonlyArray<Interval & { weekday: number; locationId: string }>): IntervalIssue[] {
  const issues: IntervalIssue[] = [];
  hours.forEach((h, j) => {
    if (!wellFormed(h)) return;
    for (let i = 0; i < j; i++) {
      const other = hours[i]!;
      if (other.locationId !== h.locationId || !wellFormed(other) || !weeklyClash(other, h)) continue;
      issues.push({ index: j, field: 'startMinute', message: `Overlaps ${formatWeeklySpan(other.weekday, other.startMinute, other.endMinute)}.` });
      break;
    }
  });
  return issues;
}
