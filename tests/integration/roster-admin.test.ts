import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsAfter, call, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';
import { demoRoster, minutes, newDoctor } from '../helpers/roster.js';

// The fake clock says Wednesday 2026-03-11, 11:00 in New York.
let app: TestApp;
let admin: string;
let reception: string;
let ids: Awaited<ReturnType<typeof demoRoster>>;

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  ids = await demoRoster(app, admin);
});
afterAll(async () => {
  await app.dispose();
});

/** Calls a handler that must fail with field errors and write nothing at all; returns the field errors. */
async function fieldErrorsOf(name: string, input: unknown): Promise<Record<string, string[]>> {
  const before = tableCounts(app);
  const error = await callErr(app, name, input, admin, 'validation/invalid-input');
  expect(tableCounts(app)).toEqual({ ...before, audit_log: before.audit_log! + 1 }); // only the 'invalid' audit row
  return error.fieldErrors ?? {};
}

describe('who may change the roster', () => {
  it.each([
    ['roster/save-doctor', { givenName: 'Sneaky', familyName: 'Doctor' }],
    ['roster/save-location', { name: 'Sneaky Annex', timeZone: 'America/New_York' }],
    ['roster/save-specialization', { name: 'Sneakology' }],
    ['roster/save-consultation-type', { name: 'Sneaky', kind: 'other', durationMinutes: 10, priceMinor: 0, specializationIds: ['x'] }],
    ['roster/set-weekly-hours', { doctorId: 'x', hours: [] }],
    ['roster/add-exception', { doctorId: 'x', kind: 'time_off', date: '2026-03-20' }],
    ['roster/remove-exception', { exceptionId: 'x' }],
    ['roster/preview-change', { change: 'remove-exception', exceptionId: 'x' }],
  ])('refuses a receptionist calling %s with a clear message, and audits the attempt', async (name, input) => {
    const before = tableCounts(app);
    const seq = lastAuditSeq(app);
    const outcome = await call(app, name, input, reception);
    expect(outcome.status).toBe(403);
    expect(outcome.result).toEqual({
      ok: false,
      error: { code: 'auth/forbidden', message: 'Only admin staff may do this; you are signed in as receptionist.' },
    });
    expect(auditRowsAfter(app, seq)).toMatchObject([{ actor_kind: 'staff', handler: name, outcome: 'denied', detail: 'auth/forbidden' }]);
    expect(tableCounts(app)).toEqual({ ...before, audit_log: before.audit_log! + 1 });
  });

  it('lets a receptionist read the roster, a doctor and a doctor’s week (for booking)', async () => {
    const roster = await callOk(app, 'roster/list', {}, reception);
    expect(roster.doctors.map((d) => d.name)).toContain('Dr Maya Chen');
    await callOk(app, 'roster/get-doctor', { doctorId: ids.doctor('Chen') }, reception);
    await callOk(app, 'roster/doctor-week', { doctorId: ids.doctor('Chen') }, reception);
  });
});

describe('locations', () => {
  it('creates a location with address, coordinates and time zone', async () => {
    const { id } = await callOk(app, 'roster/save-location', {
      name: 'Lakeside Clinic',
      address: '5 Lake Rd, Springfield',
      latitude: 40.75,
      longitude: -73.98,
      timeZone: 'America/Chicago',
    }, admin);
    const roster = await callOk(app, 'roster/list', {}, admin);
    expect(roster.locations.find((l) => l.id === id)).toEqual({
      id,
      name: 'Lakeside Clinic',
      address: '5 Lake Rd, Springfield',
      latitude: 40.75,
      longitude: -73.98,
      timeZone: 'America/Chicago',
      active: true,
    });
  });

  it('gives field errors for an unknown time zone, half coordinates and a taken name; writes nothing', async () => {
    expect(await fieldErrorsOf('roster/save-location', { name: 'Moon Base', timeZone: 'Moon/Tranquility' })).toEqual({
      timeZone: ['Unknown time zone: use an IANA name such as Europe/Paris.'],
    });
    expect(await fieldErrorsOf('roster/save-location', { name: 'Half', timeZone: 'UTC', latitude: 10 })).toEqual({
      longitude: ['Give both latitude and longitude, or neither.'],
    });
    expect(await fieldErrorsOf('roster/save-location', { name: 'riverside MAIN', timeZone: 'UTC' })).toEqual({
      name: ['Another location has this name.'],
    });
  });

  it('refuses to deactivate a location where doctors still have hours', async () => {
    const errors = await fieldErrorsOf('roster/save-location', {
      id: ids.location('Hillcrest Branch'),
      name: 'Hillcrest Branch',
      address: '42 Hill Rd, Springfield',
      latitude: 40.7306,
      longitude: -73.9352,
      timeZone: 'America/New_York',
      active: false,
    });
    expect(errors.active?.[0]).toMatch(/^Dr (Lucía Fernández|Henrik Larsen), Dr (Lucía Fernández|Henrik Larsen) still work here/);
  });
});

describe('specializations and consultation types', () => {
  it('manages the list of specializations; names are unique whatever the case', async () => {
    const { id } = await callOk(app, 'roster/save-specialization', { name: 'Sports Medicine' }, admin);
    expect(await fieldErrorsOf('roster/save-specialization', { name: 'SPORTS MEDICINE' })).toEqual({ name: ['Another specialization has this name.'] });
    await callOk(app, 'roster/save-specialization', { id, name: 'Sports Medicine', active: false }, admin);
    const roster = await callOk(app, 'roster/list', {}, admin);
    expect(roster.specializations.find((s) => s.id === id)).toEqual({ id, name: 'Sports Medicine', active: false });
  });

  it('saves a consultation type with duration, price in minor units and its specializations', async () => {
    const cardio = ids.specialization('Cardiology');
    const { id } = await callOk(app, 'roster/save-consultation-type', {
      name: 'ECG review',
      kind: 'specialist',
      durationMinutes: 20,
      priceMinor: 8550,
      specializationIds: [cardio],
    }, admin);
    const type = (await callOk(app, 'roster/list', {}, admin)).consultationTypes.find((t) => t.id === id);
    expect(type).toEqual({ id, name: 'ECG review', kind: 'specialist', durationMinutes: 20, priceMinor: 8550, currency: 'USD', active: true, specializationIds: [cardio] });
  });

  it('gives field errors for an unknown specialization, a negative price and no specialization', async () => {
    expect(
      await fieldErrorsOf('roster/save-consultation-type', { name: 'Mystery', kind: 'other', durationMinutes: 15, priceMinor: 100, specializationIds: ['no-such-spec'] }),
    ).toEqual({ specializationIds: ['Unknown specialization: no-such-spec.'] });
    expect(
      await fieldErrorsOf('roster/save-consultation-type', { name: 'Mystery', kind: 'other', durationMinutes: 2, priceMinor: -1, specializationIds: [] }),
    ).toEqual({
      durationMinutes: ['At least 5 minutes.'],
      priceMinor: ['The price cannot be negative.'],
      specializationIds: ['Choose at least one specialization that offers it.'],
    });
  });
});

describe('doctors and their weekly hours', () => {
  let doctorId: string;
  const main = () => ids.location('Riverside Main');
  const hill = () => ids.location('Hillcrest Branch');

  it('creates a doctor with specializations, slot length and buffer', async () => {
    const seq = lastAuditSeq(app);
    doctorId = await newDoctor(app, admin, {
      title: 'Dr',
      givenName: 'Ngozi',
      familyName: 'Okonkwo',
      email: 'Ngozi@Riverside.example',
      specializationIds: [ids.specialization('Cardiology'), ids.specialization('General Practice')],
      slotMinutes: 20,
      bufferMinutes: 5,
    });
    const { doctor } = await callOk(app, 'roster/get-doctor', { doctorId }, admin);
    expect(doctor).toMatchObject({ name: 'Dr Ngozi Okonkwo', email: 'ngozi@riverside.example', slotMinutes: 20, bufferMinutes: 5, active: true });
    expect(doctor.specializationIds.sort()).toEqual([ids.specialization('Cardiology'), ids.specialization('General Practice')].sort());
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'roster/save-doctor', outcome: 'ok', record_type: 'doctor', record_id: doctorId }]);
  });

  it('gives a field error for an unknown specialization and writes nothing', async () => {
    expect(await fieldErrorsOf('roster/save-doctor', { givenName: 'No', familyName: 'Body', specializationIds: ['astrology'] })).toEqual({
      specializationIds: ['Unknown specialization: astrology.'],
    });
    expect(await fieldErrorsOf('roster/save-doctor', { givenName: '', familyName: 'Body', slotMinutes: 3 })).toEqual({
      givenName: ['Given name is required.'],
      slotMinutes: ['At least 5 minutes.'],
    });
  });

  it('saves weekly hours at two locations, several intervals a day', async () => {
    const hours = [
      { locationId: main(), weekday: 1, startMinute: minutes('08:00'), endMinute: minutes('12:00') },
      { locationId: hill(), weekday: 1, startMinute: minutes('13:00'), endMinute: minutes('17:00') },
      { locationId: main(), weekday: 4, startMinute: minutes('09:00'), endMinute: minutes('24:00') },
    ];
    const out = await callOk(app, 'roster/set-weekly-hours', { doctorId, hours }, admin);
    expect(out).toEqual({ id: doctorId, affected: [] });
    const saved = await callOk(app, 'roster/get-doctor', { doctorId }, admin);
    expect(saved.hours.map(({ id: _id, ...h }) => h)).toEqual(hours);
    expect(saved.doctor.locationIds.sort()).toEqual([main(), hill()].sort());
  });

  it('refuses overlapping intervals (also across locations), an end before its start and times outside the day; writes nothing', async () => {
    const errors = await fieldErrorsOf('roster/set-weekly-hours', {
      doctorId,
      hours: [
        { locationId: main(), weekday: 2, startMinute: minutes('09:00'), endMinute: minutes('12:00') },
        { locationId: main(), weekday: 2, startMinute: minutes('11:30'), endMinute: minutes('14:00') },
        { locationId: hill(), weekday: 2, startMinute: minutes('13:00'), endMinute: minutes('15:00') },
        { locationId: main(), weekday: 3, startMinute: minutes('17:00'), endMinute: minutes('09:00') },
      ],
    });
    expect(errors).toEqual({
      'hours.1.startMinute': ['Overlaps Tuesday 09:00–12:00.'],
      'hours.3.endMinute': ['The end must be after the start.'],
    });
    // Across locations the clash is judged on real instants (the zones may differ), once the intervals are well formed.
    expect(
      await fieldErrorsOf('roster/set-weekly-hours', {
        doctorId,
        hours: [
          { locationId: main(), weekday: 2, startMinute: minutes('11:30'), endMinute: minutes('14:00') },
          { locationId: hill(), weekday: 2, startMinute: minutes('13:00'), endMinute: minutes('15:00') },
        ],
      }),
    ).toEqual({
      'hours.1.startMinute': ['Tuesday 13:00–15:00 at Hillcrest Branch (New York) overlaps Tuesday 11:30–14:00 at Riverside Main (New York): a doctor cannot be in two places at once.'],
    });
    expect(
      await fieldErrorsOf('roster/set-weekly-hours', { doctorId, hours: [{ locationId: main(), weekday: 2, startMinute: 600, endMinute: 2100 }] }),
    ).toEqual({ 'hours.0.endMinute': ['Hours can last at most 24 hours.'] });
    expect(
      await fieldErrorsOf('roster/set-weekly-hours', { doctorId, hours: [{ locationId: 'nowhere', weekday: 2, startMinute: 600, endMinute: 700 }] }),
    ).toEqual({ 'hours.0.locationId': ['Unknown location.'] });
    expect((await callOk(app, 'roster/get-doctor', { doctorId }, admin)).hours).toHaveLength(3);
  });

  it('adds time off for a range of days and extra hours, and shows them in the week view', async () => {
    const off = await callOk(app, 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-03-19', dateTo: '2026-03-20', reason: 'Conference' }, admin);
    expect(off.ids).toHaveLength(2);
    await callOk(app, 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-03-21', startMinute: minutes('10:00'), endMinute: minutes('14:00'), locationId: hill() }, admin);
    const week = await callOk(app, 'roster/doctor-week', { doctorId, weekOf: '2026-03-18' }, admin);
    expect(week.weekStart).toBe('2026-03-16');
    expect(week.days.map((d) => d.date)).toEqual(['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']);
    const [mon, , , thu, fri, sat] = week.days;
    expect(mon!.hours.map((h) => [h.locationName, h.startMinute, h.endMinute, h.source])).toEqual([
      ['Riverside Main', 480, 720, 'weekly'],
      ['Hillcrest Branch', 780, 1020, 'weekly'],
    ]);
    expect(thu!.timeOff).toMatchObject([{ startMinute: 0, endMinute: 1440, reason: 'Conference', locationName: null }]);
    expect(fri!.timeOff).toHaveLength(1);
    expect(sat!.hours).toMatchObject([{ locationName: 'Hillcrest Branch', startMinute: 600, endMinute: 840, source: 'extra' }]);
    const listed = await callOk(app, 'roster/get-doctor', { doctorId }, admin);
    expect(listed.exceptions.map((e) => [e.kind, e.date])).toEqual([
      ['time_off', '2026-03-19'],
      ['time_off', '2026-03-20'],
      ['extra_hours', '2026-03-21'],
    ]);
  });

  it('gives field errors for bad exceptions: no location for extra hours, end before start, a past date, two places at once', async () => {
    expect(await fieldErrorsOf('roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-03-21', startMinute: 600, endMinute: 540 })).toEqual({
      endMinute: ['The end must be after the start.'],
      locationId: ['Extra hours need a location.'],
    });
    expect(await fieldErrorsOf('roster/add-exception', { doctorId, kind: 'time_off', date: '2026-03-10' })).toEqual({ date: ['The date is in the past.'] });
    // Monday 2026-03-23: weekly hours at Riverside Main 08:00–12:00; extra hours at Hillcrest 11:00–13:00 collide.
    expect(
      await fieldErrorsOf('roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-03-23', startMinute: minutes('11:00'), endMinute: minutes('13:00'), locationId: hill() }),
    ).toEqual({ startMinute: ['Overlaps the weekly hours Monday 08:00–12:00 at Riverside Main (New York): a doctor cannot be in two places at once.'] });
  });

  it('removes an exception', async () => {
    const { exceptions } = await callOk(app, 'roster/get-doctor', { doctorId }, admin);
    await callOk(app, 'roster/remove-exception', { exceptionId: exceptions[0]!.id }, admin);
    expect((await callOk(app, 'roster/get-doctor', { doctorId }, admin)).exceptions).toHaveLength(exceptions.length - 1);
    await callErr(app, 'roster/remove-exception', { exceptionId: exceptions[0]!.id }, admin, 'common/not-found');
  });
});
