/**
 * Money, once. Amounts are integer minor units of an ISO 4217 currency (see
 * src-main/contract/money.ts for exponents, formatting and parsing, which the renderer shares).
 * Percentages are basis points (1 % = 100 bp, 100 % = 10 000 bp).
 *
 * THE rounding rule: a percentage of an amount is rounded half-up on the minor unit
 * (0.5 of a cent → 1 cent), once per line — the discount of a line is computed from that
 * line's base and rounded once; totals are sums of already-rounded lines, never re-rounded.
 * Splitting an amount (allocate) never rounds: it hands out whole minor units so the parts
 * sum exactly to the whole.
 */
import { currencyExponent, isMinor, MAX_MINOR } from '../../contract/money.js';

export {
  currencyExponent,
  formatAmount,
  formatMoney,
  isKnownCurrency,
  isMinor,
  localeForCountry,
  MAX_MINOR,
  minorToDecimal,
  parseMoney,
  parsePercent,
  formatPercent,
} from '../../contract/money.js';

export const FULL_BP = 10_000;

export interface Money {
  minor: number;
  currency: string;
}

function assertMinor(value: number, what: string): void {
  if (!isMinor(value)) throw new RangeError(`${what} must be whole minor units between 0 and ${MAX_MINOR}; got ${value}`);
}

function assertBp(bp: number): void {
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > FULL_BP) throw new RangeError(`basis points must be 0…10000; got ${bp}`);
}

/**
 * `bp` basis points of `minor`, rounded half-up on the minor unit. Exact in integers: the
 * product stays below 2^53 because minor ≤ MAX_MINOR (2^43) and bp ≤ 10 000 (< 2^14).
 */
export function percentOf(minor: number, bp: number): number {
  assertMinor(minor, 'amount');
  assertBp(bp);
  const product = minor * bp;
  const quotient = Math.floor(product / FULL_BP);
  const remainder = product - quotient * FULL_BP;
  return remainder * 2 >= FULL_BP ? quotient + 1 : quotient;
}

/**
 * Splits `minor` into parts proportional to `weights` that sum to exactly `minor`: each part
 * is first its floor share, then the minor units left over go one each to the largest
 * remainders (ties: the earlier part). Weights are non-negative integers, not all zero.
 */
export function allocate(minor: number, weights: readonly number[]): number[] {
  assertMinor(minor, 'amount');
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  const total = weights.reduce((sum, w) => {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers; got ${w}`);
    return sum + w;
  }, 0);
  if (total === 0) throw new RangeError('allocate needs a positive weight');
  const big = BigInt(minor);
  const bigTotal = BigInt(total);
  const parts = weights.map((w) => big * BigInt(w) / bigTotal);
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % bigTotal }));
  let left = minor - parts.reduce((s, p) => s + Number(p), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = parts.map(Number);
  for (const { i } of remainders) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/** How a discount is defined (a referral code's, later a voucher's). */
export type DiscountRule =
  | { kind: 'percent'; bp: number; capMinor: number | null }
  | { kind: 'fixed'; minor: number; currency: string };

export interface PriceBreakdown {
  currency: string;
  baseMinor: number;
  discountMinor: number;
  totalMinor: number;
}

/**
 * The price breakdown of one line: base, discount (never above the base), total (never below
 * zero). A percentage is rounded once, half-up, then capped; a fixed discount must be in the
 * line's currency (a mismatch is a programming error here: the services refuse it earlier).
 */
export function priceBreakdown(base: Money, rule: DiscountRule | null): PriceBreakdown {
  assertMinor(base.minor, 'base');
  currencyExponent(base.currency);
  let discount = 0;
  if (rule?.kind === 'percent') {
    discount = percentOf(base.minor, rule.bp);
    if (rule.capMinor !== null) {
      assertMinor(rule.capMinor, 'cap');
      discount = Math.min(discount, rule.capMinor);
    }
  } else if (rule?.kind === 'fixed') {
    if (rule.currency !== base.currency) throw new RangeError(`a ${rule.currency} discount cannot apply to a ${base.currency} price`);
    assertMinor(rule.minor, 'discount');
    discount = rule.minor;
  }
  discount = Math.min(discount, base.minor);
  return { currency: base.currency, baseMinor: base.minor, discountMinor: discount, totalMinor: base.minor - discount };
}

/** Sum of amounts in one currency; refuses a mix and an overflow. */
export function sumMoney(currency: string, amounts: readonly Money[]): Money {
  let total = 0;
  for (const a of amounts) {
    if (a.currency !== currency) throw new RangeError(`cannot add ${a.currency} to ${currency}`);
    assertMinor(a.minor, 'amount');
    total += a.minor;
    assertMinor(total, 'total');
  }
  return { minor: total, currency };
}
