import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, AppointmentView } from '../../src-main/contract/index.js';
import { buildServer, SESSION_COOKIE } from '../../src-main/http/server.js';
import { IDS, openClinic, STAFF, type Clinic } from '../helpers/booking.js';

/**
 * The REST routes over booking, through a real server on 127.0.0.1: a patient with their
 * Bearer token books, lists and cancels their own appointments; staff do the same for a
 * named patient with the session cookie. Now is Monday 1 June 2026, 08:00 New York.
 */
let clinic: Clinic;
let server: FastifyInstance;
let base: string;
let cookie: string;

beforeAll(async () => {
  clinic = await openClinic();
  // This file books one patient many times; the self-service cap has its own test.
  await clinic.ok('admin', 'settings/update', { patientBookingLimit: 20 });
  server = await buildServer(clinic.app);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;

  const login = await fetch(`${base}/api/rpc/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: STAFF.deskA.username, password: STAFF.deskA.password }),
  });
  expect(login.status).toBe(200);
  const setCookie = login.headers.get('set-cookie') ?? '';
  const match = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(setCookie);
  if (!match) throw new Error(`no session cookie in ${setCookie}`);
  cookie = `${SESSION_COOKIE}=${match[1]}`;
});
afterAll(async () => {
  await server.close();
  await clinic.dispose();
});

type Body<T> = { ok: true; data: T } | { ok: false; error: AppError };

async function request<T>(method: 'GET' | 'POST', path: string, options: { token?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as Body<T> };
}

const data = <T>(r: { status: number; body: Body<T> }): T => {
  if (!r.body.ok) throw new Error(`expected ok, got ${r.status} ${JSON.stringify(r.body.error)}`);
  return r.body.data;
};
const error = <T>(r: { status: number; body: Body<T> }): AppError => {
  if (r.body.ok) throw new Error(`expected an error, got ${r.status}`);
  return r.body.error;
};

const slot = (date: string, time: string, doctorId: string = IDS.grey) => ({ doctorId, consultationTypeId: IDS.general, startAt: clinic.at(date, time) });
type Booked = { appointment: AppointmentView };
type Page = { items: AppointmentView[]; nextCursor: string | null };

describe('a patient with their Bearer token', () => {
  const ids: string[] = [];

  it('books for themselves when patientId is omitted', async () => {
    const me = clinic.patients[0]!;
    const res = await request<Booked>('POST', '/api/patients/appointments', { token: me.accessToken, body: slot('2026-06-02', '09:00') });
    expect(res.status).toBe(200);
    const { appointment } = data(res);
    expect(appointment).toMatchObject({ patientId: me.patientId, patientNumber: me.patientNumber, doctorId: IDS.grey, localStart: '09:00', status: 'booked' });
    expect(clinic.row(appointment.id)).toMatchObject({ created_by_kind: 'patient', created_by: null });
    ids.push(appointment.id);
    for (const [date, time] of [
      ['2026-06-03', '14:00'],
      ['2026-06-04', '10:00'],
      ['2026-06-05', '11:00'],
    ] as const) {
      ids.push(data(await request<Booked>('POST', '/api/patients/appointments', { token: me.accessToken, body: slot(date, time) })).appointment.id);
    }
  });

  it('cannot book for another patient (403), nor without a token (401), and nothing is written', async () => {
    const before = clinic.appointmentCount();
    const other = await request('POST', '/api/patients/appointments', {
      token: clinic.patients[0]!.accessToken,
      body: { ...slot('2026-06-02', '10:00'), patientId: clinic.patients[1]!.patientId },
    });
    expect(other.status).toBe(403);
    expect(error(other).code).toBe('auth/forbidden');
    const anonymous = await request('POST', '/api/patients/appointments', { body: slot('2026-06-02', '10:00') });
    expect(anonymous.status).toBe(401);
    expect(error(anonymous).code).toBe('auth/patient-token-missing');
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('gets 409 booking/slot-taken with alternatives for a taken slot', async () => {
    const res = await request('POST', '/api/patients/appointments', { token: clinic.patients[1]!.accessToken, body: slot('2026-06-02', '09:00') });
    expect(res.status).toBe(409);
    const e = error(res);
    expect(e.code).toBe('booking/slot-taken');
    expect(e.fieldErrors).toEqual({ startAt: [expect.any(String)] });
    const alternatives = (e.details as { alternatives: Array<{ doctorId: string; localTime: string }> }).alternatives;
    expect(alternatives[0]).toMatchObject({ doctorId: IDS.grey, localTime: '09:15' });
  });

  it('gets 400 with field errors for an invalid body', async () => {
    const res = await request('POST', '/api/patients/appointments', { token: clinic.patients[1]!.accessToken, body: { doctorId: IDS.grey, startAt: 'tomorrow', extra: 1 } });
    expect(res.status).toBe(400);
    expect(error(res).fieldErrors).toEqual({ consultationTypeId: ['This field is required.'], startAt: ['Use an ISO date-time.'], extra: ['Unknown field.'] });
  });

  it('an Idempotency-Key header makes a retried booking return the same appointment', async () => {
    const me = clinic.patients[1]!;
    const headers = { 'idempotency-key': 'patient-app-000000042' };
    const first = data(await request<Booked>('POST', '/api/patients/appointments', { token: me.accessToken, body: slot('2026-06-02', '09:30'), headers }));
    const count = clinic.appointmentCount();
    const again = data(await request<Booked>('POST', '/api/patients/appointments', { token: me.accessToken, body: slot('2026-06-02', '09:30'), headers }));
    expect(again.appointment.id).toBe(first.appointment.id);
    expect(clinic.appointmentCount()).toBe(count);
  });

  it('lists upcoming appointments two at a time with nextCursor', async () => {
    const me = clinic.patients[0]!;
    const first = data(await request<Page>('GET', '/api/patients/appointments?filter=upcoming&limit=2', { token: me.accessToken }));
    expect(first.items.map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = data(await request<Page>('GET', `/api/patients/appointments?filter=upcoming&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, { token: me.accessToken }));
    expect(second.items.map((i) => i.id)).toEqual(ids.slice(2, 4));
    expect(second.nextCursor).toBeNull();
  });

  it('gets 400 for a bad cursor or filter in the query', async () => {
    const token = clinic.patients[0]!.accessToken;
    const cursor = await request('GET', '/api/patients/appointments?cursor=garbage', { token });
    expect(cursor.status).toBe(400);
    expect(Object.keys(error(cursor).fieldErrors ?? {})).toEqual(['cursor']);
    const filter = await request('GET', '/api/patients/appointments?filter=soon', { token });
    expect(filter.status).toBe(400);
    expect(Object.keys(error(filter).fieldErrors ?? {})).toEqual(['filter']);
  });

  it('cancels their own appointment', async () => {
    const me = clinic.patients[0]!;
    const res = await request<Booked>('POST', `/api/patients/appointments/${ids[3]}/cancel`, { token: me.accessToken, body: { reason: 'Cannot make it' } });
    expect(res.status).toBe(200);
    expect(data(res).appointment).toMatchObject({ id: ids[3], status: 'cancelled', cancelledByParty: 'patient', cancelReason: 'Cannot make it', cancelledWithinPolicyWindow: false });
    const upcoming = data(await request<Page>('GET', '/api/patients/appointments?filter=upcoming', { token: me.accessToken }));
    expect(upcoming.items.map((i) => i.id)).toEqual(ids.slice(0, 3));
  });

  it('cancels with no body at all', async () => {
    const me = clinic.patients[0]!;
    const res = await request<Booked>('POST', `/api/patients/appointments/${ids[2]}/cancel`, { token: me.accessToken });
    expect(res.status).toBe(200);
    expect(data(res).appointment).toMatchObject({ status: 'cancelled', cancelReason: 'Cancelled by the patient' });
  });

  it('cannot cancel another patient’s appointment: 404 common/not-found, and the row is unchanged', async () => {
    const before = clinic.row(ids[0]!);
    const res = await request('POST', `/api/patients/appointments/${ids[0]}/cancel`, { token: clinic.patients[1]!.accessToken, body: { reason: 'Not mine' } });
    expect(res.status).toBe(404);
    expect(error(res).code).toBe('common/not-found');
    expect(clinic.row(ids[0]!)).toEqual(before);
  });

  it('cancelling twice answers 409 appointment/already-cancelled', async () => {
    const res = await request('POST', `/api/patients/appointments/${ids[3]}/cancel`, { token: clinic.patients[0]!.accessToken, body: {} });
    expect(res.status).toBe(409);
    expect(error(res).code).toBe('appointment/already-cancelled');
  });
});

describe('staff with the session cookie', () => {
  let id: string;

  it('book for a named patient', async () => {
    const patient = clinic.patients[2]!;
    const res = await request<Booked>('POST', '/api/patients/appointments', { cookie, body: { ...slot('2026-06-02', '11:00'), patientId: patient.patientId } });
    expect(res.status).toBe(200);
    const { appointment } = data(res);
    expect(appointment).toMatchObject({ patientId: patient.patientId, localStart: '11:00' });
    expect(clinic.row(appointment.id)).toMatchObject({ created_by_kind: 'staff', created_by: clinic.staffIds.deskA });
    id = appointment.id;
  });

  it('must name the patient (400 patientId)', async () => {
    const res = await request('POST', '/api/patients/appointments', { cookie, body: slot('2026-06-02', '11:15') });
    expect(res.status).toBe(400);
    expect(error(res).fieldErrors).toEqual({ patientId: ['Choose the patient.'] });
  });

  it('list a patient’s appointments with patientId in the query', async () => {
    const res = await request<Page>('GET', `/api/patients/appointments?patientId=${clinic.patients[2]!.patientId}&filter=upcoming&limit=2`, { cookie });
    expect(data(res)).toEqual({ items: [expect.objectContaining({ id })], nextCursor: null });
  });

  it('cancel with a reason and a party', async () => {
    const res = await request<Booked>('POST', `/api/patients/appointments/${id}/cancel`, { cookie, body: { reason: 'Patient phoned', party: 'patient' } });
    expect(res.status).toBe(200);
    expect(data(res).appointment).toMatchObject({ status: 'cancelled', cancelledByParty: 'patient', cancelReason: 'Patient phoned' });
    expect(clinic.row(id)).toMatchObject({ status_changed_by: clinic.staffIds.deskA });
  });

  it('an unknown appointment id is 404', async () => {
    const res = await request('POST', '/api/patients/appointments/no-such-appointment/cancel', { cookie, body: { reason: 'x' } });
    expect(res.status).toBe(404);
    expect(error(res).code).toBe('common/not-found');
  });

  it('leaves no two live appointments of one doctor overlapping', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
