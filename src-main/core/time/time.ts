import { DateTime, IANAZone } from 'luxon';

/**
 * Clinic time rules, written once: instants are UTC ISO strings; schedules are wall time
 * (a local date plus minutes since midnight) in an IANA zone. luxon does the zone math.
 */

/** Today's date (YYYY-MM-DD) in a zone. */
export const todayIn = (zone: string, now: Date): string => DateTime.fromJSDate(now, { zone }).toISODate() ?? '';

/** A wall-clock time on a local date → the UTC instant (ISO). Times in a skipped hour move forward. */
export function wallToInstant(date: string, minuteOfDay: number, zone: string): string {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const dt = start.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
  if (minuteOfDay === 1440) return start.plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: false }) ?? '';
  return dt.toUTC().toISO() ?? '';
}

/** [start, end) of a local day, as UTC ISO instants. */
export function dayBounds(date: string, zone: string): { start: string; end: string } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toUTC().toISO() ?? '', end: start.plus({ days: 1 }).toUTC().toISO() ?? '' };
}

const QUARTER_HOUR = 15 * 60_000;
const zoneObjects = new Map<string, IANAZone>();
const offsetMemo = new Map<string, number>();

/**
 * A zone's offset from UTC in minutes at an instant. Offsets change only at transitions,
 * which (since zones took fixed offsets) fall on quarter hours of UTC, so one lookup per
 * zone and quarter hour is enough; the memo keeps Intl off the hot paths.
 */
export function zoneOffset(zone: string, at: number): number {
  const bucket = Math.floor(at / QUARTER_HOUR);
  const key = `${zone}|${bucket}`;
  let offset = offsetMemo.get(key);
  if (offset === undefined) {
    let z = zoneObjects.get(zone);
    if (!z) zoneObjects.set(zone, (z = IANAZone.create(zone)));
    offset = z.offset(bucket * QUARTER_HOUR);
    if (offsetMemo.size >= 100_000) offsetMemo.clear();
    offsetMemo.set(key, offset);
  }
  return offset;
}

/** The wall clock of an instant in a zone, as a Date whose UTC fields read local time. */
const wall = (at: number, zone: string): Date => new Date(at + zoneOffset(zone, at) * 60_000);

const two = (n: number) => String(n).padStart(2, '0');

/** HH:mm of an instant in a zone. */
export const localTime = (iso: string, zone: string): string => {
  const d = wall(Date.parse(iso), zone);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
};

/** YYYY-MM-DD of an instant (ISO string or epoch ms) in a zone. */
export const localDateOf = (at: string | number, zone: string): string =>
  wall(typeof at === 'number' ? at : Date.parse(at), zone).toISOString().slice(0, 10);

/** ISO weekday 1 (Mon) … 7 (Sun) of a calendar date; plain date arithmetic (the slot engine's hot path). */
export const isoWeekday = (date: string): number => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
};

/** A calendar date moved by whole days. */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export const addMinutes = (iso: string, minutes: number): string =>
  DateTime.fromISO(iso, { zone: 'utc' }).plus({ minutes }).toUTC().toISO() ?? '';
