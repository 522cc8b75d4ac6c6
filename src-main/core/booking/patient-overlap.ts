import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { doctorName } from '../display-names.js';
import { localDateOf, localTime } from '../time/time.js';
import { clockText, whenText } from './booking-text.js';

const HOUR = 3_600_000;

export interface PatientClash {
  appointmentId: string;
  doctorName: string;
  locationName: string;
  startAt: string;
  endAt: string;
  localDate: string;
  localStart: string;
  localEnd: string;
  timeZone: string;
}

/** The patient's live appointments that overlap [start, end) (visits only; buffers are the doctor's). */
export async function patientClashes(ctx: Ctx, patientId: string, start: number, end: number): Promise<PatientClash[]> {
  const rows = await ctx.db
    .selectFrom('appointment as a')
    .innerJoin('doctor as d', 'd.id', 'a.doctor_id')
    .innerJoin('location as l', 'l.id', 'a.location_id')
    .select(['a.id', 'a.start_at', 'a.end_at', 'd.title', 'd.given_name', 'd.family_name', 'l.name as location_name', 'l.timezone'])
    .where('a.patient_id', '=', patientId)
    .where('a.status', '<>', 'cancelled')
    // Visits last at most 10 hours: the index on (patient_id, start_at) bounds the read.
    .where('a.start_at', '>=', new Date(start - 10 * HOUR).toISOString())
    .where('a.start_at', '<', new Date(end).toISOString())
    .where('a.end_at', '>', new Date(start).toISOString())
    .orderBy('a.start_at')
    .execute();
  return rows.map((r) => ({
    appointmentId: r.id,
    doctorName: doctorName(r),
    locationName: r.location_name,
    startAt: r.start_at,
    endAt: r.end_at,
    localDate: localDateOf(r.start_at, r.timezone),
    localStart: localTime(r.start_at, r.timezone),
    localEnd: localTime(r.end_at, r.timezone),
    timeZone: r.timezone,
  }));
}

/**
 * Refuses a booking that overlaps another live appointment of the same patient, naming it
 * (doctor, time). Staff may go ahead with `acknowledged`; the caller then records who and
 * when on the appointment. Patients cannot override (the contract refuses the flag for them).
 * Returns the clashes that were acknowledged (empty when there was none).
 */
export async function checkPatientOverlap(
  ctx: Ctx,
  q: { patientId: string; start: number; end: number; acknowledged: boolean },
): Promise<PatientClash[]> {
  const clashes = await patientClashes(ctx, q.patientId, q.start, q.end);
  if (clashes.length === 0) return [];
  const isPatient = ctx.actor.kind === 'patient';
  if (q.acknowledged && !isPatient) return clashes;
  const c = clashes[0]!;
  const when = `${whenText(c.startAt, c.timeZone)}–${clockText(c.endAt, c.timeZone)}`;
  const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
  const message = isPatient
    ? `You already have an appointment with ${c.doctorName} on ${when}${more} at that time. Choose another time, or call the clinic.`
    : `This patient already has an appointment with ${c.doctorName} on ${when} at ${c.locationName}${more}, which overlaps this time. Choose another time, or book anyway if the patient really is to be in both.`;
  throw new DomainError('booking/patient-overlap', message, {
    fieldErrors: { startAt: [message] },
    details: { clashes, canOverride: !isPatient },
  });
}
