/**
 * How Stripe counts money, as opposed to ISO 4217 (src-main/contract/money.ts). Pure, so the
 * Settings screen can say whether Stripe takes the clinic's currency, and the Stripe adapter
 * converts every amount with it (src-main/adapters/stripe/).
 *
 * From Stripe's "Supported currencies" page (docs.stripe.com/currencies):
 * - zero-decimal currencies: the amount is whole units. Same as ISO for JPY, KRW …; MGA has
 *   two ISO decimals but Stripe counts whole ariary, so only whole ariary can be charged;
 * - ISK: zero-decimal in practice but sent with two decimals that must be 00 (ISO has none);
 * - three-decimal currencies (BHD, JOD, KWD, OMR, TND): the ISO minor unit, but the last digit
 *   must be 0 (5.124 KWD cannot be charged; 5.120 can);
 * - IQD and LYD (three ISO decimals) are not Stripe presentment currencies.
 * Stripe stays the final judge: an account may not be able to charge every listed currency.
 */
import { currencyExponent, isKnownCurrency } from './money.js';

/** Stripe presentment currencies (card payments), upper case. */
const STRIPE_CURRENCIES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CVE CZK ' +
    'DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT ' +
    'LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON ' +
    'RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD STD SZL THB TJS TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VND VUV WST XAF XCD XOF XPF ' +
    'YER ZAR ZMW'
  ).split(' '),
);

/** Whole units in Stripe's API (ISO exponent aside). */
const STRIPE_ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
/** Sent with two decimals that must be zero. */
const STRIPE_TWO_DECIMAL_WHOLE = new Set(['ISK']);
/** Three decimals whose last digit must be 0. */
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export const isStripeCurrency = (code: string): boolean => STRIPE_CURRENCIES.has(code);

/** In plain words why Stripe cannot take this currency, or null when it can. */
export function stripeCurrencyProblem(code: string): string | null {
  if (!isKnownCurrency(code)) return `${code} is not a currency Clinic Desk knows.`;
  if (!isStripeCurrency(code)) return `Stripe cannot take payments in ${code}. Take them another way (cash, the desk’s own card terminal), or change the clinic’s currency.`;
  return null;
}

export type StripeAmount = { ok: true; amount: number } | { ok: false; message: string };

const decimalOf = (minor: number, exponent: number): string => {
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
};

/**
 * Our amount (ISO minor units of `currency`) as the integer Stripe wants, or a sentence saying
 * why Stripe cannot take it. Never rounds: an amount Stripe cannot represent is refused.
 */
export function toStripeAmount(minor: number, currency: string): StripeAmount {
  const problem = stripeCurrencyProblem(currency);
  if (problem) return { ok: false, message: problem };
  if (!Number.isSafeInteger(minor) || minor <= 0) return { ok: false, message: 'The amount must be a whole positive number of minor units.' };
  const exponent = currencyExponent(currency);
  if (STRIPE_ZERO_DECIMAL.has(currency)) {
    const unit = 10 ** exponent;
    if (minor % unit !== 0) {
      return { ok: false, message: `Stripe charges ${currency} in whole units only; ${decimalOf(minor, exponent)} ${currency} has a fraction. Round it to a whole amount.` };
    }
    return { ok: true, amount: minor / unit };
  }
  if (STRIPE_TWO_DECIMAL_WHOLE.has(currency)) {
    // ISO exponent 0; Stripe wants two decimals that are zero.
    return { ok: true, amount: minor * 10 ** (2 - exponent) };
  }
  if (STRIPE_THREE_DECIMAL.has(currency)) {
    if (minor % 10 !== 0) {
      return { ok: false, message: `Stripe can charge ${currency} only in steps of 0.010; ${decimalOf(minor, exponent)} ${currency} ends in a digit Stripe cannot take. Round it to the nearest 0.010.` };
    }
    return { ok: true, amount: minor };
  }
  return { ok: true, amount: minor };
}

/** Stripe's integer amount back in our minor units (exact: the inverse of toStripeAmount). */
export function fromStripeAmount(amount: number, currency: string): number {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  if (STRIPE_ZERO_DECIMAL.has(code)) return amount * 10 ** exponent;
  if (STRIPE_TWO_DECIMAL_WHOLE.has(code)) return Math.round(amount / 10 ** (2 - exponent));
  return amount;
}
