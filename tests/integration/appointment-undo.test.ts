import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput } from '../helpers/referrals.js';
import { envelopesOf } from '../helpers/events.js';
import { auditRows } from '../helpers/test-app.js';

/**
 * Undo of a check-in, a no-show or a cancellation (issue 12, item 3): a real server operation,
 * for 10 minutes, by the staff member who acted, once; a cancellation only while the slot is
 * still free, with what it did to money reversed — or refused in plain words, nothing written.
 * Now is Monday 1 June 2026, 08:00 New York; a general consultation costs $60.00; the
 * cancellation window is 24 hours.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const TODAY = '2026-06-01';
const key = () => `pay-${Math.random().toString(36).slice(2)}`;
const q = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).get(...args) as T;
const balance = (account: string) => one<{ n: number | null }>('SELECT sum(amount_minor) AS n FROM ledger_entry WHERE account = ?', account).n ?? 0;
const unbalanced = () => q('SELECT txn_id FROM ledger_entry GROUP BY txn_id, currency HAVING sum(amount_minor) <> 0');

/** Every table's rows, for "a refusal writes nothing". */
const snapshot = () => ({ counts: clinic.dataCounts(), appointments: clinic.rows(), undo: q('SELECT * FROM appointment_undo ORDER BY id') });

async function cancel(id: string, party: 'patient' | 'clinic' = 'clinic') {
  const out = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: id, party, reason: 'Patient rang' });
  expect(out.undo).toMatchObject({ action: 'cancel', expiresAt: new Date(clinic.clock.now().getTime() + 10 * 60_000).toISOString() });
  return out.undo!.id;
}

describe('undo a check-in', () => {
  it('goes back to booked, audited, with a change event; a replay does nothing twice', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '10:00' });
    const checkedIn = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' });
    expect(checkedIn.undo?.action).toBe('check_in');
    await clinic.advance({ minutes: 2 });
    const out = await clinic.ok('deskA', 'appointment/undo', { undoId: checkedIn.undo!.id });
    expect(out).toMatchObject({ alreadyUndone: false, summary: 'The check-in is undone: the appointment is booked again.' });
    expect(out.appointment.status).toBe('booked');
    expect(clinic.row(a.id)).toMatchObject({ status: 'booked', status_changed_by: clinic.staffIds.deskA, status_changed_at: '2026-06-01T12:02:00.000Z' });
    expect(envelopesOf(clinic.app, 'appointment', a.id).map((e) => e.record.status)).toEqual(['booked', 'checked_in', 'booked']);
    expect(auditRows(clinic.app).filter((r) => r.handler === 'appointment/undo')).toEqual([expect.objectContaining({ record_type: 'appointment', record_id: a.id })]);

    const before = snapshot();
    const events = envelopesOf(clinic.app, 'appointment', a.id).length;
    const again = await clinic.ok('deskA', 'appointment/undo', { undoId: checkedIn.undo!.id });
    expect(again).toMatchObject({ alreadyUndone: true, appointment: { status: 'booked' } });
    expect(snapshot()).toEqual(before);
    expect(envelopesOf(clinic.app, 'appointment', a.id)).toHaveLength(events);
  });

  it('is refused for another staff member, after 10 minutes, and once the visit moved on; nothing is written', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '10:00' });
    const { undo } = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' });
    let before = snapshot();
    const other = await clinic.err('deskB', 'appointment/undo', { undoId: undo!.id }, 'appointment/undo-not-yours');
    expect(other.message).toBe('Only the person who recorded this check-in can undo it.');
    expect(snapshot()).toEqual(before);

    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'completed' });
    before = snapshot();
    const stale = await clinic.err('deskA', 'appointment/undo', { undoId: undo!.id }, 'appointment/undo-stale');
    expect(stale.message).toBe('This appointment has changed since (it is now completed): there is nothing to undo.');
    expect(snapshot()).toEqual(before);

    const b = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '11:00' });
    const late = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: b.id, status: 'checked_in' });
    await clinic.advance({ minutes: 10 });
    before = snapshot();
    const expired = await clinic.err('deskA', 'appointment/undo', { undoId: late.undo!.id }, 'appointment/undo-expired');
    expect(expired.message).toBe('A check-in can be undone for 10 minutes only.');
    expect(snapshot()).toEqual(before);
  });

  it('completing a visit offers no undo; an unknown undo id is not found', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '10:00' });
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' });
    const done = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'completed' });
    expect(done.undo).toBeNull();
    await clinic.err('deskA', 'appointment/undo', { undoId: '00000000-0000-4000-8000-000000000000' }, 'common/not-found');
  });
});

describe('undo a no-show', () => {
  it('goes back to booked; the no-show fee kept is reversed and the waiting terminal refund withdrawn', async () => {
    await clinic.ok('admin', 'settings/update', { noShowFeeMinor: 2500 });
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '09:00' });
    await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: a.id, amountMinor: 6000, reference: 'TRM-1', idempotencyKey: key() });
    await clinic.setNow('2026-06-01T13:05:00.000Z'); // 09:05 in New York
    const missed = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'no_show' });
    expect(missed.undo?.action).toBe('no_show');
    expect(balance('fee_income')).toBe(-2500);
    expect(q("SELECT status FROM refund WHERE appointment_id = ?", a.id)).toEqual([{ status: 'pending' }]);
    expect(q('SELECT kind FROM payment_attention WHERE resolved_at IS NULL')).toEqual([{ kind: 'refund-on-terminal' }]);

    const out = await clinic.ok('deskA', 'appointment/undo', { undoId: missed.undo!.id });
    expect(out.appointment).toMatchObject({ status: 'booked', paymentStatus: 'paid' });
    expect(clinic.row(a.id)).toMatchObject({ fee_minor: 0 });
    expect(balance('fee_income')).toBe(0);
    expect(balance('revenue')).toBe(-6000);
    expect(balance('card_terminal')).toBe(6000);
    expect(q('SELECT status, failure_reason FROM refund WHERE appointment_id = ?', a.id)).toEqual([{ status: 'failed', failure_reason: 'Withdrawn: the no-show was undone' }]);
    expect(q('SELECT kind FROM payment_attention WHERE resolved_at IS NULL')).toEqual([]);
    const summary = await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id });
    expect(summary).toMatchObject({ status: 'paid', paidMinor: 6000, refundedMinor: 0, dueMinor: 0 });
    expect(unbalanced()).toEqual([]);
  });

  it('a no-show after check-in goes back to checked in', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '09:00' });
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'checked_in' });
    await clinic.setNow('2026-06-01T13:30:00.000Z');
    const missed = await clinic.ok('deskA', 'appointment/set-status', { appointmentId: a.id, status: 'no_show' });
    const out = await clinic.ok('deskA', 'appointment/undo', { undoId: missed.undo!.id });
    expect(out.appointment.status).toBe('checked_in');
    expect(out.summary).toBe('The no-show is undone: the appointment is checked in again.');
  });
});

describe('undo a cancellation', () => {
  it('books the slot again, restores the late fee to nothing and takes the referral use again', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 1500 });
    await clinic.ok('admin', 'referral/save', codeInput({ code: 'ONCE-10', usageLimit: 1 }));
    const { appointment: a } = await clinic.ok('deskA', 'booking/create', {
      patientId: clinic.patients[0]!.patientId,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at(TODAY, '15:00'),
      referralCode: 'ONCE-10',
    });
    const undoId = await cancel(a.id, 'patient');
    expect(clinic.row(a.id)).toMatchObject({ status: 'cancelled', fee_minor: 1500, cancelled_within_policy_window: 1 });
    expect(q("SELECT status FROM referral_redemption ORDER BY created_at")).toEqual([{ status: 'released' }]);

    const out = await clinic.ok('deskA', 'appointment/undo', { undoId });
    expect(out.summary).toBe('The cancellation is undone: the appointment is booked again.');
    expect(out.appointment).toMatchObject({ status: 'booked', paymentStatus: 'unpaid', price: { totalMinor: 5400, referralCode: 'ONCE-10' } });
    expect(clinic.row(a.id)).toMatchObject({ status: 'booked', fee_minor: 0, cancelled_by_party: null, cancel_reason: null, cancelled_within_policy_window: null });
    const uses = q<{ id: string; status: string; appointment_id: string }>('SELECT id, status, appointment_id FROM referral_redemption ORDER BY status');
    expect(uses.map((u) => u.status)).toEqual(['confirmed', 'released']);
    expect(clinic.row(a.id)?.referral_redemption_id).toBe(uses[0]!.id);
    // The code's only use is taken again: nobody else can have it.
    const check = await clinic.ok('deskB', 'referral/check', { code: 'ONCE-10', patientId: clinic.patients[1]!.patientId, consultationTypeId: IDS.general });
    expect(check).toMatchObject({ valid: false, reason: 'used-up' });
    expect(await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id })).toMatchObject({ dueMinor: 5400, feeMinor: 0 });
  });

  it('is refused when the slot was booked or held for someone else meanwhile; nothing is written', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    const undoId = await cancel(a.id);
    await clinic.book('deskB', { patient: 1, doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    const before = snapshot();
    const err = await clinic.err('deskA', 'appointment/undo', { undoId }, 'appointment/undo-slot-taken');
    expect(err.message).toBe('This time has been booked for someone else since, so the cancellation cannot be undone. Book the patient at another time.');
    expect(snapshot()).toEqual(before);

    const b = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '11:00' });
    const undoB = await cancel(b.id);
    await clinic.ok('deskB', 'booking/hold', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '11:00') });
    const held = await clinic.err('deskA', 'appointment/undo', { undoId: undoB }, 'appointment/undo-slot-taken');
    expect(held.message).toMatch(/^This time has been held for someone else since/);
    expect(clinic.row(b.id)?.status).toBe('cancelled');
  });

  it('is refused when the patient was booked elsewhere at that time meanwhile', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    const undoId = await cancel(a.id);
    await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-02', time: '10:00' });
    const err = await clinic.err('deskA', 'appointment/undo', { undoId }, 'appointment/undo-patient-busy');
    expect(err.message).toMatch(/^The patient has been booked with Dr .* at 10:00 since/);
    expect(clinic.row(a.id)?.status).toBe('cancelled');
  });

  it('is refused after 10 minutes, for other staff, and replayed only once', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    const undoId = await cancel(a.id);
    await clinic.err('deskB', 'appointment/undo', { undoId }, 'appointment/undo-not-yours');
    await clinic.advance({ minutes: 9, seconds: 59 });
    const first = await clinic.ok('deskA', 'appointment/undo', { undoId });
    expect(first.appointment.status).toBe('booked');
    const events = envelopesOf(clinic.app, 'appointment', a.id).length;
    const replay = await clinic.ok('deskA', 'appointment/undo', { undoId });
    expect(replay.alreadyUndone).toBe(true);
    expect(envelopesOf(clinic.app, 'appointment', a.id)).toHaveLength(events);

    const b = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '11:00' });
    const undoB = await cancel(b.id);
    await clinic.advance({ minutes: 10 });
    const before = snapshot();
    const err = await clinic.err('deskA', 'appointment/undo', { undoId: undoB }, 'appointment/undo-expired');
    expect(err.message).toBe('A cancellation can be undone for 10 minutes only. Book the patient again instead.');
    expect(snapshot()).toEqual(before);
  });

  it('is refused plainly when the refund has gone (cash paid out) and when the referral use was taken meanwhile', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
    const undoId = await cancel(a.id);
    const before = snapshot();
    const err = await clinic.err('deskA', 'appointment/undo', { undoId }, 'appointment/undo-money');
    expect(err.message).toBe('$60.00 has already been refunded (cash), so the cancellation cannot be undone. Book the patient again and take the payment again.');
    expect(snapshot()).toEqual(before);

    await clinic.ok('admin', 'referral/save', codeInput({ code: 'ONCE-20', usageLimit: 1 }));
    const { appointment: b } = await clinic.ok('deskA', 'booking/create', {
      patientId: clinic.patients[0]!.patientId,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at('2026-06-02', '11:00'),
      referralCode: 'ONCE-20',
    });
    const undoB = await cancel(b.id);
    await clinic.ok('deskB', 'booking/create', {
      patientId: clinic.patients[1]!.patientId,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at('2026-06-02', '11:30'),
      referralCode: 'ONCE-20',
    });
    const beforeB = snapshot();
    const used = await clinic.err('deskA', 'appointment/undo', { undoId: undoB }, 'appointment/undo-referral');
    expect(used.message).toBe('The referral code ONCE-20 has no use left since, so the cancellation cannot be undone at the same price. Book the patient again.');
    expect(snapshot()).toEqual(beforeB);
  });

  it('is refused once the appointment time has passed', async () => {
    const b = await clinic.book('deskA', { doctorId: IDS.grey, date: TODAY, time: '09:00' });
    await clinic.setNow('2026-06-01T12:55:00.000Z');
    const undoB = await cancel(b.id);
    await clinic.setNow('2026-06-01T13:01:00.000Z');
    const err = await clinic.err('deskA', 'appointment/undo', { undoId: undoB }, 'appointment/undo-started');
    expect(err.message).toBe('The appointment time has passed, so the cancellation cannot be undone.');
  });

  it('a patient cancelling online gets no undo', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    const out = await clinic.asPatient(clinic.patients[0]!, 'appointment/cancel', { appointmentId: a.id });
    expect(out.undo).toBeNull();
    expect(q('SELECT * FROM appointment_undo')).toEqual([]);
  });
});
