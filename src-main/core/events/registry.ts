import type { EntityType } from '../../contract/changes.js';

/**
 * Which tables sync, as which entity, and what of their rows an envelope carries. One place:
 * the capture triggers, the after-image loaders and the handler-walk test all read it.
 */
export interface SyncedTable {
  table: string;
  entity: EntityType;
  /** Primary-key columns; several are joined with ':' into the entity id. */
  key: readonly string[];
  /** Columns never put in an envelope (secrets) — changing them still emits a change. */
  secret?: readonly string[];
  /** Columns that are local state (sign-in throttling): neither in the envelope nor a change. */
  local?: readonly string[];
  /** Child rows that belong to the record (a doctor's specializations): [table, foreign key, column, field]. */
  children?: ReadonlyArray<{ table: string; parentKey: string; column: string; field: string }>;
  /** Only changes to these columns count (for the desk row: its name). */
  onlyColumns?: readonly string[];
  /** Columns that name the patient / doctor a record belongs to (for notices and consumers). */
  patientColumn?: string;
  doctorColumn?: string;
}

export const syncedTables: readonly SyncedTable[] = [
  { table: 'patient', entity: 'patient', key: ['id'], secret: ['access_token_hash'], patientColumn: 'id' },
  { table: 'patient_section', entity: 'patient_section', key: ['patient_id', 'section'], patientColumn: 'patient_id' },
  { table: 'appointment', entity: 'appointment', key: ['id'], patientColumn: 'patient_id', doctorColumn: 'doctor_id' },
  { table: 'appointment_hold', entity: 'hold', key: ['id'], doctorColumn: 'doctor_id' },
  { table: 'patient_doctor_assignment', entity: 'assignment', key: ['id'], patientColumn: 'patient_id', doctorColumn: 'doctor_id' },
  {
    table: 'doctor',
    entity: 'doctor',
    key: ['id'],
    doctorColumn: 'id',
    children: [{ table: 'doctor_specialization', parentKey: 'doctor_id', column: 'specialization_id', field: 'specialization_ids' }],
  },
  { table: 'working_hours', entity: 'doctor_hours', key: ['id'], doctorColumn: 'doctor_id' },
  { table: 'schedule_exception', entity: 'doctor_exception', key: ['id'], doctorColumn: 'doctor_id' },
  { table: 'location', entity: 'location', key: ['id'] },
  { table: 'specialization', entity: 'specialization', key: ['id'] },
  {
    table: 'consultation_type',
    entity: 'consultation_type',
    key: ['id'],
    children: [{ table: 'consultation_type_specialization', parentKey: 'consultation_type_id', column: 'specialization_id', field: 'specialization_ids' }],
  },
  { table: 'setting', entity: 'settings', key: ['key'] },
  {
    table: 'staff',
    entity: 'staff',
    key: ['id'],
    secret: ['password_hash'],
    local: ['failed_logins', 'throttled_until', 'last_login_at', 'updated_at'],
  },
  { table: 'desk', entity: 'desk', key: ['id'], onlyColumns: ['name'] },
  { table: 'referral_code', entity: 'referral_code', key: ['id'] },
  // Reservations and uses count against a code's limits on every desk.
  { table: 'referral_redemption', entity: 'referral_redemption', key: ['id'], patientColumn: 'patient_id' },
  // Money: every desk and the central server keep the same books.
  { table: 'payment', entity: 'payment', key: ['id'], patientColumn: 'patient_id' },
  { table: 'refund', entity: 'refund', key: ['id'] },
  // seq orders this desk's own rows only; the server numbers its own.
  { table: 'ledger_entry', entity: 'ledger_entry', key: ['id'], local: ['seq'] },
  { table: 'cash_up', entity: 'cash_up', key: ['id'] },
  { table: 'payment_attention', entity: 'payment_attention', key: ['id'] },
  // Notifications: every desk sees what was sent; only the row's owner desk sends it.
  { table: 'message', entity: 'message', key: ['id'], patientColumn: 'patient_id' },
];

/**
 * Tables that never sync, with the reason (the handler-walk test refuses a changed table that
 * is in neither list, so a new table has to be placed in one of them).
 */
export const localTables: Readonly<Record<string, string>> = {
  audit_log: 'this desk’s own log of calls',
  appointment_undo: 'an undo is offered only to who acted, at the desk where they acted (the appointment itself is synced)',
  event: 'the change log itself',
  outbox: 'read-only history before events',
  idempotency_key: 'replay protection for this desk’s callers',
  unknown_login: 'sign-in throttling',
  patient_search_token: 'derived from the patient row',
  patient_section_change: 'derived history of the section (the events carry every version)',
  consumer_cursor: 'consumer state of this desk',
  consumer_item: 'consumer state of this desk',
  change_digest: 'written by a consumer from events',
  schema_migration: 'schema state',
  sqlite_sequence: 'SQLite internals',
  patient_token: 'patients’ device credentials (hashes) issued by this desk; never copied elsewhere',
  secret: 'sealed with this desk’s own key; each desk or server sets its own',
  sign_in_message: 'one-time sign-in link mail of this desk (the link is this desk’s credential, like patient_token)',
  import_batch: 'a CSV import staged at this desk (the imported patients sync as patient records)',
  import_row: 'a CSV import staged at this desk (the imported patients sync as patient records)',
};

export const syncedTableOf = (table: string): SyncedTable | undefined => syncedTables.find((t) => t.table === table);
