import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callErr, callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';
import { whenInWords } from '../../src-main/core/audit/audit.service.js';

/** The audit screen's rows: who did what to whom in words, and its filters (who, kind, patient, dates). */
let app: TestApp;
let admin: string;
let reception: string;
let receptionId: string;

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  receptionId = (await callOk(app, 'auth/session', {}, reception)).staff!.id;
});
afterAll(async () => {
  await app.dispose();
});

describe('the audit log in words', () => {
  it('says who cancelled whose appointment of when, with the reason', async () => {
    const agenda = await callOk(app, 'agenda/day', {}, reception);
    const item = agenda.items.find((i) => i.status === 'booked' && i.startAt > app.clock.now().toISOString())!;
    const reason = 'Feeling better\nline two';
    await callOk(app, 'appointment/cancel', { appointmentId: item.id, party: 'patient', reason }, reception);
    const { rows } = await callOk(app, 'audit/list', { limit: 5 }, admin);
    const row = rows.find((r) => r.handler === 'appointment/cancel')!;
    const patient = await callOk(app, 'patient/get', { patientId: item.patientId }, admin);
    const name = `${patient.basic.givenName} ${patient.basic.familyName}`;
    expect(row.summary).toBe(
      `Robin Reception cancelled ${name}’s appointment of ${whenInWords(item.startAt, agenda.timeZone)} (reason: Feeling better line two)`,
    );
    expect(row.kind).toBe('appointments');
    expect(row.summary).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('says a refusal in words, never by a handler name', async () => {
    await callErr(app, 'audit/list', {}, reception, 'auth/forbidden');
    const { rows } = await callOk(app, 'audit/list', { limit: 3 }, admin);
    const refused = rows.find((r) => r.outcome === 'denied')!;
    expect(refused.summary).toBe('Robin Reception tried to read the audit log, and was refused (why: not allowed for their role)');
    for (const r of rows) expect(r.summary).not.toMatch(/\b[a-z]+\/[a-z-]+\b/);
  });

  it('filters by who, by kind, by patient and by clinic dates', async () => {
    const agenda = await callOk(app, 'agenda/day', {}, reception);
    const patientId = agenda.items[0]!.patientId;
    await callOk(app, 'patient/get', { patientId }, reception);

    const byWho = await callOk(app, 'audit/list', { staffId: receptionId, limit: 200 }, admin);
    expect(byWho.rows.length).toBeGreaterThan(0);
    expect(byWho.rows.every((r) => r.actorId === receptionId)).toBe(true);

    const byKind = await callOk(app, 'audit/list', { kind: 'sign-in', limit: 200 }, admin);
    expect(byKind.rows.length).toBeGreaterThan(0);
    expect(byKind.rows.every((r) => r.kind === 'sign-in')).toBe(true);

    const byPatient = await callOk(app, 'audit/list', { patientId, limit: 200 }, admin);
    expect(byPatient.rows.map((r) => r.handler)).toContain('patient/get');
    expect(byPatient.rows.every((r) => r.recordId === patientId || r.recordType === 'appointment' || r.recordType === 'payment')).toBe(true);

    const today = app.clock.now().toISOString().slice(0, 10);
    const tomorrow = new Date(app.clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const later = await callOk(app, 'audit/list', { from: tomorrow, limit: 200 }, admin);
    expect(later.rows).toEqual([]);
    const around = await callOk(app, 'audit/list', { from: '2000-01-01', to: tomorrow, limit: 200 }, admin);
    expect(around.rows.length).toBeGreaterThan(0);
    expect(today <= tomorrow).toBe(true);
  });

  it('refuses a date range that ends before it starts, in plain words, and an unknown kind', async () => {
    const err = await callErr(app, 'audit/list', { from: '2026-03-05', to: '2026-03-01' }, admin, 'validation/invalid-input');
    expect(err.fieldErrors?.to).toEqual(['The first day must not be after the last day.']);
    const kind = await callErr(app, 'audit/list', { kind: 'audit/list' }, admin, 'validation/invalid-input');
    expect(kind.fieldErrors?.kind).toEqual(['Choose a kind from the list.']);
  });
});

describe('signing in, in words', () => {
  it('does not name the account twice when people sign in as themselves', async () => {
    const { rows } = await callOk(app, 'audit/list', { kind: 'sign-in', limit: 50 }, admin);
    const login = rows.find((r) => r.handler === 'auth/login' && r.outcome === 'ok' && r.actorName === 'Robin Reception')!;
    expect(login.summary).toBe('Robin Reception signed in');
  });
});
