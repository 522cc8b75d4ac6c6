import type { HandlerName, OutputOf, ParsedInputOf } from './contract/index.js';
import type { Ctx } from './core/context.js';
import { agendaDay } from './core/agenda/agenda.service.js';
import { agendaDayGrid } from './core/agenda/day-grid.js';
import { undoAction } from './core/booking/appointment-undo.js';
import { listAudit } from './core/audit/audit.service.js';
import { getSettings, writeSettings } from './core/settings/settings.service.js';
import { initializeClinic, loadDemo, setupStatus } from './core/setup/setup.service.js';
import { setupChecklist } from './core/setup/checklist.service.js';
import {
  checkDuplicates,
  getProfile,
  registerPatient,
  registrationReplay,
  resolveDuplicateReview,
  sectionHistory,
  updateBasic,
  updateSection,
} from './core/patients/patient.service.js';
import { searchPatients } from './core/patients/patient-search.js';
import { accessSummary, revokeAllAccess, rotateAccess } from './core/patients/patient-token.service.js';
import { bookingOptions, createBooking, findSlots, placeHold, releaseHold } from './core/booking/booking.service.js';
import {
  appointmentHistory,
  cancelAppointment,
  getAppointment,
  rescheduleAppointment,
  setStatus,
} from './core/booking/appointment.service.js';
import { createStaff, listStaff, login, passwordPrecheck, sessionInfo, unlock } from './core/staff/staff.service.js';
import {
  changeOwnPassword,
  changePasswordPrecheck,
  hashNewPassword,
  resetPassword,
  setActive,
  setRole,
} from './core/staff/staff-admin.service.js';
import {
  addException,
  doctorWeek,
  getDoctor,
  listRoster,
  previewChange,
  removeException,
  saveConsultationType,
  saveDoctor,
  saveLocation,
  saveSpecialization,
  setWeeklyHours,
} from './core/roster/roster.service.js';
import { assignDoctor, endAssignment, listAssignments } from './core/assignment/assignment.service.js';
import { suggestDoctors } from './core/assignment/suggestions.service.js';
import { listCodes, saveCode, setCodeActive } from './core/referrals/referral.service.js';
import { checkReferral } from './core/referrals/redemption.service.js';
import { readDesk, renameDesk } from './core/desk/desk.service.js';
import { backgroundStatus, retryBackgroundItem } from './core/events/background.service.js';
import type { EventRunner } from './core/events/runner.js';
import { secretsStatus, setSecret } from './core/secrets/secrets.service.js';
import { confirmRefund, correctLedger, ledgerBalance, recordPayment, refundPayment, settleInsurance } from './core/payments/payment.service.js';
import { paymentSummary } from './core/payments/payment-state.js';
import { cancelPreview } from './core/payments/refunds.js';
import { listAttention, resolveAttention } from './core/payments/attention.js';
import { testStripeConnection } from './core/stripe/stripe-connection.service.js';
import { knowledgeBaseView, runSymptomCheck } from './core/symptoms/symptom-check.service.js';
import { confirmationOf, getNotificationSettings, listMessages, resendMessages, retryMessage, saveNotificationSettings } from './core/notifications/notifications.service.js';
import { sendTestEmail } from './core/notifications/sender.js';
import { loadNotificationSettings } from './core/notifications/notification-settings.js';
import { cancelStripe, startPrepaid, startStripe, stripeProgress } from './core/payments/stripe-payments.service.js';
import { closeCashUp, listCashUps, previewCashUp } from './core/payments/cashup.service.js';
import { commissionReport, commissionReportCsv } from './core/payments/commission-report.service.js';
import { priceOf, receiptOf, receiptPdf } from './core/payments/receipt.service.js';
import { portalClinic, portalDoctors, portalMe, portalSlots } from './core/portal/portal-read.service.js';
import { exchangeLink, requestLink } from './core/portal/sign-in-link.service.js';
import { portalHold, portalPay, portalPayUrl, portalReleaseHold } from './core/portal/portal-booking.service.js';
import { portalMedicalHistory, portalUpdateMedicalHistory } from './core/portal/portal-health.service.js';
import { portalPricePreview } from './core/portal/portal-price.service.js';
import { appointmentCard, daySheet, patientLabel } from './core/printing/printing.service.js';
import { commitImport, failuresCsv, stageRows, startImport } from './core/import/import.service.js';

type Implementation<K extends HandlerName> = (ctx: Ctx, input: ParsedInputOf<K>) => Promise<OutputOf<K>>;
export type Implementations = { [K in HandlerName]: Implementation<K> };

/** Every handler of the contract, mapped to its core service. The compiler checks both ways. */
export const implementations: Implementations = {
  'setup/status': (ctx) => setupStatus(ctx),
  'setup/initialize': (ctx, input) => initializeClinic(ctx, input),
  'setup/load-demo': (ctx) => loadDemo(ctx),
  'setup/checklist': (ctx) => setupChecklist(ctx),
  'auth/login': (ctx, input) => login(ctx, input),
  'auth/logout': async (ctx) => {
    ctx.session.end();
    return { ok: true as const };
  },
  'auth/session': (ctx) => sessionInfo(ctx),
  'auth/lock': async (ctx) => {
    ctx.session.lock();
    return { ok: true as const };
  },
  'auth/unlock': (ctx, input) => unlock(ctx, input),
  'staff/list': (ctx) => listStaff(ctx),
  'staff/create': async (ctx, input) => ({
    staff: await createStaff(ctx, input, (ctx.pre as { passwordHash?: string } | undefined)?.passwordHash),
  }),
  'staff/set-role': (ctx, input) => setRole(ctx, input),
  'staff/set-active': (ctx, input) => setActive(ctx, input),
  'staff/reset-password': (ctx, input) => resetPassword(ctx, input),
  'auth/change-password': (ctx, input) => changeOwnPassword(ctx, input),
  'settings/get': (ctx) => getSettings(ctx),
  'settings/update': (ctx, input) => writeSettings(ctx, input),
  'audit/list': (ctx, input) => listAudit(ctx, input),
  'agenda/day': (ctx, input) => agendaDay(ctx, input),
  'agenda/day-grid': (ctx, input) => agendaDayGrid(ctx, input),
  'patient/register': (ctx, input) => registerPatient(ctx, input),
  'patient/check-duplicates': (ctx, input) => checkDuplicates(ctx, input),
  'patient/search': (ctx, input) => searchPatients(ctx.db, input.query, input.limit, ctx.settings.defaultCountry),
  'patient/get': (ctx, input) => getProfile(ctx, input),
  'patient/update-basic': (ctx, input) => updateBasic(ctx, input),
  'patient/update-medical-history': (ctx, input) => updateSection(ctx, input, 'medical_history'),
  'patient/update-emergency-contact': (ctx, input) => updateSection(ctx, input, 'emergency_contact'),
  'patient/update-insurance': (ctx, input) => updateSection(ctx, input, 'insurance'),
  'patient/section-history': (ctx, input) => sectionHistory(ctx, input),
  'patient/symptom-check': (ctx, input) => runSymptomCheck(ctx, input),
  'symptoms/knowledge-base': (ctx) => knowledgeBaseView(ctx),
  'patient/resolve-duplicate-review': (ctx, input) => resolveDuplicateReview(ctx, input),
  'patient/rotate-access': (ctx) => rotateAccess(ctx),
  'patient/access-summary': (ctx, input) => accessSummary(ctx, input),
  'patient/revoke-access': (ctx, input) => revokeAllAccess(ctx, input),
  'booking/options': (ctx) => bookingOptions(ctx),
  'booking/find-slots': (ctx, input) => findSlots(ctx, input),
  'booking/hold': (ctx, input) => placeHold(ctx, input),
  'booking/release-hold': (ctx, input) => releaseHold(ctx, input),
  'booking/create': (ctx, input) => createBooking(ctx, input),
  'appointment/get': (ctx, input) => getAppointment(ctx, input),
  'appointment/cancel': (ctx, input) => cancelAppointment(ctx, input),
  'appointment/reschedule': (ctx, input) => rescheduleAppointment(ctx, input),
  'appointment/set-status': (ctx, input) => setStatus(ctx, input),
  'appointment/undo': (ctx, input) => undoAction(ctx, input),
  'appointment/history': (ctx, input) => appointmentHistory(ctx, input),
  'roster/list': (ctx) => listRoster(ctx),
  'roster/get-doctor': (ctx, input) => getDoctor(ctx, input),
  'roster/doctor-week': (ctx, input) => doctorWeek(ctx, input),
  'roster/save-location': (ctx, input) => saveLocation(ctx, input),
  'roster/save-specialization': (ctx, input) => saveSpecialization(ctx, input),
  'roster/save-doctor': (ctx, input) => saveDoctor(ctx, input),
  'roster/save-consultation-type': (ctx, input) => saveConsultationType(ctx, input),
  'roster/set-weekly-hours': (ctx, input) => setWeeklyHours(ctx, input),
  'roster/add-exception': (ctx, input) => addException(ctx, input),
  'roster/remove-exception': (ctx, input) => removeException(ctx, input),
  'roster/preview-change': (ctx, input) => previewChange(ctx, input),
  'assignment/suggestions': (ctx, input) => suggestDoctors(ctx, input),
  'assignment/assign': (ctx, input) => assignDoctor(ctx, input),
  'assignment/end': (ctx, input) => endAssignment(ctx, input),
  'assignment/list': (ctx, input) => listAssignments(ctx, input),
  'referral/list': (ctx) => listCodes(ctx),
  'referral/save': (ctx, input) => saveCode(ctx, input),
  'referral/set-active': (ctx, input) => setCodeActive(ctx, input),
  'referral/check': (ctx, input) => checkReferral(ctx, input),
  'desk/get': (ctx) => readDesk(ctx.db),
  'desk/rename': (ctx, input) => renameDesk(ctx, input),
  'background/status': (ctx) => backgroundStatus(ctx, runnerOf(ctx)),
  'background/retry': (ctx, input) => retryBackgroundItem(ctx, runnerOf(ctx), input),
  'secrets/status': (ctx) => secretsStatus(ctx),
  'secrets/set': (ctx, input) => setSecret(ctx, input),
  'payment/summary': (ctx, input) => paymentSummary(ctx, input),
  'payment/record': (ctx, input) => recordPayment(ctx, input),
  'payment/settle-insurance': (ctx, input) => settleInsurance(ctx, input),
  'payment/refund': (ctx, input) => refundPayment(ctx, input),
  'payment/confirm-refund': (ctx, input) => confirmRefund(ctx, input),
  'payment/cancel-preview': (ctx, input) => cancelPreview(ctx, input),
  'payment/attention': (ctx, input) => listAttention(ctx, input),
  'payment/resolve-attention': (ctx, input) => resolveAttention(ctx, input),
  'payment/price': (ctx, input) => priceOf(ctx, input.appointmentId),
  'payment/receipt': (ctx, input) => receiptOf(ctx, input),
  'payment/receipt-pdf': (ctx, input) => receiptPdf(ctx, input),
  'printing/day-sheet': (ctx, input) => daySheet(ctx, input),
  'printing/appointment-card': (ctx, input) => appointmentCard(ctx, input),
  'printing/patient-label': (ctx, input) => patientLabel(ctx, input),
  'ledger/correct': (ctx, input) => correctLedger(ctx, input),
  'ledger/balance': (ctx, input) => ledgerBalance(ctx, input),
  'payments/stripe-test': (ctx) => testStripeConnection(ctx),
  'notifications/get-settings': (ctx) => getNotificationSettings(ctx),
  'notifications/save-settings': (ctx, input) => saveNotificationSettings(ctx, input),
  'notifications/send-test': async (ctx, input) => {
    const answer = ctx.pre as { ok: boolean; answer: string };
    ctx.auditRecord('settings', 'notifications', `test e-mail ${answer.ok ? 'accepted' : 'not accepted'}`);
    void input;
    return answer;
  },
  'notifications/list': (ctx, input) => listMessages(ctx, input),
  'notifications/confirmation': (ctx, input) => confirmationOf(ctx, input),
  'notifications/retry': (ctx, input) => retryMessage(ctx, input),
  'notifications/resend': (ctx, input) => resendMessages(ctx, input),
  'payment/start-stripe': (ctx, input) => startStripe(ctx, input),
  'payment/cancel-stripe': (ctx, input) => cancelStripe(ctx, input),
  'payment/start-prepaid': (ctx, input) => startPrepaid(ctx, input),
  'payment/stripe-progress': (ctx, input) => stripeProgress(ctx, input),
  'cashup/preview': (ctx, input) => previewCashUp(ctx, input),
  'cashup/close': (ctx, input) => closeCashUp(ctx, input),
  'cashup/list': (ctx, input) => listCashUps(ctx, input),
  'commission/report': (ctx, input) => commissionReport(ctx, input),
  'commission/report-csv': (ctx, input) => commissionReportCsv(ctx, input),
  'portal/clinic': (ctx) => portalClinic(ctx),
  'portal/slots': (ctx, input) => portalSlots(ctx, input),
  'portal/doctors': (ctx, input) => portalDoctors(ctx, input),
  'portal/request-link': (ctx, input) => requestLink(ctx, input),
  'portal/exchange-link': (ctx, input) => exchangeLink(ctx, input),
  'portal/me': (ctx) => portalMe(ctx),
  'portal/hold': (ctx, input) => portalHold(ctx, input),
  'portal/release-hold': (ctx, input) => portalReleaseHold(ctx, input),
  'portal/pay': (ctx, input) => portalPay(ctx, input),
  'portal/medical-history': (ctx) => portalMedicalHistory(ctx),
  'portal/update-medical-history': (ctx, input) => portalUpdateMedicalHistory(ctx, input),
  'portal/price-preview': (ctx, input) => portalPricePreview(ctx, input),
  'import/start': (ctx, input) => startImport(ctx, input),
  'import/stage': (ctx, input) => stageRows(ctx, input),
  'import/failures-csv': (ctx, input) => failuresCsv(ctx, input),
  'import/commit': (ctx, input) => commitImport(ctx, input),
};

function runnerOf(ctx: Ctx): EventRunner {
  if (!ctx.background) throw new Error('background work is not running in this process');
  return ctx.background;
}

type Precheck<K extends HandlerName> = (ctx: Ctx, input: ParsedInputOf<K>) => Promise<unknown>;

/**
 * Slow, read-only work a handler needs before its write transaction (password hashing): run
 * by the dispatcher outside the transaction, its result handed to the handler as `ctx.pre`.
 */
export const prechecks: { [K in HandlerName]?: Precheck<K> } = {
  // The network call happens here, before the (audit) transaction: never under the write lock.
  'notifications/send-test': async (ctx, input) =>
    sendTestEmail({ db: ctx.db, box: ctx.secrets?.box, env: ctx.secrets?.env }, await loadNotificationSettings(ctx.db), ctx.settings.clinicName, input.to),
  'auth/login': (ctx, input) => passwordPrecheck(ctx, input),
  'auth/unlock': (ctx, input) => passwordPrecheck(ctx, input),
  'auth/change-password': (ctx, input) => changePasswordPrecheck(ctx, input),
  'staff/reset-password': (ctx, input) => hashNewPassword(ctx, input),
  'staff/create': (ctx, input) => hashNewPassword(ctx, input),
};

type Finisher<K extends HandlerName> = (ctx: Ctx, produced: OutputOf<K> & Record<string, unknown>) => Promise<OutputOf<K>>;

/**
 * Work that completes a handler's answer AFTER its transaction committed, outside it (never
 * under the write lock): it gets what the service returned (before the output schema trimmed
 * it) and returns the answer. portal/pay: the Stripe page is made by the follow-up after the
 * payment row is committed, and its address is the answer.
 */
export const finishers: { [K in HandlerName]?: Finisher<K> } = {
  'portal/pay': (ctx, produced) => portalPayUrl(ctx, produced as { url: string; paymentId?: string }),
};

type Replay<K extends HandlerName> = (ctx: Ctx, stored: Omit<OutputOf<K>, 'accessToken'>) => Promise<OutputOf<K>>;

/**
 * What a replayed idempotent call returns instead of the stored answer. Stored answers hold no
 * secrets, and a replay never issues a new one: a replayed registration answers with the
 * patient id and how to get access again (see registrationReplay).
 */
export const replays: { [K in HandlerName]?: Replay<K> } = {
  'patient/register': async (ctx, stored) => registrationReplay(ctx, stored),
};
