/**
 * What each read's answer depends on: a change notice for one of these entity types makes
 * the renderer refetch the queries of that read (narrowed by the ids the query's input
 * names). Every handler must be listed — the compiler insists — so a new read cannot be
 * forgotten: `null` marks handlers whose answers are not cached (writes, session operations).
 */
import { entityTypes, type ChangeNotice, type EntityType } from './changes.js';
import type { HandlerName } from './index.js';

const ROSTER: readonly EntityType[] = ['doctor', 'doctor_hours', 'doctor_exception', 'location', 'specialization', 'consultation_type'];

export const readDependencies = {
  'setup/status': ['settings', 'staff'],
  'setup/initialize': null,
  'setup/load-demo': null,
  'setup/checklist': [...ROSTER, 'appointment'],
  'auth/login': null,
  'auth/logout': null,
  'auth/session': null,
  'auth/lock': null,
  'auth/unlock': null,
  'staff/list': ['staff'],
  'staff/create': null,
  'desk/get': ['desk'],
  'desk/rename': null,
  // Lag and failures move with every change.
  'background/status': entityTypes,
  'background/retry': null,
  // Secrets are local rows (no change notices): the Settings screen refetches after it sets one.
  'secrets/status': ['settings'],
  'secrets/set': null,
  'payment/summary': ['appointment', 'payment', 'refund'],
  'payment/record': null,
  'payment/settle-insurance': null,
  'payment/refund': null,
  'payment/confirm-refund': null,
  'payment/cancel-preview': ['appointment', 'payment', 'refund', 'settings'],
  'payment/attention': ['payment_attention'],
  'payment/resolve-attention': null,
  'payment/receipt': ['payment', 'refund', 'appointment', 'patient', 'doctor', 'location', 'consultation_type', 'referral_redemption', 'settings', 'staff'],
  // Fetched when the PDF is downloaded; follows the same records as the receipt.
  'payment/receipt-pdf': ['payment', 'refund', 'appointment', 'patient', 'doctor', 'location', 'consultation_type', 'referral_redemption', 'settings', 'staff'],
  // Printouts: the clinic's contact lives in settings (notification settings), names and times in the rows.
  'printing/day-sheet': ['appointment', 'patient', 'doctor', 'location', 'consultation_type', 'settings'],
  'printing/appointment-card': ['appointment', 'patient', 'doctor', 'location', 'consultation_type', 'settings'],
  'printing/patient-label': ['patient', 'settings'],
  'payment/price': ['appointment', 'referral_redemption', 'referral_code'],
  'ledger/correct': null,
  'ledger/balance': ['ledger_entry', 'cash_up'],
  // Asks Stripe (the screen calls it from a button); its currency check follows the settings.
  'payments/stripe-test': ['settings'],
  'notifications/get-settings': ['settings'],
  'notifications/save-settings': null,
  // An action, not cached in practice; its answer depends on the saved settings.
  'notifications/send-test': ['settings'],
  'notifications/list': ['message', 'patient'],
  'notifications/confirmation': ['appointment', 'message', 'location', 'settings', 'patient', 'doctor', 'consultation_type'],
  'notifications/retry': null,
  'notifications/resend': null,
  'payment/start-stripe': null,
  'payment/cancel-stripe': null,
  'payment/start-prepaid': null,
  'payment/stripe-progress': ['payment', 'hold', 'settings'],
  'cashup/preview': ['ledger_entry', 'cash_up', 'payment', 'refund', 'desk', 'settings'],
  'cashup/close': null,
  'cashup/list': ['cash_up'],
  'commission/report': ['ledger_entry', 'referral_code', 'settings'],
  'commission/report-csv': ['ledger_entry', 'referral_code', 'settings'],
  // A CSV import's writes; the failures file (import rows are local, fetched by a button) is final once the import's patients are in.
  'import/start': null, 'import/stage': null, 'import/failures-csv': ['patient'], 'import/commit': null,
  'staff/set-role': null,
  'staff/set-active': null,
  'staff/reset-password': null,
  'auth/change-password': null,
  'referral/list': ['referral_code', 'consultation_type', 'settings'],
  'referral/save': null,
  'referral/set-active': null,
  // Usage counts come from bookings.
  'referral/check': ['referral_code', 'appointment', 'consultation_type', 'settings'],
  'patient/rotate-access': null,
  'patient/access-summary': ['patient'],
  'patient/revoke-access': null,
  'settings/get': ['settings'],
  'settings/update': null,
  // Every write leaves an audit row.
  'audit/list': entityTypes,
  'agenda/day-grid': ['appointment', 'hold', 'patient', 'payment', ...ROSTER, 'settings'],
  'agenda/day': ['appointment', 'hold', 'patient', 'doctor', 'doctor_hours', 'doctor_exception', 'location', 'consultation_type', 'settings'],
  'patient/register': null,
  'patient/check-duplicates': ['patient'],
  'patient/search': ['patient'],
  'patient/get': ['patient', 'patient_section', 'assignment', 'doctor', 'specialization'],
  'patient/update-basic': null,
  'patient/update-medical-history': null,
  'patient/update-emergency-contact': null,
  'patient/update-insurance': null,
  'patient/resolve-duplicate-review': null,
  'patient/section-history': ['patient', 'patient_section', 'staff'],
  'patient/symptom-check': null,
  // The knowledge base is a file read at start and changes only with a restart; no record changes it.
  // (The screen loads it once, outside the cache; settings is named only because every read names something.)
  'symptoms/knowledge-base': ['settings'],
  'booking/options': [...ROSTER, 'settings'],
  'booking/find-slots': ['appointment', 'hold', ...ROSTER, 'settings'],
  'booking/hold': null,
  'booking/release-hold': null,
  'booking/create': null,
  'appointment/get': ['appointment', 'patient', 'doctor', 'location', 'consultation_type', 'settings'],
  'appointment/cancel': null,
  'appointment/reschedule': null,
  'appointment/set-status': null,
  'appointment/undo': null,
  'appointment/history': ['appointment', 'patient', 'doctor', 'location', 'consultation_type', 'settings'],
  'roster/list': ROSTER,
  'roster/get-doctor': ROSTER,
  'roster/doctor-week': ['appointment', 'hold', ...ROSTER, 'settings'],
  'roster/save-location': null,
  'roster/save-specialization': null,
  'roster/save-doctor': null,
  'roster/save-consultation-type': null,
  'roster/set-weekly-hours': null,
  'roster/add-exception': null,
  'roster/remove-exception': null,
  'roster/preview-change': ['appointment', ...ROSTER],
  // The patient's latest symptom check (a record section) feeds the specialization match.
  'assignment/suggestions': ['assignment', 'appointment', 'patient_section', ...ROSTER],
  'assignment/assign': null,
  'assignment/end': null,
  'assignment/list': ['assignment', 'patient', 'doctor', 'specialization'],
  // The patient page (issue 14). Clinic facts come from settings (contact and policy included) and the roster.
  'portal/clinic': [...ROSTER, 'settings'],
  'portal/slots': ['appointment', 'hold', ...ROSTER, 'settings'],
  'portal/doctors': ROSTER,
  'portal/request-link': null,
  'portal/exchange-link': null,
  'portal/me': ['patient', 'patient_section'],
  'portal/hold': null,
  'portal/release-hold': null,
  'portal/pay': null,
  'portal/medical-history': ['patient_section'],
  'portal/update-medical-history': null,
  'portal/price-preview': ['hold', 'referral_code', 'referral_redemption', 'appointment', 'consultation_type', 'settings'],
} as const satisfies Record<HandlerName, readonly EntityType[] | null>;

/** Handlers whose answers the renderer caches and refreshes on change notices. */
export type ReadName = {
  [K in HandlerName]: (typeof readDependencies)[K] extends null ? never : K;
}[HandlerName];

export const isReadName = (name: string): name is ReadName =>
  Object.hasOwn(readDependencies, name) && readDependencies[name as HandlerName] !== null;

/** Entities whose notices carry the id a query narrows on, as the notice's own id. */
const PATIENT_SCOPED = new Set<EntityType>(['patient', 'patient_section', 'assignment', 'appointment']);
const DOCTOR_SCOPED = new Set<EntityType>(['doctor', 'doctor_hours', 'doctor_exception', 'appointment', 'hold']);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Whether a notice may change the answer of `name(input)`. Conservative: the entity must be
 * one the read depends on; it is ruled out only when both the query's input and the notice
 * name a patient (or doctor, or appointment) and they differ.
 */
export function noticeAffects(name: string, input: unknown, notice: ChangeNotice): boolean {
  if (!isReadName(name)) return false;
  const deps = readDependencies[name] as readonly EntityType[];
  if (!deps.includes(notice.entity)) return false;
  const q = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const patientId = str(q.patientId);
  if (patientId && PATIENT_SCOPED.has(notice.entity)) {
    const theirs = notice.entity === 'patient' ? notice.id : notice.refs?.patientId;
    if (theirs && theirs !== patientId) return false;
  }
  const doctorId = str(q.doctorId);
  if (doctorId && DOCTOR_SCOPED.has(notice.entity)) {
    const theirs = notice.entity === 'doctor' ? notice.id : notice.refs?.doctorId;
    if (theirs && theirs !== doctorId) return false;
  }
  const appointmentId = str(q.appointmentId);
  if (appointmentId && notice.entity === 'appointment' && notice.id !== appointmentId) return false;
  return true;
}
