/**
 * Ranks doctors for a patient. Pure: plain facts in, an ordered list with a score and
 * human-readable reasons out, so an admin can see why a doctor comes first.
 *
 * Score (0..100) = specialization (40) + availability (25) + load (20) + distance (15):
 * - specialization: 40 when the doctor practises what the patient needs; a specialization
 *   from the symptom checker counts 40 for its first choice, 30 for its second, 20, then 10;
 *   nothing when the doctor practises none of them, or when no need is known (then it
 *   does not separate the doctors).
 * - availability: 25 for a free slot right now, falling linearly to 0 at the horizon.
 * - load: 20 × the share of the doctor's working time over 14 days that is still free.
 * - distance: 15 / (1 + km / 5): 15 next door, 7.5 at 5 km, 3 at 20 km.
 * A missing fact (no free slot, no hours, no coordinates) scores 0 and says so.
 * Ties go to the earlier free slot, then to the name.
 */
import { DateTime } from 'luxon';

export const WEIGHTS = { specialization: 40, availability: 25, load: 20, distance: 15 } as const;
/** Distance at which the distance part is half its weight. */
export const HALF_SCORE_KM = 5;

export type SpecializationMatch =
  | { kind: 'need'; specialization: string }
  | { kind: 'symptom'; specialization: string; rank: number }
  | { kind: 'none'; specialization: string }
  | { kind: 'no-need' };

export interface RankCandidate {
  doctorId: string;
  doctorName: string;
  specializationMatch: SpecializationMatch;
  /** Local date and time at the slot's location. */
  nextFreeSlot: { startAt: string; localDate: string; localTime: string } | null;
  /** Booked share of working time over the next 14 days, 0..1; null without hours. */
  load14d: number | null;
  distanceKm: number | null;
  /** Named in the distance reason when given. */
  nearestLocationName?: string | null;
}

export interface RankOptions {
  now: Date;
  /** How far ahead a free slot still scores (days). */
  horizonDays: number;
  /** The window of load14d, for its reason. */
  loadDays?: number;
}

export interface RankParts {
  specialization: number;
  availability: number;
  load: number;
  distance: number;
}

export type Ranked<T extends RankCandidate> = T & { score: number; parts: RankParts; reasons: string[] };

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

/** '2026-11-24', '09:30' → 'Tue 24 Nov 09:30'. */
export const formatSlot = (localDate: string, localTime: string): string =>
  `${DateTime.fromISO(localDate, { zone: 'utc' }).setLocale('en-GB').toFormat('ccc d LLL')} ${localTime}`;

export const formatKm = (km: number): string => (km < 10 ? km.toFixed(1) : String(Math.round(km)));

function specializationPart(m: SpecializationMatch): { points: number; reason: string | null } {
  switch (m.kind) {
    case 'need':
      return { points: WEIGHTS.specialization, reason: `${m.specialization} — matches the need` };
    case 'symptom': {
      const factor = Math.max(0.25, 1 - 0.25 * m.rank);
      const which = m.rank === 0 ? '' : ` (choice ${m.rank + 1})`;
      return { points: WEIGHTS.specialization * factor, reason: `${m.specialization} — suggested by the symptom checker${which}` };
    }
    case 'none':
      return { points: 0, reason: `Does not practise ${m.specialization}` };
    case 'no-need':
      return { points: 0, reason: null };
  }
}

/** Score and reasons of one candidate. */
export function scoreCandidate(c: RankCandidate, options: RankOptions): { score: number; parts: RankParts; reasons: string[] } {
  const reasons: string[] = [];
  const spec = specializationPart(c.specializationMatch);
  if (spec.reason) reasons.push(spec.reason);

  let availability = 0;
  if (c.nextFreeSlot) {
    const hours = (Date.parse(c.nextFreeSlot.startAt) - options.now.getTime()) / 3_600_000;
    availability = WEIGHTS.availability * clamp01(1 - hours / (options.horizonDays * 24));
    reasons.push(`Next free: ${formatSlot(c.nextFreeSlot.localDate, c.nextFreeSlot.localTime)}`);
  } else {
    reasons.push(`No free slot in the next ${options.horizonDays} days`);
  }

  const loadDays = options.loadDays ?? 14;
  let load = 0;
  if (c.load14d !== null) {
    load = WEIGHTS.load * (1 - clamp01(c.load14d));
    reasons.push(`Load ${Math.round(clamp01(c.load14d) * 100)}% over ${loadDays} days`);
  } else {
    reasons.push(`No working hours in the next ${loadDays} days`);
  }

  let distance = 0;
  if (c.distanceKm !== null) {
    distance = WEIGHTS.distance / (1 + Math.max(0, c.distanceKm) / HALF_SCORE_KM);
    reasons.push(`${formatKm(c.distanceKm)} km from home${c.nearestLocationName ? ` (${c.nearestLocationName})` : ''}`);
  } else {
    reasons.push('Distance unknown (no coordinates)');
  }

  const parts = { specialization: round1(spec.points), availability: round1(availability), load: round1(load), distance: round1(distance) };
  return { score: round1(spec.points + availability + load + distance), parts, reasons };
}

/** Candidates best first, each with its score, the parts of the score and the reasons. */
export function rankCandidates<T extends RankCandidate>(candidates: readonly T[], options: RankOptions): Array<Ranked<T>> {
  const slotTime = (c: RankCandidate) => (c.nextFreeSlot ? Date.parse(c.nextFreeSlot.startAt) : Number.POSITIVE_INFINITY);
  return candidates
    .map((c) => ({ ...c, ...scoreCandidate(c, options) }))
    .sort((a, b) => b.score - a.score || slotTime(a) - slotTime(b) || a.doctorName.localeCompare(b.doctorName) || a.doctorId.localeCompare(b.doctorId));
}
