import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../helpers/http.js';
import { callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  app = await demoApp({ refusalFlushMs: 3_600_000 });
  ({ server, base } = await listen(app));
});
afterEach(async () => {
  await server.close();
  await app.dispose();
});

const check = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/patients/symptom-check`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const soreThroat = { symptoms: [{ symptomId: 'sore_throat', severity: 'mild', duration: 'days' }] };

describe('POST /api/patients/symptom-check', () => {
  it('answers anyone, saves nothing without a token, and says it does not diagnose', async () => {
    const res = await check({ ...soreThroat, ageYears: 40, sex: 'female' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: true; data: { disclaimer: string; saved: unknown; urgency: string; specializations: Array<{ name: string }> } };
    expect(body.data).toMatchObject({ saved: null, urgency: 'routine' });
    expect(body.data.disclaimer).toMatch(/does not diagnose and does not replace a doctor/);
    expect(body.data.specializations[0]!.name).toBe('General Practice');
    expect(app.raw.prepare("SELECT count(*) FROM patient_section WHERE section = 'symptom_check'").pluck().get()).toBe(0);
  });

  it('with a patient token saves the check on that patient’s record', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const reg = await callOk(app, 'patient/register', { basic: { givenName: 'Bea', familyName: 'Rer', dateOfBirth: '1970-02-03', sex: 'male', phone: '+12025550111' }, overrideDuplicates: true, issueAccessToken: true }, desk);
    const res = await check({ symptoms: [{ symptomId: 'pelvic_pain', severity: 'moderate', duration: 'days' }] }, { authorization: `Bearer ${reg.accessToken}` });
    const body = (await res.json()) as { data: { saved: unknown; ageSexFrom: string; specializations: Array<{ name: string }> } };
    expect(res.status).toBe(200);
    expect(body.data).toMatchObject({ saved: { patientId: reg.patientId, version: 1 }, ageSexFrom: 'record' });
    expect(body.data.specializations[0]!.name).toBe('Urology');
    const expired = await check(soreThroat, { authorization: 'Bearer not-a-live-token-0123456789abcdef' });
    expect(expired.status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, { post?: { summary: string; requestBody: unknown } }> };
    const op = doc.paths['/api/patients/symptom-check']?.post;
    expect(op?.summary).toMatch(/does not diagnose and does not replace a clinician/);
    expect(JSON.stringify(op?.requestBody)).toMatch(/symptomId/);
    expect(doc.paths['/api/rpc/symptoms/knowledge-base']).toBeDefined();
  });

  it('has the same per-address limit as the other anonymous routes (60 a minute, then 429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) {
      const res = await check(soreThroat);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
  });
});
