import type { App } from '../../src-main/app.js';
import type { AppError, HandlerName, InputOf, OutputOf } from '../../src-main/contract/index.js';
import type { Caller, DispatchOutcome } from '../../src-main/dispatch.js';
import { callOk, count } from './test-app.js';

/** The registration input as a caller sends it (defaults not yet applied). */
export type RegistrationInput = InputOf<'patient/register'>;
export type BasicInput = RegistrationInput['basic'];

/** Display names of the demo clinic's staff (src-main/core/setup/demo.ts). */
export const DEMO_NAMES = { admin: 'Alex Admin', reception: 'Robin Reception' } as const;

/** A valid registration with only basic information; `basic` fields override the defaults. */
export function basicRegistration(basic: Partial<BasicInput> = {}, rest: Omit<Partial<RegistrationInput>, 'basic'> = {}): RegistrationInput {
  return {
    basic: {
      givenName: 'Test',
      familyName: 'Patient',
      dateOfBirth: '1990-01-01',
      sex: 'unknown',
      phone: '(202) 555-0100',
      ...basic,
    },
    ...rest,
  };
}

/** Calls the real dispatcher as any caller: a staff session, a patient token, or nobody. */
export function dispatchAs(app: App, name: string, input: unknown, caller: Caller = {}): Promise<DispatchOutcome> {
  return app.dispatch(name, input, caller);
}

/** Asserts a call fails with `code` (throws otherwise, with the actual result); returns the error. */
export async function dispatchErr(app: App, name: string, input: unknown, caller: Caller, code: string): Promise<{ error: AppError; status: number }> {
  const outcome = await app.dispatch(name, input, caller);
  if (outcome.result.ok || outcome.result.error.code !== code) {
    throw new Error(`${name}: expected ${code}, got ${JSON.stringify(outcome.result)}`);
  }
  return { error: outcome.result.error, status: outcome.status };
}

/** Asserts a call succeeds (throws otherwise); returns its data. */
export async function dispatchOk<K extends HandlerName>(app: App, name: K, input: unknown, caller: Caller = {}): Promise<OutputOf<K>> {
  const outcome = await app.dispatch(name, input, caller);
  if (!outcome.result.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.result.error)}`);
  return outcome.result.data as OutputOf<K>;
}

/** A registration that created the patient (not a replay). */
export interface Registered {
  patientId: string;
  patientNumber: string;
  accessToken?: string;
  accessExpiresAt?: string;
}

/** One that also issued an access token (self-registration, or staff with issueAccessToken). */
export interface FreshRegistration extends Registered {
  accessToken: string;
  accessExpiresAt: string;
}

const shown = (out: OutputOf<'patient/register'>) => JSON.stringify({ ...out, accessToken: out.accessToken ? '…' : undefined });

/** Asserts that a registration created its patient (not a replay). */
export function registered(out: OutputOf<'patient/register'>): Registered {
  if (out.replayed || !out.patientNumber) throw new Error(`expected a new registration, got ${shown(out)}`);
  return { ...out, patientNumber: out.patientNumber };
}

/** Asserts that a registration created its patient and issued a token; narrows its type. */
export function fresh(out: OutputOf<'patient/register'>): FreshRegistration {
  const r = registered(out);
  if (!r.accessToken || !r.accessExpiresAt) throw new Error(`expected an access token, got ${shown(out)}`);
  return { ...r, accessToken: r.accessToken, accessExpiresAt: r.accessExpiresAt };
}

/**
 * Registers a new patient: anonymously (`token` null, always with an access token) or as a
 * staff member (a token only with `issueAccessToken`).
 */
export async function register(app: App, input: RegistrationInput, token: null): Promise<FreshRegistration>;
export async function register(app: App, input: RegistrationInput, token: string): Promise<Registered>;
export async function register(app: App, input: RegistrationInput, token: string | null): Promise<Registered> {
  const out = await callOk(app, 'patient/register', input, token);
  return token === null ? fresh(out) : registered(out);
}

/** Row counts of the patient tables. */
export function patientTableCounts(app: App) {
  return {
    patient: count(app, 'patient'),
    patient_section: count(app, 'patient_section'),
    patient_section_change: count(app, 'patient_section_change'),
    patient_search_token: count(app, 'patient_search_token'),
  };
}

/** The ids a staff member's search returns, in the order returned. */
export async function searchIds(app: App, token: string, query: string, limit?: number): Promise<string[]> {
  const out = await callOk(app, 'patient/search', limit === undefined ? { query } : { query, limit }, token);
  return out.results.map((r) => r.id);
}

/** The id of the staff member behind a session token. */
export async function staffIdOf(app: App, token: string): Promise<string> {
  const session = await callOk(app, 'auth/session', {}, token);
  if (!session.staff) throw new Error('no staff in session');
  return session.staff.id;
}
