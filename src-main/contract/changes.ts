/**
 * What a live screen learns when data changes: the entity and its id, never its contents.
 * Shared by the main process (which publishes after commit) and the renderer (which
 * invalidates the queries that show it).
 */
export const entityTypes = [
  'patient',
  'patient_section',
  'appointment',
  'hold',
  'assignment',
  'doctor',
  'doctor_hours',
  'doctor_exception',
  'location',
  'specialization',
  'consultation_type',
  'settings',
  'staff',
  'referral_code',
  'referral_redemption',
  'desk',
  'payment',
  'refund',
  'ledger_entry',
  'cash_up',
  'payment_attention',
  'message',
] as const;
export type EntityType = (typeof entityTypes)[number];

export interface ChangeNotice {
  entity: EntityType;
  id: string;
  op: 'upsert' | 'delete';
  /** Ids of related records a screen may be showing (e.g. the appointment's patient and doctor). */
  refs?: { patientId?: string; doctorId?: string };
  /** The record's version after the change (from the change envelope). */
  version?: number;
}

