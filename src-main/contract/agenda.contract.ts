import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, localDate, str } from './common.js';
import { paymentStatuses } from './payments.contract.js';

export const appointmentStatuses = ['booked', 'checked_in', 'completed', 'no_show', 'cancelled'] as const;

export const agendaItem = z.object({
  id,
  startAt: str(),
  endAt: str(),
  /** Wall-clock start and end in the location's time zone, HH:mm. */
  localStart: str(),
  localEnd: str(),
  status: z.enum(appointmentStatuses),
  patientId: id,
  patientName: str(),
  patientNumber: str(),
  doctorId: id,
  doctorName: str(),
  locationId: id,
  locationName: str(),
  consultationType: str(),
  /** Why and by whom a cancelled visit was cancelled (null otherwise). */
  cancelReason: str().nullable(),
  paymentStatus: z.enum(paymentStatuses),
  /**
   * The fee kept for a visit cancelled or missed (by the clinic's policy), in minor units; 0 when
   * none. A cancelled visit with no fee owes nothing, whatever its payment status reads.
   */
  feeMinor: z.number().int(),
});
export type AgendaItem = z.infer<typeof agendaItem>;

const span = z.object({ start: str(), end: str() });

/** The day view: a column per doctor working that day (issue 12 item 11). Instants are UTC ISO strings. */
export const dayGridOutput = z.object({
  date: str(),
  timeZone: str(),
  dayStart: str(),
  dayEnd: str(),
  dayHours: z.number().int(),
  viewStart: str(),
  viewEnd: str(),
  hourMarks: z.array(z.object({ at: str(), label: str() })),
  consultationType: z.object({ id, name: str(), durationMinutes: z.number().int() }).nullable(),
  consultationTypes: z.array(z.object({ id, name: str(), durationMinutes: z.number().int() })),
  locations: z.array(z.object({ id, name: str() })),
  specializations: z.array(z.object({ id, name: str() })),
  doctors: z.array(
    z.object({
      id,
      name: str(),
      specializations: z.array(str()),
      slotMinutes: z.number().int(),
      /** working: has hours left after time off; off: time off covers every hour; no-hours: booked without hours that day. */
      status: z.enum(['working', 'off', 'no-hours']),
      offersType: z.boolean(),
      hours: z.array(span.extend({ locationId: id, locationName: str() })),
      timeOff: z.array(span),
      appointments: z.array(
        agendaItem.omit({ doctorId: true, doctorName: true, cancelReason: true, feeMinor: true }).extend({ locationId: id, consultationTypeId: id }),
      ),
      free: z.array(z.object({ startAt: str(), endAt: str(), localTime: str(), locationId: id })),
    }),
  ),
  notWorking: z.array(z.object({ id, name: str() })),
});
export type DayGrid = z.infer<typeof dayGridOutput>;

export const agendaContract = {
  'agenda/day': defineHandler({
    summary: "A day's appointments for the clinic or one doctor, in the clinic's time zone.",
    input: z.strictObject({
      date: localDate.optional(),
      doctorId: id.optional(),
      locationId: id.optional(),
      includeCancelled: z.boolean().optional(),
    }),
    output: z.object({
      date: str(),
      timeZone: str(),
      doctors: z.array(z.object({ id, name: str() })),
      locations: z.array(z.object({ id, name: str() })),
      /** The day's appointments per status (for the doctor and location chosen, cancelled ones included). */
      counts: z.record(z.enum(appointmentStatuses), z.number().int()),
      /**
       * What the day should bring in, per currency, in minor units: the price of every visit not
       * cancelled or missed, plus the fees kept for cancelled and missed ones.
       */
      expected: z.array(z.object({ currency: str(), minor: z.number().int() })),
      items: z.array(agendaItem),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'agenda/day-grid': defineHandler({
    summary: 'The day view: a column per doctor working that day, with hours, time off, appointments and free slots of one consultation type.',
    input: z.strictObject({
      date: localDate.optional(),
      locationId: id.optional(),
      specializationId: id.optional(),
      consultationTypeId: id.optional(),
    }),
    output: dayGridOutput,
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
};
