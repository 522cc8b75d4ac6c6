/** Money is integer minor units plus an ISO currency; shown with the browser's locale. */
export function formatMoney(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
}

/** "Tue 24 Nov" for a local YYYY-MM-DD. */
export function shortDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/**
 * The one date format of a record: "Feb 3, 1975" (en-US), "3 Feb 1975" (en-GB) — a local
 * YYYY-MM-DD in the clinic's locale (`useClinicLocale()`; the browser's until it has loaded).
 */
export function longDate(date: string, locale?: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "Tue, Feb 3, 1975": `longDate` with the weekday, for appointments. */
export function longDateWithDay(date: string, locale?: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/*
 * Clinic time. "Today", ages and clock times a desk shows are the clinic's (settings.timeZone),
 * never the computer's: a desk whose machine runs in another zone (a laptop brought back from a
 * trip, a server in UTC) must still show the clinic's day.
 */

function partsIn(at: Date, zone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** The clinic's date (YYYY-MM-DD) at an instant (default now). */
export function todayIn(zone: string, now: Date = new Date()): string {
  const p = partsIn(now, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "14:05" — the clinic's wall-clock time of an instant. */
export function clockIn(iso: string | Date, zone: string): string {
  const p = partsIn(typeof iso === 'string' ? new Date(iso) : iso, zone);
  return `${p.hour}:${p.minute}`;
}

/** Age in whole years on the clinic's today (a birthday counts from the start of the clinic's day). */
export function ageIn(dateOfBirth: string, zone: string, now: Date = new Date()): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = todayIn(zone, now).split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** "UTC−4", "UTC+5:30", "UTC" for an offset in minutes east of UTC. */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/** Minutes east of UTC of a zone at an instant. */
function offsetAt(ms: number, zone: string): number {
  const p = partsIn(new Date(ms), zone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * The one label of a slot's time: "09:30", or in the repeated hour when clocks go back,
 * "01:30 (first, UTC−4)" and "01:30 (second, UTC−5)" so that the two are told apart.
 * `localTime`/`localDate` are the wall time in `timeZone` (the location's).
 */
export function slotTimeLabel(slot: { startAt: string; localDate: string; localTime: string; timeZone: string }): string {
  const at = Date.parse(slot.startAt);
  const own = Math.round((Date.parse(`${slot.localDate}T${slot.localTime}:00Z`) - at) / 60_000);
  // The same wall time with any other offset in force nearby (a DST change within 3 hours)?
  for (const probe of [at - 3 * 3_600_000, at + 3 * 3_600_000]) {
    const other = offsetAt(probe, slot.timeZone);
    if (other === own) continue;
    const twin = at + (own - other) * 60_000;
    if (offsetAt(twin, slot.timeZone) === other) {
      return `${slot.localTime} (${twin > at ? 'first' : 'second'}, ${offsetLabel(own)})`;
    }
  }
  return slot.localTime;
}

/** "2 Jun 2026, 14:05" — an instant as the clinic's date (`longDate`, in `locale`) and wall-clock time. */
export function whenIn(iso: string, zone: string, locale?: string): string {
  return `${longDate(todayIn(zone, new Date(iso)), locale)}, ${clockIn(iso, zone)}`;
}
