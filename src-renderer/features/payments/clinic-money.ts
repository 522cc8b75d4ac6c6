import { formatAmount, formatMoney, localeForCountry, parseMoney, type ParsedMoney } from '../../../src-main/contract/money.js';
import { useRead } from '../../api/queries.js';

export interface ClinicMoney {
  currency: string;
  locale: string;
  /** 6000 → "$60.00" in the clinic's locale. */
  fmt(minor: number, currency?: string): string;
  /** 6000 → "60.00", as a person would type it. */
  amount(minor: number): string;
  parse(text: string): ParsedMoney;
}

export function clinicMoney(currency: string, country: string): ClinicMoney {
  const locale = localeForCountry(country);
  return {
    currency,
    locale,
    fmt: (minor, cur = currency) => formatMoney(minor, cur, locale),
    amount: (minor) => formatAmount(minor, currency, locale),
    parse: (text) => parseMoney(text, currency, locale),
  };
}

/** The clinic's currency and locale (from settings), or null until they have loaded. */
export function useClinicMoney(): ClinicMoney | null {
  const settings = useRead('settings/get', {});
  return settings.data ? clinicMoney(settings.data.currency, settings.data.defaultCountry) : null;
}

/** A fresh idempotency key for one submission (kept for its retries). */
export const newIdempotencyKey = (): string => crypto.randomUUID();
