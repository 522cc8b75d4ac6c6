import { describe, expect, it } from 'vitest';
import { haversineKm, hasCoordinates } from '../../src-main/core/roster/distance.rules.js';
import { formatSlot, rankCandidates, scoreCandidate, WEIGHTS, type RankCandidate } from '../../src-main/core/assignment/ranking.rules.js';

const NOW = new Date('2026-11-23T14:00:00.000Z'); // Monday
const OPTIONS = { now: NOW, horizonDays: 14, loadDays: 14 };

const candidate = (over: Partial<RankCandidate> & { doctorId: string }): RankCandidate => ({
  doctorName: `Dr ${over.doctorId}`,
  specializationMatch: { kind: 'no-need' },
  nextFreeSlot: { startAt: '2026-11-24T14:30:00.000Z', localDate: '2026-11-24', localTime: '09:30' },
  load14d: 0.35,
  distanceKm: 3.2,
  ...over,
});

describe('haversine distance', () => {
  it('is zero for one point and symmetric', () => {
    const a = { latitude: 40.7128, longitude: -74.006 };
    const b = { latitude: 40.7306, longitude: -73.9352 };
    expect(haversineKm(a, a)).toBe(0);
    expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 10);
  });

  it('matches known distances', () => {
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const london = { latitude: 51.5074, longitude: -0.1278 };
    expect(haversineKm(paris, london)).toBeGreaterThan(342);
    expect(haversineKm(paris, london)).toBeLessThan(345);
    // One degree of latitude is about 111.2 km anywhere.
    expect(haversineKm({ latitude: 10, longitude: 5 }, { latitude: 11, longitude: 5 })).toBeCloseTo(111.2, 1);
    // Across the antimeridian the short way round.
    expect(haversineKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 })).toBeCloseTo(111.2, 1);
  });

  it('knows when coordinates are missing', () => {
    expect(hasCoordinates({ latitude: 1, longitude: null })).toBe(false);
    expect(hasCoordinates({ latitude: 0, longitude: 0 })).toBe(true);
  });
});

describe('the ranking of doctors', () => {
  it('explains each part of the score in words', () => {
    const scored = scoreCandidate(candidate({ doctorId: 'a', specializationMatch: { kind: 'need', specialization: 'Cardiology' } }), OPTIONS);
    expect(scored.reasons).toEqual(['Cardiology — matches the need', 'Next free: Tue 24 Nov 09:30', 'Load 35% over 14 days', '3.2 km from home']);
    expect(scored.parts.specialization).toBe(WEIGHTS.specialization);
    expect(scored.score).toBeCloseTo(scored.parts.specialization + scored.parts.availability + scored.parts.load + scored.parts.distance, 0);
  });

  it('puts a doctor who matches the need first, even when busier and further away', () => {
    const ranked = rankCandidates(
      [
        candidate({ doctorId: 'gp', specializationMatch: { kind: 'none', specialization: 'Cardiology' }, load14d: 0, distanceKm: 0.5 }),
        candidate({ doctorId: 'cardio', specializationMatch: { kind: 'need', specialization: 'Cardiology' }, load14d: 0.9, distanceKm: 12 }),
      ],
      OPTIONS,
    );
    expect(ranked.map((r) => r.doctorId)).toEqual(['cardio', 'gp']);
    expect(ranked[1]!.reasons[0]).toBe('Does not practise Cardiology');
  });

  it('weighs the symptom checker’s choices in their order', () => {
    const ranked = rankCandidates(
      [
        candidate({ doctorId: 'second', specializationMatch: { kind: 'symptom', specialization: 'Dermatology', rank: 1 } }),
        candidate({ doctorId: 'first', specializationMatch: { kind: 'symptom', specialization: 'Cardiology', rank: 0 } }),
        candidate({ doctorId: 'none', specializationMatch: { kind: 'none', specialization: 'Cardiology' } }),
      ],
      OPTIONS,
    );
    expect(ranked.map((r) => r.doctorId)).toEqual(['first', 'second', 'none']);
    expect(ranked[0]!.reasons[0]).toBe('Cardiology — suggested by the symptom checker');
    expect(ranked[1]!.reasons[0]).toBe('Dermatology — suggested by the symptom checker (choice 2)');
    expect(ranked[0]!.parts.specialization - ranked[1]!.parts.specialization).toBe(10);
  });

  it('prefers the sooner free slot, the lighter load and the shorter distance, all else equal', () => {
    const soon = candidate({ doctorId: 'soon' });
    const later = candidate({ doctorId: 'later', nextFreeSlot: { startAt: '2026-11-30T14:30:00.000Z', localDate: '2026-11-30', localTime: '09:30' } });
    expect(rankCandidates([later, soon], OPTIONS).map((r) => r.doctorId)).toEqual(['soon', 'later']);

    const light = candidate({ doctorId: 'light', load14d: 0.1 });
    const heavy = candidate({ doctorId: 'heavy', load14d: 0.8 });
    expect(rankCandidates([heavy, light], OPTIONS).map((r) => r.doctorId)).toEqual(['light', 'heavy']);

    const near = candidate({ doctorId: 'near', distanceKm: 1 });
    const far = candidate({ doctorId: 'far', distanceKm: 25 });
    expect(rankCandidates([far, near], OPTIONS).map((r) => r.doctorId)).toEqual(['near', 'far']);
  });

  it('scores each part within its weight', () => {
    const best = scoreCandidate(
      candidate({ doctorId: 'x', specializationMatch: { kind: 'need', specialization: 'GP' }, nextFreeSlot: { startAt: NOW.toISOString(), localDate: '2026-11-23', localTime: '09:00' }, load14d: 0, distanceKm: 0 }),
      OPTIONS,
    );
    expect(best.score).toBe(100);
    const distance = (km: number) => scoreCandidate(candidate({ doctorId: 'x', distanceKm: km }), OPTIONS).parts.distance;
    expect(distance(5)).toBe(7.5);
    expect(distance(20)).toBe(3);
    // A slot at (or beyond) the horizon scores nothing for availability but is still shown.
    const edge = scoreCandidate(candidate({ doctorId: 'x', nextFreeSlot: { startAt: '2026-12-07T14:00:00.000Z', localDate: '2026-12-07', localTime: '09:00' } }), OPTIONS);
    expect(edge.parts.availability).toBe(0);
    expect(edge.reasons).toContain('Next free: Mon 7 Dec 09:00');
  });

  it('says which facts are missing and scores them zero', () => {
    const scored = scoreCandidate(candidate({ doctorId: 'x', nextFreeSlot: null, load14d: null, distanceKm: null }), OPTIONS);
    expect(scored.reasons).toEqual(['No free slot in the next 14 days', 'No working hours in the next 14 days', 'Distance unknown (no coordinates)']);
    expect(scored.score).toBe(0);
  });

  it('names the nearest location and rounds distances sensibly', () => {
    expect(scoreCandidate(candidate({ doctorId: 'x', distanceKm: 3.24, nearestLocationName: 'Hillcrest Branch' }), OPTIONS).reasons[2]).toBe(
      '3.2 km from home (Hillcrest Branch)',
    );
    expect(scoreCandidate(candidate({ doctorId: 'x', distanceKm: 12.6 }), OPTIONS).reasons[2]).toBe('13 km from home');
  });

  it('breaks ties by the earlier slot, then by name; never changes its input', () => {
    const input = [
      candidate({ doctorId: 'b', doctorName: 'Dr Bea', nextFreeSlot: null, load14d: null, distanceKm: null }),
      candidate({ doctorId: 'a', doctorName: 'Dr Ada', nextFreeSlot: null, load14d: null, distanceKm: null }),
    ];
    const copy = structuredClone(input);
    expect(rankCandidates(input, OPTIONS).map((r) => r.doctorName)).toEqual(['Dr Ada', 'Dr Bea']);
    expect(input).toEqual(copy);
  });

  it('formats a slot as weekday, day, month and time', () => {
    expect(formatSlot('2026-11-24', '09:30')).toBe('Tue 24 Nov 09:30');
    expect(formatSlot('2027-01-03', '14:05')).toBe('Sun 3 Jan 14:05');
  });
});
