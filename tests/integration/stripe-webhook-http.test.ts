import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../src-main/http/server.js';
import { signStripePayload, verifyStripeWebhook, type StripeWebhookEvent } from '../../src-main/adapters/stripe/webhooks.js';
import { openTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET = 'whsec_testSigningSecretForClinicDesk0001';
const URL_PATH = '/api/stripe/webhook';

let app: TestApp;
let server: FastifyInstance;
let base: string;

async function start(options: ServerOptions = {}, env: Record<string, string> = { STRIPE_WEBHOOK_SECRET: SECRET }) {
  app = await openTestApp({ env });
  server = await buildServer(app, options);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  await server?.close();
  await app?.dispose();
});

const event = (id = 'evt_1', type = 'payment_intent.succeeded') =>
  JSON.stringify({ id, object: 'event', type, created: 1773241200, livemode: false, data: { object: { id: 'pi_123', object: 'payment_intent', status: 'succeeded', amount: 4200 } } });

const nowSeconds = () => Math.floor(app.clock.now().getTime() / 1000);

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${URL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body });
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

async function refusalRows() {
  await app.flushAudit();
  return app.db.selectFrom('audit_log').select(['handler', 'outcome', 'detail', 'count', 'source']).where('handler', '=', 'stripe/webhook').execute();
}

describe('POST /api/stripe/webhook', () => {
  it('a validly signed event is answered 200 and handed to onStripeEvent, parsed and plain', async () => {
    const seen: StripeWebhookEvent[] = [];
    await start({ onStripeEvent: (e) => void seen.push(e) });
    const body = event();
    const res = await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, received: 'evt_1' });
    expect(seen).toEqual([
      { id: 'evt_1', type: 'payment_intent.succeeded', created: 1773241200, livemode: false, data: { object: { id: 'pi_123', object: 'payment_intent', status: 'succeeded', amount: 4200 } } },
    ]);
    expect(await refusalRows()).toEqual([]);
  });

  it('without a callback a verified event is still answered 200 (nothing recorded)', async () => {
    await start();
    const body = event();
    expect((await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) })).status).toBe(200);
  });

  it('tampered, stale, missing and malformed signatures are 400 with the reason, never reach the callback, and are audited', async () => {
    const seen: StripeWebhookEvent[] = [];
    await start({ onStripeEvent: (e) => void seen.push(e) });
    const body = event();
    const header = signStripePayload(body, SECRET, nowSeconds());

    const tampered = await post(body.replace('4200', '1'), { 'stripe-signature': header });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ ok: false, error: { code: 'stripe/bad-signature' } });

    const otherSecret = await post(body, { 'stripe-signature': signStripePayload(body, 'whsec_someoneElse', nowSeconds()) });
    expect((await errorOf(otherSecret)).code).toBe('stripe/bad-signature');

    // Signed correctly, but ten minutes ago by the app's clock: a replay.
    const stale = await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds() - 600) });
    expect(stale.status).toBe(400);
    expect((await errorOf(stale)).code).toBe('stripe/stale');

    const missing = await post(body);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe('stripe/missing-signature');

    const garbage = await post(body, { 'stripe-signature': 'nonsense' });
    expect((await errorOf(garbage)).code).toBe('stripe/malformed');

    expect(seen).toEqual([]);
    const rows = await refusalRows();
    expect(rows.map((r) => [r.detail, r.count, r.outcome]).sort()).toEqual([
      ['stripe/bad-signature', 2, 'denied'],
      ['stripe/malformed', 1, 'denied'],
      ['stripe/missing-signature', 1, 'denied'],
      ['stripe/stale', 1, 'denied'],
    ]);
    expect(rows.every((r) => r.source === '127.0.0.1')).toBe(true);
  });

  it('failures spend the address budget: over it, even a valid delivery waits (429) without signature work', async () => {
    await start({ anonymousPerMinute: 3 });
    const body = event();
    for (let i = 0; i < 3; i++) expect((await post(body, { 'stripe-signature': 'v1=bad' })).status).toBe(400);
    const limited = await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    app.clock.advance({ seconds: 20 });
    expect((await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) })).status).toBe(200);
  });

  it('verified deliveries do not spend the budget', async () => {
    await start({ anonymousPerMinute: 2 });
    for (let i = 0; i < 5; i++) {
      const body = event(`evt_${i}`);
      expect((await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) })).status).toBe(200);
    }
  });

  it('the raw body rule is for this route only, and only for JSON: other types 415, oversize 413, cross-site 403', async () => {
    await start();
    const body = event();
    const header = signStripePayload(body, SECRET, nowSeconds());
    const form = await fetch(`${base}${URL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'stripe-signature': header }, body });
    expect(form.status).toBe(415);
    const text = await fetch(`${base}${URL_PATH}`, { method: 'POST', headers: { 'content-type': 'text/plain', 'stripe-signature': header }, body });
    expect(text.status).toBe(415);
    const huge = JSON.stringify({ id: 'evt_big', pad: 'x'.repeat(300 * 1024) });
    expect((await post(huge, { 'stripe-signature': signStripePayload(huge, SECRET, nowSeconds()) })).status).toBe(413);
    const crossSite = await post(body, { 'stripe-signature': header, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    // Other routes still parse JSON as before (the raw parser did not leak out of its scope).
    const rpc = await fetch(`${base}/api/rpc/setup/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rpc.status).toBe(200);
  });

  it('the same event delivered again (a replay within the tolerance) reaches the callback once', async () => {
    const seen: string[] = [];
    await start({ onStripeEvent: (e) => void seen.push(e.id) });
    const body = event('evt_once');
    const header = signStripePayload(body, SECRET, nowSeconds());
    expect(await (await post(body, { 'stripe-signature': header })).json()).toEqual({ ok: true, received: 'evt_once' });
    app.clock.advance({ seconds: 100 });
    expect(await (await post(body, { 'stripe-signature': header })).json()).toEqual({ ok: true, received: 'evt_once', duplicate: true });
    // Stripe's own re-delivery, freshly signed, is recognised too.
    expect((await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) })).status).toBe(200);
    expect(seen).toEqual(['evt_once']);
  });

  it('a callback that fails answers 500, so Stripe delivers the event again', async () => {
    await start({
      onStripeEvent: () => {
        throw new Error('database busy');
      },
    });
    const body = event();
    const res = await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) });
    expect(res.status).toBe(500);
    expect((await errorOf(res)).code).toBe('stripe/event-not-handled');
    // Not remembered as handled: the next delivery tries again.
    expect((await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) })).status).toBe(500);
  });

  it('without a signing secret it refuses every delivery (503) and says why', async () => {
    await start({}, {});
    const body = event();
    const res = await post(body, { 'stripe-signature': signStripePayload(body, SECRET, nowSeconds()) });
    expect(res.status).toBe(503);
    expect((await errorOf(res)).message).toMatch(/no Stripe webhook signing secret/);
  });
});

describe('verifyStripeWebhook', () => {
  it('a correctly signed body that is not an event is malformed; a Buffer body works like a string', () => {
    const now = new Date('2026-03-11T15:00:00Z');
    const t = Math.floor(now.getTime() / 1000);
    expect(verifyStripeWebhook('not json', signStripePayload('not json', SECRET, t), SECRET, { now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyStripeWebhook('{"id":1}', signStripePayload('{"id":1}', SECRET, t), SECRET, { now })).toEqual({ ok: false, reason: 'malformed' });
    const body = event();
    expect(verifyStripeWebhook(Buffer.from(body), signStripePayload(body, SECRET, t), SECRET, { now })).toMatchObject({ ok: true, event: { id: 'evt_1' } });
    expect(verifyStripeWebhook(body, signStripePayload(body, SECRET, t - 301), SECRET, { now })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyStripeWebhook(body, signStripePayload(body, SECRET, t - 299), SECRET, { now })).toMatchObject({ ok: true });
    expect(verifyStripeWebhook(body, '', SECRET, { now })).toEqual({ ok: false, reason: 'missing-signature' });
  });
});
