/**
 * Money, the pure part both sides share (the renderer may import only src-main/contract):
 * currency exponents, formatting in a locale and parsing what a person types. Amounts are
 * always integer minor units (cents, yen, fils) plus an ISO 4217 code; nothing here uses
 * floating point for an amount. The arithmetic (basis points, rounding, splitting) is in
 * src-main/core/money.
 *
 * Exponents come from ISO 4217 itself, as the table below: Intl's (CLDR's) digits differ for
 * about fifteen currencies (IQD has 3 decimals in ISO 4217 but 0 in CLDR; COP, HUF, IDR, PKR …
 * 2 in ISO 4217 but 0 in CLDR), and payment processors and accounting count in ISO minor units.
 * Intl only tells which codes exist; every code it knows that is not listed has 2.
 */

/** ISO 4217 currencies whose minor unit is not 2 (ISO 4217 list one, 2024 edition). */
const ISO_EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Codes without a minor unit (metals, fund units, testing): not money a clinic charges. */
const NOT_MONEY = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

let known: Set<string> | null = null;
/** A current ISO 4217 currency a clinic can charge in. */
export function isKnownCurrency(code: string): boolean {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && known.has(code) && !NOT_MONEY.has(code);
}

/** Decimal places of the currency's minor unit (JPY 0, EUR 2, BHD 3). Throws on an unknown code. */
export function currencyExponent(code: string): number {
  if (!isKnownCurrency(code)) throw new RangeError(`Unknown currency ${code}`);
  return ISO_EXPONENTS[code] ?? 2;
}

/**
 * The largest amount in minor units anything may hold: every sum of a few of them stays a
 * safe integer. 2^53 / 1024 ≈ 8.8 × 10^12 (88 billion dollars in cents).
 */
export const MAX_MINOR = Math.floor(Number.MAX_SAFE_INTEGER / 1024);

export const isMinor = (value: number): boolean => Number.isSafeInteger(value) && value >= 0 && value <= MAX_MINOR;

/**
 * The locale a clinic formats money in, from its country (settings.defaultCountry): 'DE' →
 * 'de-DE', 'CH' → 'de-CH', 'US' → 'en-US'. Falls back to 'en-US'.
 */
export function localeForCountry(country: string): string {
  try {
    const max = new Intl.Locale(`und-${country}`).maximize();
    return max.language && max.region ? `${max.language}-${max.region}` : 'en-US';
  } catch {
    return 'en-US';
  }
}

/** 12345 EUR → '123.45' (no grouping, '.' always): for storage, logs and CSV. */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  const sign = minor < 0 ? '-' : '';
  return exp === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits.slice(-exp)}`;
}

function numberFormat(locale: string | undefined, currency: string, withSymbol: boolean): Intl.NumberFormat {
  const exp = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    ...(withSymbol ? { style: 'currency' as const, currency } : {}),
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
    numberingSystem: 'latn',
  });
}

/** 123456 EUR in 'de-DE' → '1.234,56 €'. Exact: the decimal string is formatted, not a float. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  return numberFormat(locale, currency, true).format(minorToDecimal(minor, currency) as unknown as number);
}

/** The amount alone, as a person would type it: 123456 EUR in 'de-DE' → '1.234,56'. */
export function formatAmount(minor: number, currency: string, locale?: string): string {
  return numberFormat(locale, currency, false).format(minorToDecimal(minor, currency) as unknown as number);
}

/** The locale's decimal and grouping characters. */
export function separators(locale?: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale, { numberingSystem: 'latn' }).formatToParts(1234567.5);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

export type ParsedMoney = { ok: true; minor: number } | { ok: false; message: string };

const SPACES = /[\s\u00a0\u202f\u2009'’]/g;

/**
 * What a person typed → minor units, in the locale's own way of writing numbers: '12.50' in
 * en-US, '12,50' or '1.234,50' in de-DE, '1 234,50' in fr-FR, "1'234.50" in de-CH. Refuses,
 * with a sentence for the field: empty, negative, letters, more decimals than the currency
 * has, amounts above `max`, and the ambiguous '12.50' in a comma locale (or '12,50' in a
 * point locale) — it says which character to use instead of guessing.
 */
export function parseMoney(text: string, currency: string, locale?: string, max = MAX_MINOR): ParsedMoney {
  if (!isKnownCurrency(currency)) return { ok: false, message: `Unknown currency “${currency.slice(0, 8)}”.` };
  const exp = currencyExponent(currency);
  const parsed = parseDecimal(text, exp, locale, max);
  if (!parsed.ok && parsed.message === TOO_MANY_DECIMALS) {
    return { ok: false, message: exp === 0 ? `${currency} has no smaller unit: enter a whole amount.` : `${currency} has at most ${exp} decimals.` };
  }
  if (!parsed.ok && parsed.message === TOO_LARGE) return { ok: false, message: `The amount is too large: at most ${formatAmount(max, currency, locale)}.` };
  return parsed;
}

/**
 * A percentage as typed ('12.5', '12,5' in a comma locale) → basis points (1250). Above 100 %
 * is returned as it is: the contract's schema says "At most 100 %" next to the field.
 */
export function parsePercent(text: string, locale?: string): ParsedMoney {
  const parsed = parseDecimal(text.replace(/%\s*$/, ''), 2, locale, 1_000_000);
  if (!parsed.ok && parsed.message === TOO_MANY_DECIMALS) return { ok: false, message: 'At most two decimals in a percentage.' };
  if (!parsed.ok && parsed.message === TOO_LARGE) return { ok: false, message: 'At most 100 %.' };
  return parsed;
}

/** Basis points → '12.5' in the locale (for an input field). */
export const formatPercent = (bp: number, locale?: string): string =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false, numberingSystem: 'latn' }).format(bp / 100);

const TOO_MANY_DECIMALS = '#decimals';
const TOO_LARGE = '#large';

/** A non-negative decimal with at most `exp` decimals, in the locale's writing → integer units of 10^-exp. */
function parseDecimal(text: string, exp: number, locale: string | undefined, max: number): ParsedMoney {
  const { decimal, group } = separators(locale);
  const example = exp === 0 ? '1200' : `12${decimal}${'50'.padEnd(exp, '0')}`;
  const input = text.trim();
  if (input === '') return { ok: false, message: 'Enter an amount.' };
  if (/^[-−‐–(]/.test(input)) return { ok: false, message: 'The amount cannot be negative.' };
  let s = input.replace(SPACES, '');
  if (!/^[0-9.,]+$/.test(s)) return { ok: false, message: `Enter digits only, such as ${example}.` };
  // Grouping by a space-like character was removed above; a '.' or ',' that is not the decimal is grouping.
  const other = decimal === ',' ? '.' : ',';
  const groupChar = group === '.' || group === ',' ? group : other;
  const decimalAt = s.indexOf(decimal);
  if (decimalAt !== s.lastIndexOf(decimal)) return { ok: false, message: `Use “${decimal}” once, for the decimals, as in ${example}.` };
  const whole = decimalAt === -1 ? s : s.slice(0, decimalAt);
  const fraction = decimalAt === -1 ? '' : s.slice(decimalAt + 1);
  if (fraction.includes(groupChar)) return { ok: false, message: `Enter an amount such as ${example}.` };
  if (whole.includes(groupChar)) {
    // '12.50' in de-DE (or '12,50' in en-US) could mean either: ask, never guess.
    if (decimalAt === -1 && new RegExp(`\\${groupChar}\\d{1,2}$`).test(whole)) {
      return { ok: false, message: `Use “${decimal}” for the decimals, as in ${example}.` };
    }
    if (!new RegExp(`^\\d+(\\${groupChar}\\d{2,3})*$`).test(whole)) return { ok: false, message: `Enter an amount such as ${example}.` };
    s = whole.split(groupChar).join('');
  } else {
    s = whole;
  }
  if (s === '' && fraction === '') return { ok: false, message: `Enter an amount such as ${example}.` };
  if (!/^\d*$/.test(fraction)) return { ok: false, message: `Enter an amount such as ${example}.` };
  if (fraction.length > exp) return { ok: false, message: TOO_MANY_DECIMALS };
  const digits = `${s}${fraction.padEnd(exp, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 16 || Number(digits) > max) return { ok: false, message: TOO_LARGE };
  return { ok: true, minor: Number(digits) };
}
