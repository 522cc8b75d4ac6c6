import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src-main/http/server.js';
import { listen } from '../helpers/http.js';
import { basicRegistration } from '../helpers/patients.js';
import { auditRowsAfter, DEMO, demoApp, lastAuditSeq, type TestApp } from '../helpers/test-app.js';

/**
 * Patient access tokens over the real web-mode server: a replayed self-registration never
 * takes over access, tokens expire, rotate and are revoked by staff, and a patient whose token
 * no longer works is told what to do in their own words.
 */
const INVALID = {
  code: 'auth/patient-token-invalid',
  message: "Your access link has expired or was replaced. Ask the clinic's front desk for a new one, or use the link in your latest confirmation e-mail.",
};
const DAY_MINUTES = 24 * 60;

interface Registered {
  patientId: string;
  patientNumber: string;
  accessToken: string;
  accessExpiresAt: string;
}

interface Body {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

let app: TestApp;
let server: FastifyInstance;
let base: string;
let phone = 4000;

beforeAll(async () => {
  app = await demoApp();
  ({ server, base } = await listen(app));
});
afterAll(async () => {
  await server.close();
  await app.dispose();
});

async function request(method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as Body };
}

const kioskBody = (given: string) => {
  phone += 1;
  return basicRegistration({ givenName: given, familyName: 'Over-Http', dateOfBirth: '1984-04-04', phone: `202 555 ${phone}` });
};

async function registerAtKiosk(given: string, key = crypto.randomUUID()): Promise<{ me: Registered; body: unknown; key: string }> {
  const body = kioskBody(given);
  const res = await request('POST', '/api/patients/register', { body, headers: { 'idempotency-key': key } });
  expect(res.status).toBe(200);
  return { me: res.body.data as unknown as Registered, body, key };
}

/** The patient's own appointment history: the simplest patient endpoint. */
const history = (token: string) => request('GET', '/api/patients/appointments', { token });

async function staffCookie(): Promise<string> {
  const res = await fetch(`${base}/api/rpc/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DEMO.reception.username, password: DEMO.reception.password }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
}

describe('replaying POST /api/patients/register anonymously', () => {
  it('answers the same patient id with no token, and the original token keeps working', async () => {
    const { me, body, key } = await registerAtKiosk('Original');
    expect(me.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);

    for (let i = 0; i < 3; i++) {
      const replay = await request('POST', '/api/patients/register', { body, headers: { 'idempotency-key': key } });
      expect(replay.status).toBe(200);
      expect(replay.body.data).toEqual({ patientId: me.patientId, replayed: true, message: expect.stringMatching(/ask the clinic's front desk/) });
      expect(JSON.stringify(replay.body)).not.toContain(me.patientNumber);
    }
    expect((await history(me.accessToken)).status).toBe(200);
    expect(app.raw.prepare('SELECT count(*) AS n FROM patient_token WHERE patient_id = ?').get(me.patientId)).toEqual({ n: 1 });
  });

  it('over RPC too: patient/register with the same idempotencyKey gives no token', async () => {
    const key = crypto.randomUUID();
    const body = { ...kioskBody('Rpc'), idempotencyKey: key };
    const first = await request('POST', '/api/rpc/patient/register', { body });
    const me = first.body.data as unknown as Registered;
    const replay = await request('POST', '/api/rpc/patient/register', { body });
    expect(replay.status).toBe(200);
    expect(Object.keys(replay.body.data!).sort()).toEqual(['message', 'patientId', 'replayed']);
    expect(replay.body.data!.patientId).toBe(me.patientId);
    expect((await history(me.accessToken)).status).toBe(200);
  });

  it('refuses an anonymous key shorter than 32 characters, so keys cannot be guessed', async () => {
    const res = await request('POST', '/api/patients/register', { body: kioskBody('Weak'), headers: { 'idempotency-key': 'kiosk-2026-000001' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error!.fieldErrors!)).toEqual(['idempotencyKey']);
  });
});

describe('a token’s lifetime', () => {
  it('works for 30 days after it was issued, then gets the patient wording with 401', async () => {
    const { me } = await registerAtKiosk('Lifetime');
    expect(me.accessExpiresAt).toBe(new Date(app.clock.now().getTime() + 30 * 86_400_000).toISOString());
    try {
      app.clock.advance({ minutes: 30 * DAY_MINUTES - 1 });
      expect((await history(me.accessToken)).status).toBe(200);
      app.clock.advance({ minutes: 1 });
      const expired = await history(me.accessToken);
      expect(expired).toEqual({ status: 401, body: { ok: false, error: INVALID } });
      const doctors = await request('GET', '/api/patients/doctors/assigned', { token: me.accessToken });
      expect(doctors).toEqual({ status: 401, body: { ok: false, error: INVALID } });
    } finally {
      app.clock.advance({ minutes: -30 * DAY_MINUTES });
    }
  });

  it('a request without a token is told to use the access link (not "Please sign in.")', async () => {
    const res = await request('GET', '/api/patients/appointments');
    expect(res.status).toBe(401);
    expect(res.body.error!.code).toBe('auth/patient-token-missing');
    expect(res.body.error!.message).toMatch(/^This needs your patient access link\./);
  });
});

describe('POST /api/patients/access/rotate', () => {
  it('gives a fresh token with a new 30 days; the old one gets the "replaced" wording', async () => {
    const { me } = await registerAtKiosk('Rotator');
    try {
      app.clock.advance({ minutes: 20 * DAY_MINUTES });
      const rotated = await request('POST', '/api/patients/access/rotate', { token: me.accessToken });
      expect(rotated.status).toBe(200);
      const next = rotated.body.data as unknown as { accessToken: string; expiresAt: string };
      expect(next.expiresAt).toBe(new Date(app.clock.now().getTime() + 30 * 86_400_000).toISOString());
      expect(await history(me.accessToken)).toEqual({ status: 401, body: { ok: false, error: INVALID } });
      expect(await request('POST', '/api/patients/access/rotate', { token: me.accessToken })).toEqual({ status: 401, body: { ok: false, error: INVALID } });
      // 45 days after the registration, the rotated token still works.
      app.clock.advance({ minutes: 25 * DAY_MINUTES });
      expect((await history(next.accessToken)).status).toBe(200);
    } finally {
      app.clock.advance({ minutes: -45 * DAY_MINUTES });
    }
  });

  it('without a token: 401 auth/patient-token-missing', async () => {
    const res = await request('POST', '/api/patients/access/rotate');
    expect(res.status).toBe(401);
    expect(res.body.error!.code).toBe('auth/patient-token-missing');
  });
});

describe('staff revoke a patient’s tokens', () => {
  it('a receptionist revokes them from the record; the patient’s token stops at once, and it is audited', async () => {
    const { me } = await registerAtKiosk('Revokee');
    const cookie = await staffCookie();
    const summary = await request('POST', '/api/rpc/patient/access-summary', { body: { patientId: me.patientId }, headers: { cookie } });
    expect(summary.body.data!.activeTokens).toBe(1);
    const seq = lastAuditSeq(app);
    const revoked = await request('POST', '/api/rpc/patient/revoke-access', { body: { patientId: me.patientId }, headers: { cookie } });
    expect(revoked).toEqual({ status: 200, body: { ok: true, data: { revoked: 1 } } });
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'patient/revoke-access', actor_kind: 'staff', record_id: me.patientId, outcome: 'ok' }]);
    expect(await history(me.accessToken)).toEqual({ status: 401, body: { ok: false, error: INVALID } });
    const cancel = await request('POST', '/api/patients/appointments/anything/cancel', { token: me.accessToken, body: {} });
    expect(cancel).toEqual({ status: 401, body: { ok: false, error: INVALID } });
  });

  it('a patient cannot revoke (even their own) through the staff handler', async () => {
    const { me } = await registerAtKiosk('Selfrevoke');
    const res = await request('POST', '/api/rpc/patient/revoke-access', { token: me.accessToken, body: { patientId: me.patientId } });
    expect(res.status).toBe(403);
    expect((await history(me.accessToken)).status).toBe(200);
  });
});
