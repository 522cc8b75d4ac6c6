import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { envelopesOf } from '../helpers/events.js';

/**
 * An appointment's life: check-in, completion, no-show, cancellation (with the policy
 * window recorded) and rescheduling in one transaction.
 * Now is Monday 1 June 2026, 08:00 New York; the cancellation window is 24 hours.
 */
let clinic: Clinic;

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

const TODAY = '2026-06-01';

describe('status transitions', () => {
  it('booked → checked_in → completed, recording who and when', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '10:00' });
    const checkedIn = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' });
    expect(checkedIn.appointment.status).toBe('checked_in');
    expect(clinic.row(a.id)).toMatchObject({ status: 'checked_in', status_changed_by: clinic.staffIds.deskA, status_changed_at: '2026-06-01T12:00:00.000Z' });

    await clinic.advance({ minutes: 150 });
    const completed = await clinic.ok('deskB', 'appointment/set-status', { appointmentId: a.id, status: 'completed' });
    expect(completed.appointment.status).toBe('completed');
    expect(clinic.row(a.id)).toMatchObject({ status: 'completed', status_changed_by: clinic.staffIds.deskB, status_changed_at: '2026-06-01T14:30:00.000Z' });
    const events = envelopesOf(clinic.app, 'appointment', a.id);
    expect(events.map((e) => [e.op, e.version, e.record.status])).toEqual([
      ['upsert', 1, 'booked'],
      ['upsert', 2, 'checked_in'],
      ['upsert', 3, 'completed'],
    ]);
  });

  it('booked → no_show, only once the appointment time has come', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '13:00' });
    const before = clinic.row(a.id);
    await clinic.err('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'no_show' }, 'appointment/too-early');
    expect(clinic.row(a.id)).toEqual(before);
    await clinic.setNow('2026-06-01T17:05:00.000Z'); // 13:05 in New York
    const out = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'no_show' });
    expect(out.appointment.status).toBe('no_show');
  });

  it('refuses invalid transitions and changes nothing', async () => {
    const completed = clinic.rows().find((r) => r.status === 'completed')!;
    const noShow = clinic.rows().find((r) => r.status === 'no_show')!;
    const cancelled = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '15:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: cancelled.id, reason: 'Doctor ill' });
    const checkedIn = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '15:15' });
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: checkedIn.id, status: 'checked_in' });

    const cases: Array<[string, 'checked_in' | 'completed' | 'no_show']> = [
      [completed.id, 'checked_in'],
      [completed.id, 'no_show'],
      [completed.id, 'completed'],
      [noShow.id, 'checked_in'],
      [noShow.id, 'completed'],
      [cancelled.id, 'checked_in'],
      [cancelled.id, 'completed'],
      [cancelled.id, 'no_show'],
      [checkedIn.id, 'checked_in'],
    ];
    for (const [appointmentId, status] of cases) {
      const before = clinic.row(appointmentId);
      const error = await clinic.err('deskB', 'appointment/set-status', { appointmentId, status }, 'appointment/invalid-transition');
      expect(error.message).toMatch(/cannot become/);
      expect(clinic.row(appointmentId)).toEqual(before);
    }
  });

  it('refuses checking in or completing more than a day ahead (appointment/too-early)', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '09:00' });
    const before = clinic.row(a.id);
    await clinic.err('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' }, 'appointment/too-early');
    await clinic.err('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'completed' }, 'appointment/too-early');
    expect(clinic.row(a.id)).toEqual(before);
  });

  it('is staff only, and an unknown appointment is not found', async () => {
    const mine = await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date: TODAY, time: '16:00' });
    await clinic.err({ patientToken: clinic.patients[0]!.accessToken }, 'appointment/set-status', { appointmentId: mine.id, status: 'checked_in' }, 'auth/forbidden');
    await clinic.err('deskA', 'appointment/set-status', { appointmentId: 'no-such-appointment', status: 'checked_in' }, 'common/not-found');
    expect(clinic.row(mine.id)!.status).toBe('booked');
  });
});

describe('cancellation', () => {
  beforeAll(async () => {
    await clinic.setNow('2026-06-08T12:00:00.000Z'); // Monday 8 June, 08:00
  });

  it('records party, reason, who and when; inside the policy window it is flagged', async () => {
    const a = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-08', time: '11:00' }); // in 3 hours
    const { appointment } = await clinic.ok('deskB', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: '  Feeling better  ' });
    expect(appointment).toMatchObject({
      status: 'cancelled',
      cancelledByParty: 'patient',
      cancelReason: 'Feeling better',
      cancelledWithinPolicyWindow: true,
    });
    expect(clinic.row(a.id)).toMatchObject({
      status: 'cancelled',
      status_changed_by: clinic.staffIds.deskB,
      status_changed_at: '2026-06-08T12:00:00.000Z',
      updated_at: '2026-06-08T12:00:00.000Z',
      cancelled_within_policy_window: 1,
    });
    expect(envelopesOf(clinic.app, 'appointment', a.id).at(-1)?.record).toMatchObject({ status: 'cancelled', cancelled_by_party: 'patient', cancelled_within_policy_window: 1 });
    // The freed slot can be booked again.
    await clinic.book('deskA', { patient: 2, doctorId: IDS.grey, date: '2026-06-08', time: '11:00' });
  });

  it('outside the window it is not flagged; the clinic is the default party', async () => {
    const a = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-10', time: '14:00' }); // two days ahead
    const { appointment } = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, reason: 'Doctor on leave' });
    expect(appointment).toMatchObject({ cancelledByParty: 'clinic', cancelReason: 'Doctor on leave', cancelledWithinPolicyWindow: false });
  });

  it('the window is settings.cancellationWindowHours: exactly the window ahead is outside, a minute less is inside', async () => {
    await clinic.setNow('2026-06-08T13:00:00.000Z'); // Monday 09:00
    const exactly = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-09', time: '09:00' });
    const out = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: exactly.id, reason: 'Exactly 24 hours ahead' });
    expect(out.appointment.cancelledWithinPolicyWindow).toBe(false);

    const next = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-09', time: '09:15' });
    await clinic.advance({ minutes: 16 }); // 23 h 59 min before it
    const inside = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: next.id, reason: 'Just inside' });
    expect(inside.appointment.cancelledWithinPolicyWindow).toBe(true);

    await clinic.ok('admin', 'settings/update', { cancellationWindowHours: 48 });
    const wednesdayMorning = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-10', time: '09:00' }); // 47 h 44 min ahead
    const wm = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: wednesdayMorning.id, reason: 'Within 48 hours' });
    expect(wm.appointment.cancelledWithinPolicyWindow).toBe(true);
    const wednesdayAfternoon = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-10', time: '16:00' }); // 54 h 44 min ahead
    const wa = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: wednesdayAfternoon.id, reason: 'Beyond 48 hours' });
    expect(wa.appointment.cancelledWithinPolicyWindow).toBe(false);
    await clinic.ok('admin', 'settings/update', { cancellationWindowHours: 24 });
  });

  it('a patient cancels their own appointment: party patient, no staff member recorded, a default reason', async () => {
    const patient = clinic.patients[3]!;
    const a = await clinic.book('deskA', { patient: 3, doctorId: IDS.grey, date: '2026-06-12', time: '10:00' });
    const { appointment } = await clinic.asPatient(patient, 'appointment/cancel', { appointmentId: a.id, party: 'clinic' });
    expect(appointment).toMatchObject({ cancelledByParty: 'patient', cancelReason: 'Cancelled by the patient', cancelledWithinPolicyWindow: false });
    expect(clinic.row(a.id)!.status_changed_by).toBeNull();
  });

  it('staff must say why (reason), and nothing changes without one', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-12', time: '11:00' });
    const before = clinic.row(a.id);
    const error = await clinic.err('deskA', 'appointment/cancel', { appointmentId: a.id, reason: '   ' }, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ reason: ['Say why the appointment is cancelled.'] });
    expect(clinic.row(a.id)).toEqual(before);
  });

  it('cancelling twice is refused and changes nothing', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-12', time: '13:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, reason: 'First' });
    const before = clinic.row(a.id);
    const events = clinic.dataCounts().event;
    await clinic.setNow('2026-06-08T14:00:00.000Z');
    await clinic.err('deskB', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Second' }, 'appointment/already-cancelled');
    expect(clinic.row(a.id)).toEqual(before);
    expect(clinic.dataCounts().event).toBe(events);
  });

  it('cancelling a completed, a checked-in or a no-show appointment is refused and changes nothing', async () => {
    await clinic.setNow('2026-06-08T13:00:00.000Z'); // 09:00
    const done = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-08', time: '09:00' });
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: done.id, status: 'completed' });
    const inRoom = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-08', time: '09:15' });
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: inRoom.id, status: 'checked_in' });
    const missed = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-08', time: '09:30' });
    await clinic.setNow('2026-06-08T13:31:00.000Z'); // 09:31: the 09:30 patient has not come
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: missed.id, status: 'no_show' });
    for (const id of [done.id, inRoom.id, missed.id]) {
      const before = clinic.row(id);
      await clinic.err('deskB', 'appointment/cancel', { appointmentId: id, reason: 'Too late' }, 'appointment/not-cancellable');
      expect(clinic.row(id)).toEqual(before);
    }
  });

  it('an appointment that has started cannot be cancelled (record a no-show instead), and nothing changes', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-08', time: '10:00' });
    await clinic.setNow('2026-06-08T14:10:00.000Z'); // 10:10
    const before = clinic.row(a.id);
    await clinic.err('deskB', 'appointment/cancel', { appointmentId: a.id, reason: 'Did not come' }, 'appointment/already-started');
    expect(clinic.row(a.id)).toEqual(before);
  });

  it('a patient cannot cancel someone else’s appointment: not found, and nothing changes', async () => {
    const a = await clinic.book('deskA', { patient: 4, doctorId: IDS.grey, date: '2026-06-12', time: '14:00' });
    const before = clinic.row(a.id);
    await clinic.err({ patientToken: clinic.patients[5]!.accessToken }, 'appointment/cancel', { appointmentId: a.id }, 'common/not-found');
    await clinic.err({ patientToken: clinic.patients[5]!.accessToken }, 'appointment/get', { appointmentId: a.id }, 'common/not-found');
    expect(clinic.row(a.id)).toEqual(before);
  });
});

describe('rescheduling', () => {
  beforeAll(async () => {
    await clinic.setNow('2026-06-15T12:00:00.000Z'); // Monday 15 June, 08:00
  });

  it('moves an appointment in one step: the old one cancelled and linked forward, the new one linked back', async () => {
    const old = await clinic.ok('deskA', 'booking/create', {
      patientId: clinic.patients[0]!.patientId,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at('2026-06-16', '11:00'),
      requirements: { accessibility: ['wheelchair'], interpreterLanguage: 'es', notes: 'Ramp entrance' },
    });
    const count = clinic.appointmentCount();
    const { appointment, previous } = await clinic.ok('deskB', 'appointment/reschedule', {
      appointmentId: old.appointment.id,
      startAt: clinic.at('2026-06-16', '14:00'),
      reason: 'Patient asked for the afternoon',
    });
    expect(clinic.appointmentCount()).toBe(count + 1);
    expect(appointment).toMatchObject({
      status: 'booked',
      patientId: clinic.patients[0]!.patientId,
      doctorId: IDS.grey,
      localDate: '2026-06-16',
      localStart: '14:00',
      rescheduledFromId: old.appointment.id,
      rescheduledToId: null,
      requirements: { accessibility: ['wheelchair'], interpreterLanguage: 'es', notes: 'Ramp entrance' },
    });
    expect(previous).toMatchObject({
      id: old.appointment.id,
      status: 'cancelled',
      localStart: '11:00',
      cancelledByParty: 'clinic',
      cancelReason: 'Patient asked for the afternoon',
      rescheduledToId: appointment.id,
    });
    expect(envelopesOf(clinic.app, 'appointment', appointment.id).at(-1)?.record).toMatchObject({ rescheduled_from_id: old.appointment.id, start_at: appointment.startAt });
    expect(envelopesOf(clinic.app, 'appointment', old.appointment.id).at(-1)?.record).toMatchObject({ status: 'cancelled', rescheduled_to_id: appointment.id });
    // The old time is free again.
    await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-16', time: '11:00' });
  });

  it('onto a taken slot changes nothing', async () => {
    const taken = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-16', time: '15:00' });
    const mover = await clinic.book('deskA', { patient: 2, doctorId: IDS.grey, date: '2026-06-16', time: '15:30' });
    const before = clinic.rows();
    const counts = clinic.dataCounts();
    const error = await clinic.err('deskB', 'appointment/reschedule', { appointmentId: mover.id, startAt: taken.startAt }, 'booking/slot-taken');
    expect(error.details).toHaveProperty('alternatives');
    expect(clinic.rows()).toEqual(before);
    expect(clinic.dataCounts()).toEqual(counts);
  });

  it('onto a slot refused for another reason changes nothing either', async () => {
    const mover = clinic.rows().find((r) => r.status === 'booked' && r.start_at === clinic.at('2026-06-16', '15:30'))!;
    const before = clinic.rows();
    await clinic.err('deskB', 'appointment/reschedule', { appointmentId: mover.id, startAt: clinic.at('2026-06-16', '12:15') }, 'booking/outside-hours');
    await clinic.err('deskB', 'appointment/reschedule', { appointmentId: mover.id, startAt: clinic.at('2026-06-16', '15:40') }, 'booking/off-grid');
    await clinic.err('deskB', 'appointment/reschedule', { appointmentId: mover.id, startAt: clinic.at('2026-06-12', '15:30') }, 'booking/in-past');
    await clinic.err('deskB', 'appointment/reschedule', { appointmentId: mover.id, doctorId: IDS.diaz, startAt: clinic.at('2026-06-17', '10:00') }, 'booking/type-not-offered');
    expect(clinic.rows()).toEqual(before);
  });

  it('by 15 minutes, overlapping its own old time, works (a 30-minute appointment from 10:00 to 10:15)', async () => {
    const old = await clinic.book('deskA', { patient: 3, doctorId: IDS.grey, consultationTypeId: IDS.extended, date: '2026-06-17', time: '10:00' });
    const { appointment, previous } = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: old.id, startAt: clinic.at('2026-06-17', '10:15') });
    expect([appointment.localStart, appointment.localEnd]).toEqual(['10:15', '10:45']);
    expect(previous).toMatchObject({ status: 'cancelled', cancelReason: 'Rescheduled', rescheduledToId: appointment.id });
    // And back again, onto the time it just left.
    const back = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: appointment.id, startAt: clinic.at('2026-06-17', '10:00') });
    expect(back.appointment).toMatchObject({ localStart: '10:00', rescheduledFromId: appointment.id });
    expect(clinic.row(appointment.id)).toMatchObject({ rescheduled_from_id: old.id, rescheduled_to_id: back.appointment.id, status: 'cancelled' });
  });

  it('by 15 minutes with a buffer (Dr Stone), overlapping its own buffer, works', async () => {
    const old = await clinic.book('deskA', { patient: 5, doctorId: IDS.stone, date: '2026-06-17', time: '10:00' });
    const { appointment } = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: old.id, startAt: clinic.at('2026-06-17', '10:15') });
    expect(clinic.row(appointment.id)).toMatchObject({ start_at: clinic.at('2026-06-17', '10:15'), block_end_at: clinic.at('2026-06-17', '10:40') });
  });

  it('to another doctor keeps the patient and the type', async () => {
    const old = await clinic.book('deskA', { patient: 4, doctorId: IDS.grey, date: '2026-06-18', time: '09:00' });
    const { appointment } = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: old.id, doctorId: IDS.stone, startAt: clinic.at('2026-06-18', '09:00') });
    expect(appointment).toMatchObject({ doctorId: IDS.stone, patientId: clinic.patients[4]!.patientId, consultationTypeId: IDS.general, localStart: '09:00' });
  });

  it('refuses a cancelled, completed or unknown appointment, and another patient’s (patients move only their own)', async () => {
    const cancelled = clinic.rows().find((r) => r.status === 'cancelled')!;
    await clinic.err('deskA', 'appointment/reschedule', { appointmentId: cancelled.id, startAt: clinic.at('2026-06-19', '09:00') }, 'appointment/not-reschedulable');
    const mine = clinic.rows().find((r) => r.status === 'booked' && r.patient_id === clinic.patients[4]!.patientId)!;
    // Issue 14: patients may move their own appointments (the patient page), never someone else's.
    await clinic.err({ patientToken: clinic.patients[3]!.accessToken }, 'appointment/reschedule', { appointmentId: mine.id, startAt: clinic.at('2026-06-19', '09:00') }, 'common/not-found');
    await clinic.err('deskA', 'appointment/reschedule', { appointmentId: 'no-such-appointment', startAt: clinic.at('2026-06-19', '09:00') }, 'common/not-found');
  });

  it('no two live appointments of one doctor overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});
