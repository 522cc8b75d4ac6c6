/** Small formatting helpers of the roster screens. */
import { formatSpan } from '../../../src-main/contract/roster.contract.js';

export { endAfter, formatMinutes, parseMinutes, weekdayNames } from '../../../src-main/contract/roster.contract.js';

/** '09:00–13:00'; night hours '22:00–02:00 next day'. */
export const span = (start: number, end: number): string => formatSpan(start, end);

/** Minor units → '150.00' (the currency's own number of decimals). */
export function fromMinor(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** '150' or '150.5' → minor units; NaN when it is not a number. */
export function toMinor(text: string, currency: string): number {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() === '' || !Number.isFinite(value) ? Number.NaN : Math.round(value * 10 ** fractionDigits(currency));
}

export const money = (minor: number, currency: string): string =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** fractionDigits(currency));

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** '2026-03-16' → 'Mon 16 Mar'. */
export const shortDate = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
