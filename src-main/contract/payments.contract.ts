import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, id, localDate, requiredText, str, text } from './common.js';
import { minorAmount } from './referral.contract.js';

export const paymentMethods = ['cash', 'card_terminal', 'stripe_terminal', 'stripe_checkout', 'insurance', 'no_charge'] as const;
export type PaymentMethodName = (typeof paymentMethods)[number];
/** Methods the desk records itself (Stripe payments are started and followed by payment/start-stripe). */
export const deskMethods = ['cash', 'card_terminal', 'insurance', 'no_charge'] as const;

export const paymentStatuses = ['unpaid', 'pending', 'paid', 'partly_paid', 'partly_refunded', 'refunded', 'insurance_pending', 'no_charge'] as const;
export type PaymentStatusName = (typeof paymentStatuses)[number];

/** What each status says to a person (agenda, appointment, history, confirmation). */
export const paymentStatusLabels: Record<PaymentStatusName, string> = {
  unpaid: 'Unpaid',
  pending: 'Payment in progress',
  paid: 'Paid',
  partly_paid: 'Partly paid',
  partly_refunded: 'Partly refunded',
  refunded: 'Refunded',
  insurance_pending: 'Insurance pending',
  no_charge: 'No charge',
};

export const paymentMethodLabels: Record<PaymentMethodName, string> = {
  cash: 'Cash',
  card_terminal: 'Card (desk terminal)',
  stripe_terminal: 'Card (Stripe reader)',
  stripe_checkout: 'Online payment link',
  insurance: 'Insurance',
  no_charge: 'No charge',
};

const reference = (what: string) => requiredText(80, what);
const idempotencyKey = str().min(8, 'Use an idempotency key of at least 8 characters.').max(100);

export const paymentView = z.object({
  id,
  appointmentId: id.nullable(),
  patientId: id,
  method: z.enum(paymentMethods),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  currency: str(),
  amountMinor: z.number().int(),
  tenderedMinor: z.number().int().nullable(),
  changeMinor: z.number().int().nullable(),
  reference: str().nullable(),
  insurer: str().nullable(),
  checkoutUrl: str().nullable(),
  readerId: str().nullable(),
  failureReason: str().nullable(),
  /** Refunds that are not failed (pending or done). */
  refundedMinor: z.number().int(),
  businessDay: str().nullable(),
  createdAt: str(),
  createdByName: str().nullable(),
  settledAt: str().nullable(),
});
export type PaymentView = z.infer<typeof paymentView>;

export const refundView = z.object({
  id,
  paymentId: id,
  method: z.enum(paymentMethods),
  currency: str(),
  amountMinor: z.number().int(),
  kind: z.enum(['policy', 'slot-lost', 'manual']),
  reason: str(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  reference: str().nullable(),
  failureReason: str().nullable(),
  createdAt: str(),
  settledAt: str().nullable(),
});
export type RefundView = z.infer<typeof refundView>;

/** What cancelling now would do with the money (shown in the cancel dialog before confirming). */
export const cancelPreview = z.object({
  withinWindow: z.boolean(),
  windowHours: z.number().int(),
  party: z.enum(['patient', 'clinic']),
  currency: str(),
  paidMinor: z.number().int(),
  feeMinor: z.number().int(),
  refundMinor: z.number().int(),
  /** Per payment: how much goes back and how (cash paid out, card terminal, Stripe). */
  refunds: z.array(z.object({ paymentId: id, method: z.enum(paymentMethods), amountMinor: z.number().int() })),
  commissionReversedMinor: z.number().int(),
  /** The rule in one sentence ("Inside 24 hours a fee of £20.00 is kept."). */
  policyText: str(),
  /** What will happen, in one or two sentences. */
  summary: str(),
});
export type CancelPreview = z.infer<typeof cancelPreview>;

export const paymentSummary = z.object({
  appointmentId: id,
  status: z.enum(paymentStatuses),
  currency: str(),
  /** The appointment's price after any discount. */
  priceMinor: z.number().int(),
  feeMinor: z.number().int(),
  /** Taken (succeeded) minus refunded, insurance claims included. */
  paidMinor: z.number().int(),
  refundedMinor: z.number().int(),
  /** Still to take: price (or, once cancelled, the fee) minus what is paid; never negative. */
  dueMinor: z.number().int(),
  payments: z.array(paymentView),
  refunds: z.array(refundView),
});
export type PaymentSummary = z.infer<typeof paymentSummary>;

const recordInput = z.discriminatedUnion(
  'method',
  [
    z.strictObject({
      method: z.literal('cash'),
      appointmentId: id,
      amountMinor: minorAmount.refine((v) => v > 0, 'Enter the amount to take.'),
      /** What the patient handed over; the change is the difference. */
      tenderedMinor: minorAmount,
      idempotencyKey,
    }),
    z.strictObject({
      method: z.literal('card_terminal'),
      appointmentId: id,
      amountMinor: minorAmount.refine((v) => v > 0, 'Enter the amount to take.'),
      reference: reference('The terminal’s reference'),
      idempotencyKey,
    }),
    z.strictObject({
      method: z.literal('insurance'),
      appointmentId: id,
      /** The part the insurer is asked to pay; the patient's co-payment is a separate payment. */
      amountMinor: minorAmount.refine((v) => v > 0, 'Enter the amount claimed from the insurer.'),
      insurer: requiredText(120, 'Insurer'),
      reference: reference('Claim reference'),
      idempotencyKey,
    }),
    z.strictObject({
      method: z.literal('no_charge'),
      appointmentId: id,
      reason: requiredText(300, 'Reason'),
      idempotencyKey,
    }),
  ],
  { error: 'Choose how the patient pays: cash, card terminal, insurance or no charge.' },
);

export const ledgerAccounts = [
  'cash',
  'card_terminal',
  'stripe',
  'insurance_receivable',
  'insurance_received',
  'revenue',
  'fee_income',
  'commission_expense',
  'commission_payable',
  'suspense',
] as const;

const attentionView = z.object({
  id,
  kind: z.enum(['slot-lost-refunded', 'refund-failed', 'refund-on-terminal', 'refund-to-insurer', 'payment-unknown', 'insurance-rejected']),
  paymentId: id.nullable(),
  refundId: id.nullable(),
  appointmentId: id.nullable(),
  patientName: str().nullable(),
  detail: str(),
  createdAt: str(),
  resolvedAt: str().nullable(),
  resolvedByName: str().nullable(),
  resolution: str().nullable(),
});
export type AttentionView = z.infer<typeof attentionView>;

export const paymentsContract = {
  'payment/summary': defineHandler({
    summary: 'An appointment’s money: price, status, payments, refunds and what is still due.',
    input: z.strictObject({ appointmentId: id }),
    output: paymentSummary,
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'payment/record': defineHandler({
    summary: 'Records a payment the desk takes itself: cash (with change), the desk’s card terminal (its reference), an insurance claim, or no charge.',
    input: recordInput,
    output: z.object({ payment: paymentView, summary: paymentSummary }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'payment/settle-insurance': defineHandler({
    summary: 'The insurer paid or rejected a claim.',
    input: z.strictObject({ paymentId: id, outcome: z.enum(['paid', 'rejected']), note: text(300).default('') }),
    output: z.object({ payment: paymentView, summary: paymentSummary }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'payment/refund': defineHandler({
    summary: 'Refunds part or all of a payment (a goodwill or correction refund; cancellations refund by the policy by themselves).',
    input: z.strictObject({
      paymentId: id,
      amountMinor: minorAmount.refine((v) => v > 0, 'Enter the amount to refund.'),
      reason: requiredText(300, 'Reason'),
      idempotencyKey,
    }),
    output: z.object({ refund: refundView, summary: paymentSummary }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'payment/confirm-refund': defineHandler({
    summary: 'A refund done on the desk’s card terminal: record the terminal’s refund reference.',
    input: z.strictObject({ refundId: id, reference: reference('The terminal’s refund reference') }),
    output: z.object({ refund: refundView, summary: paymentSummary }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'payment/cancel-preview': defineHandler({
    summary: 'What cancelling the appointment now would do with its money (fee kept, refunds, commission reversed).',
    input: z.strictObject({ appointmentId: id, party: z.enum(['patient', 'clinic']).optional() }),
    output: cancelPreview,
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'payment/attention': defineHandler({
    summary: 'Payments that need a person: money taken for a slot that was lost, refunds that failed or must be done on the terminal.',
    input: z.strictObject({ include: z.enum(['open', 'all']).default('open') }),
    output: z.object({ items: z.array(attentionView) }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'payment/resolve-attention': defineHandler({
    summary: 'Marks an item of the “needs attention” list as dealt with, saying how.',
    input: z.strictObject({ attentionId: id, resolution: requiredText(300, 'What was done') }),
    output: z.object({ item: attentionView }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'ledger/correct': defineHandler({
    summary: 'Corrects the books with new rows (a closed day is never edited): moves an amount from one account to another, with a reason (admin).',
    input: z.strictObject({
      amountMinor: minorAmount.refine((v) => v > 0, 'Enter the amount to move.'),
      fromAccount: z.enum(ledgerAccounts, { error: 'Choose an account.' }),
      toAccount: z.enum(ledgerAccounts, { error: 'Choose an account.' }),
      memo: requiredText(300, 'Reason'),
      appointmentId: id.optional(),
      idempotencyKey,
    }),
    output: z.object({ txnId: id, businessDay: localDate }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'ledger/balance': defineHandler({
    summary: 'The books’ totals per account (and whether every movement balances), optionally for one day of this desk (admin).',
    input: z.strictObject({ businessDay: localDate.optional() }),
    output: z.object({
      currency: str(),
      accounts: z.array(z.object({ account: z.enum(ledgerAccounts), balanceMinor: z.number().int() })),
      unbalancedTxns: z.number().int(),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
