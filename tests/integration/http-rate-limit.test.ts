import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRaw } from '../../src-main/core/db/database.js';
import { SESSION_COOKIE } from '../../src-main/http/server.js';
import { listen } from '../helpers/http.js';
import { DEMO, auditRowsAfter, demoApp, lastAuditSeq, openTestApp, type AuditRow, type TestApp } from '../helpers/test-app.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

let app: TestApp;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  // Counted refusals are written when the test says (the 5-second timer would split counts on a slow machine).
  app = await demoApp({ refusalFlushMs: 3_600_000 });
  ({ server, base } = await listen(app));
});
afterEach(async () => {
  await server.close();
  await app.dispose();
});

const rpc = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/rpc/${name}`, { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json', ...headers } });

async function signIn(username: string, password: string): Promise<string> {
  const res = await rpc('auth/login', { username, password });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

const sum = (rows: AuditRow[]) => rows.reduce((n, r) => n + Number(r.count), 0);

describe('anonymous and failing callers over HTTP', () => {
  it('200 unauthenticated calls: 429s after the limit, with Retry-After, and a handful of counted audit rows summing to 200', async () => {
    const seq = lastAuditSeq(app);
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 200; i++) {
      const res = await rpc('patient/register', { basic: {} }); // invalid input, anonymous
      statuses.push(res.status);
      if (res.status === 429 && !limited) limited = res;
      else await res.arrayBuffer();
    }
    // 30 sign-in/registration attempts a minute per address, then 429.
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited!.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'http/too-many-requests' } });
    expect(body.error.message).toMatch(/^Too many attempts from this address\. Wait \d+ seconds? and try again\.$/);

    // Nothing was committed per request …
    expect(auditRowsAfter(app, seq)).toEqual([]);
    // … the counts are written together.
    await app.flushAudit();
    const rows = auditRowsAfter(app, seq);
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(sum(rows)).toBe(200);
    expect(rows.map((r) => [r.handler, r.actor_kind, r.outcome, r.detail?.startsWith('fields: ') ? 'fields' : r.detail, r.count, r.source])).toEqual([
      ['patient/register', 'anonymous', 'invalid', 'fields', 30, '127.0.0.1'],
      ['patient/register', 'anonymous', 'denied', 'http/too-many-requests', 170, '127.0.0.1'],
    ]);
    for (const row of rows) {
      expect(row.at <= row.last_at!).toBe(true);
    }
  });

  it('limits any anonymous caller, not only sign-in: calls without a session to staff handlers', async () => {
    const seq = lastAuditSeq(app);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await rpc('patient/search', { query: 'ada' });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
    await app.flushAudit();
    const rows = auditRowsAfter(app, seq);
    expect(sum(rows)).toBe(100);
    expect(rows.map((r) => [r.detail, r.count])).toEqual([
      ['auth/unauthenticated', 60],
      ['http/too-many-requests', 40],
    ]);
  });

  it('counts per minute: attempts in two minutes make two rows', async () => {
    const seq = lastAuditSeq(app);
    for (let i = 0; i < 5; i++) await (await rpc('staff/list', {})).arrayBuffer();
    app.clock.advance({ minutes: 1 });
    for (let i = 0; i < 3; i++) await (await rpc('staff/list', {})).arrayBuffer();
    await app.flushAudit();
    const rows = auditRowsAfter(app, seq);
    expect(rows.map((r) => r.count)).toEqual([5, 3]);
    expect(rows[0]!.at.slice(0, 16)).not.toBe(rows[1]!.at.slice(0, 16));
  });

  it('also spends the budget on bodies that never reach the dispatcher (not JSON, unknown routes)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const res = await fetch(`${base}/api/rpc/patient/search`, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
  });

  it('signed-in staff working normally never hit a limit, even while their address is over it', async () => {
    const reception = await signIn(DEMO.reception.username, DEMO.reception.password);
    const admin = await signIn(DEMO.admin.username, DEMO.admin.password);
    // Someone on the same address (a shared NAT, a proxy) uses up its budget.
    for (let i = 0; i < 80; i++) await (await rpc('patient/search', { query: 'x' })).arrayBuffer();
    expect((await rpc('patient/search', { query: 'x' })).status).toBe(429);

    // A realistic burst of desk work: searches, agenda, records, slots, some typing mistakes.
    const statuses: number[] = [];
    const options = (await (await rpc('booking/options', {}, { cookie: reception })).json()) as { ok: boolean };
    expect(options.ok).toBe(true);
    for (let i = 0; i < 150; i++) {
      const calls: Array<[string, unknown, string]> = [
        ['patient/search', { query: ['ada', 'lovelace', '555', 'smith', 'jo'][i % 5] }, reception],
        ['agenda/day', {}, reception],
        ['settings/get', {}, reception],
        ['patient/register', { basic: { givenName: '' } }, reception], // a form sent with a missing name: 400
        ['audit/list', { limit: 20 }, admin],
        ['staff/list', {}, reception], // a receptionist opening an admin screen: 403
      ];
      const [name, input, cookie] = calls[i % calls.length]!;
      const res = await rpc(name, input, { cookie });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 400, 403]));
  });

  it('a patient with a valid token spends the budget on every call: a token is one registration away', async () => {
    const reg = (await (
      await fetch(`${base}/api/patients/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          basic: { givenName: 'Pat', familyName: 'Limit', dateOfBirth: '1990-01-01', sex: 'female', phone: '+1 202 555 0188' },
        }),
      })
    ).json()) as { ok: boolean; data: { accessToken: string } };
    expect(reg.ok).toBe(true);
    const auth = { authorization: `Bearer ${reg.data.accessToken}` };
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      // Successful calls and refused ones cost alike (referral code checks cost more: next test).
      const res = i % 2 ? await fetch(`${base}/api/patients/appointments`, { headers: auth }) : await rpc('booking/options', { unknownField: i }, auth);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    // The registration spent one of the 60; the rest go to the patient's calls, then 429.
    expect(statuses.slice(0, 59).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(59).every((s) => s === 429)).toBe(true);
  });

  it('referral codes can be guessed: a patient’s checks spend the guessing budget, a receptionist’s do not', async () => {
    // Signed in first: sign-in itself spends the guessing budget.
    const reception = await signIn(DEMO.reception.username, DEMO.reception.password);
    const reg = (await (
      await fetch(`${base}/api/patients/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          basic: { givenName: 'Pat', familyName: 'Guesser', dateOfBirth: '1990-01-01', sex: 'female', phone: '+1 202 555 0189' },
        }),
      })
    ).json()) as { ok: boolean; data: { accessToken: string } };
    expect(reg.ok).toBe(true);
    const auth = { authorization: `Bearer ${reg.data.accessToken}` };
    const options = (await (await fetch(`${base}/api/rpc/booking/options`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{}' })).json()) as {
      data: { consultationTypes: Array<{ id: string }> };
    };
    const consultationTypeId = options.data.consultationTypes[0]!.id;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await rpc('referral/check', { code: `GUESS-${i}`, consultationTypeId }, auth);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    // The sign-in and the registration spent two of the 30 guesses; 28 checks answer, then 429 with Retry-After.
    expect(statuses.slice(0, 28).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(28).every((s) => s === 429)).toBe(true);
    const refused = await rpc('referral/check', { code: 'GUESS-X', consultationTypeId }, auth);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await refused.arrayBuffer();
    // Booking with a code answers the same guess: refused too, while booking without one is not.
    const book = (body: Record<string, unknown>) =>
      fetch(`${base}/api/patients/appointments`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
    const slot = { doctorId: 'no-such-doctor', consultationTypeId, startAt: '2030-01-07T15:00:00.000Z' };
    const withCode = await book({ ...slot, referralCode: 'GUESS-Y' });
    expect(withCode.status).toBe(429);
    await withCode.arrayBuffer();
    const withoutCode = await book({ ...slot, referralCode: ' ' });
    expect(withoutCode.status).not.toBe(429);
    await withoutCode.arrayBuffer();
    // A receptionist on the same address, typing codes as the patient spells them, is not limited.
    const desk: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await rpc('referral/check', { code: `DESK-${i}`, consultationTypeId }, { cookie: reception });
      desk.push(res.status);
      await res.arrayBuffer();
    }
    expect(new Set(desk)).toEqual(new Set([200]));
  });

  it('a staff cookie is no licence to guess passwords: sign-in spends the guessing budget whoever calls', async () => {
    const reception = await signIn(DEMO.reception.username, DEMO.reception.password);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await rpc('auth/login', { username: `user${i}`, password: 'Summer2026!' }, { cookie: reception });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    // One sign-in above spent the first of the 30.
    expect(statuses.slice(0, 29).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
  });

  it('the live stream refused without a session spends the budget like any other request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const res = await fetch(`${base}/api/events`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
    expect((await rpc('auth/session', {})).status).toBe(429);
  });
});

describe('counted refusals and a restart', () => {
  it('are written on close: nothing counted is lost by an orderly shutdown', async () => {
    const dataDir = tempDataDir();
    const own = await openTestApp({ dataDir });
    const { server: ownServer, base: ownBase } = await listen(own);
    try {
      for (let i = 0; i < 10; i++) {
        await (await fetch(`${ownBase}/api/rpc/staff/list`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).arrayBuffer();
      }
    } finally {
      await ownServer.close();
      await own.close();
    }
    const raw = openRaw(`${dataDir}/clinic-desk.sqlite`);
    try {
      const rows = raw.prepare("SELECT count, source FROM audit_log WHERE handler = 'staff/list'").all();
      expect(rows).toEqual([{ count: 10, source: '127.0.0.1' }]);
    } finally {
      raw.close();
      removeDir(dataDir);
    }
  });
});
