import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alternativesOf, IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * No double booking: the second booking of a slot is refused with the nearest free
 * alternatives; a doctor's buffer blocks the neighbouring slots; and the database itself
 * (its triggers) refuses an overlapping row written behind the service's back.
 * Now is Monday 1 June 2026, 08:00 New York.
 */
let clinic: Clinic;
const DAY = '2026-06-02';

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

const request = (patient: number, time: string, doctorId: string = IDS.grey, date = DAY) => ({
  patientId: clinic.patients[patient]!.patientId,
  doctorId,
  consultationTypeId: IDS.general,
  startAt: clinic.at(date, time),
});

describe('booking the same slot twice', () => {
  it('the second booking gets booking/slot-taken, nothing is written, and the alternatives are free and nearest first', async () => {
    await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date: DAY, time: '09:00' });
    await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: DAY, time: '09:15' }); // the next slot is taken too
    const before = clinic.dataCounts();

    const error = await clinic.err('deskB', 'booking/create', request(2, '09:00'), 'booking/slot-taken');
    expect(clinic.dataCounts()).toEqual(before);
    expect(error.fieldErrors).toEqual({ startAt: ['That time is already taken.'] });

    const alternatives = alternativesOf(error);
    expect(alternatives.length).toBeGreaterThan(0);
    // The same doctor first, in time order, starting with the nearest free slot after the taken one...
    const same = alternatives.filter((a) => a.doctorId === IDS.grey);
    expect(alternatives.slice(0, same.length)).toEqual(same);
    expect(same.map((a) => `${a.localDate} ${a.localTime}`)).toEqual([`${DAY} 09:30`, `${DAY} 09:45`, `${DAY} 10:00`, `${DAY} 10:15`, `${DAY} 10:30`]);
    // ...then colleagues who offer the type (Dr Stone is free at 09:00).
    expect(alternatives.slice(same.length).map((a) => [a.doctorId, a.localTime])).toEqual([[IDS.stone, '09:00']]);
    // Each comes with names, and each is really free: desk B can hold every one of them.
    let holdId = '';
    for (const a of alternatives) {
      expect(a).toMatchObject({ doctorName: expect.stringMatching(/^Dr /), locationName: 'Main Street' });
      ({ holdId } = await clinic.ok('deskB', 'booking/hold', { doctorId: a.doctorId, consultationTypeId: IDS.general, startAt: a.startAt }));
    }
    await clinic.ok('deskB', 'booking/release-hold', { holdId });
    expect(clinic.dataCounts().appointment_hold).toBe(0);
  });

  it('is refused for the same desk and the same patient too (a retry without an idempotency key)', async () => {
    await clinic.err('deskA', 'booking/create', request(0, '09:00'), 'booking/slot-taken');
  });

  it('refuses a longer type that would overlap a booking (30 minutes at 10:00 against 10:15), while touching slots are fine', async () => {
    await clinic.book('deskA', { patient: 3, doctorId: IDS.grey, date: DAY, time: '10:15' });
    // 10:00–10:30 would overlap 10:15–10:30.
    const error = await clinic.err('deskB', 'booking/create', { ...request(2, '10:00'), consultationTypeId: IDS.extended }, 'booking/slot-taken');
    expect(alternativesOf(error).every((a) => Date.parse(a.startAt) >= Date.parse(clinic.at(DAY, '10:00')))).toBe(true);
    // The 15-minute slot before it touches but does not overlap: half-open intervals.
    await clinic.book('deskB', { patient: 2, doctorId: IDS.grey, date: DAY, time: '10:00' });
    await clinic.book('deskB', { patient: 2, doctorId: IDS.grey, date: DAY, time: '10:30' });
  });

  it('accepts an instant written with an offset and stores it as UTC; the same instant in UTC is then taken', async () => {
    const { appointment } = await clinic.ok('deskA', 'booking/create', { ...request(4, '11:00'), startAt: `${DAY}T11:00:00-04:00` });
    expect(appointment.startAt).toBe(`${DAY}T15:00:00.000Z`);
    expect(appointment.localStart).toBe('11:00');
    await clinic.err('deskB', 'booking/create', { ...request(5, '11:00'), startAt: `${DAY}T15:00:00Z` }, 'booking/slot-taken');
  });

  it('an idempotent retry returns the first booking and writes no second row', async () => {
    const input = { ...request(5, '11:30'), idempotencyKey: 'desk-b-retry-000001' };
    const first = await clinic.ok('deskB', 'booking/create', input);
    const count = clinic.appointmentCount();
    const again = await clinic.ok('deskB', 'booking/create', input);
    expect(again.appointment.id).toBe(first.appointment.id);
    expect(clinic.appointmentCount()).toBe(count);
  });
});

describe('a doctor’s buffer', () => {
  it('blocks the slot right after a booking and the slot right before another (Dr Stone, 10 minutes)', async () => {
    const first = await clinic.book('deskA', { patient: 3, doctorId: IDS.stone, date: DAY, time: '09:00' });
    expect(clinic.row(first.id)).toMatchObject({ end_at: clinic.at(DAY, '09:15'), block_end_at: clinic.at(DAY, '09:25') });
    expect(first.localEnd).toBe('09:15');

    await clinic.err('deskB', 'booking/create', request(1, '09:15', IDS.stone), 'booking/slot-taken');
    await clinic.book('deskB', { patient: 1, doctorId: IDS.stone, date: DAY, time: '10:00' });
    // 09:45 + 15 minutes + 10 minutes of buffer runs into 10:00.
    await clinic.err('deskB', 'booking/create', request(2, '09:45', IDS.stone), 'booking/slot-taken');

    const slots = await clinic.ok('deskB', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId: IDS.stone, preferredDate: DAY, preferredTime: '09:00', days: 1, limit: 6 });
    const times = slots.slots.filter((s) => s.localDate === DAY).map((s) => s.localTime);
    // 10:00 blocks 10:00–10:25, so 10:15 goes too.
    expect(times.slice(0, 3)).toEqual(['09:30', '10:30', '10:45']);
    await clinic.err('deskB', 'booking/create', request(2, '10:15', IDS.stone), 'booking/slot-taken');
    await clinic.book('deskB', { patient: 2, doctorId: IDS.stone, date: DAY, time: '09:30' });
  });

  it('belongs to the doctor alone: Dr Grey is bookable at the time Dr Stone is', async () => {
    await clinic.book('deskA', { patient: 0, doctorId: IDS.stone, date: DAY, time: '13:00' });
    await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: DAY, time: '13:00' });
  });
});

describe('the database refuses overlaps itself', () => {
  const columns =
    'id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at, status, created_at, created_by_kind, updated_at';
  let other: Database.Database;

  beforeAll(() => {
    // A separate connection with no application code at all.
    other = new Database(clinic.app.dbFile);
    other.pragma('busy_timeout = 5000');
  });
  afterAll(() => {
    other.close();
  });

  const insert = (id: string, doctorId: string, start: string, end: string, blockEnd = end, status = 'booked', patient = 5) =>
    other
      .prepare(`INSERT INTO appointment (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'system', ?)`)
      .run(id, clinic.patients[patient]!.patientId, doctorId, IDS.main, IDS.general, start, end, blockEnd, status, '2026-06-01T12:00:00.000Z', '2026-06-01T12:00:00.000Z');

  it('a raw INSERT overlapping a booking fails with booking/slot-taken and leaves no row', () => {
    const before = clinic.appointmentCount();
    const at = (t: string) => clinic.at(DAY, t);
    // Dr Grey has 09:00–09:15 and 09:15–09:30.
    expect(() => insert('raw-same', IDS.grey, at('09:00'), at('09:15'))).toThrow('booking/slot-taken');
    expect(() => insert('raw-inside', IDS.grey, at('09:05'), at('09:10'))).toThrow('booking/slot-taken');
    expect(() => insert('raw-across', IDS.grey, at('08:50'), at('09:05'))).toThrow('booking/slot-taken');
    expect(() => insert('raw-around', IDS.grey, at('08:00'), at('11:00'))).toThrow('booking/slot-taken');
    // Its own buffer reaching into a booking counts too.
    expect(() => insert('raw-buffer', IDS.grey, at('08:45'), at('09:00'), at('09:01'))).toThrow('booking/slot-taken');
    // …and so does the existing booking's buffer (Dr Stone 09:00 blocks until 09:25).
    expect(() => insert('raw-their-buffer', IDS.stone, at('09:20'), at('09:22'))).toThrow('booking/slot-taken');
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('a raw INSERT with an instant in another text form is refused (the triggers compare canonical UTC text)', () => {
    const before = clinic.appointmentCount();
    // A free late-evening time, written with an offset and with a space instead of canonical UTC.
    const utc = clinic.at(DAY, '22:00');
    const offsetForm = new Date(Date.parse(utc) - 4 * 3600_000).toISOString().replace(/\.000Z$/, '-04:00');
    expect(Date.parse(offsetForm)).toBe(Date.parse(utc));
    expect(() => insert('raw-offset', IDS.grey, offsetForm, clinic.at(DAY, '22:15'))).toThrow(/CHECK constraint failed/);
    expect(() => insert('raw-space', IDS.grey, utc.replace('T', ' '), clinic.at(DAY, '22:15'))).toThrow(/CHECK constraint failed/);
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('a raw INSERT that only touches, belongs to another doctor, or is cancelled is accepted', () => {
    const at = (t: string) => clinic.at(DAY, t);
    insert('raw-touch', IDS.grey, at('08:45'), at('09:00'));
    insert('raw-other-doctor', IDS.diaz, at('09:00'), at('09:15'));
    insert('raw-cancelled', IDS.grey, at('09:00'), at('09:15'), at('09:15'), 'cancelled');
    expect(clinic.row('raw-touch')).toBeDefined();
  });

  it('a raw UPDATE that would overlap is refused: moving a row, stretching its buffer, reviving a cancelled one', () => {
    const at = (t: string) => clinic.at(DAY, t);
    const snapshot = () => other.prepare("SELECT * FROM appointment WHERE id IN ('raw-touch', 'raw-cancelled') ORDER BY id").all();
    const before = snapshot();
    expect(() => other.prepare('UPDATE appointment SET start_at = ?, end_at = ?, block_end_at = ? WHERE id = ?').run(at('09:10'), at('09:25'), at('09:25'), 'raw-touch')).toThrow(
      'booking/slot-taken',
    );
    expect(() => other.prepare('UPDATE appointment SET block_end_at = ? WHERE id = ?').run(at('09:05'), 'raw-touch')).toThrow('booking/slot-taken');
    expect(() => other.prepare("UPDATE appointment SET status = 'booked' WHERE id = ?").run('raw-cancelled')).toThrow('booking/slot-taken');
    expect(() => other.prepare('UPDATE appointment SET doctor_id = ? WHERE id = ?').run(IDS.grey, 'raw-other-doctor')).toThrow('booking/slot-taken');
    expect(snapshot()).toEqual(before);
  });

  it('a raw INSERT inside a transaction of several rows is refused as a whole when one overlaps', () => {
    const at = (t: string) => clinic.at(DAY, t);
    const before = clinic.appointmentCount();
    const both = other.transaction(() => {
      insert('raw-batch-1', IDS.diaz, at('11:00'), at('11:30'));
      insert('raw-batch-2', IDS.diaz, at('11:15'), at('11:45'), at('11:45'), 'booked', 4);
    });
    expect(() => both()).toThrow('booking/slot-taken');
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('after everything, no two live appointments of one doctor overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
