import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src-main/contract/index.js';
import { SESSION_COOKIE } from '../../src-main/http/server.js';
import { IDS, openClinic, STAFF, type Clinic } from '../helpers/booking.js';
import { listen } from '../helpers/http.js';

/**
 * Issue 8 item 8: a hold belongs to the session (desk, window) that placed it, not to the
 * staff account. Two desks signed in with the SAME account, through the real web server:
 * neither drops nor books over the other's hold, a booking with a holdId books exactly
 * that hold's slot or says what is wrong, and releasing the other desk's hold is refused.
 * Now is Monday 1 June 2026, 08:00 New York; holds last 5 minutes.
 */
let clinic: Clinic;
let server: FastifyInstance;
let base: string;
let desk1: string;
let desk2: string;
const DAY = '2026-06-02';

type Body<T> = { ok: true; data: T } | { ok: false; error: AppError };

async function signIn(): Promise<string> {
  const res = await fetch(`${base}/api/rpc/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: STAFF.deskA.username, password: STAFF.deskA.password }),
  });
  expect(res.status).toBe(200);
  const match = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '');
  if (!match) throw new Error('no session cookie');
  return `${SESSION_COOKIE}=${match[1]}`;
}

async function rpc<T>(cookie: string, name: string, input: unknown): Promise<{ status: number; body: Body<T> }> {
  const res = await fetch(`${base}/api/rpc/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as Body<T> };
}
async function ok<T>(cookie: string, name: string, input: unknown): Promise<T> {
  const r = await rpc<T>(cookie, name, input);
  if (!r.body.ok) throw new Error(`${name}: expected ok, got ${r.status} ${JSON.stringify(r.body.error)}`);
  return r.body.data;
}
async function err(cookie: string, name: string, input: unknown, code: string): Promise<AppError & { status: number }> {
  const r = await rpc(cookie, name, input);
  if (r.body.ok || r.body.error.code !== code) throw new Error(`${name}: expected ${code}, got ${r.status} ${JSON.stringify(r.body)}`);
  return { ...r.body.error, status: r.status };
}

const slot = (time: string, doctorId: string = IDS.grey) => ({ doctorId, consultationTypeId: IDS.general, startAt: clinic.at(DAY, time) });
const patient = (i: number) => clinic.patients[i]!.patientId;
type Hold = { holdId: string; expiresAt: string };
const holds = () => clinic.app.raw.prepare('SELECT id, start_at FROM appointment_hold ORDER BY start_at').all() as Array<{ id: string; start_at: string }>;

async function offered(cookie: string, time: string): Promise<string[]> {
  const out = await ok<{ slots: Array<{ doctorId: string; localDate: string; localTime: string }> }>(cookie, 'booking/find-slots', {
    consultationTypeId: IDS.general,
    doctorId: IDS.grey,
    preferredDate: DAY,
    preferredTime: time,
    days: 1,
    limit: 6,
  });
  return out.slots.filter((s) => s.localDate === DAY).map((s) => s.localTime);
}

beforeAll(async () => {
  clinic = await openClinic();
  ({ server, base } = await listen(clinic.app));
  desk1 = await signIn();
  desk2 = await signIn(); // the same account, at a second desk
});
afterAll(async () => {
  await server.close();
  await clinic.dispose();
});

describe('two desks signed in with the same account', () => {
  let hold1: Hold;

  it('each keeps its own hold: desk 2 holding another slot does not drop desk 1’s', async () => {
    hold1 = await ok<Hold>(desk1, 'booking/hold', slot('09:00'));
    await ok<Hold>(desk2, 'booking/hold', slot('09:30'));
    expect(holds().map((h) => h.start_at)).toEqual([clinic.at(DAY, '09:00'), clinic.at(DAY, '09:30')]);
  });

  it('desk 2 sees desk 1’s held slot as taken, cannot book or hold it, and nothing is written', async () => {
    expect(await offered(desk2, '09:00')).not.toContain('09:00');
    const before = clinic.appointmentCount();
    const e = await err(desk2, 'booking/create', { ...slot('09:00'), patientId: patient(1) }, 'booking/slot-taken');
    expect(e.status).toBe(409);
    await err(desk2, 'booking/hold', slot('09:00'), 'booking/slot-taken');
    expect(clinic.appointmentCount()).toBe(before);
    // Desk 1's hold is still there (desk 2's failed hold released only desk 2's own).
    expect(holds().map((h) => h.id)).toContain(hold1.holdId);
  });

  it('desk 2 cannot book with desk 1’s holdId: refused as another desk’s hold', async () => {
    const e = await err(desk2, 'booking/create', { ...slot('09:00'), holdId: hold1.holdId, patientId: patient(1) }, 'booking/hold-not-yours');
    expect(e.message).toMatch(/another desk/);
    expect(e.fieldErrors).toEqual({ holdId: [expect.any(String)] });
  });

  it('desk 2 cannot release desk 1’s hold: refused in plain words, and the hold stays', async () => {
    const e = await err(desk2, 'booking/release-hold', { holdId: hold1.holdId }, 'booking/hold-not-yours');
    expect(e.message).toBe('This hold was placed at another desk or window, so only that desk can release it. It frees itself at 08:05.');
    expect(holds().map((h) => h.id)).toContain(hold1.holdId);
    expect(await offered(desk2, '09:00')).not.toContain('09:00');
  });

  it('a holdId books exactly the held slot: another time, doctor or type with it is refused', async () => {
    const before = clinic.appointmentCount();
    const other = await err(desk1, 'booking/create', { ...slot('09:15'), holdId: hold1.holdId, patientId: patient(0) }, 'booking/hold-mismatch');
    expect(other.message).toBe('Your hold is for Dr Meredith Grey on Tue 2 Jun, 09:00, not for the slot in this booking. Book the held slot, or hold the new one first.');
    await err(desk1, 'booking/create', { ...slot('09:00', IDS.stone), holdId: hold1.holdId, patientId: patient(0) }, 'booking/hold-mismatch');
    await err(desk1, 'booking/create', { ...slot('09:00'), consultationTypeId: IDS.extended, holdId: hold1.holdId, patientId: patient(0) }, 'booking/hold-mismatch');
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('desk 1 books its held slot with its holdId; its hold goes, desk 2’s stays', async () => {
    const booked = await ok<{ appointment: { localStart: string; doctorId: string } }>(desk1, 'booking/create', { ...slot('09:00'), holdId: hold1.holdId, patientId: patient(0) });
    expect(booked.appointment).toMatchObject({ localStart: '09:00', doctorId: IDS.grey });
    expect(holds().map((h) => h.start_at)).toEqual([clinic.at(DAY, '09:30')]);
  });

  it('a used holdId cannot book again', async () => {
    await err(desk1, 'booking/create', { ...slot('09:00'), holdId: hold1.holdId, patientId: patient(2) }, 'booking/hold-expired');
  });

  it('a new hold from one desk replaces only that desk’s previous hold', async () => {
    await ok<Hold>(desk1, 'booking/hold', slot('10:00'));
    await ok<Hold>(desk1, 'booking/hold', slot('10:15'));
    expect(holds().map((h) => h.start_at)).toEqual([clinic.at(DAY, '09:30'), clinic.at(DAY, '10:15')]);
  });

  it('an expired hold is refused with the time it ran out', async () => {
    const h = await ok<Hold>(desk2, 'booking/hold', slot('11:00'));
    clinic.clock.advance({ minutes: 5, seconds: 1 });
    const e = await err(desk2, 'booking/create', { ...slot('11:00'), holdId: h.holdId, patientId: patient(3) }, 'booking/hold-expired');
    expect(e.message).toBe('Your hold on this slot ran out at 08:05. Choose the slot again.');
  });

  it('no two live appointments overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
