import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  currencyExponent,
  formatAmount,
  formatMoney,
  isKnownCurrency,
  localeForCountry,
  MAX_MINOR,
  minorToDecimal,
  parseMoney,
  parsePercent,
  formatPercent,
  percentOf,
  priceBreakdown,
  type DiscountRule,
} from '../../src-main/core/money/money.js';

const CURRENCIES = ['USD', 'EUR', 'JPY', 'BHD', 'KWD', 'CHF', 'INR', 'IQD', 'HUF', 'OMR'];
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'ja-JP', 'en-IN', 'pt-BR', 'ar-BH', 'nl-NL'];
const minor = fc.integer({ min: 0, max: MAX_MINOR });
const bp = fc.integer({ min: 0, max: 10_000 });
const currency = fc.constantFrom(...CURRENCIES);
const rule: fc.Arbitrary<DiscountRule | null> = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('percent' as const), bp, capMinor: fc.option(minor, { nil: null }) }),
  fc.record({ kind: fc.constant('fixed' as const), minor, currency: fc.constant('EUR') }),
);

describe('currency exponents (ISO 4217, not CLDR)', () => {
  it('knows the exceptions', () => {
    expect(['JPY', 'KRW', 'CLP', 'EUR', 'USD', 'BHD', 'KWD', 'IQD', 'HUF', 'COP'].map(currencyExponent)).toEqual([0, 0, 0, 2, 2, 3, 3, 3, 2, 2]);
  });
  it('refuses unknown codes and metals', () => {
    for (const c of ['ZZZ', 'eur', 'EURO', 'XAU', 'XXX', '']) expect(isKnownCurrency(c), c).toBe(false);
    expect(() => currencyExponent('ZZZ')).toThrow(RangeError);
  });
});

describe('the rounding rule: half-up on the minor unit, once per line', () => {
  it('rounds a half up and below a half down', () => {
    expect(percentOf(5, 1000)).toBe(1); // 0.5 → 1
    expect(percentOf(4, 1000)).toBe(0); // 0.4 → 0
    expect(percentOf(15, 1000)).toBe(2); // 1.5 → 2
    expect(percentOf(1999, 1250)).toBe(250); // 249.875 → 250
    expect(percentOf(MAX_MINOR, 10_000)).toBe(MAX_MINOR);
  });
  it('equals the exact rational rounded half-up (BigInt reference)', () => {
    fc.assert(
      fc.property(minor, bp, (m, p) => {
        const exact = BigInt(m) * BigInt(p);
        const ref = (exact * 2n + 10_000n) / 20_000n; // floor(x + 1/2)
        expect(percentOf(m, p)).toBe(Number(ref));
      }),
    );
  });
});

describe('price breakdown', () => {
  it('never has a negative total, never a discount above the base, and always adds up', () => {
    fc.assert(
      fc.property(minor, rule, (base, r) => {
        const b = priceBreakdown({ minor: base, currency: 'EUR' }, r);
        expect(b.totalMinor).toBeGreaterThanOrEqual(0);
        expect(b.discountMinor).toBeGreaterThanOrEqual(0);
        expect(b.discountMinor).toBeLessThanOrEqual(base);
        expect(b.baseMinor - b.discountMinor).toBe(b.totalMinor);
        if (r?.kind === 'percent' && r.capMinor !== null) expect(b.discountMinor).toBeLessThanOrEqual(r.capMinor);
      }),
    );
  });
  it('refuses a fixed discount in another currency', () => {
    expect(() => priceBreakdown({ minor: 1000, currency: 'USD' }, { kind: 'fixed', minor: 100, currency: 'EUR' })).toThrow(RangeError);
  });
  it('refuses fractional, negative and overflowing amounts', () => {
    for (const m of [-1, 1.5, MAX_MINOR + 1, Number.NaN]) expect(() => priceBreakdown({ minor: m, currency: 'EUR' }, null), String(m)).toThrow(RangeError);
    expect(() => percentOf(100, 10_001)).toThrow(RangeError);
  });
});

describe('allocation', () => {
  const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0));
  it('sums exactly, and every part is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(minor, weights, (m, w) => {
        const parts = allocate(m, w);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(m);
        const total = w.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(Math.abs(p * total - m * w[i]!)).toBeLessThan(total + 1);
        });
      }),
    );
  });
  it('is stable across splits: splitting a part again sums back to the same part', () => {
    fc.assert(
      fc.property(minor, weights, weights, (m, w1, w2) => {
        const first = allocate(m, w1);
        const again = first.flatMap((p) => allocate(p, w2));
        expect(again.reduce((a, b) => a + b, 0)).toBe(m);
        expect(allocate(m, w1)).toEqual(first); // deterministic
      }),
    );
  });
  it('splits 100 into thirds as 34, 33, 33', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
});

describe('formatting and parsing', () => {
  it('parse ∘ format is the identity in every locale and currency', () => {
    fc.assert(
      fc.property(minor, currency, fc.constantFrom(...LOCALES), (m, c, locale) => {
        const shown = formatAmount(m, c, locale);
        const back = parseMoney(shown, c, locale);
        expect(back, `${shown} (${locale}, ${c})`).toEqual({ ok: true, minor: m });
      }),
      { numRuns: 500 },
    );
  });
  it('formats exactly, with the currency’s own decimals', () => {
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatMoney(1234, 'BHD', 'en-US')).toBe('BHD\u00a01.234');
    expect(minorToDecimal(MAX_MINOR, 'USD')).toBe('87960930222.07');
    expect(formatAmount(MAX_MINOR, 'USD', 'en-US')).toBe('87,960,930,222.07');
  });
  it('reads the locale’s own way of typing amounts', () => {
    expect(parseMoney('12.50', 'EUR', 'en-US')).toEqual({ ok: true, minor: 1250 });
    expect(parseMoney('12,50', 'EUR', 'de-DE')).toEqual({ ok: true, minor: 1250 });
    expect(parseMoney('1.234,5', 'EUR', 'de-DE')).toEqual({ ok: true, minor: 123450 });
    expect(parseMoney(' 1 234,50 ', 'EUR', 'fr-FR')).toEqual({ ok: true, minor: 123450 });
    expect(parseMoney('12', 'JPY', 'ja-JP')).toEqual({ ok: true, minor: 12 });
    expect(parseMoney('1.5', 'BHD', 'en-US')).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney('.5', 'USD', 'en-US')).toEqual({ ok: true, minor: 50 });
  });
  it('refuses bad input with a sentence for the field', () => {
    const bad: Array<[string, string, string, RegExp]> = [
      ['', 'EUR', 'en-US', /Enter an amount/],
      ['-5', 'EUR', 'en-US', /negative/],
      ['−5', 'EUR', 'en-US', /negative/],
      ['12.345', 'EUR', 'en-US', /at most 2 decimals/],
      ['12.5', 'JPY', 'en-US', /no smaller unit/],
      ['12.50', 'EUR', 'de-DE', /Use “,” for the decimals/],
      ['12,50', 'EUR', 'en-US', /Use “\.” for the decimals/],
      ['1e5', 'EUR', 'en-US', /digits only/],
      ['12 €', 'EUR', 'en-US', /digits only/],
      ['99999999999999999999', 'EUR', 'en-US', /too large/],
      ['1,2,3', 'EUR', 'en-US', /decimals/],
      ['12.5.0', 'EUR', 'en-US', /once/],
      ['12\u0000', 'EUR', 'en-US', /digits only/],
      ['\ud800', 'EUR', 'en-US', /digits only/],
      ['5', 'ZZZ', 'en-US', /Unknown currency/],
    ];
    for (const [text, c, locale, message] of bad) {
      const r = parseMoney(text, c, locale);
      expect(r.ok, JSON.stringify(text)).toBe(false);
      if (!r.ok) expect(r.message, JSON.stringify(text)).toMatch(message);
    }
    expect(parseMoney('1000001', 'USD', 'en-US', 100_000_000)).toMatchObject({ ok: false });
  });
  it('reads percentages into basis points', () => {
    expect(parsePercent('12.5', 'en-US')).toEqual({ ok: true, minor: 1250 });
    expect(parsePercent('12,5 %', 'de-DE')).toEqual({ ok: true, minor: 1250 });
    expect(parsePercent('150', 'en-US')).toEqual({ ok: true, minor: 15000 }); // the schema says "At most 100 %"
    expect(parsePercent('12.345', 'en-US')).toEqual({ ok: false, message: 'At most two decimals in a percentage.' });
    expect(parsePercent('-5', 'en-US')).toMatchObject({ ok: false });
    fc.assert(fc.property(bp, fc.constantFrom(...LOCALES), (p, locale) => {
        expect(parsePercent(formatPercent(p, locale), locale)).toEqual({ ok: true, minor: p });
      }),
    );
  });
  it('finds a clinic’s locale from its country', () => {
    expect(['DE', 'US', 'CH', 'JP', 'ZZ'].map(localeForCountry)).toEqual(['de-DE', 'en-US', 'de-CH', 'ja-JP', 'en-US']);
  });
});
