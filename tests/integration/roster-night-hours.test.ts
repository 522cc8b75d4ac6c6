/**
 * Night hours (issue 8, item 10): an interval that crosses midnight is one interval, and a
 * visit may span local midnight when the doctor works straight through — one overnight
 * interval, or 22:00–24:00 plus 00:00–02:00 the next day at the same location. The
 * appointment belongs to the local day it starts on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

let clinic: Clinic;
const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

beforeAll(async () => {
  clinic = await openClinic(); // now: Monday 1 June 2026, 08:00 in New York
});
afterAll(async () => {
  await clinic.dispose();
});

const newDoctor = async () =>
  (await clinic.ok('admin', 'roster/save-doctor', { givenName: 'Nox', familyName: `Night${Math.random().toString(36).slice(2, 6)}`, specializationIds: [IDS.gp], slotMinutes: 30 })).id;

const slotsOn = async (doctorId: string, date: string, typeId: string = IDS.extended) =>
  (await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: typeId, doctorId, preferredDate: date, preferredTime: '23:00', days: 2, limit: 100 })).slots.map(
    (s) => `${s.localDate} ${s.localTime}`,
  );

describe('night hours in weekly hours', () => {
  it('saves 22:00–02:00 as one interval (the end on the next day’s clock), and offers and books 23:30–00:30', async () => {
    const doctorId = await newDoctor();
    // Tuesday night: 22:00 Tuesday to 02:00 Wednesday, stored as 1320–1560.
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [{ locationId: IDS.main, weekday: 2, startMinute: m('22:00'), endMinute: 1560 }] });
    expect((await clinic.ok('admin', 'roster/get-doctor', { doctorId })).hours).toMatchObject([{ weekday: 2, startMinute: 1320, endMinute: 1560 }]);

    // A 30-minute visit on a 30-minute grid: 22:00 … 01:30, the ones after midnight on Wednesday.
    expect(await slotsOn(doctorId, '2026-06-02')).toEqual([
      '2026-06-02 22:00',
      '2026-06-02 22:30',
      '2026-06-02 23:00',
      '2026-06-02 23:30',
      '2026-06-03 00:00',
      '2026-06-03 00:30',
      '2026-06-03 01:00',
      '2026-06-03 01:30',
    ]);
    // 60 minutes from 23:30 crosses midnight: offered, and bookable.
    const hour = (await clinic.ok('admin', 'roster/save-consultation-type', { name: 'Night hour', kind: 'general', durationMinutes: 60, priceMinor: 1000, specializationIds: [IDS.gp] })).id;
    expect(await slotsOn(doctorId, '2026-06-02', hour)).toContain('2026-06-02 23:30');
    const booked = await clinic.book('deskA', { doctorId, consultationTypeId: hour, date: '2026-06-02', time: '23:30' });
    expect(booked).toMatchObject({ localDate: '2026-06-02', localStart: '23:30', localEnd: '00:30' });
    expect(clinic.row(booked.id)).toMatchObject({ start_at: '2026-06-03T03:30:00.000Z', end_at: '2026-06-03T04:30:00.000Z', status: 'booked' });
    expect(clinic.overlaps()).toEqual([]);
    // The database's overlap trigger still refuses a second booking over the part after midnight.
    expect(() =>
      clinic.app.raw
        .prepare(
          `INSERT INTO appointment (id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at, status, created_at, created_by_kind, updated_at)
           VALUES ('x-night', ?, ?, ?, ?, '2026-06-03T04:00:00.000Z', '2026-06-03T04:30:00.000Z', '2026-06-03T04:30:00.000Z', 'booked', '2026-06-01T00:00:00.000Z', 'system', '2026-06-01T00:00:00.000Z')`,
        )
        .run(clinic.patients[1]!.patientId, doctorId, IDS.main, IDS.extended),
    ).toThrow(/booking\/slot-taken/);

    // It belongs to the day it starts on: Tuesday's agenda and week view, not Wednesday's.
    const tuesday = await clinic.ok('deskA', 'agenda/day', { date: '2026-06-02', doctorId });
    const wednesday = await clinic.ok('deskA', 'agenda/day', { date: '2026-06-03', doctorId });
    expect(tuesday.items.map((i) => `${i.localStart}–${i.localEnd}`)).toEqual(['23:30–00:30']);
    expect(wednesday.items).toEqual([]);
    const week = await clinic.ok('deskA', 'roster/doctor-week', { doctorId, weekOf: '2026-06-02' });
    const [, tue, wed] = week.days;
    expect(tue!.hours).toMatchObject([{ startMinute: 1320, endMinute: 1560, source: 'weekly' }]);
    expect(tue!.bookings).toMatchObject([{ id: booked.id, localStart: '23:30', localEnd: '00:30', startMinute: 1410, endMinute: 1470 }]);
    expect(wed!.bookings).toEqual([]);

    // Taking the night hours away lists the booking that crosses midnight.
    const preview = await clinic.ok('admin', 'roster/preview-change', { change: 'weekly-hours', doctorId, hours: [{ locationId: IDS.main, weekday: 2, startMinute: m('22:00'), endMinute: 1440 }] });
    expect(preview.affected.map((a) => [a.id, a.why])).toEqual([[booked.id, 'Outside working hours']]);
  });

  it('lets a visit run through midnight when the hours are split as 22:00–24:00 and 00:00–02:00 the next day', async () => {
    const doctorId = await newDoctor();
    await clinic.ok('admin', 'roster/set-weekly-hours', {
      doctorId,
      hours: [
        { locationId: IDS.main, weekday: 2, startMinute: m('22:00'), endMinute: 1440 },
        { locationId: IDS.main, weekday: 3, startMinute: 0, endMinute: m('02:00') },
      ],
    });
    const hour = (await clinic.ok('admin', 'roster/save-consultation-type', { name: 'Split night hour', kind: 'general', durationMinutes: 60, priceMinor: 1000, specializationIds: [IDS.gp] })).id;
    expect(await slotsOn(doctorId, '2026-06-02', hour)).toEqual(['2026-06-02 22:00', '2026-06-02 22:30', '2026-06-02 23:00', '2026-06-02 23:30', '2026-06-03 00:00', '2026-06-03 00:30', '2026-06-03 01:00']);
    await clinic.book('deskB', { patient: 1, doctorId, consultationTypeId: hour, date: '2026-06-02', time: '23:30' });
    // Not at another location: 00:00–02:00 at the Annex is not straight through.
    const other = await newDoctor();
    await clinic.ok('admin', 'roster/set-weekly-hours', {
      doctorId: other,
      hours: [
        { locationId: IDS.main, weekday: 2, startMinute: m('22:00'), endMinute: 1440 },
        { locationId: IDS.annex, weekday: 3, startMinute: 0, endMinute: m('02:00') },
      ],
    });
    expect(await slotsOn(other, '2026-06-02', hour)).not.toContain('2026-06-02 23:30');
    await clinic.err('deskA', 'booking/create', { patientId: clinic.patients[2]!.patientId, doctorId: other, consultationTypeId: hour, startAt: clinic.at('2026-06-02', '23:30') }, 'booking/outside-hours');
  });

  it('refuses night hours that overlap the next morning, and intervals longer than a day', async () => {
    const doctorId = await newDoctor();
    const error = await clinic.err('admin', 'roster/set-weekly-hours', {
      doctorId,
      hours: [
        { locationId: IDS.main, weekday: 7, startMinute: m('22:00'), endMinute: 1560 },
        { locationId: IDS.main, weekday: 1, startMinute: m('01:00'), endMinute: m('09:00') },
        { locationId: IDS.main, weekday: 3, startMinute: m('09:00'), endMinute: m('09:00') + 1441 },
      ],
    }, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({
      'hours.1.startMinute': ['Overlaps Sunday 22:00–Monday 02:00.'],
      'hours.2.endMinute': ['Hours can last at most 24 hours.'],
    });
  });
});

describe('night hours in extra hours and time off', () => {
  it('adds overnight extra hours and overnight time off, each on the date it starts', async () => {
    const doctorId = await newDoctor();
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-05', startMinute: m('21:00'), endMinute: 1440 + m('03:00'), locationId: IDS.main });
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-06-05', startMinute: m('23:30'), endMinute: 1440 + m('01:00'), reason: 'Break' });
    expect(await slotsOn(doctorId, '2026-06-05')).toEqual([
      '2026-06-05 21:00',
      '2026-06-05 21:30',
      '2026-06-05 22:00',
      '2026-06-05 22:30',
      '2026-06-05 23:00',
      '2026-06-06 01:00',
      '2026-06-06 01:30',
      '2026-06-06 02:00',
      '2026-06-06 02:30',
    ]);
    const week = await clinic.ok('deskA', 'roster/doctor-week', { doctorId, weekOf: '2026-06-05' });
    const fri = week.days.find((d) => d.date === '2026-06-05')!;
    expect(fri.hours).toMatchObject([{ startMinute: m('21:00'), endMinute: 1440 + m('03:00'), source: 'extra' }]);
    expect(fri.timeOff).toMatchObject([{ startMinute: m('23:30'), endMinute: 1440 + m('01:00') }]);
    // A start at 24:00 or an interval longer than a day is refused, and nothing is written.
    const before = clinic.dataCounts();
    const error = await clinic.err('admin', 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-06', startMinute: 1440, endMinute: 1500, locationId: IDS.main }, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ startMinute: ['Hours start before 24:00.'] });
    const tooLong = await clinic.err('admin', 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-06-06', startMinute: 60, endMinute: 1560 }, 'validation/invalid-input');
    expect(tooLong.fieldErrors).toEqual({ endMinute: ['Hours can last at most 24 hours.'] });
    expect(clinic.dataCounts()).toEqual(before);
  });
});
