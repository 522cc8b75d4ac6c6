import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { freeSlots } from '../../src-main/core/scheduling/availability.js';

/**
 * booking/find-slots searches outwards from the preference in doubling windows; its answer
 * must be exactly the nearest `limit` slots of the whole range, computed here directly.
 */
let clinic: Clinic;
beforeAll(async () => {
  clinic = await openClinic();
  // Some bookings so that the nearest slots are not simply the first ones.
  for (const [date, time] of [['2026-06-02', '09:00'], ['2026-06-02', '09:15'], ['2026-06-03', '14:00'], ['2026-06-04', '10:30']] as const) {
    await clinic.book('deskA', { doctorId: IDS.grey, date, time });
  }
});
afterAll(async () => clinic.dispose());

const DAY = 86_400_000;

describe('booking/find-slots: nearest slots around the preference', () => {
  const cases = [
    { preferredDate: '2026-06-02', preferredTime: '09:10', limit: 5 },
    { preferredDate: '2026-06-03', preferredTime: '12:00', limit: 12 },
    { preferredDate: '2026-06-06', preferredTime: '08:00', limit: 3 }, // a Saturday: nearest are days away
    { preferredDate: '2026-06-10', preferredTime: '16:50', limit: 30 },
    { preferredDate: '2026-06-05', preferredTime: '13:00', limit: 100 }, // more than two days hold
  ];
  for (const c of cases) {
    it(`matches the whole-range answer for ${c.preferredDate} ${c.preferredTime}, limit ${c.limit}`, async () => {
      const days = 14;
      const found = await clinic.ok('deskB', 'booking/find-slots', { consultationTypeId: IDS.general, ...c, days });
      const preferred = Date.parse(clinic.at(c.preferredDate, c.preferredTime));
      const now = clinic.app.settings();
      const from = Math.max(Date.parse('2026-06-01T12:00:00.000Z'), Date.parse(clinic.at(c.preferredDate, '00:00')) - Math.floor(days / 4) * DAY);
      const options = await clinic.ok('deskB', 'booking/options', {});
      const type = options.consultationTypes.find((t) => t.id === IDS.general)!;
      const doctorIds = options.doctors.filter((d) => type.specializationIds.length === 0 || d.specializationIds.some((x) => type.specializationIds.includes(x))).map((d) => d.id);
      expect(doctorIds.length).toBeGreaterThan(1);
      const all = await freeSlots(clinic.app.db, {
        doctorIds,
        consultationTypeId: IDS.general,
        fromIso: new Date(from).toISOString(),
        toIso: new Date(Math.max(from, preferred) + days * DAY).toISOString(),
        now: clinic.clock.now(),
        settings: now,
        holder: 'nobody',
      });
      const offered = new Set(found.slots.map((s) => `${s.doctorId}@${s.startAt}`));
      const distances = all.map((s) => Math.abs(Date.parse(s.startAt) - preferred)).sort((a, b) => a - b);
      const cut = distances[c.limit - 1]!;
      expect(found.slots).toHaveLength(c.limit);
      // Every offered slot is free and at most as far as the limit-th nearest; nothing nearer was left out.
      for (const s of found.slots) expect(Math.abs(Date.parse(s.startAt) - preferred)).toBeLessThanOrEqual(cut);
      for (const s of all) if (Math.abs(Date.parse(s.startAt) - preferred) < cut) expect(offered.has(`${s.doctorId}@${s.startAt}`)).toBe(true);
    });
  }
});

describe('an inactive location offers no time', () => {
  it('drops the hours at a location once it is inactive, and offers them again when it is back', async () => {
    const query = { consultationTypeId: IDS.general, doctorId: IDS.diaz, preferredDate: '2026-06-02', preferredTime: '10:00', days: 7, limit: 50 };
    const atAnnex = (slots: Array<{ locationId: string }>) => slots.filter((s) => s.locationId === IDS.annex).length;
    expect(atAnnex((await clinic.ok('deskA', 'booking/find-slots', query)).slots)).toBeGreaterThan(0);
    clinic.app.raw.prepare('UPDATE location SET active = 0 WHERE id = ?').run(IDS.annex);
    try {
      expect(atAnnex((await clinic.ok('deskA', 'booking/find-slots', query)).slots)).toBe(0);
    } finally {
      clinic.app.raw.prepare('UPDATE location SET active = 1 WHERE id = ?').run(IDS.annex);
    }
    expect(atAnnex((await clinic.ok('deskA', 'booking/find-slots', query)).slots)).toBeGreaterThan(0);
  });
});
