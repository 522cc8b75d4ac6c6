import { afterEach, describe, expect, it } from 'vitest';
import { formatPatientNumber, parseDeskPatientNumber, deskPrefixOf, parseDeskPrefix } from '../../src-main/core/desk/patient-number.js';
import { planSearch } from '../../src-main/core/patients/patient-search.js';
import { call, callErr, callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';
import { envelopesOf } from '../helpers/events.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose();
});

const register = (app: TestApp, token: string, i: number) =>
  callOk(app, 'patient/register', { basic: { givenName: `Given${i}`, familyName: `Family${i}`, dateOfBirth: '1980-01-01', sex: 'unknown', phone: `+1202555${String(1000 + i)}` }, overrideDuplicates: true }, token);

describe('desk identity and patient numbers', () => {
  it('two databases created separately never issue the same patient number', async () => {
    const [a, b] = [await demoApp(), await demoApp()];
    apps.push(a, b);
    const deskA = await callOk(a, 'desk/get', {}, await loginAs(a, DEMO.admin.username, DEMO.admin.password));
    const deskB = await callOk(b, 'desk/get', {}, await loginAs(b, DEMO.admin.username, DEMO.admin.password));
    expect(deskA.id).not.toBe(deskB.id);
    expect(deskA.prefix).not.toBe(deskB.prefix);
    const ta = await loginAs(a, DEMO.reception.username, DEMO.reception.password);
    const tb = await loginAs(b, DEMO.reception.username, DEMO.reception.password);
    const numbers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      numbers.add((await register(a, ta, i)).patientNumber!);
      numbers.add((await register(b, tb, i)).patientNumber!);
    }
    const all = [a, b].flatMap((app) => (app.raw.prepare('SELECT number FROM patient').pluck().all() as number[]).map(formatPatientNumber));
    expect(new Set(all).size).toBe(all.length); // demo patients and new ones alike
    expect([...numbers].every((n) => /^P-[0-9A-HJKMNP-TV-Z]{4}-\d{4,}$/.test(n))).toBe(true);
    expect([...numbers].filter((n) => n.startsWith(`P-${deskA.prefix}-`))).toHaveLength(5);

    // Search by number keeps working, with or without dashes, in any case.
    const last = (await register(a, ta, 9)).patientNumber!;
    for (const typed of [last, last.toLowerCase(), last.replace(/-/g, ' '), last.slice(2)]) {
      const found = await callOk(a, 'patient/search', { query: typed }, ta);
      expect(found.results.map((p) => p.number), typed).toEqual([last]);
    }
  });

  it('keeps the older numbers as they were and reads both forms', () => {
    expect(formatPatientNumber(41)).toBe('P000041');
    expect(planSearch('P000041')).toEqual({ kind: 'number', number: 41 });
    const n = parseDeskPatientNumber('P-K7Q4-0041')!;
    expect(formatPatientNumber(n)).toBe('P-K7Q4-0041');
    expect(parseDeskPatientNumber('p-k7q4-41')).toBe(n);
    expect(parseDeskPrefix('K7QO')).toBe(parseDeskPrefix('K7Q0')); // O is read as 0
    expect(deskPrefixOf(parseDeskPrefix('ZZZZ')!)).toBe('ZZZZ');
    expect(parseDeskPatientNumber('P-K7Q4-0')).toBeNull();
    expect(parseDeskPatientNumber('Smith')).toBeNull();
    expect(parseDeskPatientNumber('2025-5550')).toBeNull();
  });

  it('names the desk at setup (host name by default), and an admin renames it, audited and as an envelope', async () => {
    const app = await demoApp();
    apps.push(app);
    const status = await callOk(app, 'setup/status', {});
    expect(status.deskName.length).toBeGreaterThan(0);
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const desk = await callOk(app, 'desk/rename', { name: '  Front desk 2 ' }, admin);
    expect(desk.name).toBe('Front desk 2');
    expect((await callOk(app, 'setup/status', {})).deskName).toBe('Front desk 2');
    expect(envelopesOf(app, 'desk', desk.id).at(-1)?.record).toMatchObject({ name: 'Front desk 2', prefix: desk.prefix });
    const reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await callErr(app, 'desk/rename', { name: 'Mine' }, reception, 'auth/forbidden');
    const bad = await call(app, 'desk/rename', { name: '' }, admin);
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'validation/invalid-input', fieldErrors: { name: expect.any(Array) } } });
  });
});
