/** Kysely table types. Instants are UTC ISO strings; booleans are 0/1 integers. */
import type { Generated } from 'kysely';

export interface SettingTable { key: string; value: string; updated_at: string; updated_by: string | null }

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  role: 'admin' | 'receptionist';
  password_hash: string;
  active: number;
  failed_logins: number;
  throttled_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by a change of password, role or active flag: older sessions are refused (0007). */
  session_epoch: Generated<number>;
}

export interface UnknownLoginTable { name_hash: string; failed_logins: number; throttled_until: string | null; updated_at: string }

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor_kind: 'staff' | 'patient' | 'anonymous' | 'system';
  actor_id: string | null;
  handler: string;
  record_type: string | null;
  record_id: string | null;
  outcome: 'ok' | 'denied' | 'invalid' | 'error';
  detail: string | null;
  /** How many attempts the row stands for (refused attempts are counted per address, handler and minute). */
  count: Generated<number>;
  /** The last of the counted attempts (`at` is the first). */
  last_at: string | null;
  /** The caller's network address; NULL for the local desk. */
  source: string | null;
}

export interface OutboxTable {
  seq: Generated<number>;
  at: string;
  topic: string;
  record_id: string;
  payload: string;
  sent_at: string | null;
}

export interface IdempotencyKeyTable { key: string; handler: string; request_hash: string; response: string; created_at: string }

export interface LocationTable {
  id: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  timezone: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface SpecializationTable { id: string; name: string; active: number }

export interface DoctorTable {
  id: string;
  given_name: string;
  family_name: string;
  title: string;
  email: string | null;
  phone: string | null;
  slot_minutes: number;
  buffer_minutes: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface DoctorSpecializationTable { doctor_id: string; specialization_id: string }

export interface WorkingHoursTable {
  id: string;
  doctor_id: string;
  location_id: string;
  weekday: number;
  start_minute: number;
  end_minute: number;
}

export interface ScheduleExceptionTable {
  id: string;
  doctor_id: string;
  location_id: string | null;
  kind: 'time_off' | 'extra_hours';
  date: string;
  start_minute: number;
  end_minute: number;
  reason: string;
  created_at: string;
  created_by: string | null;
}

export interface ConsultationTypeTable {
  id: string;
  name: string;
  kind: 'general' | 'specialist' | 'follow_up' | 'other';
  duration_minutes: number;
  price_minor: number;
  currency: string;
  active: number;
}

export interface ConsultationTypeSpecializationTable { consultation_type_id: string; specialization_id: string }

export interface PatientTable {
  id: string;
  number: number;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  sex: 'female' | 'male' | 'intersex' | 'unknown';
  gender: string | null;
  phone_e164: string | null;
  email: string | null;
  address_line1: string;
  address_line2: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  preferred_language: string;
  consent_email: number;
  consent_sms: number;
  /** Cleared by 0006: patient tokens live in `patient_token`. Never read or written. */
  access_token_hash: string | null;
  duplicate_override_by: string | null;
  duplicate_override_at: string | null;
  duplicate_review: string | null;
  created_at: string;
  created_by_kind: string;
  created_by: string | null;
  updated_at: string;
  version: number;
}

/** A patient's access credential (one per device or link), stored only as a SHA-256 hash. */
export interface PatientTokenTable {
  id: string;
  patient_id: string;
  kind: 'device' | 'sign_in_link';
  token_hash: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_reason: 'rotated' | 'staff' | 'used' | null;
}

export interface PatientSearchTokenTable { token: string; patient_id: string }

export interface PatientSectionTable {
  patient_id: string;
  section: 'medical_history' | 'emergency_contact' | 'insurance' | 'symptom_check';
  data: string;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export interface PatientSectionChangeTable {
  seq: Generated<number>;
  patient_id: string;
  section: string;
  version: number;
  data: string;
  changed_at: string;
  changed_by_kind: string;
  changed_by: string | null;
}

export type AppointmentStatus = 'booked' | 'checked_in' | 'completed' | 'no_show' | 'cancelled';

export interface AppointmentTable {
  id: string;
  patient_id: string;
  doctor_id: string;
  location_id: string;
  consultation_type_id: string;
  start_at: string;
  end_at: string;
  block_end_at: string;
  status: AppointmentStatus;
  requirements: string;
  price_minor: number;
  currency: string;
  created_at: string;
  created_by_kind: string;
  created_by: string | null;
  updated_at: string;
  status_changed_at: string | null;
  status_changed_by: string | null;
  cancelled_by_party: 'patient' | 'clinic' | null;
  cancel_reason: string | null;
  cancelled_within_policy_window: number | null;
  rescheduled_from_id: string | null;
  rescheduled_to_id: string | null;
  /** Migration 0010: staff booked this over another appointment of the patient, knowingly. */
  overlap_acknowledged_at: string | null;
  overlap_acknowledged_by: string | null;
  /** Migration 0013: the price breakdown (price_minor is the total = base − discount); null only on rows written without it (read as no discount). */
  base_minor: number | null;
  discount_minor: number | null;
  referral_code_id: string | null;
  referral_redemption_id: string | null;
  /** The code as used at booking (upper case), a snapshot. */
  referral_code: string | null;
  /** Migration 0015: the payment summary shown everywhere, kept by core/payments. */
  payment_status: Generated<PaymentStatus>;
  fee_minor: Generated<number>;
}

export type PaymentStatus = 'unpaid' | 'pending' | 'paid' | 'partly_paid' | 'partly_refunded' | 'refunded' | 'insurance_pending' | 'no_charge';
export type PaymentMethod = 'cash' | 'card_terminal' | 'stripe_terminal' | 'stripe_checkout' | 'insurance' | 'no_charge';
export type LedgerAccount =
  | 'cash'
  | 'card_terminal'
  | 'stripe'
  | 'insurance_receivable'
  | 'insurance_received'
  | 'revenue'
  | 'fee_income'
  | 'commission_expense'
  | 'commission_payable'
  | 'suspense';
export type LedgerKind = 'charge' | 'refund' | 'fee' | 'commission_accrual' | 'commission_reversal' | 'correction';

export interface PaymentTable {
  id: string;
  appointment_id: string | null;
  hold_id: string | null;
  booking_request: string | null;
  patient_id: string;
  desk_id: string;
  method: PaymentMethod;
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  currency: string;
  amount_minor: number;
  tendered_minor: number | null;
  change_minor: number | null;
  reference: string | null;
  insurer: string | null;
  stripe_payment_intent_id: string | null;
  stripe_checkout_id: string | null;
  stripe_checkout_url: string | null;
  stripe_reader_id: string | null;
  failure_reason: string | null;
  business_day: string | null;
  next_check_at: string | null;
  check_attempts: Generated<number>;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  settled_at: string | null;
}

export interface RefundTable {
  id: string;
  payment_id: string;
  appointment_id: string | null;
  desk_id: string;
  currency: string;
  amount_minor: number;
  kind: 'policy' | 'slot-lost' | 'manual';
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  stripe_refund_id: string | null;
  reference: string | null;
  failure_reason: string | null;
  business_day: string | null;
  next_check_at: string | null;
  check_attempts: Generated<number>;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  settled_at: string | null;
}

export interface LedgerEntryTable {
  seq: Generated<number>;
  id: string;
  txn_id: string;
  at: string;
  business_day: string;
  desk_id: string;
  kind: LedgerKind;
  account: LedgerAccount;
  amount_minor: number;
  currency: string;
  payment_id: string | null;
  refund_id: string | null;
  appointment_id: string | null;
  referral_code_id: string | null;
  memo: string;
  created_by: string | null;
  version: Generated<number>;
}

export interface CashUpTable {
  id: string;
  desk_id: string;
  business_day: string;
  currency: string;
  totals: string;
  expected_cash_minor: number;
  counted_cash_minor: number;
  note: string;
  closed_at: string;
  closed_by: string;
  version: Generated<number>;
}

export interface PaymentAttentionTable {
  id: string;
  kind: 'slot-lost-refunded' | 'refund-failed' | 'refund-on-terminal' | 'refund-to-insurer' | 'payment-unknown' | 'insurance-rejected';
  payment_id: string | null;
  refund_id: string | null;
  appointment_id: string | null;
  detail: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  version: number;
}

export interface AppointmentHoldTable {
  id: string;
  doctor_id: string;
  location_id: string;
  consultation_type_id: string;
  start_at: string;
  end_at: string;
  block_end_at: string;
  holder: string;
  created_at: string;
  expires_at: string;
}

export interface PatientDoctorAssignmentTable {
  id: string;
  patient_id: string;
  doctor_id: string;
  kind: 'primary' | 'specialist';
  /** NULL for the primary doctor. */
  specialization_id: string | null;
  assigned_at: string;
  assigned_by: string | null;
  reason: string;
  ended_at: string | null;
  ended_by: string | null;
  end_reason: string | null;
}

export interface ReferralCodeTable {
  id: string;
  /** Upper case; unique without regard to case. */
  code: string;
  agent_name: string;
  agent_contact: string;
  agent_payout: string;
  commission_kind: 'none' | 'percent' | 'fixed';
  commission_bp: number | null;
  commission_minor: number | null;
  discount_kind: 'percent' | 'fixed';
  discount_bp: number | null;
  discount_cap_minor: number | null;
  discount_minor: number | null;
  currency: string;
  /** Clinic-zone dates, inclusive. */
  valid_from: string | null;
  valid_until: string | null;
  usage_limit: number | null;
  per_patient_limit: number | null;
  min_amount_minor: number;
  /** JSON array of consultation type ids; empty = all. */
  consultation_type_ids: string;
  active: number;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface ReferralRedemptionTable {
  id: string;
  code_id: string;
  patient_id: string;
  consultation_type_id: string;
  hold_id: string | null;
  appointment_id: string | null;
  status: 'reserved' | 'confirmed' | 'released';
  currency: string;
  base_minor: number;
  discount_minor: number;
  total_minor: number;
  expires_at: string;
  released_reason: string | null;
  version: number;
  created_at: string;
  /** The writer's clock: the limit triggers count reservations expiring after it. */
  updated_at: string;
}

export interface DeskTable { id: string; name: string; prefix: string; prefix_index: number; created_at: string; version: Generated<number> }

export interface EventTable {
  seq: Generated<number>;
  id: string;
  desk_id: string;
  desk_seq: number;
  at: string;
  entity: string;
  entity_id: string;
  op: 'upsert' | 'delete';
  version: number;
  record: string;
  actor_kind: string;
  actor_id: string | null;
  schema_version: number;
  patient_id: string | null;
  doctor_id: string | null;
}

export interface ConsumerCursorTable { consumer: string; last_seq: number; updated_at: string }

export interface ConsumerItemTable {
  consumer: string;
  event_seq: number;
  entity: string;
  entity_id: string;
  state: 'retry' | 'waiting' | 'parked';
  attempts: number;
  last_error: string | null;
  next_at: string;
  updated_at: string;
}

export interface ChangeDigestTable { day: string; entity: string; changes: number }

export interface SecretTable {
  name: string;
  sealed: Buffer;
  storage: string;
  hint: string;
  updated_at: string;
  updated_by: string | null;
}

export type MessageKind = 'confirmation' | 'reminder' | 'reschedule' | 'cancellation';
export type MessageChannel = 'email' | 'sms';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

/** Migration 0017: one notification to send (see core/notifications). */
export interface MessageTable {
  id: string;
  appointment_id: string;
  patient_id: string;
  chain_id: string;
  kind: MessageKind;
  channel: MessageChannel;
  appointment_version: number;
  offset_minutes: number;
  resend: number;
  sequence: number;
  appointment_start_at: string;
  due_at: string;
  expires_at: string;
  status: MessageStatus;
  recipient: string;
  attempts: number;
  next_at: string;
  claimed_at: string | null;
  sent_at: string | null;
  provider_id: string | null;
  message_id: string;
  reason: string | null;
  owner_desk_id: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Migration 0018: a one-time sign-in link to send (local; the token is minted when it is sent). */
export interface SignInMessageTable {
  id: string;
  patient_id: string;
  kind: 'sign_in_link';
  channel: 'email' | 'sms';
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
  recipient: string;
  attempts: number;
  next_at: string;
  expires_at: string;
  claimed_at: string | null;
  sent_at: string | null;
  provider_id: string | null;
  message_id: string;
  token_id: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

/** What an undoable action changed (migration 0019). */
export interface AppointmentUndoTable {
  id: string;
  appointment_id: string;
  action: 'check_in' | 'no_show' | 'cancel';
  from_status: AppointmentStatus;
  to_status: AppointmentStatus;
  staff_id: string;
  at: string;
  expires_at: string;
  effects: string;
  undone_at: string | null;
}

export interface DB {
  setting: SettingTable;
  staff: StaffTable;
  audit_log: AuditLogTable;
  unknown_login: UnknownLoginTable;
  outbox: OutboxTable;
  idempotency_key: IdempotencyKeyTable;
  location: LocationTable;
  specialization: SpecializationTable;
  doctor: DoctorTable;
  doctor_specialization: DoctorSpecializationTable;
  working_hours: WorkingHoursTable;
  schedule_exception: ScheduleExceptionTable;
  consultation_type: ConsultationTypeTable;
  consultation_type_specialization: ConsultationTypeSpecializationTable;
  patient: PatientTable;
  patient_search_token: PatientSearchTokenTable;
  patient_token: PatientTokenTable;
  patient_section: PatientSectionTable;
  patient_section_change: PatientSectionChangeTable;
  appointment: AppointmentTable;
  appointment_hold: AppointmentHoldTable;
  patient_doctor_assignment: PatientDoctorAssignmentTable;
  referral_code: ReferralCodeTable;
  referral_redemption: ReferralRedemptionTable;
  desk: DeskTable;
  event: EventTable;
  consumer_cursor: ConsumerCursorTable;
  consumer_item: ConsumerItemTable;
  change_digest: ChangeDigestTable;
  secret: SecretTable;
  payment: PaymentTable;
  refund: RefundTable;
  ledger_entry: LedgerEntryTable;
  cash_up: CashUpTable;
  payment_attention: PaymentAttentionTable;
  message: MessageTable;
  sign_in_message: SignInMessageTable;
  import_batch: ImportBatchTable;
  import_row: ImportRowTable;
  appointment_undo: AppointmentUndoTable;
}

/** A CSV import being staged or done (migration 0020; this desk's own working state). */
export interface ImportBatchTable {
  id: string;
  file_name: string;
  total_rows: number;
  created_by: string;
  created_at: string;
  status: 'staging' | 'committed';
  committed_at: string | null;
  result: string | null;
}

/** One staged row of a CSV import, checked with the registration rules. */
export interface ImportRowTable {
  batch_id: string;
  row_number: number;
  status: 'ok' | 'invalid' | 'duplicate';
  cells: string;
  errors: string | null;
  matches: string | null;
  record: string | null;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  phone_e164: string | null;
  email: string | null;
}
