/**
 * Stripe payments (issue 10 items 5–7): a card on a Stripe Terminal reader, a payment page
 * (Checkout) sent to the patient or opened in the browser, and the patient page's "pay before
 * booking". The handlers only write rows; every Stripe call is made by the follow-up loop
 * (core/payments/stripe-follow-up.ts) outside any transaction, with idempotency keys derived
 * from our row ids, and its outcome recorded in a short transaction of its own.
 */
import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, instant, str, text } from './common.js';
import { requirements } from './booking.contract.js';
import { paymentSummary, paymentView } from './payments.contract.js';

const idempotencyKey = str().min(8, 'Use an idempotency key of at least 8 characters.').max(100);

/** Where a Stripe payment stands, in the words the desk (or the patient) reads. */
export const stripeStages = ['starting', 'waiting-for-card', 'waiting-for-page', 'processing', 'succeeded', 'failed', 'cancelled', 'refunded-slot-lost'] as const;
export type StripeStage = (typeof stripeStages)[number];

export const stripeProgress = z.object({
  paymentId: id,
  appointmentId: id.nullable(),
  method: z.enum(['stripe_terminal', 'stripe_checkout']),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  stage: z.enum(stripeStages),
  /** One sentence: "Waiting for the card on reader Front desk…". */
  message: str(),
  currency: str(),
  amountMinor: z.number().int(),
  /** The payment page (null until Stripe has made it, and once it is paid or closed). */
  checkoutUrl: str().nullable(),
  readerId: str().nullable(),
  readerLabel: str().nullable(),
  failureReason: str().nullable(),
  /** Pay-before-booking: until when the slot stays held (extended while the payment is in progress). */
  holdExpiresAt: str().nullable(),
  /** Whether cancelling still makes sense (the payment is still in progress). */
  canCancel: z.boolean(),
});
export type StripeProgress = z.infer<typeof stripeProgress>;

/** The booking a prepaid payment makes once the money has arrived: booking/create's fields. */
export const bookingRequest = z.strictObject({
  patientId: id.optional(),
  doctorId: id,
  locationId: id.optional(),
  consultationTypeId: id,
  startAt: instant,
  holdId: id,
  requirements: requirements.default({ accessibility: [], interpreterLanguage: '', notes: '' }),
  /** A referral code typed at booking: reserved with the hold, used when the booking is made. */
  referralCode: text(40).optional(),
  idempotencyKey: idempotencyKey.optional(),
});

export const stripePaymentsContract = {
  'payment/start-stripe': defineHandler({
    summary:
      'Starts a Stripe payment for what is due on an appointment: on a Stripe Terminal reader (the card never touches the app), or as a payment page whose link is opened or sent to the patient. Stripe is called after commit.',
    input: z.discriminatedUnion(
      'method',
      [
        z.strictObject({ method: z.literal('stripe_terminal'), appointmentId: id, readerId: str().max(80), idempotencyKey }),
        z.strictObject({ method: z.literal('stripe_checkout'), appointmentId: id, idempotencyKey }),
      ],
      { error: 'Choose a Stripe reader or a payment link.' },
    ),
    output: z.object({ payment: paymentView, progress: stripeProgress, summary: paymentSummary }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'payment/cancel-stripe': defineHandler({
    summary: 'Abandons a Stripe payment in progress (the reader stops asking, the page closes); money that arrives anyway is refunded.',
    input: z.strictObject({ paymentId: id, reason: text(200).default('') }),
    output: z.object({ progress: stripeProgress }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: true,
  }),
  'payment/start-prepaid': defineHandler({
    summary:
      'Pay before booking (the patient page): a payment page for a held slot. The hold is kept while the payment is in progress; the slot is booked when the money arrives, and the money is refunded if the slot was lost meanwhile.',
    input: bookingRequest,
    output: z.object({ progress: stripeProgress }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: true,
  }),
  'payment/stripe-progress': defineHandler({
    summary: 'Where a Stripe payment stands (waiting for the card, page link, paid, failed).',
    input: z.strictObject({ paymentId: id }),
    output: z.object({ progress: stripeProgress }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
};
