import { formatMoney } from '../../src-main/contract/money.js';

/** Dates and times on the clinic's wall clock, in the page's language. */
export const formatDate = (iso: string, timeZone: string, locale: string): string =>
  new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(iso));
/**
 * A time on the clinic's wall clock in the page's language ("1:00 PM" in en-US, "13:00" in es).
 * Every time on the page goes through here, so a time picked is the time confirmed. `withZone`
 * adds the zone's abbreviation, for the hour that happens twice when clocks go back.
 */
export const formatTime = (iso: string, timeZone: string, locale: string, withZone = false): string =>
  new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, ...(withZone ? { timeZoneName: 'short' as const } : {}) }).format(new Date(iso));
/** The times of one day's slots; a time that occurs twice (clocks going back) names its zone. */
export const slotTimes = (slots: { startAt: string }[], timeZone: string, locale: string): string[] => {
  const plain = slots.map((s) => formatTime(s.startAt, timeZone, locale));
  const seen = new Map<string, Set<string>>();
  slots.forEach((s, i) => seen.set(plain[i]!, (seen.get(plain[i]!) ?? new Set()).add(s.startAt)));
  return slots.map((s, i) => (seen.get(plain[i]!)!.size > 1 ? formatTime(s.startAt, timeZone, locale, true) : plain[i]!));
};
/** A local YYYY-MM-DD day as "Mon 3 Dec". */
export const formatDay = (day: string, locale: string, style: 'short' | 'long' = 'short'): string =>
  new Intl.DateTimeFormat(locale, style === 'short' ? { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' } : { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
/** Today in a zone as YYYY-MM-DD. */
export const todayIn = (timeZone: string, now = new Date()): string => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
export const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** "Europe/London" → "London", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export const cityOf = (timeZone: string): string => (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
export const money = (minor: number, currency: string, locale: string): string => {
  try {
    return formatMoney(minor, currency, locale);
  } catch {
    return `${minor} ${currency}`;
  }
};
