import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, id, localDate, str, text } from './common.js';
import { minorAmount } from './referral.contract.js';
import { paymentMethods } from './payments.contract.js';

/**
 * The day's cash-up (per desk) and the agents' commission report. Every total is read from the
 * ledger (never from payment rows), so what the report shows is what the books hold.
 */

const signedMinor = z.number().int();

/** One method's money on the day: what came in, what went back out, the rest. */
const methodTotals = z.object({
  inMinor: signedMinor,
  outMinor: signedMinor,
  netMinor: signedMinor,
});

export const cashUpTotals = z.object({
  currency: str(),
  cash: z.object({
    /** Cash taken (charges into the till). */
    inMinor: signedMinor,
    /** Cash paid back out (refunds). */
    refundedMinor: signedMinor,
    /** Corrections that moved cash in (+) or out (−). */
    correctionsMinor: signedMinor,
    /** What should be in the till from today's movements: in − refunded + corrections. */
    expectedMinor: signedMinor,
  }),
  cardTerminal: methodTotals,
  stripe: methodTotals,
  insuranceReceived: methodTotals,
  /** All refunds whose money moved on the day, every method. */
  refundsMinor: signedMinor,
  /** Fees the clinic kept (late cancellation, no-show) booked on the day. */
  feesKeptMinor: signedMinor,
  /** Net effect of correction entries on the money accounts. */
  correctionsMinor: signedMinor,
  /** Net money taken on the day across cash, card terminal, Stripe and insurance received. */
  netTotalMinor: signedMinor,
  /** Payments that succeeded on the day. */
  paymentCount: z.number().int(),
  refundCount: z.number().int(),
});
export type CashUpTotals = z.infer<typeof cashUpTotals>;

export const cashUpLine = z.object({
  kind: z.enum(['payment', 'refund']),
  id,
  at: str(),
  method: z.enum(paymentMethods),
  status: str(),
  currency: str(),
  amountMinor: signedMinor,
  reference: str().nullable(),
  patientName: str().nullable(),
  appointmentId: id.nullable(),
  /** Who took the payment or paid out the refund. */
  byName: str().nullable(),
});
export type CashUpLine = z.infer<typeof cashUpLine>;

export const cashUpClosed = z.object({
  id,
  countedCashMinor: signedMinor,
  expectedCashMinor: signedMinor,
  /** counted − expected: positive = over, negative = short. */
  differenceMinor: signedMinor,
  note: str(),
  closedAt: str(),
  closedByName: str().nullable(),
});

export const cashUpView = z.object({
  businessDay: localDate,
  deskName: str(),
  /** How the clinic writes amounts (from its country) and its time zone, for the screen. */
  locale: str(),
  timeZone: str(),
  /** The day money counts on at this desk right now (today, or the next open day). */
  currentDay: localDate,
  totals: cashUpTotals,
  lines: z.array(cashUpLine),
  closed: cashUpClosed.nullable(),
});
export type CashUpView = z.infer<typeof cashUpView>;

export const cashUpListItem = z.object({
  id,
  businessDay: localDate,
  currency: str(),
  expectedCashMinor: signedMinor,
  countedCashMinor: signedMinor,
  differenceMinor: signedMinor,
  netTotalMinor: signedMinor,
  paymentCount: z.number().int(),
  note: str(),
  closedAt: str(),
  closedByName: str().nullable(),
});
export type CashUpListItem = z.infer<typeof cashUpListItem>;

const commissionRow = z.object({
  codeId: id,
  code: str(),
  agentName: str(),
  /** Appointments with money taken in the period. */
  uses: z.number().int(),
  netPaidMinor: signedMinor,
  accruedMinor: signedMinor,
  reversedMinor: signedMinor,
  netCommissionMinor: signedMinor,
});
export type CommissionRow = z.infer<typeof commissionRow>;

const commissionTotals = commissionRow.pick({ uses: true, netPaidMinor: true, accruedMinor: true, reversedMinor: true, netCommissionMinor: true });

export const commissionReport = z.object({
  from: localDate,
  to: localDate,
  currency: str(),
  locale: str(),
  agents: z.array(z.object({ agentName: str(), codes: z.array(commissionRow), totals: commissionTotals })),
  totals: commissionTotals,
});
export type CommissionReport = z.infer<typeof commissionReport>;

const reportInput = z
  .strictObject({
    from: localDate,
    to: localDate,
    /** One code (any case). */
    code: text(32).optional(),
    /** Agents whose name contains this (any case). */
    agent: text(120).optional(),
  })
  .refine((v) => v.from <= v.to, { message: 'The first day must not be after the last day.', path: ['to'] });

export const cashupContract = {
  'cashup/preview': defineHandler({
    summary: 'The day’s cash-up of this desk, from the ledger: totals per method, expected cash in the till, and the day’s payments and refunds (default: the desk’s current day).',
    input: z.strictObject({ businessDay: localDate.optional() }),
    output: cashUpView,
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'cashup/close': defineHandler({
    summary: 'Closes a day of this desk with the cash counted in the till; afterwards its payments cannot change, only be corrected by new entries on an open day.',
    input: z.strictObject({
      businessDay: localDate,
      countedCashMinor: minorAmount,
      note: text(500).default(''),
    }),
    output: cashUpView,
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'cashup/list': defineHandler({
    summary: 'This desk’s closed days, newest first.',
    input: z.strictObject({ limit: z.number().int().min(1).max(366).default(60) }),
    output: z.object({ items: z.array(cashUpListItem) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'commission/report': defineHandler({
    summary: 'Agents’ commissions for a period (clinic dates, inclusive): per agent and code, uses, net amount paid, commission accrued, reversed and net (admin).',
    input: reportInput,
    output: commissionReport,
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'commission/report-csv': defineHandler({
    summary: 'The commission report as CSV text (cells that a spreadsheet would run as a formula are neutralised) (admin).',
    input: reportInput,
    output: z.object({ filename: str(), csv: str() }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
