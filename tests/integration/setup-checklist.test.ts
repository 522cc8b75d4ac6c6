import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, callOk, DEMO, demoApp, loginAs, openTestApp, type TestApp } from '../helpers/test-app.js';
import { readDependencies } from '../../src-main/contract/reads.js';

let app: TestApp;
let admin: string;

beforeEach(async () => {
  app = await openTestApp();
  admin = (await call(app, 'setup/initialize', {
    clinicName: 'Harbour Health',
    timeZone: 'America/New_York',
    currency: 'USD',
    defaultCountry: 'US',
    admin: { username: 'ines', displayName: 'Inês Costa', password: 'a-long-enough-password' },
  })).session!.set!;
});
afterEach(async () => {
  await app.dispose();
});

const ticks = async (token = admin) => {
  const list = await callOk(app, 'setup/checklist', {}, token);
  return Object.fromEntries(list.steps.map((s) => [s.key, s.done]));
};

describe('first-run checklist (issue 12, item 6)', () => {
  it('is ticked from real data, step by step, up to the first booking', async () => {
    expect(await callOk(app, 'setup/checklist', {}, admin)).toEqual({
      steps: ['location', 'specialization', 'consultationType', 'doctor', 'hours', 'booking'].map((key) => ({ key, done: false, count: 0 })),
      complete: false,
    });

    const location = await callOk(app, 'roster/save-location', { name: 'Main street', timeZone: 'America/New_York' }, admin);
    expect(await ticks()).toMatchObject({ location: true, specialization: false });

    const spec = await callOk(app, 'roster/save-specialization', { name: 'General practice' }, admin);
    expect(await ticks()).toMatchObject({ specialization: true, consultationType: false });

    const type = await callOk(
      app,
      'roster/save-consultation-type',
      { name: 'Check-up', kind: 'general', durationMinutes: 20, priceMinor: 5000, specializationIds: [spec.id] },
      admin,
    );
    expect(await ticks()).toMatchObject({ consultationType: true, doctor: false });

    const doctor = await callOk(app, 'roster/save-doctor', { givenName: 'Maya', familyName: 'Chen', specializationIds: [spec.id] }, admin);
    expect(await ticks()).toMatchObject({ doctor: true, hours: false });

    await callOk(
      app,
      'roster/set-weekly-hours',
      { doctorId: doctor.id, hours: [1, 2, 3, 4, 5].map((weekday) => ({ locationId: location.id, weekday, startMinute: 540, endMinute: 1020 })) },
      admin,
    );
    expect(await ticks()).toMatchObject({ hours: true, booking: false });

    const patient = await callOk(
      app,
      'patient/register',
      { basic: { givenName: 'Rui', familyName: 'Matos', dateOfBirth: '1980-01-02', sex: 'male', phone: '+1 212 555 0100' }, idempotencyKey: 'checklist-1' },
      admin,
    );
    const { slots } = await callOk(app, 'booking/find-slots', { consultationTypeId: type.id, doctorId: doctor.id }, admin);
    expect(slots.length).toBeGreaterThan(0);
    await callOk(
      app,
      'booking/create',
      { patientId: patient.patientId, doctorId: doctor.id, consultationTypeId: type.id, startAt: slots[0]!.startAt },
      admin,
    );
    const done = await callOk(app, 'setup/checklist', {}, admin);
    expect(done.complete).toBe(true);
    expect(done.steps.every((s) => s.done)).toBe(true);
  });

  it('counts only what can be used: an inactive location, or a type no specialization offers, does not tick', async () => {
    await callOk(app, 'roster/save-location', { name: 'Closed annex', timeZone: 'America/New_York', active: false }, admin);
    expect(await ticks()).toMatchObject({ location: false });
  });

  it('is a live read: it refreshes when the roster or the appointments change', () => {
    expect(readDependencies['setup/checklist']).toEqual(expect.arrayContaining(['location', 'specialization', 'consultation_type', 'doctor', 'doctor_hours', 'appointment']));
  });

  it('is complete for the demo clinic, and a receptionist may read it; a signed-out caller may not', async () => {
    const demo = await demoApp();
    try {
      const reception = await loginAs(demo, DEMO.reception.username, DEMO.reception.password);
      expect((await callOk(demo, 'setup/checklist', {}, reception)).complete).toBe(true);
      expect((await call(demo, 'setup/checklist', {}, null)).status).toBe(401);
    } finally {
      await demo.dispose();
    }
  });
});
