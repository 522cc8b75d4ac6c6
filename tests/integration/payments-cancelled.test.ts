import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * A cancelled visit owes only the fee the clinic's policy keeps (issue 12): one cancelled before
 * anything was paid, with no fee, owes nothing — every way of taking money refuses it in plain
 * words and writes nothing — and the agenda says which fee (if any) is due, so the screen offers
 * "Take the fee" or nothing instead of "Pay". Now is Monday 1 June 2026, 08:00 New York; a
 * general consultation costs $60.00; the cancellation window is 24 hours.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const key = () => `pay-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const moneyCounts = () =>
  clinic.app.raw.prepare('SELECT (SELECT count(*) FROM payment) AS payments, (SELECT count(*) FROM ledger_entry) AS ledger, (SELECT count(*) FROM refund) AS refunds').get();
const agendaItem = async (date: string, id: string) =>
  (await clinic.ok('deskA', 'agenda/day', { date, includeCancelled: true })).items.find((i) => i.id === id);

describe('paying for a cancelled visit', () => {
  it('a visit cancelled unpaid without a fee owes nothing: every way to pay is refused in words, nothing written', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Feeling better' });
    expect(await agendaItem('2026-06-04', a.id)).toMatchObject({ status: 'cancelled', paymentStatus: 'unpaid', feeMinor: 0 });
    expect(await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id })).toMatchObject({ dueMinor: 0, feeMinor: 0 });

    const before = moneyCounts();
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() }],
      ['payment/record', { method: 'card_terminal', appointmentId: a.id, amountMinor: 6000, reference: 'TRM-1', idempotencyKey: key() }],
      ['payment/record', { method: 'no_charge', appointmentId: a.id, reason: 'Goodwill', idempotencyKey: key() }],
      ['payment/start-stripe', { method: 'stripe_checkout', appointmentId: a.id, idempotencyKey: key() }],
    ];
    for (const [name, input] of attempts) {
      const err = await clinic.err('deskA', name, input, 'payment/nothing-due');
      expect(err.message, `${name} ${String(input.method)}`).toBe('This appointment is cancelled and nothing is due.');
    }
    expect(moneyCounts()).toEqual(before);
  });

  it('a late cancellation with a fee: the agenda names the fee, and only the fee can be taken', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 1500 });
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '15:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Forgot' });
    expect(await agendaItem('2026-06-01', a.id)).toMatchObject({ status: 'cancelled', paymentStatus: 'unpaid', feeMinor: 1500 });
    const tooMuch = await clinic.err('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() }, 'payment/too-much');
    expect(tooMuch.fieldErrors?.amountMinor).toEqual(['Only $15.00 is due.']);
    const fee = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 1500, tenderedMinor: 1500, idempotencyKey: key() });
    expect(fee.summary).toMatchObject({ status: 'paid', dueMinor: 0 });
    expect(await agendaItem('2026-06-01', a.id)).toMatchObject({ paymentStatus: 'paid', feeMinor: 1500 });
  });

  it('a visit not cancelled has no fee in the agenda', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    expect(await agendaItem('2026-06-02', a.id)).toMatchObject({ status: 'booked', paymentStatus: 'unpaid', feeMinor: 0 });
  });
});
