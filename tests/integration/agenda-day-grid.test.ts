import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourMarks } from '../../src-main/core/agenda/day-grid.js';
import type { DayGrid } from '../../src-main/contract/index.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * agenda/day-grid (issue 12 item 11): the day view's data — a column per doctor working that
 * day, hours after time off, time off, appointments and free slots of one type; filters by
 * location and specialization; the clinic's day as real time on days clocks change.
 * The seeded clinic (tests/helpers/booking.ts) is in New York; now is Mon 1 June 2026 08:00.
 */
let clinic: Clinic;

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => clinic.dispose());

const col = (grid: DayGrid, id: string) => grid.doctors.find((d) => d.id === id);

describe('a normal day', () => {
  it('has a column per doctor working, hours after time off shaded and the time off shown', async () => {
    // Wednesday 3 June: Dr Grey is off 09:00–12:00 (a conference), Dr Diaz works at Main.
    const grid = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-03' });
    expect(grid.dayHours).toBe(24);
    expect(grid.timeZone).toBe('America/New_York');
    expect(grid.doctors.map((d) => d.id).sort()).toEqual([IDS.diaz, IDS.grey, IDS.stone].sort()); // Dr Old is inactive
    const grey = col(grid, IDS.grey)!;
    expect(grey.status).toBe('working');
    expect(grey.hours.map((h) => [clinic.wall(h.start), clinic.wall(h.end)])).toEqual([['2026-06-03 13:00', '2026-06-03 17:00']]);
    expect(grey.timeOff.map((h) => [clinic.wall(h.start), clinic.wall(h.end)])).toEqual([['2026-06-03 09:00', '2026-06-03 12:00']]);
    expect(grey.free.every((f) => f.localTime >= '13:00')).toBe(true);
    // The general consultation is a GP's: the cardiologist's column has no free slots of it.
    expect(col(grid, IDS.diaz)!.offersType).toBe(false);
    expect(col(grid, IDS.diaz)!.free).toEqual([]);
    expect(clinic.wall(grid.viewStart)).toBe('2026-06-03 09:00');
    expect(clinic.wall(grid.viewEnd)).toBe('2026-06-03 17:00');
    expect(grid.hourMarks.map((m) => m.label)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00']);
  });

  it('shows appointments with patient, type, status and payment, and their time is not free', async () => {
    const appt = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-04', time: '10:00' });
    const grid = await clinic.ok('deskB', 'agenda/day-grid', { date: '2026-06-04', consultationTypeId: IDS.general });
    const stone = col(grid, IDS.stone)!;
    expect(stone.appointments).toEqual([
      expect.objectContaining({ id: appt.id, localStart: '10:00', localEnd: '10:15', status: 'booked', paymentStatus: 'unpaid', consultationType: 'General consultation', patientName: 'Ada Booker0' }),
    ]);
    const free = stone.free.map((f) => f.localTime);
    // Dr Stone needs 10 minutes between visits (the engine's rule: a slot's time plus the buffer must be free).
    expect(free).toContain('09:30');
    expect(free).not.toContain('09:45');
    expect(free).not.toContain('10:00');
    expect(free).not.toContain('10:15'); // the buffer after the 10:00 visit
    expect(free).toContain('10:30');
    // A cancelled visit leaves the grid and frees its time.
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: appt.id, party: 'clinic', reason: 'test' });
    const after = col(await clinic.ok('deskB', 'agenda/day-grid', { date: '2026-06-04' }), IDS.stone)!;
    expect(after.appointments).toEqual([]);
    expect(after.free.map((f) => f.localTime)).toContain('10:00');
  });

  it('marks a doctor with time off all day as off, and lists doctors not working', async () => {
    clinic.app.raw
      .prepare(`INSERT INTO schedule_exception (id, doctor_id, location_id, kind, date, start_minute, end_minute, reason, created_at) VALUES ('ex-stone-off', ?, NULL, 'time_off', '2026-06-05', 0, 1440, 'Holiday', ?)`)
      .run(IDS.stone, clinic.clock.now().toISOString());
    const grid = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-05' });
    const stone = col(grid, IDS.stone)!;
    expect(stone.status).toBe('off');
    expect(stone.hours).toEqual([]);
    expect(stone.free).toEqual([]);
    expect(stone.timeOff.map((h) => [clinic.wall(h.start), clinic.wall(h.end)])).toEqual([['2026-06-05 09:00', '2026-06-05 17:00']]);
    // Friday: Dr Diaz does not work (Mon–Thu only).
    expect(col(grid, IDS.diaz)).toBeUndefined();
    expect(grid.notWorking.map((d) => d.id)).toEqual([IDS.diaz]);
    // Saturday: nobody works; the view is 08:00–18:00.
    const saturday = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-06' });
    expect(saturday.doctors).toEqual([]);
    expect([clinic.wall(saturday.viewStart), clinic.wall(saturday.viewEnd)]).toEqual(['2026-06-06 08:00', '2026-06-06 18:00']);
  });
});

describe('filters', () => {
  it('by location: only the doctors working there that day', async () => {
    // Tuesday 2 June: Dr Diaz is at the Annex, the GPs at Main.
    const annex = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-02', locationId: IDS.annex, consultationTypeId: IDS.cardiology });
    expect(annex.doctors.map((d) => d.id)).toEqual([IDS.diaz]);
    expect(annex.doctors[0]!.hours.every((h) => h.locationId === IDS.annex && h.locationName === 'Annex')).toBe(true);
    expect(annex.doctors[0]!.free.length).toBe(8); // 09:00–13:00 on a 30-minute grid
    expect(annex.notWorking.map((d) => d.id).sort()).toEqual([IDS.grey, IDS.stone].sort());
    const main = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-02', locationId: IDS.main });
    expect(main.doctors.map((d) => d.id).sort()).toEqual([IDS.grey, IDS.stone].sort());
  });

  it('by specialization', async () => {
    const cardio = await clinic.ok('deskA', 'agenda/day-grid', { date: '2026-06-03', specializationId: IDS.cardio });
    expect(cardio.doctors.map((d) => d.id)).toEqual([IDS.diaz]);
    expect(cardio.doctors[0]!.specializations).toEqual(['Cardiology']);
  });

  it('refuses unknown filters and dates with a plain field error, and reads nothing else', async () => {
    const loc = await clinic.err('deskA', 'agenda/day-grid', { locationId: 'nope' }, 'validation/invalid-input');
    expect(loc.fieldErrors?.locationId?.[0]).toBe('Choose a location from the list.');
    const spec = await clinic.err('deskA', 'agenda/day-grid', { specializationId: 'nope' }, 'validation/invalid-input');
    expect(spec.fieldErrors?.specializationId?.[0]).toBe('Choose a specialization from the list.');
    const type = await clinic.err('deskA', 'agenda/day-grid', { consultationTypeId: IDS.retired }, 'validation/invalid-input');
    expect(type.fieldErrors?.consultationTypeId?.[0]).toBe('Choose a consultation type from the list.');
    const date = await clinic.err('deskA', 'agenda/day-grid', { date: '2026-02-30' }, 'validation/invalid-input');
    expect(date.fieldErrors?.date).toBeDefined();
    await clinic.err('deskA', 'agenda/day-grid', { date: '2026-06-03', locationId: '\ud800' }, 'validation/invalid-input');
  });

  it('is for staff only', async () => {
    const outcome = await clinic.app.dispatch('agenda/day-grid', {}, { patientToken: clinic.patients[0]!.accessToken });
    expect(outcome.result.ok).toBe(false);
    const anonymous = await clinic.app.dispatch('agenda/day-grid', {}, {});
    expect(anonymous.result.ok).toBe(false);
  });
});

describe('days when clocks change (New York)', () => {
  let dst: Clinic;
  beforeAll(async () => {
    dst = await openClinic({ now: '2026-03-02T00:00:00.000Z', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    await dst.ok('admin', 'settings/update', { horizonDays: 365 });
  });
  afterAll(async () => dst.dispose());

  it('the day clocks go back has 25 hours; 09:00 is still 09:00 and 01:00 comes twice', async () => {
    const appt = await dst.book('deskA', { doctorId: IDS.grey, date: '2026-11-01', time: '09:00' });
    const grid = await dst.ok('deskA', 'agenda/day-grid', { date: '2026-11-01' });
    expect(grid.dayHours).toBe(25);
    expect(grid.dayStart).toBe('2026-11-01T04:00:00.000Z');
    expect(grid.dayEnd).toBe('2026-11-02T05:00:00.000Z');
    const grey = col(grid, IDS.grey)!;
    expect(grey.hours.map((h) => h.start)).toEqual(['2026-11-01T14:00:00.000Z', '2026-11-01T18:00:00.000Z']); // 09:00 and 13:00 EST
    expect(grey.appointments[0]).toMatchObject({ id: appt.id, startAt: '2026-11-01T14:00:00.000Z', localStart: '09:00' });
    expect(grey.free[0]).toMatchObject({ localTime: '09:15', startAt: '2026-11-01T14:15:00.000Z' });
    const labels = hourMarks(Date.parse(grid.dayStart), Date.parse(grid.dayEnd) - 1, grid.timeZone).map((m) => m.label);
    expect(labels.slice(0, 4)).toEqual(['00:00', '01:00 (first)', '01:00 (second)', '02:00']);
    expect(labels).toHaveLength(25);
  });

  it('the day clocks go forward has 23 hours and no 02:00', async () => {
    const grid = await dst.ok('deskA', 'agenda/day-grid', { date: '2026-03-08' });
    expect(grid.dayHours).toBe(23);
    expect(col(grid, IDS.stone)!.hours).toEqual([{ start: '2026-03-08T13:00:00.000Z', end: '2026-03-08T21:00:00.000Z', locationId: IDS.main, locationName: 'Main Street' }]); // 09:00–17:00 EDT
    const labels = hourMarks(Date.parse(grid.dayStart), Date.parse(grid.dayEnd) - 1, grid.timeZone).map((m) => m.label);
    expect(labels.slice(0, 3)).toEqual(['00:00', '01:00', '03:00']);
    expect(labels).toHaveLength(23);
  });
});
