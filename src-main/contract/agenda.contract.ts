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
  locationName: str(),
  consultationType: str(),
  paymentStatus: z.enum(paymentStatuses),
});
export type AgendaItem = z.infer<typeof agendaItem>;

export const agendaContract = {
  'agenda/day': defineHandler({
    summary: "A day's appointments for the clinic or one doctor, in the clinic's time zone.",
    input: z.strictObject({
      date: localDate.optional(),
      doctorId: id.optional(),
      includeCancelled: z.boolean().optional(),
    }),
    output: z.object({
      date: str(),
      timeZone: str(),
      doctors: z.array(z.object({ id, name: str() })),
      items: z.array(agendaItem),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
};
