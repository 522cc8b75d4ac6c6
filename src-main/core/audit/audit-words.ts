/**
 * The audit log in words: what each operation did, said as a person at the desk would say it.
 * A unit test (tests/unit/audit-words.test.ts) checks that every handler of the contract, and every
 * other name the app writes to the log, has its words here — none is shown by its raw name.
 */

import type { AuditKind } from '../../contract/audit.contract.js';

export interface AuditWords {
  kind: AuditKind;
  /** Past tense, followed by what it was done to: "cancelled" → "cancelled Ana Ruiz's appointment of …". */
  did: string;
  /** After "tried to": "cancel" → "tried to cancel Ana Ruiz's appointment of …". */
  tried: string;
  /** What it was done to when the record cannot be named (or has none): "an appointment". Empty: nothing. */
  what: string;
}

const w = (kind: AuditKind, did: string, tried: string, what = ''): AuditWords => ({ kind, did, tried, what });

export const AUDIT_WORDS: Record<string, AuditWords> = {
  // Setup and the app itself
  'setup/status': w('system', 'checked whether setup is needed', 'check whether setup is needed'),
  'setup/initialize': w('system', 'set up the clinic', 'set up the clinic'),
  'setup/checklist': w('system', 'looked at the first-run checklist', 'look at the first-run checklist'),
  'setup/load-demo': w('system', 'loaded the demo clinic', 'load the demo clinic'),
  'app/open': w('system', 'found an empty database file, moved it aside and started a new clinic', 'open the database'),
  'desk/get': w('system', 'looked at this desk', 'look at this desk'),
  'desk/rename': w('system', 'renamed', 'rename', 'this desk'),
  'background/status': w('system', 'looked at background work', 'look at background work'),
  'background/retry': w('system', 'retried background work', 'retry background work'),
  'secrets/status': w('settings', 'looked at which secrets are set', 'look at which secrets are set'),
  'secrets/set': w('settings', 'changed the secret', 'change the secret'),
  'symptoms/knowledge-base': w('system', 'opened the symptom checker', 'open the symptom checker'),
  'stripe/follow-up': w('payments', 'followed up on', 'follow up on', 'a Stripe payment'),
  // Sign-in
  'auth/login': w('sign-in', 'signed in', 'sign in'),
  'auth/logout': w('sign-in', 'signed out', 'sign out'),
  'auth/session': w('sign-in', 'checked who is signed in', 'check who is signed in'),
  'auth/lock': w('sign-in', 'locked the screen', 'lock the screen'),
  'auth/unlock': w('sign-in', 'unlocked the screen', 'unlock the screen'),
  'auth/change-password': w('sign-in', 'changed their own password', 'change their own password'),
  // Staff accounts
  'staff/list': w('staff', 'looked at the staff list', 'look at the staff list'),
  'staff/create': w('staff', 'created the staff account of', 'create the staff account of', 'a new person'),
  'staff/set-role': w('staff', 'changed the role of', 'change the role of', 'a staff member'),
  'staff/set-active': w('staff', 'deactivated or reactivated the account of', 'deactivate or reactivate the account of', 'a staff member'),
  'staff/reset-password': w('staff', 'set a new password for', 'set a new password for', 'a staff member'),
  // Settings
  'settings/get': w('settings', 'looked at the settings', 'look at the settings'),
  'settings/update': w('settings', 'changed the settings', 'change the settings'),
  'notifications/get-settings': w('settings', 'looked at the message settings', 'look at the message settings'),
  'notifications/save-settings': w('settings', 'changed how messages are sent', 'change how messages are sent'),
  'notifications/send-test': w('settings', 'sent a test e-mail', 'send a test e-mail'),
  'payments/stripe-test': w('settings', 'checked the Stripe key', 'check the Stripe key'),
  'audit/list': w('system', 'read the audit log', 'read the audit log'),
  // Patients
  'patient/register': w('patients', 'registered', 'register', 'a patient'),
  'patient/rotate-access': w('patients', 'renewed the access link of', 'renew the access link of', 'a patient'),
  'patient/access-summary': w('patients', 'looked at the access links of', 'look at the access links of', 'a patient'),
  'patient/revoke-access': w('patients', 'revoked every access link of', 'revoke every access link of', 'a patient'),
  'patient/check-duplicates': w('patients', 'checked for duplicate patients', 'check for duplicate patients'),
  'patient/search': w('patients', 'searched for a patient', 'search for a patient'),
  'patient/get': w('patients', 'opened the record of', 'open the record of', 'a patient'),
  'patient/update-basic': w('patients', 'changed the details of', 'change the details of', 'a patient'),
  'patient/update-medical-history': w('patients', 'changed the medical history of', 'change the medical history of', 'a patient'),
  'patient/update-emergency-contact': w('patients', 'changed the emergency contact of', 'change the emergency contact of', 'a patient'),
  'patient/update-insurance': w('patients', 'changed the insurance of', 'change the insurance of', 'a patient'),
  'patient/resolve-duplicate-review': w('patients', 'cleared the duplicate warning on', 'clear the duplicate warning on', 'a patient'),
  'patient/section-history': w('patients', 'looked at the change history of', 'look at the change history of', 'a patient'),
  'patient/symptom-check': w('patients', 'ran the symptom checker for', 'run the symptom checker for', 'a patient'),
  'assignment/suggestions': w('patients', 'looked at suggested doctors', 'look at suggested doctors'),
  'assignment/assign': w('patients', 'assigned a doctor to', 'assign a doctor to', 'a patient'),
  'assignment/end': w('patients', 'ended a doctor assignment of', 'end a doctor assignment of', 'a patient'),
  'assignment/list': w('patients', 'looked at the assigned doctors of', 'look at the assigned doctors of', 'a patient'),
  // Appointments
  'agenda/day': w('appointments', 'looked at the agenda', 'look at the agenda'),
  'booking/options': w('appointments', 'looked at what can be booked', 'look at what can be booked'),
  'booking/find-slots': w('appointments', 'looked for free slots', 'look for free slots'),
  'booking/hold': w('appointments', 'held a slot', 'hold a slot'),
  'booking/release-hold': w('appointments', 'released a held slot', 'release a held slot'),
  'booking/create': w('appointments', 'booked', 'book', 'an appointment'),
  'appointment/get': w('appointments', 'looked at', 'look at', 'an appointment'),
  'appointment/cancel': w('appointments', 'cancelled', 'cancel', 'an appointment'),
  'appointment/reschedule': w('appointments', 'moved', 'move', 'an appointment'),
  'appointment/undo': w('appointments', 'undid the last change to', 'undo the last change to', 'an appointment'),
  'agenda/day-grid': w('appointments', 'looked at the day view', 'look at the day view'),
  // The patient booking page
  'portal/clinic': w('appointments', 'opened the booking page', 'open the booking page'),
  'portal/slots': w('appointments', 'looked for free times on the booking page', 'look for free times on the booking page'),
  'portal/doctors': w('appointments', 'looked at the doctors on the booking page', 'look at the doctors on the booking page'),
  'portal/request-link': w('patients', 'asked for a sign-in link', 'ask for a sign-in link'),
  'portal/exchange-link': w('patients', 'signed in with a link', 'sign in with a link'),
  'portal/me': w('patients', 'looked at their own details', 'look at their own details'),
  'portal/hold': w('appointments', 'held a time on the booking page', 'hold a time on the booking page'),
  'portal/release-hold': w('appointments', 'let go of a held time', 'let go of a held time'),
  'portal/medical-history': w('patients', 'looked at their own health questions', 'look at their own health questions'),
  'portal/update-medical-history': w('patients', 'answered their own health questions', 'answer their own health questions'),
  'portal/pay': w('payments', 'opened the online payment page for', 'open the online payment page for', 'an appointment'),
  'portal/price-preview': w('referrals', 'checked a referral code on the booking page', 'check a referral code on the booking page'),
  // Printing
  'printing/day-sheet': w('appointments', 'printed the day sheet', 'print the day sheet'),
  'printing/appointment-card': w('appointments', 'printed the appointment card of', 'print the appointment card of', 'an appointment'),
  'printing/patient-label': w('patients', 'printed the label of', 'print the label of', 'a patient'),
  // Importing patients
  'import/start': w('patients', 'started a patient import', 'start a patient import'),
  'import/stage': w('patients', 'checked rows of a patient import', 'check rows of a patient import'),
  'import/failures-csv': w('patients', 'downloaded the rows an import refused', 'download the rows an import refused'),
  'import/commit': w('patients', 'imported patients from a file', 'import patients from a file'),
  'appointment/set-status': w('appointments', 'changed the status of', 'change the status of', 'an appointment'),
  'appointment/history': w('appointments', 'looked at the appointments of', 'look at the appointments of', 'a patient'),
  'notifications/list': w('messages', 'looked at messages to patients', 'look at messages to patients'),
  'notifications/confirmation': w('messages', 'looked at the confirmation of', 'look at the confirmation of', 'an appointment'),
  'notifications/retry': w('messages', 'sent a message again', 'send a message again'),
  'notifications/resend': w('messages', 'sent the messages again for', 'send the messages again for', 'an appointment'),
  // Roster
  'roster/list': w('roster', 'looked at the roster', 'look at the roster'),
  'roster/get-doctor': w('roster', 'looked at the roster of', 'look at the roster of', 'a doctor'),
  'roster/doctor-week': w('roster', 'looked at the week of', 'look at the week of', 'a doctor'),
  'roster/save-location': w('roster', 'saved the location', 'save the location', 'a location'),
  'roster/save-specialization': w('roster', 'saved the specialization', 'save the specialization', 'a specialization'),
  'roster/save-doctor': w('roster', 'saved the details of', 'save the details of', 'a doctor'),
  'roster/save-consultation-type': w('roster', 'saved the consultation type', 'save the consultation type', 'a consultation type'),
  'roster/set-weekly-hours': w('roster', 'changed the weekly hours of', 'change the weekly hours of', 'a doctor'),
  'roster/add-exception': w('roster', 'added time off or extra hours for', 'add time off or extra hours for', 'a doctor'),
  'roster/remove-exception': w('roster', 'removed time off or extra hours of', 'remove time off or extra hours of', 'a doctor'),
  'roster/preview-change': w('roster', 'checked which bookings a roster change affects', 'check which bookings a roster change affects'),
  // Referral codes
  'referral/list': w('referrals', 'looked at the referral codes', 'look at the referral codes'),
  'referral/save': w('referrals', 'saved the referral code', 'save the referral code', 'a referral code'),
  'referral/set-active': w('referrals', 'deactivated or reactivated the referral code', 'deactivate or reactivate the referral code', 'a referral code'),
  'referral/check': w('referrals', 'checked a referral code', 'check a referral code'),
  // Payments
  'payment/summary': w('payments', 'looked at the payments of', 'look at the payments of', 'an appointment'),
  'payment/record': w('payments', 'took a payment for', 'take a payment for', 'an appointment'),
  'payment/settle-insurance': w('payments', 'recorded the insurer’s answer on', 'record the insurer’s answer on', 'a payment'),
  'payment/refund': w('payments', 'refunded', 'refund', 'a payment'),
  'payment/confirm-refund': w('payments', 'confirmed a refund done on the card terminal', 'confirm a refund done on the card terminal'),
  'payment/cancel-preview': w('payments', 'looked at what a cancellation would do with the money', 'look at what a cancellation would do with the money'),
  'payment/attention': w('payments', 'looked at payments that need attention', 'look at payments that need attention'),
  'payment/resolve-attention': w('payments', 'marked a payment problem as dealt with', 'mark a payment problem as dealt with'),
  'ledger/correct': w('payments', 'corrected the books', 'correct the books'),
  'ledger/balance': w('payments', 'looked at the books', 'look at the books'),
  'payment/start-stripe': w('payments', 'started a Stripe payment for', 'start a Stripe payment for', 'an appointment'),
  'payment/cancel-stripe': w('payments', 'cancelled', 'cancel', 'a Stripe payment'),
  'payment/start-prepaid': w('payments', 'started a payment before booking', 'start a payment before booking'),
  'payment/stripe-progress': w('payments', 'looked at a Stripe payment', 'look at a Stripe payment'),
  'payment/price': w('payments', 'looked at the price of', 'look at the price of', 'an appointment'),
  'payment/receipt': w('payments', 'looked at a receipt', 'look at a receipt'),
  'payment/receipt-pdf': w('payments', 'printed a receipt', 'print a receipt'),
  'cashup/preview': w('payments', 'looked at the cash-up', 'look at the cash-up'),
  'cashup/close': w('payments', 'closed the day’s cash-up', 'close the day’s cash-up'),
  'cashup/list': w('payments', 'looked at closed days', 'look at closed days'),
  'commission/report': w('payments', 'looked at the commission report', 'look at the commission report'),
  'commission/report-csv': w('payments', 'downloaded the commission report', 'download the commission report'),
};

/** Words for a name the app never registered (a handler added later without words): still no raw name. */
export const wordsFor = (handler: string): AuditWords | undefined => AUDIT_WORDS[handler];

const FIELD_WORDS: Record<string, string> = {
  dateOfBirth: 'date of birth',
  givenName: 'first name',
  familyName: 'last name',
  phone: 'phone',
  email: 'e-mail',
  preferredLanguage: 'preferred language',
};

/** "dateOfBirth" → "date of birth"; "basic.phone" → "phone". */
export const fieldInWords = (field: string): string => {
  const last = field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? field;
  return FIELD_WORDS[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
};

const CODE_WORDS: Record<string, string> = {
  'auth/forbidden': 'not allowed for their role',
  'auth/unauthenticated': 'not signed in',
  'auth/locked': 'the screen was locked',
  'auth/session-ended': 'the session had ended',
  'auth/invalid-credentials': 'wrong user name or password',
  'http/too-many-requests': 'too many attempts',
  'internal/error': 'an error inside the app',
  'validation/invalid-input': 'some fields were not filled in correctly',
};

/** An error code ("booking/slot-taken") in words ("slot taken"). */
export const codeInWords = (code: string): string => CODE_WORDS[code] ?? (code.split('/').pop() ?? code).replace(/-/g, ' ');
