import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { handlerNames } from '../../src-main/contract/index.js';
import { buildServer, SESSION_COOKIE } from '../../src-main/http/server.js';
import { listen } from '../helpers/http.js';
import { DEMO, demoApp, openTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let server: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = await demoApp();
  ({ server, base } = await listen(app));
});
afterAll(async () => {
  await server.close();
  await app.dispose();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

const rpc = (name: string, input: unknown, cookie?: string) =>
  post(`/api/rpc/${name}`, JSON.stringify(input), cookie ? { cookie } : {});

/** Signs in over HTTP; returns the Cookie header value to send back. */
async function signIn(username: string, password: string): Promise<{ cookie: string; setCookie: string }> {
  const res = await rpc('auth/login', { username, password });
  expect(res.status).toBe(200);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!setCookie) throw new Error('no session cookie');
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

const expectJsonError = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
  expect(body.ok).toBe(false);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
};

describe('HTTP transport', () => {
  it('GET /api/health reports version and schema version', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: app.version, schemaVersion: migrations.length });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /api/openapi.json documents every handler of the contract', async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, { post?: { operationId: string } }> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(handlerNames.length).toBeGreaterThan(10);
    for (const name of handlerNames) {
      expect(doc.paths[`/api/rpc/${name}`]?.post?.operationId, name).toBe(name);
    }
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie that later calls use', async () => {
    const { cookie, setCookie } = await signIn(DEMO.reception.username, DEMO.reception.password);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//i);

    const session = await rpc('auth/session', {}, cookie);
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ ok: true, data: { staff: { username: 'reception' }, locked: false } });

    const agenda = await rpc('agenda/day', {}, cookie);
    expect(agenda.status).toBe(200);
    expect(await agenda.json()).toMatchObject({ ok: true, data: { timeZone: 'America/New_York' } });
  });

  it('answers a call without the cookie with 401 auth/unauthenticated', async () => {
    await expectJsonError(await rpc('agenda/day', {}), 401, 'auth/unauthenticated');
  });

  it('clears the cookie on logout and the old cookie stops working', async () => {
    const { cookie } = await signIn(DEMO.admin.username, DEMO.admin.password);
    const res = await rpc('auth/logout', {}, cookie);
    expect(res.status).toBe(200);
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    await expectJsonError(await rpc('settings/get', {}, cookie), 401, 'auth/unauthenticated');
  });

  it('passes typed errors through with their status and field errors', async () => {
    const res = await rpc('auth/login', { username: 'admin', password: 'x', remember: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors: { remember: ['Unknown field.'] } },
    });
  });

  it('refuses a text/plain body with 415 and a JSON error', async () => {
    const res = await post('/api/rpc/auth/login', JSON.stringify({ username: 'admin', password: DEMO.admin.password }), {
      'content-type': 'text/plain',
    });
    await expectJsonError(res, 415, 'validation/unsupported-media-type');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a form-encoded body with 415', async () => {
    const res = await post('/api/rpc/auth/login', 'username=admin&password=x', { 'content-type': 'application/x-www-form-urlencoded' });
    await expectJsonError(res, 415, 'validation/unsupported-media-type');
  });

  it('refuses a 300 KiB body with 413 and a JSON error', async () => {
    const body = JSON.stringify({ username: 'admin', password: 'x'.repeat(300 * 1024) });
    const error = await expectJsonError(await post('/api/rpc/auth/login', body), 413, 'validation/too-large');
    expect(error.message).toBe('The request is larger than 256 KiB.');
  });

  it('refuses malformed JSON with 400 and a JSON error', async () => {
    await expectJsonError(await post('/api/rpc/auth/login', '{"username": "admin", '), 400, 'validation/invalid-json');
  });

  it('answers an unknown /api route with a JSON 404', async () => {
    await expectJsonError(await fetch(`${base}/api/nothing-here`), 404, 'http/not-found');
    await expectJsonError(await fetch(`${base}/api/rpc/auth/session`), 404, 'http/not-found'); // GET is not an RPC
  });

  it('answers only requests addressed to its own names (DNS rebinding), and refuses cross-site writes', async () => {
    const rebound = await server.inject({ method: 'POST', url: '/api/rpc/setup/status', headers: { host: 'evil.example:8787', 'content-type': 'application/json' }, payload: '{}' });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json()).toMatchObject({ ok: false, error: { code: 'http/host-not-allowed' } });
    const page = await server.inject({ method: 'GET', url: '/api/health', headers: { host: 'evil.example' } });
    expect(page.statusCode).toBe(421);
    for (const host of ['127.0.0.1:8787', 'localhost:1234', '[::1]:8787']) {
      expect((await server.inject({ method: 'GET', url: '/api/health', headers: { host } })).statusCode).toBe(200);
    }
    const crossSite = await server.inject({
      method: 'POST',
      url: '/api/rpc/setup/status',
      headers: { host: '127.0.0.1:8787', origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(crossSite.statusCode).toBe(403);
    const sameSite = await server.inject({
      method: 'POST',
      url: '/api/rpc/setup/status',
      headers: { host: '127.0.0.1:8787', origin: 'http://127.0.0.1:8787', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(sameSite.statusCode).toBe(200);
  });

  it('limits sign-in and self-registration attempts per address more tightly than other anonymous calls', async () => {
    const limitedApp = await openTestApp();
    const small = await buildServer(limitedApp, { guessesPerMinute: 3 });
    try {
      const login = () => small.inject({ method: 'POST', url: '/api/rpc/auth/login', headers: { host: '127.0.0.1', 'content-type': 'application/json' }, payload: '{"username":"x","password":"y"}' });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await login()).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const limited = await login();
      expect(limited.json()).toMatchObject({ ok: false, error: { code: 'http/too-many-requests' } });
      expect(limited.headers['retry-after']).toBe('20');
      // Other handlers have their own, larger budget.
      for (let i = 0; i < 5; i++) {
        const status = await small.inject({ method: 'POST', url: '/api/rpc/setup/status', headers: { host: '127.0.0.1', 'content-type': 'application/json' }, payload: '{}' });
        expect(status.statusCode).toBe(200);
      }
    } finally {
      await small.close();
      await limitedApp.dispose();
    }
  });

  it('answers an unknown handler with a JSON 404 from the dispatcher', async () => {
    await expectJsonError(await rpc('nothing/here', {}), 404, 'rpc/unknown-handler');
  });
});
