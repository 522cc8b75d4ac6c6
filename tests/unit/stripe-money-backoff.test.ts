import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromStripeAmount, stripeCurrencyProblem, toStripeAmount } from '../../src-main/contract/stripe-currency.js';
import { backoffSchedule } from '../../src-main/adapters/stripe/backoff.js';

describe('Stripe amounts', () => {
  it('two-decimal currencies pass through; zero-decimal ones too; ISK gains two zero decimals; MGA loses two', () => {
    expect(toStripeAmount(1234, 'EUR')).toEqual({ ok: true, amount: 1234 });
    expect(toStripeAmount(1500, 'JPY')).toEqual({ ok: true, amount: 1500 });
    expect(toStripeAmount(5, 'ISK')).toEqual({ ok: true, amount: 500 });
    expect(toStripeAmount(300, 'MGA')).toEqual({ ok: true, amount: 3 });
    expect(toStripeAmount(5120, 'KWD')).toEqual({ ok: true, amount: 5120 });
  });

  it('refuses what Stripe cannot take, in words', () => {
    expect(toStripeAmount(5124, 'KWD')).toMatchObject({ ok: false, message: expect.stringMatching(/steps of 0\.010; 5\.124 KWD/) });
    expect(toStripeAmount(350, 'MGA')).toMatchObject({ ok: false, message: expect.stringMatching(/whole units only; 3\.50 MGA/) });
    expect(toStripeAmount(100, 'IQD')).toMatchObject({ ok: false, message: expect.stringMatching(/Stripe cannot take payments in IQD/) });
    expect(toStripeAmount(100, 'ABC')).toMatchObject({ ok: false });
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(toStripeAmount(bad, 'USD').ok).toBe(false);
    expect(stripeCurrencyProblem('EUR')).toBeNull();
    expect(stripeCurrencyProblem('LYD')).toMatch(/Stripe cannot take payments in LYD/);
  });

  it('fromStripeAmount inverts toStripeAmount for every amount Stripe takes', () => {
    fc.assert(
      fc.property(fc.constantFrom('EUR', 'JPY', 'ISK', 'MGA', 'KWD', 'BHD', 'KRW', 'USD'), fc.integer({ min: 1, max: 10 ** 12 }), (currency, minor) => {
        const sent = toStripeAmount(minor, currency);
        if (sent.ok) expect(fromStripeAmount(sent.amount, currency.toLowerCase())).toBe(minor);
      }),
    );
  });
});

describe('backoffSchedule', () => {
  const middle = { random: () => 0.5 };
  it('doubles from 2 s and stops at 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50, 1e9].map((n) => backoffSchedule(n, middle))).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });
  it('jitter stays within ±20 % and never passes the cap', () => {
    expect(backoffSchedule(0, { random: () => 0 })).toBe(1600);
    expect(backoffSchedule(0, { random: () => 0.999999 })).toBe(2400);
    expect(backoffSchedule(10, { random: () => 0.999999 })).toBe(60000);
    expect(backoffSchedule(10, { random: () => 0 })).toBe(48000);
  });
  it('odd attempts are treated as the first', () => {
    for (const n of [-3, Number.NaN, Number.POSITIVE_INFINITY]) expect(backoffSchedule(n, middle)).toBe(2000);
    expect(backoffSchedule(1, { baseMs: 1000, capMs: 5000, jitter: 0, random: () => 0 })).toBe(2000);
  });
});
