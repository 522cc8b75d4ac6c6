/**
 * Pure rules of wall-clock intervals, shared by the contract (so the form and the server
 * report the same errors at once) and by the core: minutes since midnight in a location's
 * zone, 0..1440, half-open [start, end). No dependencies.
 */

export const MINUTES_PER_DAY = 1440;
export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const weekdayName = (weekday: number): string => weekdayNames[weekday - 1] ?? `day ${weekday}`;

/** 570 → '09:30'; 1440 → '24:00'. */
export const formatMinutes = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

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
  v.endMinute <= MINUTES_PER_DAY &&
  v.endMinute > v.startMinute;

export interface IntervalIssue {
  index: number;
  field: 'startMinute';
  message: string;
}

/**
 * Overlaps in a doctor's weekly hours, whatever the location (a doctor cannot be in two
 * places at once). Each overlap is reported once, on the later interval, naming the earlier.
 * Malformed intervals are left to their own field errors.
 */
export function weeklyOverlaps(hours: ReadonlyArray<Interval & { weekday: number; locationId: string }>): IntervalIssue[] {
  const issues: IntervalIssue[] = [];
  hours.forEach((h, j) => {
    if (!wellFormed(h)) return;
    for (let i = 0; i < j; i++) {
      const other = hours[i]!;
      if (other.weekday !== h.weekday || !wellFormed(other) || !overlaps(other, h)) continue;
      const where = other.locationId === h.locationId ? '' : ' at another location: a doctor cannot be in two places at once';
      issues.push({
        index: j,
        field: 'startMinute',
        message: `Overlaps ${weekdayName(other.weekday)} ${formatMinutes(other.startMinute)}–${formatMinutes(other.endMinute)}${where}.`,
      });
      break;
    }
  });
  return issues;
}
