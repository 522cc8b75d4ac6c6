import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * The agenda's filters and totals (issue 12, item 12): by doctor and location, counts per status
 * for the day, the day's expected money; cancelled visits listed on request, moved ones not.
 * Now is Monday 1 June 2026, 08:00 New York; a general consultation costs $60.00.
 */
let clinic: Clinic;
beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => {
  await clinic.dispose();
});

const DAY = '2026-06-02';

describe('agenda/day', () => {
  it('counts per status, expected money, location and doctor filters, cancelled rows on request', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 1500 });
    const a = await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date: DAY, time: '09:00' });
    const b = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: DAY, time: '10:00' });
    const c = await clinic.book('deskA', { patient: 2, doctorId: IDS.stone, date: DAY, time: '10:00' });
    const moved = await clinic.book('deskA', { patient: 3, doctorId: IDS.stone, date: DAY, time: '11:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: b.id, party: 'clinic', reason: 'Doctor ill' });
    await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: moved.id, startAt: clinic.at(DAY, '11:30') });

    const day = await clinic.ok('deskA', 'agenda/day', { date: DAY, includeCancelled: true });
    expect(day.counts).toEqual({ booked: 3, checked_in: 0, completed: 0, no_show: 0, cancelled: 1 });
    // Three visits at $60.00; the clinic's cancellation keeps no fee; the moved visit counts once.
    expect(day.expected).toEqual([{ currency: 'USD', minor: 18000 }]);
    expect(day.items.map((i) => [i.localStart, i.status])).toEqual([
      ['09:00', 'booked'],
      ['10:00', 'cancelled'],
      ['10:00', 'booked'],
      ['11:30', 'booked'],
    ]);
    expect(day.items.find((i) => i.id === b.id)?.cancelReason).toBe('Doctor ill');
    expect(day.locations.map((l) => l.id).sort()).toEqual([IDS.annex, IDS.main].sort());

    const hidden = await clinic.ok('deskA', 'agenda/day', { date: DAY });
    expect(hidden.items.map((i) => i.id)).not.toContain(b.id);
    expect(hidden.counts.cancelled).toBe(1);

    const grey = await clinic.ok('deskA', 'agenda/day', { date: DAY, doctorId: IDS.grey, includeCancelled: true });
    expect(grey.items.map((i) => i.id)).toEqual([a.id, b.id]);
    expect(grey.counts).toMatchObject({ booked: 1, cancelled: 1 });
    expect(grey.expected).toEqual([{ currency: 'USD', minor: 6000 }]);

    const at = c.locationId;
    const here = await clinic.ok('deskA', 'agenda/day', { date: DAY, locationId: at, includeCancelled: true });
    expect(here.items.every((i) => i.locationId === at)).toBe(true);
    const elsewhere = await clinic.ok('deskA', 'agenda/day', { date: DAY, locationId: at === IDS.main ? IDS.annex : IDS.main, includeCancelled: true });
    expect(elsewhere.items.every((i) => i.locationId !== at)).toBe(true);
    expect(here.items.length + elsewhere.items.length).toBe(4);
  });
});
