import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * Issue 8 item 9: a patient is never booked into two overlapping appointments without a
 * word. Refused by default with the clash named (doctor, time); staff may book anyway with
 * an explicit acknowledgement, recorded on the appointment and in the audit (who, when);
 * patients cannot override. Also on reschedule, and the database refuses it by itself.
 * Now is Monday 1 June 2026, 08:00 New York.
 */
let clinic: Clinic;
const DAY = '2026-06-02';
const at = (time: string) => clinic.at(DAY, time);
const req = (time: string, doctorId: string, patient?: number) => ({
  doctorId,
  consultationTypeId: IDS.general,
  startAt: at(time),
  ...(patient === undefined ? {} : { patientId: clinic.patients[patient]!.patientId }),
});
const lastAudit = () =>
  clinic.app.raw.prepare('SELECT handler, actor_kind, actor_id, outcome, record_id, detail, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Record<string, string>;

beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

describe('staff books one doctor, the patient self-books another at the same time', () => {
  it('the patient’s own booking is refused, naming the clashing appointment; nothing is written', async () => {
    await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date: DAY, time: '09:00' });
    const before = clinic.dataCounts();
    const outcome = await clinic.app.dispatch('booking/create', req('09:00', IDS.stone), { patientToken: clinic.patients[0]!.accessToken });
    expect(outcome.status).toBe(409);
    if (outcome.result.ok) throw new Error('booked an overlap');
    expect(outcome.result.error.code).toBe('booking/patient-overlap');
    expect(outcome.result.error.message).toBe(
      'You already have an appointment with Dr Meredith Grey on Tue 2 Jun, 09:00–09:15 at that time. Choose another time, or call the clinic.',
    );
    expect(outcome.result.error.details).toMatchObject({ canOverride: false, clashes: [{ doctorName: 'Dr Meredith Grey', localStart: '09:00', localEnd: '09:15' }] });
    expect(clinic.dataCounts()).toEqual(before);
  });

  it('a patient cannot override: the acknowledgement is refused for them as a field error', async () => {
    const before = clinic.dataCounts();
    const error = await clinic.err({ patientToken: clinic.patients[0]!.accessToken }, 'booking/create', { ...req('09:00', IDS.stone), overlapAcknowledged: true }, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ overlapAcknowledged: ['Only clinic staff can book over another appointment.'] });
    expect(clinic.dataCounts()).toEqual(before);
  });

  it('a longer visit that covers the appointment counts too (30 minutes from 09:00 with Dr Stone)', async () => {
    const e = await clinic.err('deskB', 'booking/create', { ...req('09:00', IDS.stone, 0), consultationTypeId: IDS.extended }, 'booking/patient-overlap');
    expect(e.message).toContain('Dr Meredith Grey on Tue 2 Jun, 09:00–09:15');
  });

  it('back-to-back visits with two doctors are fine (touching is not overlapping)', async () => {
    await clinic.book('deskB', { patient: 0, doctorId: IDS.stone, date: DAY, time: '09:15' });
  });
});

describe('the patient self-books first, then staff books another doctor at the same time', () => {
  it('staff are refused with the clash named in plain words, and told they may book anyway', async () => {
    await clinic.asPatient(clinic.patients[1]!, 'booking/create', req('10:00', IDS.stone));
    const before = clinic.dataCounts();
    const e = await clinic.err('deskA', 'booking/create', req('10:00', IDS.grey, 1), 'booking/patient-overlap');
    expect(e.message).toBe(
      'This patient already has an appointment with Dr Sam Stone on Tue 2 Jun, 10:00–10:15 at Main Street, which overlaps this time. Choose another time, or book anyway if the patient really is to be in both.',
    );
    expect(e.fieldErrors).toEqual({ startAt: [e.message] });
    expect(e.details).toMatchObject({ canOverride: true, clashes: [{ doctorName: 'Dr Sam Stone', locationName: 'Main Street', localDate: DAY, localStart: '10:00' }] });
    expect(clinic.dataCounts()).toEqual(before);
  });

  it('with the explicit acknowledgement staff book anyway: who and when are on the appointment and in the audit', async () => {
    const clash = clinic.rows().find((r) => r.patient_id === clinic.patients[1]!.patientId && r.start_at === at('10:00'))!;
    const { appointment } = await clinic.ok('deskA', 'booking/create', { ...req('10:00', IDS.grey, 1), overlapAcknowledged: true });
    const now = clinic.clock.now().toISOString();
    expect(appointment.overlapAcknowledged).toEqual({ at: now, byName: 'Desk A' });
    expect(clinic.row(appointment.id)).toMatchObject({ overlap_acknowledged_at: now, overlap_acknowledged_by: clinic.staffIds.deskA });
    expect(lastAudit()).toMatchObject({
      handler: 'booking/create',
      actor_kind: 'staff',
      actor_id: clinic.staffIds.deskA,
      outcome: 'ok',
      record_id: appointment.id,
      detail: `overlap acknowledged with appointment ${clash.id}`,
      at: now,
    });
    const read = await clinic.ok('deskB', 'appointment/get', { appointmentId: appointment.id });
    expect(read.appointment.overlapAcknowledged).toEqual({ at: now, byName: 'Desk A' });
  });

  it('an acknowledgement without a clash records nothing', async () => {
    const { appointment } = await clinic.ok('deskA', 'booking/create', { ...req('11:00', IDS.grey, 1), overlapAcknowledged: true });
    expect(appointment.overlapAcknowledged).toBeNull();
    expect(clinic.row(appointment.id)).toMatchObject({ overlap_acknowledged_at: null, overlap_acknowledged_by: null });
    expect(lastAudit().detail).toBeNull();
  });

  it('only `true` acknowledges (false or text is a field error)', async () => {
    await clinic.err('deskA', 'booking/create', { ...req('13:00', IDS.grey, 1), overlapAcknowledged: 'yes' }, 'validation/invalid-input');
    await clinic.err('deskA', 'booking/create', { ...req('13:00', IDS.grey, 1), overlapAcknowledged: false }, 'validation/invalid-input');
  });

  it('a cancelled appointment is no clash', async () => {
    const first = await clinic.book('deskA', { patient: 2, doctorId: IDS.grey, date: DAY, time: '14:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: first.id, party: 'clinic', reason: 'test' });
    await clinic.book('deskA', { patient: 2, doctorId: IDS.stone, date: DAY, time: '14:00' });
  });
});

describe('rescheduling', () => {
  it('into another appointment of the patient is refused with the clash named; with the acknowledgement it moves, recorded', async () => {
    await clinic.book('deskA', { patient: 3, doctorId: IDS.grey, date: DAY, time: '15:00' });
    const moving = await clinic.book('deskA', { patient: 3, doctorId: IDS.stone, date: DAY, time: '16:00' });
    const before = clinic.dataCounts();
    const e = await clinic.err('deskB', 'appointment/reschedule', { appointmentId: moving.id, startAt: at('15:00') }, 'booking/patient-overlap');
    expect(e.message).toContain('Dr Meredith Grey on Tue 2 Jun, 15:00–15:15');
    expect(clinic.dataCounts()).toEqual(before);
    expect(clinic.row(moving.id)?.status).toBe('booked');

    const { appointment } = await clinic.ok('deskB', 'appointment/reschedule', { appointmentId: moving.id, startAt: at('15:00'), overlapAcknowledged: true });
    expect(appointment.overlapAcknowledged).toEqual({ at: clinic.clock.now().toISOString(), byName: 'Desk B' });
    expect(lastAudit()).toMatchObject({ handler: 'appointment/reschedule', actor_id: clinic.staffIds.deskB, detail: expect.stringMatching(/^overlap acknowledged with appointment /) });
  });

  it('onto its own old time is no clash with itself', async () => {
    const a = await clinic.book('deskA', { patient: 4, doctorId: IDS.grey, consultationTypeId: IDS.extended, date: DAY, time: '16:00' });
    const { appointment } = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: a.id, startAt: at('16:15') });
    expect(appointment.overlapAcknowledged).toBeNull();
  });
});

describe('the database refuses an unacknowledged overlap itself', () => {
  it('a raw INSERT from another connection for a patient already booked then is refused; with the acknowledgement columns it is accepted', () => {
    const other = new Database(clinic.app.dbFile);
    try {
      const columns = 'id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at, status, created_at, created_by_kind, updated_at, overlap_acknowledged_at, overlap_acknowledged_by';
      const insert = (id: string, ackAt: string | null) =>
        other
          .prepare(`INSERT INTO appointment (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, 'system', ?, ?, ?)`)
          .run(id, clinic.patients[0]!.patientId, IDS.diaz, IDS.main, IDS.general, at('09:05'), at('09:10'), at('09:10'), at('08:00'), at('08:00'), ackAt, ackAt ? clinic.staffIds.admin : null);
      expect(() => insert('raw-overlap', null)).toThrow('booking/patient-overlap');
      expect(clinic.row('raw-overlap')).toBeUndefined();
      insert('raw-acknowledged', at('08:00'));
      expect(clinic.row('raw-acknowledged')).toBeDefined();
    } finally {
      other.close();
    }
  });

  it('no two live appointments of one doctor overlap', () => {
    expect(clinic.overlaps()).toEqual([]);
  });
});

describe('a slot refused only because of the doctor’s buffer says so', () => {
  it('starting inside the buffer after a visit: Dr Stone needs 10 minutes; this time starts right as the visit ends', async () => {
    await clinic.book('deskA', { patient: 5, doctorId: IDS.stone, date: '2026-06-03', time: '09:00' });
    const e = await clinic.err('deskB', 'booking/create', { ...req('09:15', IDS.stone, 4), startAt: clinic.at('2026-06-03', '09:15') }, 'booking/slot-taken');
    expect(e.fieldErrors).toEqual({ startAt: ['Dr Sam Stone needs 10 minutes between appointments; this time starts right as the visit before it ends at 09:15.'] });
    expect(e.message).toBe('Dr Sam Stone needs 10 minutes between appointments; this time starts right as the visit before it ends at 09:15. Choose one of the nearest free slots.');
    expect(e.details).toMatchObject({ reason: 'buffer', alternatives: expect.any(Array) });
  });

  it('with a longer buffer the gap is named: this time starts 15 minutes after the visit ending 10:15', async () => {
    // Dr Stone's buffer becomes 20 minutes (a roster change; the booking below keeps it).
    clinic.app.raw.prepare('UPDATE doctor SET buffer_minutes = 20 WHERE id = ?').run(IDS.stone);
    await clinic.book('deskA', { patient: 5, doctorId: IDS.stone, date: '2026-06-03', time: '10:00' });
    const e = await clinic.err('deskB', 'booking/create', { ...req('09:15', IDS.stone, 4), startAt: clinic.at('2026-06-03', '10:30') }, 'booking/slot-taken');
    expect(e.fieldErrors?.startAt).toEqual(['Dr Sam Stone needs 20 minutes between appointments; this time starts 15 minutes after the visit ending 10:15.']);
  });

  it('its own buffer running into the next visit: this visit would end at 11:00, just as the next starts', async () => {
    await clinic.book('deskA', { patient: 5, doctorId: IDS.stone, date: '2026-06-03', time: '11:00' });
    const e = await clinic.err('deskB', 'booking/create', { ...req('09:15', IDS.stone, 4), startAt: clinic.at('2026-06-03', '10:45') }, 'booking/slot-taken');
    expect(e.fieldErrors?.startAt).toEqual(['Dr Sam Stone needs 20 minutes between appointments; this visit would end at 11:00, just as the next visit starts.']);
  });

  it('a real overlap still says the time is taken', async () => {
    const e = await clinic.err('deskB', 'booking/create', { ...req('09:15', IDS.stone, 4), startAt: clinic.at('2026-06-03', '11:00') }, 'booking/slot-taken');
    expect(e.fieldErrors).toEqual({ startAt: ['That time is already taken.'] });
  });
});
