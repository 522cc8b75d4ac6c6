import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * Every reason booking/create refuses a slot: the error code, the field it names, and
 * nothing written (no appointment, no hold, no outbox row; only the audit row of the
 * refusal). Now is Monday 1 June 2026, 08:00 New York.
 */
let clinic: Clinic;

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

interface Request {
  doctorId?: string;
  consultationTypeId?: string;
  locationId?: string;
  date?: string;
  time?: string;
  startAt?: string;
  endAt?: string;
}

const body = (r: Request) => ({
  patientId: clinic.patients[0]!.patientId,
  doctorId: r.doctorId ?? IDS.grey,
  consultationTypeId: r.consultationTypeId ?? IDS.general,
  ...(r.locationId ? { locationId: r.locationId } : {}),
  startAt: r.startAt ?? clinic.at(r.date ?? '2026-06-02', r.time ?? '09:00'),
  ...(r.endAt ? { endAt: r.endAt } : {}),
});

/** Asserts booking/create refuses with `code` naming exactly `field`, and that nothing was written. */
async function refused(r: Request, code: string, field: string) {
  const before = clinic.dataCounts();
  const call = await clinic.call('deskA', 'booking/create', body(r));
  expect(call.result.ok).toBe(false);
  if (call.result.ok) throw new Error('unreachable');
  expect(call.result.error.code).toBe(code);
  expect(call.status).toBe(409);
  expect(call.result.error.fieldErrors).toEqual({ [field]: [expect.any(String)] });
  expect(clinic.dataCounts()).toEqual(before);
  const audit = clinic.app.raw.prepare('SELECT handler, outcome, detail FROM audit_log ORDER BY seq DESC LIMIT 1').get();
  expect(audit).toEqual({ handler: 'booking/create', outcome: 'error', detail: code });
  return call.result.error;
}

describe('booking/create refuses, writing nothing', () => {
  it('an unknown doctor, and an inactive one (doctorId)', async () => {
    await refused({ doctorId: 'no-such-doctor' }, 'booking/unknown-doctor', 'doctorId');
    await refused({ doctorId: IDS.old }, 'booking/unknown-doctor', 'doctorId');
  });

  it('an unknown consultation type, and an inactive one (consultationTypeId)', async () => {
    await refused({ consultationTypeId: 'no-such-type' }, 'booking/unknown-consultation-type', 'consultationTypeId');
    await refused({ consultationTypeId: IDS.retired }, 'booking/unknown-consultation-type', 'consultationTypeId');
  });

  it('a type the doctor does not offer: a GP asked for cardiology (consultationTypeId)', async () => {
    const error = await refused({ consultationTypeId: IDS.cardiology }, 'booking/type-not-offered', 'consultationTypeId');
    expect(error.message).toContain('Cardiology consultation');
  });

  it('an endAt that does not match the type’s length (endAt); the right one is accepted', async () => {
    const startAt = clinic.at('2026-06-02', '09:00');
    const error = await refused({ startAt, endAt: clinic.at('2026-06-02', '09:30') }, 'booking/wrong-length', 'endAt');
    expect(error.fieldErrors?.endAt?.[0]).toContain('15 minutes');
    await refused({ startAt, endAt: startAt }, 'booking/wrong-length', 'endAt');
    const { appointment } = await clinic.ok('deskA', 'booking/create', body({ startAt, endAt: clinic.at('2026-06-02', '09:15') }));
    expect(appointment.endAt).toBe('2026-06-02T13:15:00.000Z');
  });

  it('a time in the past (startAt), even one inside working hours', async () => {
    await refused({ date: '2026-05-29', time: '10:00' }, 'booking/in-past', 'startAt');
    await refused({ startAt: new Date(clinic.clock.now().getTime() - 60_000).toISOString() }, 'booking/in-past', 'startAt');
  });

  it('time off (booking/time-off) and outside hours (booking/outside-hours) are told apart on the same day', async () => {
    // Wednesday 3 June: Dr Grey is away 09:00–12:00; 12:00–13:00 is her lunch break, not time off.
    await refused({ date: '2026-06-03', time: '10:00' }, 'booking/time-off', 'startAt');
    await refused({ date: '2026-06-03', time: '11:45' }, 'booking/time-off', 'startAt');
    await refused({ date: '2026-06-03', time: '12:30' }, 'booking/outside-hours', 'startAt');
    // The afternoon of the same day is bookable.
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-03', time: '13:00' });
  });

  it('outside hours: before opening, after closing, a slot running past closing, the weekend', async () => {
    await refused({ date: '2026-06-02', time: '08:45' }, 'booking/outside-hours', 'startAt');
    await refused({ date: '2026-06-02', time: '17:00' }, 'booking/outside-hours', 'startAt');
    await refused({ date: '2026-06-02', time: '11:50' }, 'booking/outside-hours', 'startAt'); // would end 12:05
    await refused({ date: '2026-06-06', time: '10:00' }, 'booking/outside-hours', 'startAt'); // Saturday
    // The last slot before closing fits exactly.
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '16:45' });
  });

  it('the wrong location: Dr Diaz is at the Annex on Tuesdays (locationId)', async () => {
    const cardio = { doctorId: IDS.diaz, consultationTypeId: IDS.cardiology, date: '2026-06-02', time: '10:00' };
    await refused({ ...cardio, locationId: IDS.main }, 'booking/wrong-location', 'locationId');
    const { appointment } = await clinic.ok('deskA', 'booking/create', body({ ...cardio, locationId: IDS.annex }));
    expect(appointment).toMatchObject({ locationId: IDS.annex, locationName: 'Annex', localStart: '10:00', localEnd: '10:30' });
  });

  it('a start off the doctor’s grid (startAt)', async () => {
    await refused({ date: '2026-06-02', time: '10:05' }, 'booking/off-grid', 'startAt');
    await refused({ startAt: clinic.at('2026-06-02', '10:00').replace(':00.000Z', ':30.000Z') }, 'booking/off-grid', 'startAt');
    // Dr Diaz's grid is 30 minutes: 10:15 is on Dr Grey's grid but not hers.
    await refused({ doctorId: IDS.diaz, consultationTypeId: IDS.cardiology, date: '2026-06-02', time: '10:15' }, 'booking/off-grid', 'startAt');
  });

  it('a taken slot (startAt), with alternatives', async () => {
    await clinic.book('deskB', { patient: 1, doctorId: IDS.grey, date: '2026-06-02', time: '11:00' });
    const error = await refused({ date: '2026-06-02', time: '11:00' }, 'booking/slot-taken', 'startAt');
    expect((error.details as { alternatives: unknown[] }).alternatives.length).toBeGreaterThan(0);
  });

  it('booking/hold refuses for the same reasons and writes no hold', async () => {
    const before = clinic.dataCounts();
    for (const [r, code] of [
      [{ doctorId: 'no-such-doctor' }, 'booking/unknown-doctor'],
      [{ date: '2026-06-03', time: '10:00' }, 'booking/time-off'],
      [{ date: '2026-06-02', time: '10:05' }, 'booking/off-grid'],
      [{ date: '2026-06-02', time: '11:00' }, 'booking/slot-taken'],
    ] as const) {
      const { patientId: _p, ...hold } = body(r);
      await clinic.err('deskA', 'booking/hold', hold, code);
    }
    expect(clinic.dataCounts()).toEqual(before);
  });

  it('a staff booking without a patient names patientId; an unknown patient is not found', async () => {
    const before = clinic.dataCounts();
    const { patientId: _p, ...noPatient } = body({ date: '2026-06-02', time: '14:00' });
    const error = await clinic.err('deskA', 'booking/create', noPatient, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ patientId: ['Choose the patient.'] });
    await clinic.err('deskA', 'booking/create', { ...noPatient, patientId: 'no-such-patient' }, 'common/not-found');
    expect(clinic.dataCounts()).toEqual(before);
  });

  it('booking/find-slots refuses an unknown consultation type with a field error', async () => {
    const error = await clinic.err('deskA', 'booking/find-slots', { consultationTypeId: 'no-such-type' }, 'booking/unknown-consultation-type');
    expect(error.fieldErrors).toEqual({ consultationTypeId: [expect.any(String)] });
  });
});

describe('minimum notice and horizon come from the settings', () => {
  it('refuses a start inside settings.minNoticeMinutes (booking/min-notice) and accepts the first one after', async () => {
    await clinic.ok('admin', 'settings/update', { minNoticeMinutes: 120 });
    // Now is 08:00: 09:00 is one hour away, 10:00 exactly two.
    const error = await refused({ date: '2026-06-01', time: '09:00' }, 'booking/min-notice', 'startAt');
    expect(error.message).toContain('120 minutes');
    await refused({ date: '2026-06-01', time: '09:45' }, 'booking/min-notice', 'startAt');
    const slots = await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId: IDS.grey, preferredDate: '2026-06-01', preferredTime: '09:00', limit: 3 });
    expect(slots.slots.map((s) => s.localTime)).toEqual(['10:00', '10:15', '10:30']);
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '10:00' });

    await clinic.ok('admin', 'settings/update', { minNoticeMinutes: 0 });
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '09:00' });
  });

  it('refuses a start at or beyond settings.horizonDays (booking/beyond-horizon)', async () => {
    await clinic.ok('admin', 'settings/update', { horizonDays: 30 });
    // Now + 30 days is Wednesday 1 July, 08:00: 09:00 that day is beyond, Tuesday 30 June is within.
    const error = await refused({ date: '2026-07-01', time: '09:00' }, 'booking/beyond-horizon', 'startAt');
    expect(error.message).toContain('30 days');
    await refused({ date: '2026-09-01', time: '09:00' }, 'booking/beyond-horizon', 'startAt');
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-30', time: '16:45' });
    const slots = await clinic.ok('deskA', 'booking/find-slots', { consultationTypeId: IDS.general, doctorId: IDS.grey, preferredDate: '2026-07-01', preferredTime: '09:00', limit: 5 });
    for (const s of slots.slots) expect(Date.parse(s.startAt)).toBeLessThan(Date.parse('2026-07-01T12:00:00.000Z'));
    // find-slots says how far ahead the clinic books: the last whole day open is Tuesday 30 June.
    expect(slots.horizon).toEqual({ days: 30, lastDate: '2026-06-30' });

    await clinic.ok('admin', 'settings/update', { horizonDays: 180 });
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-07-01', time: '09:00' });
  });

  it('only an admin changes them', async () => {
    await clinic.err('deskA', 'settings/update', { minNoticeMinutes: 600 }, 'auth/forbidden');
    expect(clinic.app.settings().minNoticeMinutes).toBe(0);
  });
});

describe('after all the refusals', () => {
  it('no two live appointments of a doctor overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
