/**
 * The one contract: every operation the UI (or any transport) can perform, with its zod
 * input and output schemas and who may call it. The renderer imports this module for
 * types and client-side validation; it depends on zod only.
 */
import type { z } from 'zod';
import { agendaContract } from './agenda.contract.js';
import { auditContract } from './audit.contract.js';
import { authContract } from './auth.contract.js';
import { settingsContract } from './settings.contract.js';
import { setupContract } from './setup.contract.js';
import { patientsContract } from './patients.contract.js';
import { bookingContract } from './booking.contract.js';
import { rosterContract } from './roster.contract.js';
import { assignmentContract } from './assignment.contract.js';
import { referralContract } from './referral.contract.js';
import { deskContract } from './desk.contract.js';
import { secretsContract } from './secrets.contract.js';
import { paymentsContract } from './payments.contract.js';
import { stripeContract } from './stripe.contract.js';
import { symptomsContract } from './symptoms.contract.js';
import { notificationsContract } from './notifications.contract.js';
import { stripePaymentsContract } from './stripe-payments.contract.js';
import { cashupContract } from './cashup.contract.js';
import { receiptsContract } from './receipts.contract.js';
import { portalContract } from './portal.contract.js';
import { printingContract } from './printing.contract.js';
import { importContract } from './import.contract.js';

export const contract = {
  ...setupContract,
  ...authContract,
  ...settingsContract,
  ...auditContract,
  ...agendaContract,
  ...patientsContract,
  ...bookingContract,
  ...rosterContract,
  ...assignmentContract,
  ...referralContract,
  ...deskContract,
  ...secretsContract,
  ...paymentsContract,
  ...stripeContract,
  ...symptomsContract,
  ...notificationsContract,
  ...stripePaymentsContract,
  ...cashupContract,
  ...receiptsContract,
  ...portalContract,
  ...printingContract,
  ...importContract,
};

export type Contract = typeof contract;
export type HandlerName = keyof Contract;
export type InputOf<K extends HandlerName> = z.input<Contract[K]['input']>;
export type ParsedInputOf<K extends HandlerName> = z.output<Contract[K]['input']>;
export type OutputOf<K extends HandlerName> = z.output<Contract[K]['output']>;

export const handlerNames = Object.keys(contract) as HandlerName[];
export const isHandlerName = (name: string): name is HandlerName => Object.hasOwn(contract, name);

export type { AppError, FieldErrors } from './errors.js';
export type { StaffInfo, StaffRole } from './common.js';
export type { ClinicSettings, StripeReader } from './settings.contract.js';
export type { AgendaItem, DayGrid } from './agenda.contract.js';
export type {
  AffectedBooking,
  RosterConsultationType,
  RosterDoctor,
  RosterException,
  RosterLocation,
  RosterSpecialization,
  WeekDay,
} from './roster.contract.js';
export type { AssignmentKind, AssignmentSlot, CurrentAssignment, PastAssignment, Suggestion } from './assignment.contract.js';
export type { ReferralCheck, ReferralCodeView, ReferralRefusal, PriceBreakdownView } from './referral.contract.js';
export type { ConsumerStatus } from './desk.contract.js';
export type { SecretName, SecretStatus } from './secrets.contract.js';
export type { AttentionView, CancelPreview, PaymentMethodName, PaymentStatusName, PaymentSummary, PaymentView, RefundView } from './payments.contract.js';
export type { KnowledgeBaseView, SavedSymptomCheck, SymptomCheckResult } from './symptoms.contract.js';
export type { MessageView, NotificationSettings } from './notifications.contract.js';
export type { CashUpLine, CashUpListItem, CashUpTotals, CashUpView, CommissionReport, CommissionRow } from './cashup.contract.js';
export type { ReceiptView } from './receipts.contract.js';
export type { PortalClinic, PortalMedicalHistory, PortalSlot } from './portal.contract.js';
export type { DaySheetRow } from './printing.contract.js';
export type { AppointmentView, SlotView, Requirements, UndoOffer } from './booking.contract.js';
export type { BasicInfo, MedicalHistory, EmergencyContact, Insurance, PatientProfile, PatientSummary, SectionName } from './patients.contract.js';

/** What every transport returns for a call. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: import('./errors.js').AppError };
