import { z } from 'zod';
import { ALL_STAFF, defineHandler, id, localDate } from './common.js';

export const appointmentStatuses = ['booked', 'checked_in', 'completed', 'no_show', 'cancelled'] as const;

export const agendaItem = z.object({
  id,
  startAt: z.string(),
  endAt: z.string(),
  /** Wall-clock start and end in the location's time zone, HH:mm. */
  localStart: z.string(),
  localEnd: z.string(),
  status: z.enum(appointmentStatuses),
  patientId: id,
  patientName: z.string(),
  patientNumber: z.string(),
  doctorId: id,
  doctorName: z.string(),
  locationName: z.string(),
  consultationType: z.string(),
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
      date: z.string(),
      timeZone: z.string(),
      doctors: z.array(z.object({ id, name: z.string() })),
      items: z.array(agendaItem),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
};
