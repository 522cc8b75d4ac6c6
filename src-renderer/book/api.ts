/**
 * The patient page's own client: only /api/patients/* with the patient's own token (plus the
 * symptom checker's public knowledge base). Never the staff client (src-renderer/api).
 */
import type { AppError } from '../../src-main/contract/errors.js';
import type { AppointmentPrice, AppointmentView } from '../../src-main/contract/booking.contract.js';
import type { CancelPreview } from '../../src-main/contract/payments.contract.js';
import type { SymptomCheckResult, KnowledgeBaseView } from '../../src-main/contract/symptoms.contract.js';
import type { MedicalHistory } from '../../src-main/contract/patients.contract.js';
import type { PortalMedicalHistory } from '../../src-main/contract/portal.contract.js';

export type { AppError, AppointmentPrice, AppointmentView, CancelPreview, SymptomCheckResult, KnowledgeBaseView };
export type { MedicalHistory, PortalMedicalHistory };

export interface ClinicInfo {
  name: string;
  phone: string;
  email: string | null;
  address: string;
  timeZone: string;
  currency: string;
  locale: string;
  languages: string[];
  emergencyNumber: string | null;
  cancellationPolicy: string;
  bookingHorizonDays: number;
  locations: { id: string; name: string; address: string; timeZone: string }[];
  consultationTypes: { id: string; name: string; durationMinutes: number; priceMinor: number; currency: string; specializationId: string | null }[];
  specializations: { id: string; name: string }[];
}
export interface Slot {
  startAt: string;
  endAt: string;
  doctorId: string;
  doctorName: string;
  locationId: string;
  label: string;
}
export interface SlotsAnswer {
  timeZone: string;
  days: { date: string; slots: Slot[] }[];
  nextFreeDate: string | null;
}
export interface DoctorOption {
  id: string;
  name: string;
  specialization: string | null;
  locationName: string | null;
}
export interface Hold {
  holdId: string;
  expiresAt: string;
  price: AppointmentPrice;
}
/** The price of the patient's hold with a referral code (portal/price-preview). */
export interface PricePreview {
  valid: boolean;
  reason: string | null;
  message: string;
  price: AppointmentPrice;
}
export interface Me {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  email: string | null;
  phone: string | null;
  language: string;
  medicalHistoryComplete: boolean;
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; error: AppError; status: number };

let tokenSource: () => string | null = () => null;
let onTokenRejected: () => void = () => {};
/** The session module tells the client where the token is and what to do when it stops working. */
export function configureClient(getToken: () => string | null, rejected: () => void): void {
  tokenSource = getToken;
  onTokenRejected = rejected;
}

const messages = { network: 'network/unreachable', tooMany: 'http/too-many-requests' } as const;

async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome<T>> {
  const token = tokenSource();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: { code: messages.network, message: '' } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  const result = json as { ok?: boolean; data?: T; error?: AppError } | null;
  if (result?.ok === true) return { ok: true, data: result.data as T };
  const error: AppError = result?.error ?? { code: response.status === 429 ? messages.tooMany : 'http/error', message: '' };
  if (token && response.status === 401) onTokenRejected();
  return { ok: false, status: response.status, error };
}

const q = (params: Record<string, string | number | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};
const idPath = (id: string) => encodeURIComponent(id);

export const api = {
  clinic: () => request<ClinicInfo>('GET', '/api/patients/clinic'),
  doctors: (consultationTypeId: string) => request<{ doctors: DoctorOption[] }>('GET', `/api/patients/doctors${q({ consultationTypeId })}`),
  slots: (p: { consultationTypeId: string; doctorId?: string | null; from: string; days: number }) =>
    request<SlotsAnswer>('GET', `/api/patients/slots${q({ consultationTypeId: p.consultationTypeId, doctorId: p.doctorId, from: p.from, days: p.days })}`),
  register: (input: unknown, idempotencyKey: string) =>
    request<{ patientId: string; accessToken?: string; accessExpiresAt?: string; replayed?: true; message?: string }>('POST', '/api/patients/register', input, {
      'idempotency-key': idempotencyKey,
    }),
  requestLink: (contact: string, dateOfBirth: string) => request<{ sent: true; message: string }>('POST', '/api/patients/sign-in-link', { contact, dateOfBirth }),
  exchange: (linkToken: string) =>
    request<{ accessToken: string; expiresAt: string; patient: { givenName: string } }>('POST', '/api/patients/access/exchange', { linkToken }),
  me: () => request<Me>('GET', '/api/patients/me'),
  knowledgeBase: () => request<KnowledgeBaseView>('POST', '/api/rpc/symptoms/knowledge-base', {}),
  symptomCheck: (input: unknown) => request<SymptomCheckResult>('POST', '/api/patients/symptom-check', input),
  hold: (input: { consultationTypeId: string; doctorId: string; startAt: string }) => request<Hold>('POST', '/api/patients/holds', input),
  pricePreview: (holdId: string, referralCode: string) => request<PricePreview>('POST', `/api/patients/holds/${idPath(holdId)}/price`, { referralCode }),
  releaseHold: (holdId?: string) => request<unknown>('POST', '/api/patients/holds/release', { holdId }),
  book: (input: { consultationTypeId: string; doctorId: string; startAt: string; holdId?: string; referralCode?: string }, idempotencyKey: string) =>
    request<{ appointment: AppointmentView }>('POST', '/api/patients/appointments', input, { 'idempotency-key': idempotencyKey }),
  appointment: (id: string) => request<{ appointment: AppointmentView }>('GET', `/api/patients/appointments/${idPath(id)}`),
  appointments: (filter: 'upcoming' | 'past') => request<{ items: AppointmentView[]; nextCursor: string | null }>('GET', `/api/patients/appointments${q({ filter, limit: 50 })}`),
  pay: (id: string) => request<{ url: string }>('POST', `/api/patients/appointments/${idPath(id)}/pay`, {}),
  cancelPreview: (id: string) => request<CancelPreview>('GET', `/api/patients/appointments/${idPath(id)}/cancel-preview`),
  cancel: (id: string) => request<{ appointment: AppointmentView }>('POST', `/api/patients/appointments/${idPath(id)}/cancel`, {}),
  reschedule: (id: string, input: { startAt: string; doctorId?: string }) =>
    request<{ appointment: AppointmentView; previous: AppointmentView }>('POST', `/api/patients/appointments/${idPath(id)}/reschedule`, input),
  medicalHistory: () => request<PortalMedicalHistory>('GET', '/api/patients/me/medical-history'),
  saveMedicalHistory: (expectedVersion: number, data: MedicalHistory) => request<PortalMedicalHistory>('PUT', '/api/patients/me/medical-history', { expectedVersion, data }),
};

/** A random key for Idempotency-Key (≥ 32 characters, as anonymous callers must send). */
export const newKey = (): string => crypto.randomUUID();
