import { envelopesAfter, lastEventSeq } from '../helpers/events.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditRowsAfter, callErr, callOk, DEMO, demoApp, lastAuditSeq, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';
import { appointmentRow, demoPatient, demoRoster, insertBooking, minutes, newDoctor, type Booking } from '../helpers/roster.js';

// The fake clock says Wednesday 2026-03-11, 11:00 in New York. Next Monday is 2026-03-16.
let app: TestApp;
let admin: string;
let ids: Awaited<ReturnType<typeof demoRoster>>;
let doctorId: string;
let main: string;
let hill: string;
let typeId: string;
let patient: { id: string; name: string };

const mondayHours = (start: string, end: string, locationId = main) => [{ locationId, weekday: 1, startMinute: minutes(start), endMinute: minutes(end) }];
const book = (date: string, time: string, status = 'booked', locationId = main): Booking =>
  insertBooking(app, { patientId: patient.id, doctorId, locationId, typeId, date, time, status });

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  ids = await demoRoster(app, admin);
  main = ids.location('Riverside Main');
  hill = ids.location('Hillcrest Branch');
  typeId = ids.type('General consultation');
  patient = demoPatient(app, 5);
});
afterAll(async () => {
  await app.dispose();
});

let monday: Booking;
beforeEach(async () => {
  // A fresh doctor each time: Mondays 09:00–12:00 at Riverside Main, one booking next Monday at 10:00.
  doctorId = await newDoctor(app, admin, { givenName: 'Rosa', familyName: 'Lindqvist' });
  await callOk(app, 'roster/set-weekly-hours', { doctorId, hours: mondayHours('09:00', '12:00') }, admin);
  monday = book('2026-03-16', '10:00');
});

describe('a change to hours that collides with bookings', () => {
  it('lists the affected appointments before anything is saved, and saves nothing', async () => {
    book('2026-03-16', '11:00', 'cancelled'); // cancelled: not affected
    book('2026-03-09', '10:00', 'completed'); // in the past: not affected
    const before = tableCounts(app);
    const seq = lastAuditSeq(app);

    const error = await callErr(app, 'roster/set-weekly-hours', { doctorId, hours: mondayHours('13:00', '17:00') }, admin, 'roster/affects-bookings');

    expect(error.message).toBe('1 booked appointment would fall outside the doctor’s hours. It stays booked; contact the patient to rebook, and confirm to save anyway.');
    expect(error.details?.affected).toEqual([
      {
        id: monday.id,
        patientId: patient.id,
        patientName: patient.name,
        patientPhone: expect.stringMatching(/^\+1202555/),
        doctorName: 'Dr Rosa Lindqvist',
        startAt: '2026-03-16T14:00:00.000Z',
        endAt: '2026-03-16T14:30:00.000Z',
        localDate: '2026-03-16',
        localTime: '10:00',
        locationName: 'Riverside Main',
        status: 'booked',
        why: 'Outside working hours',
      },
    ]);
    expect(tableCounts(app)).toEqual({ ...before, audit_log: before.audit_log! + 1 });
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'roster/set-weekly-hours', outcome: 'error', detail: 'roster/affects-bookings' }]);
    const saved = await callOk(app, 'roster/get-doctor', { doctorId }, admin);
    expect(saved.hours).toMatchObject(mondayHours('09:00', '12:00'));
  });

  it('previews the same list without writing anything', async () => {
    const before = tableCounts(app);
    const preview = await callOk(app, 'roster/preview-change', { change: 'weekly-hours', doctorId, hours: mondayHours('13:00', '17:00') }, admin);
    expect(preview.affected.map((a) => a.id)).toEqual([monday.id]);
    expect(tableCounts(app)).toEqual(before);
  });

  it('refuses an acknowledgement that does not name exactly the affected bookings', async () => {
    const later = book('2026-03-23', '09:30');
    const error = await callErr(
      app,
      'roster/set-weekly-hours',
      { doctorId, hours: mondayHours('13:00', '17:00'), acknowledgeAffected: [monday.id] }, // a booking appeared since the preview
      admin,
      'roster/affects-bookings',
    );
    expect((error.details?.affected as Array<{ id: string }>).map((a) => a.id)).toEqual([monday.id, later.id]);
  });

  it('saves when acknowledged, keeps every booking exactly as it was, and audits what was kept', async () => {
    const rowBefore = appointmentRow(app, monday.id);
    const seq = lastAuditSeq(app);
    const eventSeq = lastEventSeq(app);
    const out = await callOk(app, 'roster/set-weekly-hours', { doctorId, hours: mondayHours('13:00', '17:00'), acknowledgeAffected: [monday.id] }, admin);
    expect(out.affected.map((a) => a.id)).toEqual([monday.id]);
    expect(appointmentRow(app, monday.id)).toEqual(rowBefore);
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'roster/set-weekly-hours', record_type: 'doctor', record_id: doctorId, outcome: 'ok', detail: `kept 1 booking(s) outside the new hours: ${monday.id}` },
      { handler: 'roster/set-weekly-hours', record_type: 'doctor', record_id: doctorId, outcome: 'ok', detail: null },
    ]);
    // The kept booking itself did not change: no envelope for it, only for the hours.
    expect(envelopesAfter(app, eventSeq).map((e) => e.entity)).not.toContain('appointment');
    expect(envelopesAfter(app, eventSeq).map((e) => e.entity)).toContain('doctor_hours');

    // A booking already outside the hours is not listed again by the next change.
    const next = await callOk(app, 'roster/preview-change', { change: 'weekly-hours', doctorId, hours: mondayHours('14:00', '17:00') }, admin);
    expect(next.affected).toEqual([]);
  });

  it('does not list bookings that still fit (or moves to another location that would not fit them)', async () => {
    expect((await callOk(app, 'roster/preview-change', { change: 'weekly-hours', doctorId, hours: mondayHours('08:00', '10:30') }, admin)).affected).toEqual([]);
    const moved = await callOk(app, 'roster/preview-change', { change: 'weekly-hours', doctorId, hours: mondayHours('09:00', '12:00', hill) }, admin);
    expect(moved.affected.map((a) => [a.id, a.why])).toEqual([[monday.id, 'Outside working hours']]);
  });
});

describe('time off and extra hours over bookings', () => {
  it('lists bookings inside new time off, and none for time off at another location', async () => {
    const error = await callErr(app, 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-03-16', reason: 'Sick' }, admin, 'roster/affects-bookings');
    expect((error.details?.affected as Array<{ id: string; why: string }>).map((a) => [a.id, a.why])).toEqual([[monday.id, 'Inside time off']]);
    expect((await callOk(app, 'roster/get-doctor', { doctorId }, admin)).exceptions).toEqual([]);

    const elsewhere = await callOk(app, 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-03-16', locationId: hill }, admin);
    expect(elsewhere.affected).toEqual([]);
    const partial = await callOk(app, 'roster/preview-change', { change: 'add-exception', doctorId, kind: 'time_off', date: '2026-03-16', startMinute: minutes('10:30'), endMinute: minutes('12:00') }, admin);
    expect(partial.affected).toEqual([]);
  });

  it('saves acknowledged time off and leaves the booking booked', async () => {
    const out = await callOk(app, 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-03-16', acknowledgeAffected: [monday.id] }, admin);
    expect(out.ids).toHaveLength(1);
    expect(appointmentRow(app, monday.id)).toMatchObject({ status: 'booked', start_at: monday.startAt, doctor_id: doctorId });
  });

  it('lists bookings held in extra hours before those hours are removed', async () => {
    const { ids: [extraId] } = await callOk(app, 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-03-21', startMinute: minutes('09:00'), endMinute: minutes('12:00'), locationId: main }, admin);
    const saturday = book('2026-03-21', '09:00');
    const error = await callErr(app, 'roster/remove-exception', { exceptionId: extraId }, admin, 'roster/affects-bookings');
    expect((error.details?.affected as Array<{ id: string }>).map((a) => a.id)).toEqual([saturday.id]);
    await callOk(app, 'roster/remove-exception', { exceptionId: extraId, acknowledgeAffected: [saturday.id] }, admin);
    expect(appointmentRow(app, saturday.id)).toMatchObject({ status: 'booked' });
  });
});

describe('doctor and location changes over bookings', () => {
  it('lists future bookings before a doctor is deactivated', async () => {
    const doctor = (await callOk(app, 'roster/get-doctor', { doctorId }, admin)).doctor;
    const input = { id: doctorId, givenName: doctor.givenName, familyName: doctor.familyName, active: false };
    const error = await callErr(app, 'roster/save-doctor', input, admin, 'roster/affects-bookings');
    expect((error.details?.affected as Array<{ why: string }>).map((a) => a.why)).toEqual(['The doctor would be inactive']);
    await callOk(app, 'roster/save-doctor', { ...input, acknowledgeAffected: [monday.id] }, admin);
    expect(appointmentRow(app, monday.id)).toMatchObject({ status: 'booked' });
    // Other changes to the doctor (a new name, slot length) never touch bookings.
    await callOk(app, 'roster/save-doctor', { ...input, familyName: 'Lindqvist-Berg', slotMinutes: 30 }, admin);
  });

  it('lists bookings at a location whose time zone changes (wall-clock hours move with it)', async () => {
    const { id: annex } = await callOk(app, 'roster/save-location', { name: `Annex ${doctorId.slice(0, 6)}`, timeZone: 'America/New_York' }, admin);
    await callOk(app, 'roster/set-weekly-hours', { doctorId, hours: [...mondayHours('09:00', '12:00'), ...mondayHours('13:00', '17:00', annex)] }, admin);
    const there = book('2026-03-16', '13:00', 'booked', annex);
    // (Lisbon would move its 13:00 onto the doctor's morning in New York: refused as two places at once.)
    const error = await callErr(app, 'roster/save-location', { id: annex, name: `Annex ${doctorId.slice(0, 6)}`, timeZone: 'America/Los_Angeles' }, admin, 'roster/affects-bookings');
    expect((error.details?.affected as Array<{ id: string }>).map((a) => a.id)).toEqual([there.id]);
  });
});
