/**
 * The registration form's state: plain strings as typed, turned into the contract's input
 * only when validated, so that going back and forth between steps loses nothing.
 */
import type { EmergencyContact, Insurance, MedicalHistory, PatientProfile } from '../../../src-main/contract/index.js';

export type Row = Record<string, string>;

export interface BasicDraft {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: string;
  gender: string;
  phone: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  latitude: string;
  longitude: string;
  preferredLanguage: string;
  consentEmail: boolean;
  consentSms: boolean;
}

export interface HistoryDraft {
  previousConsultations: Row[];
  medications: Row[];
  allergies: Row[];
  chronicConditions: Row[];
  familyHistory: Row[];
}

export interface ContactDraft {
  name: string;
  relationship: string;
  phone: string;
}

export interface InsuranceDraft {
  has: boolean;
  provider: string;
  policyNumber: string;
  groupNumber: string;
  holderName: string;
  validFrom: string;
  validTo: string;
}

export interface RegistrationDraft {
  basic: BasicDraft;
  history: HistoryDraft;
  contact: ContactDraft;
  insurance: InsuranceDraft;
}

export const emptyBasic = (): BasicDraft => ({
  givenName: '',
  familyName: '',
  dateOfBirth: '',
  sex: '',
  gender: '',
  phone: '',
  email: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
  latitude: '',
  longitude: '',
  preferredLanguage: 'en',
  consentEmail: false,
  consentSms: false,
});

export const emptyDraft = (): RegistrationDraft => ({
  basic: emptyBasic(),
  history: { previousConsultations: [], medications: [], allergies: [], chronicConditions: [], familyHistory: [] },
  contact: { name: '', relationship: '', phone: '' },
  insurance: { has: false, provider: '', policyNumber: '', groupNumber: '', holderName: '', validFrom: '', validTo: '' },
});

const num = (v: string): number | null | string => (v.trim() === '' ? null : Number.isFinite(Number(v)) ? Number(v) : v);

export const basicInput = (b: BasicDraft) => ({
  givenName: b.givenName,
  familyName: b.familyName,
  dateOfBirth: b.dateOfBirth,
  sex: b.sex,
  gender: b.gender,
  phone: b.phone,
  email: b.email.trim(),
  address: {
    line1: b.line1,
    line2: b.line2,
    city: b.city,
    region: b.region,
    postalCode: b.postalCode,
    country: b.country.trim().toUpperCase(),
    latitude: num(b.latitude),
    longitude: num(b.longitude),
  },
  preferredLanguage: b.preferredLanguage.trim() || 'en',
  consentEmail: b.consentEmail,
  consentSms: b.consentSms,
});

export const historyInput = (h: HistoryDraft) => ({
  previousConsultations: h.previousConsultations,
  medications: h.medications,
  allergies: h.allergies,
  chronicConditions: h.chronicConditions,
  familyHistory: h.familyHistory,
});

export const contactInput = (c: ContactDraft) =>
  c.name.trim() === '' && c.relationship.trim() === '' && c.phone.trim() === '' ? null : { ...c };

export const insuranceInput = (i: InsuranceDraft) =>
  i.has
    ? {
        provider: i.provider,
        policyNumber: i.policyNumber,
        groupNumber: i.groupNumber,
        holderName: i.holderName,
        validFrom: i.validFrom,
        validTo: i.validTo,
      }
    : null;

const rows = <T extends object>(items: T[]): Row[] =>
  items.map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, String(v ?? '')])));

export const basicFromProfile = (p: PatientProfile): BasicDraft => ({
  givenName: p.basic.givenName,
  familyName: p.basic.familyName,
  dateOfBirth: p.basic.dateOfBirth,
  sex: p.basic.sex,
  gender: p.basic.gender,
  phone: p.basic.phone,
  email: p.basic.email,
  line1: p.basic.address.line1,
  line2: p.basic.address.line2,
  city: p.basic.address.city,
  region: p.basic.address.region,
  postalCode: p.basic.address.postalCode,
  country: p.basic.address.country,
  latitude: p.basic.address.latitude === null ? '' : String(p.basic.address.latitude),
  longitude: p.basic.address.longitude === null ? '' : String(p.basic.address.longitude),
  preferredLanguage: p.basic.preferredLanguage,
  consentEmail: p.basic.consentEmail,
  consentSms: p.basic.consentSms,
});

export const historyFromProfile = (h: MedicalHistory): HistoryDraft => ({
  previousConsultations: rows(h.previousConsultations),
  medications: rows(h.medications),
  allergies: rows(h.allergies),
  chronicConditions: rows(h.chronicConditions),
  familyHistory: rows(h.familyHistory),
});

export const contactFromProfile = (c: EmergencyContact | null): ContactDraft =>
  c ? { name: c.name, relationship: c.relationship, phone: c.phone } : { name: '', relationship: '', phone: '' };

export const insuranceFromProfile = (i: Insurance | null): InsuranceDraft =>
  i ? { has: true, ...i } : { has: false, provider: '', policyNumber: '', groupNumber: '', holderName: '', validFrom: '', validTo: '' };

// ---- A registration in progress survives leaving the screen ---------------------------------

/**
 * The registration a receptionist has started, kept in this window's memory (never on disk)
 * when they leave the stepper — to open a suspected duplicate, to look something up — and
 * restored when they come back. It belongs to the staff member who typed it and is forgotten
 * on sign-out or when the patient is registered.
 */
export interface SavedRegistration {
  staffId: string;
  draft: RegistrationDraft;
  step: number;
}

let saved: SavedRegistration | null = null;

const isBlank = (d: RegistrationDraft): boolean => JSON.stringify(d) === JSON.stringify(emptyDraft());

export function keepRegistration(staffId: string, draft: RegistrationDraft, step: number): void {
  saved = isBlank(draft) ? null : { staffId, draft, step };
}

export function restoreRegistration(staffId: string): SavedRegistration | null {
  return saved && saved.staffId === staffId ? saved : null;
}

export function forgetRegistration(): void {
  saved = null;
}
