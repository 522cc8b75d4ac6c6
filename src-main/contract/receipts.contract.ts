import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, str } from './common.js';
import { paymentMethods, refundView } from './payments.contract.js';

/**
 * A receipt per payment (issue 10 item 9): everything printed on it, as data. The renderer
 * prints it (a print view) and `payment/receipt-pdf` draws the same data as a PDF. A patient
 * may read the receipts of their own payments only.
 */
export const receiptView = z.object({
  /** The payment id's short form, printed as the receipt number. */
  number: str(),
  paymentId: id,
  clinic: z.object({ name: str(), locationName: str(), address: str() }),
  patient: z.object({ id, name: str(), number: str() }),
  appointment: z.object({
    id,
    localDate: str(),
    localStart: str(),
    localEnd: str(),
    timeZone: str(),
    doctorName: str(),
    consultationType: str(),
    status: str(),
  }),
  currency: str(),
  /** The clinic's locale for amounts (from its country). */
  locale: str(),
  price: z.object({ baseMinor: z.number().int(), discountMinor: z.number().int(), code: str().nullable(), totalMinor: z.number().int() }),
  method: z.enum(paymentMethods),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  amountMinor: z.number().int(),
  tenderedMinor: z.number().int().nullable(),
  changeMinor: z.number().int().nullable(),
  reference: str().nullable(),
  insurer: str().nullable(),
  refunds: z.array(refundView),
  refundedMinor: z.number().int(),
  takenByName: str().nullable(),
  businessDay: str().nullable(),
  paidAt: str(),
  /** When it was paid, as the clinic's date and time ("2026-06-01 14:05"). */
  paidAtLocal: str(),
});
export type ReceiptView = z.infer<typeof receiptView>;

export const priceView = z.object({ currency: str(), baseMinor: z.number().int(), discountMinor: z.number().int(), code: str().nullable(), totalMinor: z.number().int() });

export const receiptsContract = {
  'payment/price': defineHandler({
    summary: 'An appointment’s price breakdown for the payment dialog and the receipt: base price, discount (with its referral code) and total.',
    input: z.strictObject({ appointmentId: id }),
    output: priceView,
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'payment/receipt': defineHandler({
    summary: 'The receipt of one payment: clinic, patient, appointment, price breakdown, method, amounts, refunds, who took it and the business day.',
    input: z.strictObject({ paymentId: id }),
    output: z.object({ receipt: receiptView }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'payment/receipt-pdf': defineHandler({
    summary: 'The receipt of one payment as a PDF (base64).',
    input: z.strictObject({ paymentId: id }),
    output: z.object({ fileName: str(), contentType: z.literal('application/pdf'), base64: str() }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
};
