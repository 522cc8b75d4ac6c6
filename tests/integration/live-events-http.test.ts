import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../src-main/contract/changes.js';
import { buildServer, SESSION_COOKIE } from '../../src-main/http/server.js';
import { IDS, openClinic, STAFF, type Clinic } from '../helpers/booking.js';
import { openSse, type SseFrame, type SseStream } from '../helpers/sse.js';

/**
 * GET /api/events through the real server on 127.0.0.1: signed-in staff receive change
 * notices (ids only) of bookings made through the API; patients' tokens, locked sessions and
 * nobody get 401; closed streams leave no listener behind.
 */
let clinic: Clinic;
let server: FastifyInstance;
let base: string;

const HEARTBEAT_MS = 100;

beforeAll(async () => {
  clinic = await openClinic({ patients: 3 });
  await clinic.ok('admin', 'settings/update', { patientBookingLimit: 20 });
  server = await buildServer(clinic.app, { eventStream: { heartbeatMs: HEARTBEAT_MS, maxPerSession: 3 } });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await server.close();
  await clinic.dispose();
});

async function signIn(who: keyof typeof STAFF): Promise<string> {
  const login = await fetch(`${base}/api/rpc/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: STAFF[who].username, password: STAFF[who].password }),
  });
  expect(login.status).toBe(200);
  const match = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(login.headers.get('set-cookie') ?? '');
  if (!match) throw new Error('no session cookie');
  return `${SESSION_COOKIE}=${match[1]}`;
}

const events = (cookie?: string, headers: Record<string, string> = {}) => openSse(`${base}/api/events`, cookie ? { cookie, ...headers } : headers);
const notices = (f: SseFrame): ChangeNotice[] => (f.event === 'change' && f.data ? (JSON.parse(f.data) as ChangeNotice[]) : []);
const noticeFor = (id: string) => (f: SseFrame) => notices(f).some((n) => n.id === id);

async function book(options: { cookie?: string; token?: string; patientId?: string; time: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}/api/patients/appointments`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', options.time), patientId: options.patientId }),
  });
  const body = (await res.json()) as { ok: boolean; data?: { appointment: { id: string } } };
  return { status: res.status, id: body.data?.appointment.id ?? '' };
}

async function listenersSettle(expected: number): Promise<void> {
  // The server learns of a client's close asynchronously; wait (bounded) for it.
  for (let i = 0; i < 200 && clinic.app.changes.size !== expected; i++) await new Promise((r) => setTimeout(r, 10));
  expect(clinic.app.changes.size).toBe(expected);
}

describe('who may open the stream', () => {
  it('nobody, a patient’s token or a made-up cookie gets 401 and no stream', async () => {
    for (const stream of [
      await events(),
      await events(undefined, { authorization: `Bearer ${clinic.patients[0]!.accessToken}` }),
      await events(`${SESSION_COOKIE}=not-a-session`),
    ]) {
      expect(stream.status).toBe(401);
      expect(stream.frames).toEqual([]);
      expect(JSON.parse(stream.text())).toMatchObject({ ok: false, error: { code: 'auth/unauthenticated' } });
    }
    expect(clinic.app.changes.size).toBe(0);
  });
});

describe('a signed-in desk', () => {
  let cookieA: string;
  let cookieB: string;
  let stream: SseStream;

  beforeAll(async () => {
    cookieA = await signIn('deskA');
    cookieB = await signIn('deskB');
    stream = await events(cookieA);
  });
  afterAll(() => stream.close());

  it('gets an event stream that starts with a ready event and sends heartbeats', async () => {
    expect(stream.status).toBe(200);
    await stream.waitFor((f) => f.event === 'ready');
    await stream.waitFor((f) => f.raw === ': ping');
    expect(clinic.app.changes.size).toBe(1);
  });

  it('a booking made by another desk through the REST API arrives as a notice with ids only', async () => {
    const patient = clinic.patients[0]!;
    const booked = await book({ cookie: cookieB, patientId: patient.patientId, time: '09:00' });
    expect(booked.status).toBe(200);
    const frame = await stream.waitFor(noticeFor(booked.id));
    expect(frame.id).toMatch(/^[0-9a-f]{8}-\d+$/);
    expect(notices(frame)).toContainEqual({ entity: 'appointment', id: booked.id, op: 'upsert', refs: { patientId: patient.patientId, doctorId: IDS.grey } });
    for (const n of notices(frame)) expect(Object.keys(n).sort()).toEqual(expect.arrayContaining(['entity', 'id', 'op']));
  });

  it('a patient booking with their own token is announced to staff too', async () => {
    const patient = clinic.patients[1]!;
    const booked = await book({ token: patient.accessToken, time: '10:00' });
    expect(booked.status).toBe(200);
    await stream.waitFor(noticeFor(booked.id));
  });

  it('a refused booking announces nothing; event ids increase', async () => {
    const taken = await book({ cookie: cookieB, patientId: clinic.patients[2]!.patientId, time: '09:00' });
    expect(taken.status).toBe(409);
    const next = await book({ cookie: cookieB, patientId: clinic.patients[2]!.patientId, time: '11:00' });
    await stream.waitFor(noticeFor(next.id));
    const changes = stream.frames.filter((f) => f.event === 'change');
    expect(changes).toHaveLength(3);
    const seqs = changes.map((f) => Number(f.id!.split('-')[1]));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('the stream contains no names, numbers or contact details', async () => {
    const text = stream.text();
    for (const p of clinic.patients) {
      const profile = await clinic.ok('deskA', 'patient/get', { patientId: p.patientId });
      for (const value of [profile.basic.givenName, profile.basic.familyName, p.patientNumber, profile.basic.phone, profile.basic.email]) {
        if (value) expect(text).not.toContain(value);
      }
    }
    expect(text).not.toContain('Grey');
    expect(text).not.toContain(STAFF.deskB.displayName);
  });

  it('hostile ids cannot break the framing, and extra fields never cross', async () => {
    const id = 'x\n\nevent: end\ndata: {}\r\n\ud800 ' + 'y'.repeat(60);
    clinic.app.changes.publish([
      { entity: 'patient', id, op: 'upsert', refs: { patientId: 'p-1' }, record: { givenName: 'Secretia' } } as never,
      { entity: 'nonsense', id: 'n1', op: 'upsert' } as never,
    ]);
    const frame = await stream.waitFor(noticeFor(id));
    expect(notices(frame)).toEqual([{ entity: 'patient', id, op: 'upsert', refs: { patientId: 'p-1' } }]);
    expect(stream.frames.some((f) => f.event === 'end')).toBe(false);
    expect(stream.text()).not.toContain('Secretia');
    // The stream goes on.
    const next = await book({ cookie: cookieB, patientId: clinic.patients[2]!.patientId, time: '11:30' });
    await stream.waitFor(noticeFor(next.id));
  });

  it('limits the streams of one session (429) and closed streams unsubscribe', async () => {
    const more = [await events(cookieA), await events(cookieA)];
    expect(more.map((s) => s.status)).toEqual([200, 200]);
    const refused = await events(cookieA);
    expect(refused.status).toBe(429);
    expect(clinic.app.changes.size).toBe(3);
    for (const s of more) s.close();
    await listenersSettle(1);
  });
});

describe('the stream ends with its session', () => {
  it('on logout: the server ends it and unsubscribes', async () => {
    const cookie = await signIn('deskA');
    const stream = await events(cookie);
    await stream.waitFor((f) => f.event === 'ready');
    const out = await fetch(`${base}/api/rpc/auth/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(out.status).toBe(200);
    await stream.waitFor((f) => f.event === 'end');
    await stream.ended;
    await listenersSettle(0);
  });

  it('when the session locks after inactivity, and a locked session cannot open one', async () => {
    const cookie = await signIn('deskB');
    const stream = await events(cookie);
    await stream.waitFor((f) => f.event === 'ready');
    const lockMinutes = clinic.app.settings().lockMinutes;
    clinic.clock.advance({ minutes: lockMinutes + 1 });
    await stream.waitFor((f) => f.event === 'end');
    await stream.ended;
    const again = await events(cookie);
    expect(again.status).toBe(401);
    await listenersSettle(0);
  });

  it('closing the server ends every stream and leaves no listener', async () => {
    const own = await openClinic({ patients: 0 });
    const srv = await buildServer(own.app);
    await srv.listen({ host: '127.0.0.1', port: 0 });
    const address = srv.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const login = await fetch(`http://127.0.0.1:${address.port}/api/rpc/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: STAFF.deskA.username, password: STAFF.deskA.password }),
    });
    const cookie = /cd_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const stream = await openSse(`http://127.0.0.1:${address.port}/api/events`, { cookie });
    await stream.waitFor((f) => f.event === 'ready');
    expect(own.app.changes.size).toBe(1);
    await srv.close();
    await stream.ended;
    expect(own.app.changes.size).toBe(0);
    await own.dispose();
  });
});
