import type { AppointmentView, Requirements } from '../../contract/booking.contract.js';
import type { Db } from '../db/database.js';
import { doctorName, patientNumber } from '../display-names.js';
import { localDateOf, localTime } from '../time/time.js';
import { notFound } from '../errors.js';
import type { CheckedSlot } from './slot-check.js';
import { storedPrice, type BookedPrice } from './booking-price.js';

const base = (db: Db) =>
  db
    .selectFrom('appointment as a')
    .innerJoin('patient as p', 'p.id', 'a.patient_id')
    .innerJoin('doctor as d', 'd.id', 'a.doctor_id')
    .innerJoin('location as l', 'l.id', 'a.location_id')
    .innerJoin('consultation_type as c', 'c.id', 'a.consultation_type_id')
    .leftJoin('staff as ack', 'ack.id', 'a.overlap_acknowledged_by')
    .select([
      'a.id',
      'a.patient_id',
      'p.given_name as p_given',
      'p.family_name as p_family',
      'p.number as p_number',
      'a.doctor_id',
      'd.title',
      'd.given_name',
      'd.family_name',
      'a.location_id',
      'l.name as location_name',
      'l.timezone',
      'a.consultation_type_id',
      'c.name as type_name',
      'a.start_at',
      'a.end_at',
      'a.status',
      'a.requirements',
      'a.price_minor',
      'a.currency',
      'a.payment_status',
      'a.base_minor',
      'a.discount_minor',
      'a.referral_code_id',
      'a.referral_redemption_id',
      'a.referral_code',
      'a.cancelled_by_party',
      'a.cancel_reason',
      'a.cancelled_within_policy_window',
      'a.rescheduled_from_id',
      'a.rescheduled_to_id',
      'a.created_at',
      'a.overlap_acknowledged_at',
      'ack.display_name as ack_name',
    ]);

export const appointmentQuery = base;

/** The breakdown as every appointment view shows it. */
export const priceView = (p: BookedPrice): AppointmentView['price'] => ({
  baseMinor: p.baseMinor,
  discountMinor: p.discountMinor,
  totalMinor: p.totalMinor,
  currency: p.currency,
  referralCode: p.referral?.code ?? null,
});
type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export function toView(r: Row): AppointmentView {
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: `${r.p_given} ${r.p_family}`,
    patientNumber: patientNumber(r.p_number),
    doctorId: r.doctor_id,
    doctorName: doctorName(r),
    locationId: r.location_id,
    locationName: r.location_name,
    timeZone: r.timezone,
    consultationTypeId: r.consultation_type_id,
    consultationType: r.type_name,
    startAt: r.start_at,
    endAt: r.end_at,
    localDate: localDateOf(r.start_at, r.timezone),
    localStart: localTime(r.start_at, r.timezone),
    localEnd: localTime(r.end_at, r.timezone),
    status: r.status,
    requirements: JSON.parse(r.requirements) as Requirements,
    priceMinor: r.price_minor,
    currency: r.currency,
    paymentStatus: r.payment_status,
    price: priceView(storedPrice(r)),
    cancelledByParty: r.cancelled_by_party,
    cancelReason: r.cancel_reason,
    cancelledWithinPolicyWindow: r.cancelled_within_policy_window === null ? null : r.cancelled_within_policy_window === 1,
    rescheduledFromId: r.rescheduled_from_id,
    rescheduledToId: r.rescheduled_to_id,
    createdAt: r.created_at,
    overlapAcknowledged: r.overlap_acknowledged_at ? { at: r.overlap_acknowledged_at, byName: r.ack_name ?? '' } : null,
  };
}

export async function loadAppointment(db: Db, appointmentId: string): Promise<AppointmentView> {
  const row = await base(db).where('a.id', '=', appointmentId).executeTakeFirst();
  if (!row) throw notFound('The appointment');
  return toView(row);
}

/** The view of an appointment just booked, from the values the booking already holds. */
export function bookedView(
  id: string,
  createdAt: string,
  patient: { id: string; name: string; number: number },
  slot: CheckedSlot,
  requirements: Requirements,
  price: BookedPrice,
  overlapAcknowledged: AppointmentView['overlapAcknowledged'] = null,
): AppointmentView {
  const startAt = new Date(slot.start).toISOString();
  const endAt = new Date(slot.end).toISOString();
  return {
    id,
    patientId: patient.id,
    patientName: patient.name,
    patientNumber: patientNumber(patient.number),
    doctorId: slot.doctorId,
    doctorName: slot.doctorName,
    locationId: slot.locationId,
    locationName: slot.locationName,
    timeZone: slot.timeZone,
    consultationTypeId: slot.consultationTypeId,
    consultationType: slot.typeName,
    startAt,
    endAt,
    localDate: localDateOf(startAt, slot.timeZone),
    localStart: localTime(startAt, slot.timeZone),
    localEnd: localTime(endAt, slot.timeZone),
    status: 'booked',
    requirements,
    priceMinor: price.totalMinor,
    currency: price.currency,
    paymentStatus: price.totalMinor === 0 ? 'no_charge' : 'unpaid',
    price: priceView(price),
    cancelledByParty: null,
    cancelReason: null,
    cancelledWithinPolicyWindow: null,
    rescheduledFromId: null,
    rescheduledToId: null,
    createdAt,
    overlapAcknowledged,
  };
}
