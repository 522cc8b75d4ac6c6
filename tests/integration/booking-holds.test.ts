import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic, type StaffName } from '../helpers/booking.js';

/**
 * Holds: while desk A fills in a booking, the slot is taken for everyone else (find-slots
 * does not offer it, create and hold refuse it) but not for A; it frees itself after
 * settings.holdMinutes, on release, or when A holds another slot.
 * Now is Monday 1 June 2026, 08:00 New York; the default hold lasts 5 minutes.
 */
let clinic: Clinic;
const DAY = '2026-06-02';

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

const slot = (time: string, doctorId: string = IDS.grey) => ({ doctorId, consultationTypeId: IDS.general, startAt: clinic.at(DAY, time) });

/** The times find-slots offers a desk for Dr Grey on DAY around `time`. */
async function offered(who: StaffName, time: string, doctorId?: string): Promise<string[]> {
  const out = await clinic.ok(who, 'booking/find-slots', {
    consultationTypeId: IDS.general,
    ...(doctorId ? { doctorId } : {}),
    preferredDate: DAY,
    preferredTime: time,
    days: 1,
    limit: 6,
  });
  return out.slots.filter((s) => s.doctorId === (doctorId ?? IDS.grey) && s.localDate === DAY).map((s) => s.localTime);
}

const holdRows = () => clinic.app.raw.prepare('SELECT holder, start_at FROM appointment_hold ORDER BY start_at').all() as Array<{ holder: string; start_at: string }>;

describe('a hold by desk A', () => {
  let holdId: string;

  it('is written with its expiry, settings.holdMinutes from now', async () => {
    const hold = await clinic.ok('deskA', 'booking/hold', slot('09:00'));
    holdId = hold.holdId;
    expect(hold.expiresAt).toBe(new Date(clinic.clock.now().getTime() + 5 * 60_000).toISOString());
    // The holder is desk A's session (the staff id stays readable in it).
    expect(holdRows()).toEqual([{ holder: expect.stringMatching(new RegExp(`^staff:${clinic.staffIds.deskA}:[0-9a-f]{32}$`)), start_at: clinic.at(DAY, '09:00') }]);
    const audit = clinic.app.raw.prepare('SELECT handler, record_type, record_id FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(audit).toEqual({ handler: 'booking/hold', record_type: 'hold', record_id: holdId });
  });

  it('takes the slot for desk B: find-slots does not offer it, booking and holding it are refused', async () => {
    expect(await offered('deskB', '09:00')).not.toContain('09:00');
    expect(await offered('deskB', '09:00')).toContain('09:15');
    // Nor across doctors (no doctorId): Dr Grey's 09:00 is missing, Dr Stone's is there.
    const all = await clinic.ok('deskB', 'booking/find-slots', { consultationTypeId: IDS.general, preferredDate: DAY, preferredTime: '09:00', limit: 4 });
    expect(all.slots.filter((s) => s.localTime === '09:00').map((s) => s.doctorId)).toEqual([IDS.stone]);

    const before = clinic.appointmentCount();
    const error = await clinic.err('deskB', 'booking/create', { ...slot('09:00'), patientId: clinic.patients[1]!.patientId }, 'booking/slot-taken');
    expect(error.fieldErrors).toEqual({ startAt: [expect.any(String)] });
    await clinic.err('deskB', 'booking/hold', slot('09:00'), 'booking/slot-taken');
    expect(clinic.appointmentCount()).toBe(before);
  });

  it('does not take it for desk A itself', async () => {
    expect(await offered('deskA', '09:00')).toContain('09:00');
  });

  it('cannot be released by desk B (only its holder releases it): refused in plain words', async () => {
    const error = await clinic.err('deskB', 'booking/release-hold', { holdId }, 'booking/hold-not-yours');
    expect(error.message).toMatch(/another desk/);
    expect(holdRows()).toHaveLength(1);
    expect(await offered('deskB', '09:00')).not.toContain('09:00');
  });

  // The fake clock moves without signing in again: desk A stays the same session.
  it('still holds one second before it expires', async () => {
    clinic.clock.advance({ minutes: 4, seconds: 59 });
    await clinic.err('deskB', 'booking/create', { ...slot('09:00'), patientId: clinic.patients[1]!.patientId }, 'booking/slot-taken');
  });

  it('expires after settings.holdMinutes: desk B then books the slot, and A’s late booking is refused', async () => {
    clinic.clock.advance({ seconds: 2 });
    expect(await offered('deskB', '09:00')).toContain('09:00');
    const booked = await clinic.book('deskB', { patient: 1, doctorId: IDS.grey, date: DAY, time: '09:00' });
    expect(booked.localStart).toBe('09:00');
    const before = clinic.appointmentCount();
    const late = await clinic.err('deskA', 'booking/create', { ...slot('09:00'), holdId, patientId: clinic.patients[0]!.patientId }, 'booking/hold-expired');
    expect(late.message).toMatch(/ran out at 08:05/);
    expect(clinic.appointmentCount()).toBe(before);
    await clinic.relogin();
  });
});

describe('releasing and replacing holds', () => {
  it('release-hold frees the slot at once for desk B', async () => {
    const { holdId } = await clinic.ok('deskA', 'booking/hold', slot('09:15'));
    expect(await offered('deskB', '09:15')).not.toContain('09:15');
    await clinic.ok('deskA', 'booking/release-hold', { holdId });
    expect(holdRows()).toEqual([]);
    expect(await offered('deskB', '09:15')).toContain('09:15');
    await clinic.book('deskB', { patient: 2, doctorId: IDS.grey, date: DAY, time: '09:15' });
  });

  it('a second hold by desk A releases A’s first one', async () => {
    await clinic.ok('deskA', 'booking/hold', slot('09:30'));
    await clinic.ok('deskA', 'booking/hold', slot('09:45'));
    expect(holdRows()).toEqual([{ holder: expect.stringMatching(new RegExp(`^staff:${clinic.staffIds.deskA}:`)), start_at: clinic.at(DAY, '09:45') }]);
    const forB = await offered('deskB', '09:30');
    expect(forB).toContain('09:30');
    expect(forB).not.toContain('09:45');
    await clinic.book('deskB', { patient: 2, doctorId: IDS.grey, date: DAY, time: '09:30' });
    await clinic.err('deskB', 'booking/create', { ...slot('09:45'), patientId: clinic.patients[2]!.patientId }, 'booking/slot-taken');
  });

  it('holds of two desks live side by side; each desk books its own held slot, and its hold goes', async () => {
    const a = await clinic.ok('deskA', 'booking/hold', slot('10:00'));
    const b = await clinic.ok('deskB', 'booking/hold', slot('10:15'));
    await clinic.err('deskA', 'booking/create', { ...slot('10:15'), patientId: clinic.patients[0]!.patientId }, 'booking/slot-taken');
    await clinic.err('deskB', 'booking/create', { ...slot('10:00'), patientId: clinic.patients[1]!.patientId }, 'booking/slot-taken');

    const first = await clinic.ok('deskA', 'booking/create', { ...slot('10:00'), holdId: a.holdId, patientId: clinic.patients[0]!.patientId });
    const second = await clinic.ok('deskB', 'booking/create', { ...slot('10:15'), holdId: b.holdId, patientId: clinic.patients[1]!.patientId });
    expect([first.appointment.localStart, second.appointment.localStart]).toEqual(['10:00', '10:15']);
    expect(holdRows()).toEqual([]);
  });

  it('a hold covers the doctor’s buffer: Dr Stone (10-minute buffer) held at 11:00 blocks 10:45 and 11:15 for others', async () => {
    const { holdId } = await clinic.ok('deskA', 'booking/hold', slot('11:00', IDS.stone));
    const forB = await offered('deskB', '11:00', IDS.stone);
    expect(forB).not.toContain('11:00');
    expect(forB).not.toContain('11:15'); // the hold blocks 11:00–11:25
    expect(forB).not.toContain('10:45'); // 10:45 + 15 + 10 reaches 11:10
    expect(forB).toContain('11:30');
    await clinic.ok('deskA', 'booking/release-hold', { holdId });
  });

  it('patients cannot hold slots', async () => {
    const error = await clinic.err({ patientToken: clinic.patients[0]!.accessToken }, 'booking/hold', slot('12:00'), 'auth/forbidden');
    expect(error.message).toBeTruthy();
    expect(holdRows()).toEqual([]);
  });

  it('no two live appointments overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
