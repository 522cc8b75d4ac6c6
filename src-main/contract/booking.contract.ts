import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, instant, localDate, str, text } from './common.js';
import { appointmentStatuses } from './agenda.contract.js';
import { paymentStatuses } from './payments.contract.js';

export const accessibilityNeeds = ['wheelchair', 'mobility', 'hearing', 'visual', 'cognitive', 'other'] as const;

export const requirements = z.strictObject({
  accessibility: z.array(z.enum(accessibilityNeeds)).max(6).default([]),
  interpreterLanguage: z.union([z.literal(''), str().trim().max(35, 'At most 35 characters.').regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Choose a language from the list.')]).default(''),
  notes: text(1000).default(''),
});
export type Requirements = z.output<typeof requirements>;

const hhmm = str().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time as HH:mm.');

export const slotView = z.object({
  doctorId: id,
  doctorName: str(),
  locationId: id,
  locationName: str(),
  startAt: str(),
  endAt: str(),
  localDate: str(),
  localTime: str(),
  /** The location's IANA zone (localDate/localTime are wall time there). */
  timeZone: str(),
});
export type SlotView = z.infer<typeof slotView>;

export const appointmentPrice = z.object({
  baseMinor: z.number().int(),
  discountMinor: z.number().int(),
  totalMinor: z.number().int(),
  currency: str(),
  /** The referral code used at booking (upper case), or null. */
  referralCode: str().nullable(),
});
export type AppointmentPrice = z.infer<typeof appointmentPrice>;

export const appointmentView = z.object({
  id,
  patientId: id,
  patientName: str(),
  patientNumber: str(),
  doctorId: id,
  doctorName: str(),
  locationId: id,
  locationName: str(),
  timeZone: str(),
  consultationTypeId: id,
  consultationType: str(),
  startAt: str(),
  endAt: str(),
  localDate: str(),
  localStart: str(),
  localEnd: str(),
  status: z.enum(appointmentStatuses),
  requirements,
  /** The total the patient owes (= price.totalMinor), kept for existing readers. */
  priceMinor: z.number().int(),
  currency: str(),
  /** Unpaid, paid, partly refunded, refunded, insurance pending… (payments keep it). */
  paymentStatus: z.enum(paymentStatuses),
  /** The price breakdown stored at booking: base, the referral code's discount, total (never below zero). */
  price: appointmentPrice,
  cancelledByParty: z.enum(['patient', 'clinic']).nullable(),
  cancelReason: str().nullable(),
  cancelledWithinPolicyWindow: z.boolean().nullable(),
  rescheduledFromId: str().nullable(),
  rescheduledToId: str().nullable(),
  createdAt: str(),
  /** Staff booked this over another appointment of the patient, knowingly: who and when. */
  overlapAcknowledged: z.object({ at: str(), byName: str() }).nullable(),
});
export type AppointmentView = z.infer<typeof appointmentView>;

const slotRequest = {
  doctorId: id,
  locationId: id.optional(),
  consultationTypeId: id,
  startAt: instant,
  /** Optional: when given it must match the consultation type's length. */
  endAt: instant.optional(),
};

/**
 * Staff say "book anyway" to an overlap with another appointment of the same patient; it is
 * recorded on the appointment and in the audit. Patients cannot use it (refused for them).
 */
const overlapAcknowledged = z.literal(true, { error: 'Only true acknowledges the overlap.' }).optional();

/** As `referral/check` takes it: checked by the service, so a bad code gets the same plain reason. */
const referralCodeInput = str().max(64, 'A code has at most 32 characters.').optional();

export const historyFilters = ['upcoming', 'past', 'cancelled', 'all'] as const;

/** What the desk may undo after an action, until `expiresAt`, with `appointment/undo`. */
export const undoOffer = z.object({ id, action: z.enum(['check_in', 'no_show', 'cancel']), expiresAt: str() });
export type UndoOffer = z.infer<typeof undoOffer>;

export const bookingContract = {
  'booking/options': defineHandler({
    summary: 'What can be booked: consultation types, specializations, doctors and locations.',
    input: z.strictObject({}),
    output: z.object({
      consultationTypes: z.array(
        z.object({ id, name: str(), kind: str(), durationMinutes: z.number().int(), priceMinor: z.number().int(), currency: str(), specializationIds: z.array(id) }),
      ),
      specializations: z.array(z.object({ id, name: str() })),
      doctors: z.array(z.object({ id, name: str(), specializationIds: z.array(id), locationIds: z.array(id) })),
      locations: z.array(z.object({ id, name: str(), timeZone: str() })),
    }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'booking/find-slots': defineHandler({
    summary: 'Free slots for a consultation type, nearest to a preferred date and time, across the chosen doctors.',
    input: z.strictObject({
      consultationTypeId: id,
      doctorId: id.optional(),
      specializationId: id.optional(),
      locationId: id.optional(),
      preferredDate: localDate.optional(),
      preferredTime: hhmm.optional(),
      days: z.number().int().min(1).max(62).default(14),
      limit: z.number().int().min(1).max(100).default(12),
    }),
    output: z.object({
      slots: z.array(slotView),
      timeZone: str(),
      /** How far ahead the clinic books (settings.horizonDays) and the last clinic date a slot may start on. */
      horizon: z.object({ days: z.number().int(), lastDate: localDate }),
    }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'booking/hold': defineHandler({
    summary:
      'Hold a slot while the booking is completed; others see it as taken until it expires. With patientId and referralCode, one use of the code is reserved while the hold lives (the booking naming the hold takes it over).',
    input: z.strictObject({ ...slotRequest, patientId: id.optional(), referralCode: referralCodeInput }),
    output: z.object({ holdId: id, expiresAt: str(), price: appointmentPrice }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'booking/release-hold': defineHandler({
    summary: 'Release a hold (the booking was abandoned).',
    input: z.strictObject({ holdId: id }),
    output: z.object({ ok: z.literal(true) }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'booking/create': defineHandler({
    summary: 'Book an appointment. Two bookings can never take overlapping time of one doctor.',
    input: z.strictObject({
      patientId: id.optional(),
      ...slotRequest,
      holdId: id.optional(),
      overlapAcknowledged,
      requirements: requirements.default({ accessibility: [], interpreterLanguage: '', notes: '' }),
      /** A referral code (any case); empty or absent = none. A code that cannot be used refuses the booking. */
      referralCode: referralCodeInput,
      idempotencyKey: str().min(8).max(100).optional(),
    }),
    output: z.object({ appointment: appointmentView }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: true,
  }),
  'appointment/get': defineHandler({
    summary: 'One appointment.',
    input: z.strictObject({ appointmentId: id }),
    output: z.object({ appointment: appointmentView }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
  'appointment/cancel': defineHandler({
    summary: 'Cancel an appointment, by the patient or the clinic, with a reason; the policy window is recorded.',
    input: z.strictObject({
      appointmentId: id,
      party: z.enum(['patient', 'clinic']).optional(),
      reason: text(500).default(''),
    }),
    output: z.object({ appointment: appointmentView, undo: undoOffer.nullable().optional() }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: true,
  }),
  'appointment/reschedule': defineHandler({
    summary:
      'Move an appointment in one transaction: the new slot is taken and the old one freed together; both stay linked. A patient moves only their own, and not later than the cancellation window before it starts.',
    input: z.strictObject({
      appointmentId: id,
      doctorId: id.optional(),
      locationId: id.optional(),
      startAt: instant,
      holdId: id.optional(),
      overlapAcknowledged,
      reason: text(500).default(''),
    }),
    output: z.object({ appointment: appointmentView, previous: appointmentView }),
    // A patient moves their own appointment (the patient page), within the cancellation window.
    access: { staff: ALL_STAFF, patient: true },
    mutates: true,
  }),
  'appointment/set-status': defineHandler({
    summary: 'Check in, complete, or mark a no-show.',
    input: z.strictObject({ appointmentId: id, status: z.enum(['checked_in', 'completed', 'no_show']) }),
    output: z.object({ appointment: appointmentView, undo: undoOffer.nullable().optional() }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'appointment/undo': defineHandler({
    summary:
      'Undo a check-in, a no-show or a cancellation within a few minutes, by the staff member who did it: back to booked (or checked in), reversing what it did to money, or refused in plain words.',
    input: z.strictObject({ undoId: id }),
    output: z.object({ appointment: appointmentView, alreadyUndone: z.boolean(), summary: str() }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'appointment/history': defineHandler({
    summary: 'A patient’s appointments, newest first (upcoming: soonest first), one page at a time.',
    input: z.strictObject({
      patientId: id.optional(),
      filter: z.enum(historyFilters).default('all'),
      cursor: str().max(200).optional(),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    output: z.object({ items: z.array(appointmentView), nextCursor: str().nullable() }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
};
