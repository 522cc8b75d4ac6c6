/**
 * The patient page's own operations (issue 14): what the clinic shows a patient, free slots,
 * one-time sign-in links, the patient's own details, holds and paying online. Served as
 * `/api/patients/...` (see http/rest-routes.ts). Nothing here names another patient, and no
 * answer tells whether someone is registered.
 */
import { z } from 'zod';
import { defineHandler, id, instant, localDate, str } from './common.js';
import { appointmentPrice } from './booking.contract.js';
import { medicalHistory } from './patients.contract.js';
import { referralRefusals } from './referral.contract.js';

/** An e-mail address or a phone number, as the patient types it (checked by the service). */
const contact = str().trim().min(3, 'Enter your e-mail address or mobile number.').max(254, 'At most 254 characters.');

export const portalSlot = z.object({
  startAt: str(),
  endAt: str(),
  doctorId: id,
  doctorName: str(),
  locationId: id,
  /** The local time at the location, e.g. "09:15". */
  label: str(),
});
export type PortalSlot = z.infer<typeof portalSlot>;

export const portalClinic = z.object({
  name: str(),
  phone: str(),
  email: str().nullable(),
  address: str(),
  timeZone: str(),
  currency: str(),
  locale: str(),
  languages: z.array(str()),
  emergencyNumber: str().nullable(),
  /** The cancellation policy in plain words: the window and the fees. */
  cancellationPolicy: str(),
  bookingHorizonDays: z.number().int(),
  locations: z.array(z.object({ id, name: str(), address: str(), timeZone: str() })),
  consultationTypes: z.array(
    z.object({
      id,
      name: str(),
      durationMinutes: z.number().int(),
      priceMinor: z.number().int(),
      currency: str(),
      specializationId: id.nullable(),
    }),
  ),
  specializations: z.array(z.object({ id, name: str() })),
});
export type PortalClinic = z.infer<typeof portalClinic>;

/** The patient's own health questions as the patient page shows them (version for expectedVersion). */
export const portalMedicalHistory = z.object({
  data: medicalHistory,
  /** Pass it back as expectedVersion when saving (0: never saved). */
  version: z.number().int(),
  /** Whether the questions count as answered (saved since registering, or holding any answer). */
  answered: z.boolean(),
  /** When the answers were last saved (UTC), or null. */
  updatedAt: str().nullable(),
});
export type PortalMedicalHistory = z.infer<typeof portalMedicalHistory>;

export const portalContract = {
  'portal/clinic': defineHandler({
    summary: 'What the patient page shows about the clinic: contact, zone, currency, languages, the cancellation policy, locations, consultation types and specializations.',
    input: z.strictObject({}),
    output: portalClinic,
    access: { anonymous: true, patient: true },
    mutates: false,
  }),
  'portal/slots': defineHandler({
    summary:
      'Free slots of a consultation type, day by day from a date (1–14 days), in the location’s time zone; without doctorId the first available doctor for each time. nextFreeDate: the first later day with a free slot (null when none within the booking horizon).',
    input: z.strictObject({
      consultationTypeId: id,
      doctorId: id.optional(),
      from: localDate,
      days: z.coerce.number().int('Use a whole number of days.').min(1, 'At least 1 day.').max(14, 'At most 14 days.').default(7),
    }),
    output: z.object({
      timeZone: str(),
      days: z.array(z.object({ date: str(), slots: z.array(portalSlot) })),
      nextFreeDate: str().nullable(),
    }),
    access: { anonymous: true, patient: true },
    mutates: false,
  }),
  'portal/doctors': defineHandler({
    summary: 'The doctors who offer a consultation type, with their specialization and where they work.',
    input: z.strictObject({ consultationTypeId: id }),
    output: z.object({ doctors: z.array(z.object({ id, name: str(), specialization: str().nullable(), locationName: str().nullable() })) }),
    access: { anonymous: true, patient: true },
    mutates: false,
  }),
  'portal/request-link': defineHandler({
    summary:
      'Ask for a one-time sign-in link: with the e-mail address or mobile number and the date of birth on the patient’s record, a link (valid 30 minutes, usable once) is sent there. The answer is always the same, whether or not anyone matched.',
    input: z.strictObject({ contact, dateOfBirth: localDate }),
    output: z.object({ sent: z.literal(true), message: str() }),
    access: { anonymous: true },
    mutates: true,
  }),
  'portal/exchange-link': defineHandler({
    summary: 'Exchange a one-time sign-in link for a patient access token (send it as `Authorization: Bearer <token>`). A link works once and expires.',
    input: z.strictObject({ linkToken: str().trim().min(1, 'The link is incomplete.').max(200, 'The link is not valid.') }),
    output: z.object({ accessToken: str(), expiresAt: str(), patient: z.object({ givenName: str() }) }),
    access: { anonymous: true },
    mutates: true,
  }),
  'portal/me': defineHandler({
    summary: 'The signed-in patient’s own details, and whether their medical history questionnaire is filled in.',
    input: z.strictObject({}),
    output: z.object({
      givenName: str(),
      familyName: str(),
      dateOfBirth: str(),
      email: str().nullable(),
      phone: str().nullable(),
      language: str(),
      medicalHistoryComplete: z.boolean(),
    }),
    access: { patient: true },
    mutates: false,
  }),
  'portal/hold': defineHandler({
    summary: 'Hold a slot while the patient completes the booking (one hold per patient: a new one releases the previous). Book it with holdId.',
    input: z.strictObject({ consultationTypeId: id, doctorId: id, startAt: instant }),
    output: z.object({ holdId: id, expiresAt: str(), price: appointmentPrice }),
    access: { patient: true },
    mutates: true,
  }),
  'portal/release-hold': defineHandler({
    summary: 'Release the patient’s hold (the patient went back or left).',
    input: z.strictObject({ holdId: id.optional() }),
    output: z.object({ ok: z.literal(true) }),
    access: { patient: true },
    mutates: true,
  }),
  'portal/pay': defineHandler({
    summary:
      'A Stripe payment page for what is due on the patient’s own appointment; it leads back to the patient page when paid or abandoned. Without Stripe set up: `portal/pay-unavailable` (pay at the desk).',
    input: z.strictObject({ appointmentId: id }),
    output: z.object({ url: str() }),
    access: { patient: true },
    mutates: true,
  }),
  'portal/medical-history': defineHandler({
    summary: 'The signed-in patient’s own health questions (medical history): the answers, the version to send back when saving, and whether and when they were answered.',
    input: z.strictObject({}),
    output: portalMedicalHistory,
    access: { patient: true },
    mutates: false,
  }),
  'portal/update-medical-history': defineHandler({
    summary:
      'Save the signed-in patient’s own health questions (the whole questionnaire; the previous version stays in the record’s history). expectedVersion is the version read: if the answers changed since, nothing is saved and the refusal says so.',
    input: z.strictObject({ expectedVersion: z.number().int().min(0), data: medicalHistory }),
    output: portalMedicalHistory,
    access: { patient: true },
    mutates: true,
  }),
  'portal/price-preview': defineHandler({
    summary:
      'The price of the patient’s own hold with a referral code, before booking: `valid` and the price with the discount, or the reason the code cannot be used (`reason`, and `message` in plain words) and the plain price. Uses the same checks as booking; writes and reserves nothing. Another patient’s hold answers as one that does not exist.',
    input: z.strictObject({
      holdId: id,
      referralCode: str().max(64, 'A code has at most 32 characters.'),
    }),
    output: z.object({
      valid: z.boolean(),
      /** Why the code cannot be used (null when it can, or when no code was typed). */
      reason: z.enum(referralRefusals).nullable(),
      /** A sentence for the patient typing the code ('' when none was typed). */
      message: str(),
      /** The price booking would charge: with the discount when valid, else the plain price. */
      price: appointmentPrice,
    }),
    access: { patient: true },
    mutates: false,
  }),
};
