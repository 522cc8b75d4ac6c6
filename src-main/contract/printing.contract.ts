/**
 * Printing (issue 12 item 13): what the day sheet, the appointment card and the patient label
 * print. Reads only; dates and times are already in words in the zone that applies (the
 * clinic's for the day sheet, the location's for the card), so every printout reads the same.
 */
import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, localDate, str } from './common.js';
import { accessibilityNeeds } from './booking.contract.js';
import { appointmentStatuses } from './agenda.contract.js';

const clinicHeader = z.object({ name: str(), address: str(), phone: str() });

/** What the desk must prepare for a visit: an interpreter, access needs, the booking's notes. */
const printedRequirements = z.object({
  /** The language code as booked (es, zh-Hant); the view names it. */
  interpreterLanguage: str(),
  accessibility: z.array(z.enum(accessibilityNeeds)),
  notes: str(),
});

export const daySheetRow = z.object({
  id,
  localStart: str(),
  localEnd: str(),
  patientName: str(),
  patientNumber: str(),
  dateOfBirth: str(),
  consultationType: str(),
  locationName: str(),
  status: z.enum(appointmentStatuses),
  requirements: printedRequirements,
});
export type DaySheetRow = z.infer<typeof daySheetRow>;

export const printingContract = {
  'printing/day-sheet': defineHandler({
    summary: "The day sheet: a date's appointments (not cancelled) grouped by doctor, in the clinic's time zone, for the whole clinic or one doctor.",
    input: z.strictObject({ date: localDate, doctorId: id.optional() }),
    output: z.object({
      clinic: clinicHeader,
      date: str(),
      /** "Tuesday, 3 March 2026" in the clinic's locale. */
      dateText: str(),
      timeZone: str(),
      doctors: z.array(z.object({ id, name: str(), rows: z.array(daySheetRow) })),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'printing/appointment-card': defineHandler({
    summary: 'The appointment card for the patient: where, when (in words, in the location’s time zone), with whom, what to bring, how to cancel.',
    input: z.strictObject({ appointmentId: id }),
    output: z.object({
      clinic: clinicHeader,
      patientName: str(),
      doctorName: str(),
      consultationType: str(),
      locationName: str(),
      locationAddress: str(),
      timeZone: str(),
      /** "Tuesday, 3 March 2026" and "9:15 AM – 9:45 AM" in the location's zone and the clinic's locale. */
      dateText: str(),
      timeText: str(),
      status: z.enum(appointmentStatuses),
      requirements: printedRequirements,
      /** How to cancel or change, in words (the clinic's phone and its cancellation window). */
      cancelText: str(),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'printing/patient-label': defineHandler({
    summary: 'A patient label: name, date of birth, patient number, phone.',
    input: z.strictObject({ patientId: id }),
    output: z.object({ name: str(), dateOfBirth: str(), dateOfBirthText: str(), patientNumber: str(), phone: str() }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
};
