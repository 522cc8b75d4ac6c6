import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../helpers/http.js';
import { auditRowsAfter, count, demoApp, lastAuditSeq, type TestApp } from '../helpers/test-app.js';
import { basicRegistration } from '../helpers/patients.js';

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

interface Registered {
  patientId: string;
  patientNumber: string;
  accessToken: string;
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

const kioskBody = basicRegistration(
  {
    givenName: 'Wiremu',
    familyName: 'Te Āwhina',
    dateOfBirth: '1979-11-11',
    sex: 'male',
    phone: '(202) 555-0181',
    email: 'wiremu@mail.example',
  },
  {
    medicalHistory: { allergies: [{ substance: 'Ibuprofen', severity: 'moderate' }] },
    emergencyContact: { name: 'Aroha Te Āwhina', relationship: 'Wife', phone: '202-555-0182' },
  },
);

let first: Registered;
/** Anonymous idempotency keys are random and at least 32 characters (a UUID). */
const KEY_1 = 'kiosk-7f3a9c2e-0001-4b1d-9e0a-5c6d7e8f';
const KEY_2 = 'kiosk-7f3a9c2e-0002-4b1d-9e0a-5c6d7e8f';

describe('POST /api/patients/register', () => {
  it('registers a patient from a kiosk (no sign-in) and answers with the id, number and access token', async () => {
    const seq = lastAuditSeq(app);
    const res = await postJson('/api/patients/register', kioskBody, { 'idempotency-key': KEY_1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { ok: true; data: Registered };
    expect(Object.keys(body).sort()).toEqual(['data', 'ok']);
    expect(body.ok).toBe(true);
    expect(Object.keys(body.data).sort()).toEqual(['accessExpiresAt', 'accessToken', 'patientId', 'patientNumber']);
    expect(body.data.patientNumber).toMatch(/^P-[0-9A-Z]{4}-0041$/);
    expect(body.data.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    first = body.data;
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'patient/register', actor_kind: 'anonymous', actor_id: null, record_id: first.patientId, outcome: 'ok' },
    ]);
  });

  it('answers a retry with the same Idempotency-Key and body with the same patient id and no token; the original token keeps working', async () => {
    const patients = count(app, 'patient');
    const tokens = count(app, 'patient_token');
    const res = await postJson('/api/patients/register', kioskBody, { 'idempotency-key': KEY_1 });
    expect(res.status).toBe(200);
    const replay = ((await res.json()) as { data: Record<string, unknown> }).data;
    // Nothing but the id the first answer gave, and how to get access again.
    expect(replay).toEqual({
      patientId: first.patientId,
      replayed: true,
      message:
        "You are already registered. For access to your appointments, ask the clinic's front desk, or use the link in the confirmation e-mail the clinic sends you.",
    });
    expect(count(app, 'patient')).toBe(patients);
    expect(count(app, 'patient_token')).toBe(tokens);
    // Tokens are never stored in clear: the stored answer has none.
    const stored = app.raw.prepare("SELECT response FROM idempotency_key WHERE handler = 'patient/register'").all() as Array<{ response: string }>;
    for (const row of stored) expect(row.response).not.toContain('accessToken');
    const old = await fetch(`${base}/api/rpc/patient/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${first.accessToken}` },
      body: JSON.stringify({ patientId: first.patientId }),
    });
    expect(old.status).toBe(200);
  });

  it('creates another patient for the same body with another key (a kiosk does not warn about duplicates)', async () => {
    const res = await postJson('/api/patients/register', kioskBody, { 'idempotency-key': KEY_2 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Registered };
    expect(body.data.patientId).not.toBe(first.patientId);
    expect(body.data.patientNumber).toMatch(/^P-[0-9A-Z]{4}-0042$/);
  });

  it('answers an invalid body with 400 and field errors, and writes no patient', async () => {
    const patients = count(app, 'patient');
    const res = await postJson('/api/patients/register', {
      basic: { familyName: 'X', dateOfBirth: '1899-12-31', sex: 'male', phone: '2025550183', email: 'nope' },
      emergencyContact: { name: 'Y', relationship: 'Friend' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: {
        code: 'validation/invalid-input',
        message: 'Some fields need attention.',
        fieldErrors: {
          'basic.givenName': ['This field is required.'],
          'basic.dateOfBirth': ['The date is too far in the past.'],
          'basic.email': ['Not a valid e-mail address.'],
          'emergencyContact.phone': ['This field is required.'],
        },
      },
    });
    expect(count(app, 'patient')).toBe(patients);
  });

  it('answers a phone the service refuses with 400 basic.phone', async () => {
    const res = await postJson('/api/patients/register', { ...kioskBody, basic: { ...kioskBody.basic, phone: '12345' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(body.error.fieldErrors).toEqual({ 'basic.phone': ['Not a valid phone number (numbers without +country are read as US).'] });
  });

  it('answers a too-short Idempotency-Key with 400 naming idempotencyKey', async () => {
    const res = await postJson('/api/patients/register', kioskBody, { 'idempotency-key': 'abc' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(Object.keys(body.error.fieldErrors)).toEqual(['idempotencyKey']);
  });

  it('refuses an anonymous Idempotency-Key shorter than 32 characters (anonymous callers share one key space)', async () => {
    const patients = count(app, 'patient');
    const res = await postJson('/api/patients/register', kioskBody, { 'idempotency-key': 'kiosk-0000000000001' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fieldErrors: Record<string, string[]> } };
    expect(body.error).toMatchObject({
      code: 'validation/invalid-input',
      fieldErrors: { idempotencyKey: ['Without signing in, use a random key of at least 32 characters (for example a UUID).'] },
    });
    expect(count(app, 'patient')).toBe(patients);
  });

  it('refuses a non-JSON body with 415', async () => {
    const res = await fetch(`${base}/api/patients/register`, {
      method: 'POST',
      body: 'givenName=Wiremu',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });
});

describe('POST /api/rpc/patient/get with a patient’s Bearer token', () => {
  let other: Registered;

  beforeAll(async () => {
    const res = await postJson(
      '/api/patients/register',
      basicRegistration({ givenName: 'Other', familyName: 'Person', dateOfBirth: '1990-09-09', phone: '202 555 0184' }),
    );
    other = ((await res.json()) as { data: Registered }).data;
  });

  it('returns the patient’s own record', async () => {
    const res = await postJson('/api/rpc/patient/get', { patientId: first.patientId }, { authorization: `Bearer ${first.accessToken}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; data: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(body.data).toMatchObject({
      id: first.patientId,
      number: first.patientNumber,
      basic: { givenName: 'Wiremu', familyName: 'Te Āwhina', phone: '+12025550181', email: 'wiremu@mail.example' },
      medicalHistory: { data: { allergies: [{ substance: 'Ibuprofen', reaction: '', severity: 'moderate' }] }, meta: { version: 1, updatedBy: null } },
      emergencyContact: { data: { name: 'Aroha Te Āwhina', relationship: 'Wife', phone: '+12025550182' } },
      insurance: { data: null, meta: null },
      duplicateOverride: null,
    });
  });

  it('answers 403 auth/forbidden with another patient’s token', async () => {
    const res = await postJson('/api/rpc/patient/get', { patientId: first.patientId }, { authorization: `Bearer ${other.accessToken}` });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'auth/forbidden', message: 'A patient may only see their own record.' } });
  });

  it('answers 401 without a token or with an unknown one, in a patient’s words', async () => {
    const none = await postJson('/api/rpc/patient/get', { patientId: first.patientId });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('auth/patient-token-missing');
    const unknown = await postJson('/api/rpc/patient/get', { patientId: first.patientId }, { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('auth/patient-token-invalid');
  });

  it('answers 403 when the token is used to search', async () => {
    const res = await postJson('/api/rpc/patient/search', { query: 'wiremu' }, { authorization: `Bearer ${first.accessToken}` });
    expect(res.status).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('documents POST /api/patients/register with its Idempotency-Key header', async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, { post?: { operationId: string; parameters?: Array<{ name: string; in: string }>; requestBody?: unknown } }>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const op = doc.paths['/api/patients/register']?.post;
    expect(op?.operationId).toBe('post /api/patients/register');
    expect(op?.parameters).toEqual([
      { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 100 } },
    ]);
    expect(op?.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object' } } } });
    expect(doc.paths['/api/rpc/patient/get']?.post?.operationId).toBe('patient/get');
    expect(doc.components.securitySchemes.patientToken).toEqual({ type: 'http', scheme: 'bearer' });
  });
});
