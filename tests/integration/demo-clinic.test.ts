import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayBounds } from '../../src-main/core/time/time.js';
import { callOk, count, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';

// The fake clock says 2026-03-11T15:00Z: Wednesday 11:00 in New York, the demo clinic's zone.
const TODAY = '2026-03-11';
const EVERY_DAY_DOCTORS = ['Dr Maya Chen', 'Dr Henrik Larsen'];

let app: TestApp;
let reception: string;

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
});
afterAll(async () => {
  await app.dispose();
});

describe('the demo clinic', () => {
  it('creates the two demo accounts with their roles', () => {
    const staff = app.raw.prepare('SELECT username, role FROM staff ORDER BY username').all();
    expect(staff).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'reception', role: 'receptionist' },
    ]);
  });

  it('creates 5 doctors, 2 locations, 40 patients and the clinic settings', async () => {
    expect(count(app, 'doctor')).toBe(5);
    expect(count(app, 'location')).toBe(2);
    expect(count(app, 'patient')).toBe(40);
    expect(count(app, 'patient_search_token')).toBeGreaterThan(40);
    expect(await callOk(app, 'setup/status', {})).toEqual({
      needsSetup: false,
      deskName: expect.any(String),
      clinicName: 'Riverside Family Clinic',
      demoAccounts: [
        { username: 'admin', password: DEMO.admin.password, role: 'admin' },
        { username: 'reception', password: DEMO.reception.password, role: 'receptionist' },
      ],
      notice: null,
    });
    expect(app.settings()).toMatchObject({ timeZone: 'America/New_York', currency: 'USD', defaultCountry: 'US' });
  });

  it("shows today's agenda in the clinic's zone by default", async () => {
    const agenda = await callOk(app, 'agenda/day', {}, reception);
    expect(agenda.date).toBe(TODAY);
    expect(agenda.timeZone).toBe('America/New_York');
    expect(agenda.doctors).toHaveLength(5);
    expect(agenda.items.length).toBeGreaterThan(0);
    const { start, end } = dayBounds(TODAY, 'America/New_York');
    for (const item of agenda.items) {
      expect(item.startAt >= start && item.startAt < end).toBe(true);
      expect(item.status).not.toBe('cancelled');
      expect(item.patientNumber).toMatch(/^P-[0-9A-Z]{4}-\d{4}$/);
    }
    const starts = agenda.items.map((i) => i.startAt);
    expect(starts).toEqual([...starts].sort());
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('has appointments for both every-day doctors %i day(s) from today', async (offset) => {
    const date = addDays(TODAY, offset);
    const agenda = await callOk(app, 'agenda/day', { date }, reception);
    expect(agenda.date).toBe(date);
    const doctors = new Set(agenda.items.map((i) => i.doctorName));
    for (const name of EVERY_DAY_DOCTORS) expect(doctors).toContain(name);
  });

  it("keeps each appointment inside its doctor's hours (Dr Maya Chen: 08:00-12:00, 13:00-19:00)", async () => {
    const chen = (await callOk(app, 'agenda/day', { date: TODAY }, reception)).doctors.find((d) => d.name === 'Dr Maya Chen')!;
    const agenda = await callOk(app, 'agenda/day', { date: TODAY, doctorId: chen.id }, reception);
    expect(agenda.items.length).toBeGreaterThan(0);
    for (const item of agenda.items) {
      expect(item.doctorId).toBe(chen.id);
      const inMorning = item.localStart >= '08:00' && item.localEnd <= '12:00';
      const inAfternoon = item.localStart >= '13:00' && item.localEnd <= '19:00';
      expect(inMorning || inAfternoon).toBe(true);
    }
  });

  it('shows cancelled appointments only when asked', async () => {
    const window = Array.from({ length: 15 }, (_, i) => addDays(TODAY, i - 7));
    let withCancelled = 0;
    let without = 0;
    for (const date of window) {
      withCancelled += (await callOk(app, 'agenda/day', { date, includeCancelled: true }, reception)).items.length;
      without += (await callOk(app, 'agenda/day', { date }, reception)).items.length;
    }
    const cancelled = (app.raw.prepare("SELECT count(*) AS n FROM appointment WHERE status = 'cancelled'").get() as { n: number }).n;
    expect(cancelled).toBeGreaterThan(0);
    expect(withCancelled - without).toBe(cancelled);
    expect(withCancelled).toBe(count(app, 'appointment'));
  });
});
