import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src-main/http/server.js';
import { listen } from '../helpers/http.js';
import { callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';
import { basicRegistration, register } from '../helpers/patients.js';
import { demoPatient, demoRoster } from '../helpers/roster.js';

let app: TestApp;
let server: FastifyInstance;
let base: string;
let admin: string;
let me: { patientId: string; accessToken: string };
let ids: Awaited<ReturnType<typeof demoRoster>>;

beforeAll(async () => {
  app = await demoApp();
  ({ server, base } = await listen(app));
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  ids = await demoRoster(app, admin);
  // A patient registers at the kiosk (gets a token); an admin assigns a primary doctor and a cardiologist.
  me = await register(
    app,
    basicRegistration({ givenName: 'Ines', familyName: 'Duarte', phone: '(202) 555-0133', address: { latitude: 40.72, longitude: -73.99 } }),
    null,
  );
  await callOk(app, 'assignment/assign', { patientId: me.patientId, doctorId: ids.doctor('Chen'), kind: 'primary' }, admin);
  await callOk(app, 'assignment/assign', { patientId: me.patientId, doctorId: ids.doctor('Adeyemi'), kind: 'specialist', specializationId: ids.specialization('Cardiology') }, admin);
});
afterAll(async () => {
  await server.close();
  await app.dispose();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
type Body = { ok: boolean; data?: { patientId: string; current: Array<Record<string, unknown>>; history: unknown[] }; error?: { code: string; message: string; fieldErrors?: Record<string, string[]> } };

describe('GET /api/patients/doctors/assigned', () => {
  it('answers the patient with their own token: doctors with specialization, location and next available slot', async () => {
    const res = await get('/api/patients/doctors/assigned', { authorization: `Bearer ${me.accessToken}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.ok).toBe(true);
    expect(body.data!.patientId).toBe(me.patientId);
    expect(body.data!.current).toHaveLength(2);
    expect(body.data!.current[0]).toMatchObject({
      kind: 'primary',
      specialization: null,
      doctor: { name: 'Dr Maya Chen', specializations: ['General Practice'] },
      location: { name: 'Riverside Main', address: '100 River St, Springfield', timeZone: 'America/New_York' },
      nextAvailableSlot: { locationName: 'Riverside Main', localDate: expect.stringMatching(/^2026-03-\d\d$/), localTime: expect.stringMatching(/^\d\d:\d\d$/) },
    });
    expect(body.data!.current[1]).toMatchObject({ kind: 'specialist', specialization: { name: 'Cardiology' }, doctor: { name: 'Dr Samuel Adeyemi' } });
  });

  it('answers the patient naming their own id, but never another patient’s', async () => {
    const own = await get(`/api/patients/doctors/assigned?patientId=${me.patientId}`, { authorization: `Bearer ${me.accessToken}` });
    expect(own.status).toBe(200);
    const other = await get(`/api/patients/doctors/assigned?patientId=${demoPatient(app, 0).id}`, { authorization: `Bearer ${me.accessToken}` });
    expect(other.status).toBe(403);
    expect(((await other.json()) as Body).error).toEqual({ code: 'auth/forbidden', message: 'A patient may only see their own record.' });
  });

  it('answers staff with a session cookie and a patient id, with the history on request', async () => {
    const login = await fetch(`${base}/api/rpc/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: DEMO.reception.username, password: DEMO.reception.password }),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
    const res = await get(`/api/patients/doctors/assigned?patientId=${me.patientId}&includeHistory=true`, { cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.data!.current.map((a) => (a.doctor as { name: string }).name)).toEqual(['Dr Maya Chen', 'Dr Samuel Adeyemi']);
    expect(body.data!.history).toEqual([]);

    const missing = await get('/api/patients/doctors/assigned', { cookie });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Body).error?.fieldErrors).toEqual({ patientId: ['Which patient? Give patientId.'] });
    const unknown = await get('/api/patients/doctors/assigned?patientId=nobody', { cookie });
    expect(unknown.status).toBe(404);
    const junk = await get(`/api/patients/doctors/assigned?patientId=${me.patientId}&sort=name`, { cookie });
    expect(junk.status).toBe(400);
  });

  it('refuses callers without a valid token or session', async () => {
    const none = await get('/api/patients/doctors/assigned');
    expect(none.status).toBe(401);
    const bad = await get('/api/patients/doctors/assigned', { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as Body).error?.code).toBe('auth/patient-token-invalid');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await get('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    const op = doc.paths['/api/patients/doctors/assigned']?.get;
    expect(op?.parameters?.map((p) => p.name)).toEqual(['patientId', 'includeHistory']);
  });
});
