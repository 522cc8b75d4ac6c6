import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, AppointmentView } from '../../src-main/contract/index.js';
import { listen } from '../helpers/http.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput } from '../helpers/referrals.js';

/**
 * Referral codes at booking (issue 10, items 2–4): the code is reserved and confirmed in the
 * booking's transaction, the breakdown is stored on the appointment and returned; a code that
 * cannot be used refuses the booking with the reason on `referralCode` and writes nothing;
 * cancelling gives the use back, rescheduling keeps exactly one. Now is Monday 1 June 2026,
 * 08:00 New York; the general consultation costs $60.00.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic({ patients: 3 });
});
afterEach(async () => {
  await clinic.dispose();
});

const save = async (overrides: Record<string, unknown> = {}) => (await clinic.ok('admin', 'referral/save', codeInput(overrides))).code;

const request = (time: string, patient = 0, extra: Record<string, unknown> = {}) => ({
  patientId: clinic.patients[patient]!.patientId,
  doctorId: IDS.grey,
  consultationTypeId: IDS.general,
  startAt: clinic.at('2026-06-02', time),
  ...extra,
});

const redemptions = () =>
  clinic.app.raw.prepare('SELECT id, status, appointment_id, hold_id, released_reason FROM referral_redemption ORDER BY created_at, id').all() as Array<{
    id: string;
    status: string;
    appointment_id: string | null;
    hold_id: string | null;
    released_reason: string | null;
  }>;
const eventCount = () => (clinic.app.raw.prepare('SELECT count(*) FROM event').pluck().get() as number);

/** A booking that must be refused with `code`, a field error on referralCode, and nothing written. */
async function refusedWithNothingWritten(code: string, input: unknown, who: Parameters<Clinic['err']>[0] = 'deskA'): Promise<AppError> {
  const before = clinic.dataCounts();
  const events = eventCount();
  const error = await clinic.err(who, 'booking/create', input, code);
  expect(clinic.dataCounts()).toEqual(before);
  expect(eventCount()).toBe(events);
  return error;
}

describe('a referral code at booking', () => {
  it('stores the breakdown on the appointment and returns it from booking/create, appointment/get and the history', async () => {
    await save({ code: 'SUMMER-10', discount: { kind: 'percent', bp: 1000, capMinor: null } });
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { referralCode: ' summer-10 ' }));
    const price = { baseMinor: 6000, discountMinor: 600, totalMinor: 5400, currency: 'USD', referralCode: 'SUMMER-10' };
    expect(appointment.price).toEqual(price);
    expect(appointment.priceMinor).toBe(5400);
    const row = clinic.row(appointment.id)!;
    expect(row).toMatchObject({ base_minor: 6000, discount_minor: 600, price_minor: 5400, currency: 'USD', referral_code: 'SUMMER-10' });
    const [use] = redemptions();
    expect(use).toMatchObject({ status: 'confirmed', appointment_id: appointment.id });
    expect(row.referral_redemption_id).toBe(use!.id);
    expect((await clinic.ok('deskA', 'appointment/get', { appointmentId: appointment.id })).appointment.price).toEqual(price);
    const history = await clinic.ok('deskA', 'appointment/history', { patientId: clinic.patients[0]!.patientId });
    expect(history.items.map((a) => a.price)).toEqual([price]);
    // Without a code (or an empty one): the plain price, no redemption.
    const plain = await clinic.ok('deskA', 'booking/create', request('09:30', 1, { referralCode: '  ' }));
    expect(plain.appointment.price).toEqual({ baseMinor: 6000, discountMinor: 0, totalMinor: 6000, currency: 'USD', referralCode: null });
    expect(redemptions()).toHaveLength(1);
  });

  it('never takes the total below zero: a fixed discount above the price makes it free', async () => {
    await save({ code: 'FREE', discount: { kind: 'fixed', amountMinor: 10_000, currency: 'USD' } });
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { referralCode: 'free' }));
    expect(appointment.price).toEqual({ baseMinor: 6000, discountMinor: 6000, totalMinor: 0, currency: 'USD', referralCode: 'FREE' });
    // The database refuses a breakdown that does not add up, whatever writes it.
    expect(() => clinic.app.raw.prepare('UPDATE appointment SET discount_minor = 7000 WHERE id = ?').run(appointment.id)).toThrow(/appointment\/price-breakdown/);
    expect(() => clinic.app.raw.prepare('UPDATE appointment SET price_minor = 100 WHERE id = ?').run(appointment.id)).toThrow(/appointment\/price-breakdown/);
  });

  it('refuses the booking for each reason referral/check gives, in the same words, on referralCode, and writes nothing', async () => {
    await save({ code: 'OFF' });
    await clinic.ok('admin', 'referral/set-active', { id: (await clinic.ok('admin', 'referral/list', {})).codes[0]!.id, version: 1, active: false });
    await save({ code: 'LATER', validFrom: '2026-06-02' });
    await save({ code: 'OLD', validUntil: '2026-05-31' });
    await save({ code: 'CARDIO', consultationTypeIds: [IDS.cardiology] });
    await save({ code: 'BIG-ONLY', minAmountMinor: 10_000 });
    await save({ code: 'ONCE', usageLimit: 1 });
    await save({ code: 'MINE', perPatientLimit: 1 });
    await clinic.ok('deskA', 'booking/create', request('09:00', 1, { referralCode: 'ONCE' }));
    await clinic.ok('deskA', 'booking/create', request('09:15', 0, { referralCode: 'MINE' }));

    const cases: Array<[string, string, string]> = [
      ['NOPE', 'referral/unknown', 'There is no referral code “NOPE”. Check the spelling.'],
      ['off', 'referral/deactivated', 'The code OFF has been deactivated.'],
      ['LATER', 'referral/not-yet-valid', 'The code LATER can be used from 2 June 2026.'],
      ['OLD', 'referral/expired', 'The code OLD expired on 31 May 2026.'],
      ['CARDIO', 'referral/not-for-consultation', 'The code CARDIO is not for this consultation.'],
      ['BIG-ONLY', 'referral/below-minimum', 'The code BIG-ONLY needs a price of at least $100.00.'],
      ['ONCE', 'referral/used-up', 'The code ONCE has been used up.'],
      ['MINE', 'referral/patient-limit', 'This patient has already used the code MINE.'],
    ];
    for (const [code, errorCode, message] of cases) {
      const error = await refusedWithNothingWritten(errorCode, request('10:00', 0, { referralCode: code }));
      expect(error.fieldErrors).toEqual({ referralCode: [message] });
      const check = await clinic.ok('deskA', 'referral/check', { code, consultationTypeId: IDS.general, patientId: clinic.patients[0]!.patientId });
      expect([check.valid, check.message]).toEqual([false, message]);
    }
    // The slot is still free: the same booking without the code goes through.
    await clinic.ok('deskA', 'booking/create', request('10:00', 0));
  });

  it('hostile code text is a field error on referralCode, and nothing is written', async () => {
    await save({ code: 'SUMMER-10' });
    for (const [code, errorCode] of [
      ['SUMMER\ud800-10', 'validation/invalid-input'],
      ['\udc00', 'validation/invalid-input'],
      ['A'.repeat(10_000), 'validation/invalid-input'],
      ["' OR 1=1; DROP TABLE referral_code; --", 'referral/unknown'],
      ['SUMMER-10\nX', 'referral/unknown'],
      ['SUMMER-10%', 'referral/unknown'],
    ] as const) {
      const error = await refusedWithNothingWritten(errorCode, request('09:00', 0, { referralCode: code }));
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(['referralCode']);
      expect(error.fieldErrors!.referralCode![0]!.length).toBeLessThan(200);
    }
    expect(clinic.app.raw.prepare('SELECT count(*) FROM referral_code').pluck().get()).toBe(1);
  });

  it('a replay with the same idempotency key returns the same booking and uses the code once', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const input = request('09:00', 0, { referralCode: 'ONCE', idempotencyKey: 'desk-a-code-retry-01' });
    const first = await clinic.ok('deskA', 'booking/create', input);
    const again = await clinic.ok('deskA', 'booking/create', input);
    expect(again.appointment).toEqual(first.appointment);
    expect(clinic.appointmentCount()).toBe(1);
    expect(redemptions().map((r) => r.status)).toEqual(['confirmed']);
    const list = await clinic.ok('admin', 'referral/list', {});
    expect(list.codes[0]).toMatchObject({ used: 1, reserved: 0 });
  });

  it('cancelling gives the use back: a code limited to one can be used again', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { referralCode: 'ONCE' }));
    await refusedWithNothingWritten('referral/used-up', request('09:30', 1, { referralCode: 'ONCE' }));
    const cancelled = await clinic.ok('deskA', 'appointment/cancel', { appointmentId: appointment.id, party: 'patient', reason: 'Patient called' });
    // The cancelled appointment keeps the price it was booked at (for the record).
    expect(cancelled.appointment.price).toMatchObject({ discountMinor: 600, referralCode: 'ONCE' });
    expect(redemptions()[0]).toMatchObject({ status: 'released', released_reason: 'appointment cancelled' });
    const other = await clinic.ok('deskA', 'booking/create', request('09:30', 1, { referralCode: 'ONCE' }));
    expect(other.appointment.price.discountMinor).toBe(600);
  });

  it('a patient cancelling their own booking gives the use back too', async () => {
    await save({ code: 'MINE', perPatientLimit: 1 });
    const patient = clinic.patients[0]!;
    const { appointment } = await clinic.asPatient(patient, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), referralCode: 'mine' });
    expect(appointment.price.totalMinor).toBe(5400);
    await clinic.asPatient(patient, 'appointment/cancel', { appointmentId: appointment.id });
    const again = await clinic.asPatient(patient, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00'), referralCode: 'MINE' });
    expect(again.appointment.price.referralCode).toBe('MINE');
  });

  it('rescheduling moves the use and the price to the new appointment: still one use', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { referralCode: 'ONCE' }));
    // The price of the consultation changes meanwhile: the moved appointment keeps the booked price.
    clinic.app.raw.prepare('UPDATE consultation_type SET price_minor = 7000 WHERE id = ?').run(IDS.general);
    const moved = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: appointment.id, startAt: clinic.at('2026-06-03', '14:00'), reason: 'Patient asked' });
    expect(moved.appointment.price).toEqual({ baseMinor: 6000, discountMinor: 600, totalMinor: 5400, currency: 'USD', referralCode: 'ONCE' });
    expect(redemptions()).toEqual([expect.objectContaining({ status: 'confirmed', appointment_id: moved.appointment.id })]);
    expect((await clinic.ok('admin', 'referral/list', {})).codes[0]).toMatchObject({ used: 1 });
    await refusedWithNothingWritten('referral/used-up', request('09:30', 1, { referralCode: 'ONCE' }));
    // Moving twice still counts once; cancelling the final one frees the use.
    const again = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: moved.appointment.id, startAt: clinic.at('2026-06-04', '14:00'), reason: '' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: again.appointment.id, reason: 'Patient moved away' });
    expect(redemptions().map((r) => [r.status, r.appointment_id])).toEqual([['released', again.appointment.id]]);
    await clinic.ok('deskA', 'booking/create', request('09:30', 1, { referralCode: 'ONCE' }));
  });

  it('a patient token cannot use another patient’s per-patient allowance', async () => {
    await save({ code: 'MINE', perPatientLimit: 1 });
    const [ada, boris] = clinic.patients as [typeof clinic.patients[0], typeof clinic.patients[0]];
    await clinic.asPatient(ada, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), referralCode: 'MINE' });
    // Ada again: her own allowance is spent, in her words.
    const own = await refusedWithNothingWritten('referral/patient-limit', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00'), referralCode: 'MINE' }, { patientToken: ada.accessToken });
    expect(own.fieldErrors?.referralCode).toEqual(['You have already used the code MINE.']);
    // Ada naming Boris (whose allowance is unused) is refused outright.
    await refusedWithNothingWritten('auth/forbidden', { patientId: boris.patientId, doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00'), referralCode: 'MINE' }, { patientToken: ada.accessToken });
    await clinic.err({ patientToken: ada.accessToken }, 'referral/check', { code: 'MINE', consultationTypeId: IDS.general, patientId: boris.patientId }, 'auth/forbidden');
    // Boris uses his own.
    const his = await clinic.asPatient(boris, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00'), referralCode: 'MINE' });
    expect(his.appointment.patientId).toBe(boris.patientId);
  });
});

describe('a referral code with the desk’s hold', () => {
  it('booking/hold with a code reserves one use while the hold lives; the booking naming the hold takes it over', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const hold = await clinic.ok('deskA', 'booking/hold', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), patientId: clinic.patients[0]!.patientId, referralCode: 'once' });
    expect(hold.price).toEqual({ baseMinor: 6000, discountMinor: 600, totalMinor: 5400, currency: 'USD', referralCode: 'ONCE' });
    expect(redemptions()).toEqual([expect.objectContaining({ status: 'reserved', hold_id: hold.holdId })]);
    // Desk B cannot take the last use while desk A holds it.
    await refusedWithNothingWritten('referral/used-up', request('11:00', 1, { referralCode: 'ONCE' }), 'deskB');
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { holdId: hold.holdId, referralCode: 'ONCE' }));
    expect(appointment.price.discountMinor).toBe(600);
    expect(redemptions()).toEqual([expect.objectContaining({ status: 'confirmed', hold_id: hold.holdId, appointment_id: appointment.id })]);
  });

  it('releasing the hold releases its reservation; booking the held slot without the code releases it too', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const holdInput = { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), patientId: clinic.patients[0]!.patientId, referralCode: 'ONCE' };
    const hold = await clinic.ok('deskA', 'booking/hold', holdInput);
    await clinic.ok('deskA', 'booking/release-hold', { holdId: hold.holdId });
    expect(redemptions()).toEqual([expect.objectContaining({ status: 'released', released_reason: 'hold released' })]);
    const second = await clinic.ok('deskA', 'booking/hold', holdInput);
    const { appointment } = await clinic.ok('deskA', 'booking/create', request('09:00', 0, { holdId: second.holdId }));
    expect(appointment.price.referralCode).toBeNull();
    expect(redemptions().map((r) => r.status)).toEqual(['released', 'released']);
    await clinic.ok('deskB', 'booking/create', request('11:00', 1, { referralCode: 'ONCE' }));
  });

  it('holding another slot replaces the hold and its reservation; an expired hold’s reservation stops counting', async () => {
    await save({ code: 'ONCE', usageLimit: 1 });
    const at = (time: string) => ({ doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', time), patientId: clinic.patients[0]!.patientId, referralCode: 'ONCE' });
    await clinic.ok('deskA', 'booking/hold', at('09:00'));
    // The same desk moves to another slot: the first reservation is released, so the use is free for the new hold.
    const moved = await clinic.ok('deskA', 'booking/hold', at('09:30'));
    expect(redemptions().map((r) => [r.status, r.hold_id === moved.holdId]).sort()).toEqual([['released', false], ['reserved', true]]);
    // The hold expires: the use counts no more, and desk B may book with the code.
    clinic.clock.advance({ minutes: clinic.app.settings().holdMinutes + 1 }); // same sessions: the holds stay desk A's
    await clinic.ok('deskB', 'booking/create', request('11:00', 1, { referralCode: 'ONCE' }));
    // Desk A's late booking on the expired hold is refused for the hold; nothing more is used.
    await clinic.err('deskA', 'booking/create', request('09:30', 0, { holdId: moved.holdId, referralCode: 'ONCE' }), 'booking/hold-expired');
    expect((await clinic.ok('admin', 'referral/list', {})).codes[0]).toMatchObject({ used: 1, reserved: 0 });
  });

  it('a hold with a code that cannot be used is refused on referralCode, and nothing is written', async () => {
    const before = clinic.dataCounts();
    const error = await clinic.err('deskA', 'booking/hold', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), patientId: clinic.patients[0]!.patientId, referralCode: 'NOPE' }, 'referral/unknown');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['referralCode']);
    const noPatient = await clinic.err('deskA', 'booking/hold', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), referralCode: 'NOPE' }, 'validation/invalid-input');
    expect(Object.keys(noPatient.fieldErrors ?? {})).toEqual(['patientId']);
    expect(clinic.dataCounts()).toEqual(before);
  });
});

describe('POST /api/patients/appointments with a referralCode', () => {
  let server: FastifyInstance;
  let base: string;
  beforeEach(async () => {
    ({ server, base } = await listen(clinic.app));
  });
  afterEach(async () => {
    await server.close();
  });

  it('a patient books with a code and gets the breakdown; a bad code is a 4xx with the reason on referralCode', async () => {
    await save({ code: 'SUMMER-10' });
    const patient = clinic.patients[0]!;
    const post = async (body: unknown, key?: string) => {
      const res = await fetch(`${base}/api/patients/appointments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${patient.accessToken}`, ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { ok: true; data: { appointment: AppointmentView } } | { ok: false; error: AppError } };
    };
    const bad = await post({ doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), referralCode: 'WINTER' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.body.ok ? null : bad.body.error.fieldErrors).toEqual({ referralCode: ['There is no referral code “WINTER”. Check the spelling.'] });
    expect(clinic.appointmentCount()).toBe(0);

    const body = { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:00'), referralCode: 'summer-10' };
    const good = await post(body, 'patient-rest-retry-0001');
    expect(good.status).toBe(200);
    if (!good.body.ok) throw new Error(JSON.stringify(good.body.error));
    expect(good.body.data.appointment.price).toEqual({ baseMinor: 6000, discountMinor: 600, totalMinor: 5400, currency: 'USD', referralCode: 'SUMMER-10' });
    // A retried request with the same key: the same booking, one use.
    const retry = await post(body, 'patient-rest-retry-0001');
    expect(retry.body.ok && retry.body.data.appointment.id).toBe(good.body.data.appointment.id);
    expect(redemptions()).toHaveLength(1);
  });
});
