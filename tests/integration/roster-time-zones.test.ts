/**
 * A doctor cannot be in two places at once, judged on real instants: locations may lie in
 * different time zones (issue 8, item 7). New York and Chicago are an hour apart, except in
 * the hour between their clocks changing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

let clinic: Clinic;
let chicago: string;
const NY = IDS.main; // Main Street, America/New_York (the clinic's zone)
const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const h = (locationId: string, weekday: number, from: string, to: string) => ({ locationId, weekday, startMinute: m(from), endMinute: m(to) });

beforeAll(async () => {
  clinic = await openClinic(); // now: Monday 1 June 2026, 08:00 in New York
  await clinic.ok('admin', 'roster/save-location', { id: IDS.main, name: 'Downtown', address: '1 Main St', timeZone: 'America/New_York' });
  chicago = (await clinic.ok('admin', 'roster/save-location', { name: 'Lakeside', address: '9 Lake Shore Dr', timeZone: 'America/Chicago' })).id;
});
afterAll(async () => {
  await clinic.dispose();
});

const newDoctor = async () =>
  (await clinic.ok('admin', 'roster/save-doctor', { givenName: 'Tess', familyName: `Zone${Math.random().toString(36).slice(2, 6)}`, specializationIds: [IDS.gp], slotMinutes: 30 })).id;

/** Field errors of a refused call (and that it wrote nothing but its audit row). */
async function refused(name: string, input: unknown): Promise<Record<string, string[]>> {
  const before = clinic.dataCounts();
  const error = await clinic.err('admin', name, input, 'validation/invalid-input');
  expect(clinic.dataCounts()).toEqual(before);
  return error.fieldErrors ?? {};
}

describe('weekly hours at locations in different time zones', () => {
  it('refuses New York 13:00–15:00 and Chicago 12:00–13:00 on the same day (the same real hour), naming the clash in plain words', async () => {
    const doctorId = await newDoctor();
    expect(await refused('roster/set-weekly-hours', { doctorId, hours: [h(NY, 2, '13:00', '15:00'), h(chicago, 2, '12:00', '13:00')] })).toEqual({
      'hours.1.startMinute': [
        'Tuesday 12:00–13:00 at Lakeside (Chicago) overlaps Tuesday 13:00–15:00 at Downtown (New York), which is 12:00–14:00 Chicago time: a doctor cannot be in two places at once.',
      ],
    });
    expect(await refused('roster/set-weekly-hours', { doctorId, hours: [h(chicago, 2, '12:00', '13:00'), h(NY, 2, '13:00', '15:00')] })).toEqual({
      'hours.1.startMinute': [
        'Tuesday 13:00–15:00 at Downtown (New York) overlaps Tuesday 12:00–13:00 at Lakeside (Chicago), which is 13:00–14:00 New York time: a doctor cannot be in two places at once.',
      ],
    });
    expect((await clinic.ok('admin', 'roster/get-doctor', { doctorId })).hours).toEqual([]);
  });

  it('accepts hours that overlap on the wall clock but not in real time, and slot search never offers one instant twice', async () => {
    const doctorId = await newDoctor();
    // New York 10:00–12:00, then Chicago 11:00–12:00 = 12:00–13:00 New York: straight after, no overlap.
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [h(NY, 2, '10:00', '12:00'), h(chicago, 2, '11:00', '12:00')] });
    const { slots } = await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId, preferredDate: '2026-06-02', days: 1, limit: 100 });
    const starts = slots.map((s) => s.startAt);
    expect(new Set(starts).size).toBe(starts.length);
    expect(slots.map((s) => `${s.locationName} ${s.localTime}`)).toEqual([
      'Downtown 10:00',
      'Downtown 10:30',
      'Downtown 11:00',
      'Downtown 11:30',
      'Lakeside 11:00',
      'Lakeside 11:30',
    ]);
  });

  it('finds a clash that happens only in the hour between New York and Chicago changing their clocks, and names that date', async () => {
    const doctorId = await newDoctor();
    // Sundays: New York 03:00–04:00 is Chicago 02:00–03:00, except on the night clocks spring forward
    // (14 March 2027): New York changes an hour before Chicago, and 03:00 EDT is 01:00 CST
    // (04:00 EDT is 03:00 CDT: Chicago's 02:00–03:00 does not exist that night).
    const errors = await refused('roster/set-weekly-hours', { doctorId, hours: [h(NY, 7, '03:00', '04:00'), h(chicago, 7, '01:00', '02:00')] });
    expect(errors).toEqual({
      'hours.1.startMinute': [
        'Sunday 01:00–02:00 at Lakeside (Chicago) overlaps Sunday 03:00–04:00 at Downtown (New York), which is 01:00–03:00 Chicago time on Sunday 14 March 2027 (around a daylight-saving change): a doctor cannot be in two places at once.',
      ],
    });
  });

  it('refuses weekly hours over extra hours already given at another location', async () => {
    const doctorId = await newDoctor();
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-09', startMinute: m('12:00'), endMinute: m('13:00'), locationId: chicago });
    expect(await refused('roster/set-weekly-hours', { doctorId, hours: [h(NY, 2, '13:00', '15:00')] })).toEqual({
      'hours.0.startMinute': [
        'Tuesday 13:00–15:00 at Downtown (New York) overlaps the extra hours of 2026-06-09, 12:00–13:00 at Lakeside (Chicago): a doctor cannot be in two places at once. Remove those extra hours first.',
      ],
    });
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [h(NY, 2, '14:00', '15:00')] });
  });
});

describe('extra hours against weekly hours in another time zone', () => {
  it('refuses extra hours in Chicago during the weekly hours in New York, and accepts them an hour later', async () => {
    const doctorId = await newDoctor();
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [h(NY, 2, '13:00', '15:00')] });
    expect(await refused('roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-09', startMinute: m('12:00'), endMinute: m('13:00'), locationId: chicago })).toEqual({
      startMinute: ['Overlaps the weekly hours Tuesday 13:00–15:00 at Downtown (New York), which is 12:00–14:00 Chicago time: a doctor cannot be in two places at once.'],
    });
    // 14:00–15:00 Chicago is 15:00–16:00 New York: after the weekly hours (refused before, on the wall clock).
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-09', startMinute: m('14:00'), endMinute: m('15:00'), locationId: chicago });
    expect(await refused('roster/add-exception', { doctorId, kind: 'extra_hours', date: '2026-06-09', startMinute: m('15:30'), endMinute: m('16:30'), locationId: NY })).toEqual({
      startMinute: ['Overlaps extra hours 14:00–15:00 at Lakeside (Chicago) that day, which is 15:00–16:00 New York time.'],
    });
  });
});

describe('time off across time zones', () => {
  it('reads time off for every location in the clinic’s time zone, and time off at one location in its own', async () => {
    const doctorId = await newDoctor();
    // Wednesdays: New York 09:00–12:00, then Chicago 12:00–15:00 (13:00–16:00 New York).
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [h(NY, 3, '09:00', '12:00'), h(chicago, 3, '12:00', '15:00')] });
    // A dentist's appointment 13:00–14:00 New York time (the clinic's zone) = 12:00–13:00 in Chicago.
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-06-03', startMinute: m('13:00'), endMinute: m('14:00'), reason: 'Dentist' });
    // And at Chicago only, 14:30–15:00 Chicago time.
    await clinic.ok('admin', 'roster/add-exception', { doctorId, kind: 'time_off', date: '2026-06-03', startMinute: m('14:30'), endMinute: m('15:00'), locationId: chicago });
    const { slots } = await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId, locationId: chicago, preferredDate: '2026-06-03', days: 1, limit: 100 });
    expect(slots.filter((s) => s.locationId === chicago).map((s) => s.localTime)).toEqual(['13:00', '13:30', '14:00']);
    expect(slots.filter((s) => s.locationId === NY).map((s) => s.localTime)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    // Booking inside the time off is refused as time off.
    await clinic.err('deskA', 'booking/create', { patientId: clinic.patients[0]!.patientId, doctorId, consultationTypeId: IDS.general, startAt: '2026-06-03T17:00:00.000Z' }, 'booking/time-off');
  });
});

describe('changing a location’s time zone', () => {
  it('is refused when a doctor would then be in two places at once, naming the doctor and the clash', async () => {
    const doctorId = await newDoctor();
    const west = (await clinic.ok('admin', 'roster/save-location', { name: 'Westside', address: '5 West Rd', timeZone: 'America/New_York' })).id;
    // Thursdays: Downtown 09:00–12:00, Westside 12:00–14:00 (both New York time).
    await clinic.ok('admin', 'roster/set-weekly-hours', { doctorId, hours: [h(NY, 4, '09:00', '12:00'), h(west, 4, '12:00', '14:00')] });
    const { doctor } = await clinic.ok('admin', 'roster/get-doctor', { doctorId });
    // Moving Westside to Chicago time would make its 12:00 New York's 13:00: fine. To Halifax time, its 12:00 is 11:00 in New York: a clash.
    await clinic.ok('admin', 'roster/save-location', { id: west, name: 'Westside', address: '5 West Rd', timeZone: 'America/Chicago' });
    expect(await refused('roster/save-location', { id: west, name: 'Westside', address: '5 West Rd', timeZone: 'America/Halifax' })).toEqual({
      timeZone: [
        `In this time zone, ${doctor.name}: Thursday 12:00–14:00 at Westside (Halifax) overlaps Thursday 09:00–12:00 at Downtown (New York), which is 10:00–13:00 Halifax time: a doctor cannot be in two places at once.`,
      ],
    });
  });
});
