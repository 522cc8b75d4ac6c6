/** Ranked doctor suggestions for a patient: gathers the facts, then the pure ranking orders them. */
import type { AssignmentSlot, ParsedInputOf } from '../../contract/index.js';
import type { Ctx } from '../context.js';
import { notFound, type FieldErrors } from '../errors.js';
import { doctorViews } from '../roster/roster-read.service.js';
import { throwIfAny } from '../roster/roster-plan.js';
import { haversineKm, hasCoordinates } from '../roster/distance.rules.js';
import { LOAD_DAYS, loadOverDays, nextFreeSlots } from './availability-facts.js';
import { rankCandidates, type RankCandidate, type SpecializationMatch } from './ranking.rules.js';
import { activeAssignment } from './assignment.service.js';
import { latestCheckSpecializations } from '../symptoms/symptom-check.service.js';

/** How far ahead a free slot is looked for, and scores. */
export const SUGGESTION_HORIZON_DAYS = 30;

type Need = { specializationId: string; name: string; source: 'request' | 'symptom-checker' } | null;

export async function suggestDoctors(ctx: Ctx, input: ParsedInputOf<'assignment/suggestions'>) {
  const patient = await ctx.db.selectFrom('patient').selectAll().where('id', '=', input.patientId).executeTakeFirst();
  if (!patient) throw notFound('The patient');
  const specs = new Map((await ctx.db.selectFrom('specialization').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const errors: FieldErrors = {};
  if (input.specializationId && !specs.has(input.specializationId)) errors.specializationId = ['Unknown specialization.'];
  if (input.needSpecializationId && !specs.has(input.needSpecializationId)) errors.needSpecializationId = ['Unknown specialization.'];
  input.symptomSpecializationIds.forEach((id, i) => {
    if (!specs.has(id)) errors[`symptomSpecializationIds.${i}`] = ['Unknown specialization.'];
  });
  throwIfAny(errors);

  const requested = input.specializationId ?? input.needSpecializationId;
  // Without an explicit list, the patient's latest saved symptom check says what they need.
  const symptoms = input.symptomSpecializationIds.length > 0 ? input.symptomSpecializationIds : (await latestCheckSpecializations(ctx, patient.id)).filter((id) => specs.has(id));
  const need: Need = requested
    ? { specializationId: requested, name: specs.get(requested)!, source: 'request' }
    : symptoms.length > 0
      ? { specializationId: symptoms[0]!, name: specs.get(symptoms[0]!)!, source: 'symptom-checker' }
      : null;

  let doctors = (await doctorViews(ctx.db)).filter((d) => d.active);
  if (input.kind === 'specialist') doctors = doctors.filter((d) => d.specializationIds.includes(input.specializationId!));
  const horizonDays = Math.min(SUGGESTION_HORIZON_DAYS, ctx.settings.horizonDays);
  const [locations, next, load, current] = await Promise.all([
    ctx.db.selectFrom('location').select(['id', 'name', 'latitude', 'longitude']).execute(),
    nextFreeSlots(ctx, doctors, horizonDays),
    loadOverDays(ctx, doctors.map((d) => d.id), LOAD_DAYS),
    activeAssignment(ctx.db, patient.id, input.kind, input.specializationId ?? null),
  ]);
  const place = new Map(locations.map((l) => [l.id, l]));

  const matchOf = (specializationIds: string[]): SpecializationMatch => {
    if (!need) return { kind: 'no-need' };
    if (need.source === 'request') {
      return specializationIds.includes(need.specializationId) ? { kind: 'need', specialization: need.name } : { kind: 'none', specialization: need.name };
    }
    const rank = symptoms.findIndex((id) => specializationIds.includes(id));
    return rank >= 0 ? { kind: 'symptom', specialization: specs.get(symptoms[rank]!)!, rank } : { kind: 'none', specialization: need.name };
  };

  const candidates = doctors.map((d): RankCandidate & { specializations: string[]; nextFreeSlot: AssignmentSlot | null; nearestLocationName: string | null } => {
    let distanceKm: number | null = null;
    let nearestLocationName: string | null = null;
    if (hasCoordinates(patient)) {
      for (const id of d.locationIds) {
        const l = place.get(id);
        if (!l || !hasCoordinates(l)) continue;
        const km = haversineKm(patient, l);
        if (distanceKm === null || km < distanceKm) {
          distanceKm = km;
          nearestLocationName = l.name;
        }
      }
    }
    const slot = next.get(d.id);
    return {
      doctorId: d.id,
      doctorName: d.name,
      specializations: d.specializationIds.map((id) => specs.get(id) ?? '?'),
      specializationMatch: matchOf(d.specializationIds),
      nextFreeSlot: slot
        ? { startAt: slot.startAt, localDate: slot.localDate, localTime: slot.localTime, locationId: slot.locationId, locationName: place.get(slot.locationId)?.name ?? '' }
        : null,
      load14d: load.get(d.id)?.load ?? null,
      distanceKm: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
      nearestLocationName,
    };
  });

  const ranked = rankCandidates(candidates, { now: ctx.clock.now(), horizonDays, loadDays: LOAD_DAYS });
  return {
    patientName: `${patient.given_name} ${patient.family_name}`,
    patientHasCoordinates: hasCoordinates(patient),
    need,
    horizonDays,
    suggestions: ranked.slice(0, input.limit).map((r) => ({
      doctorId: r.doctorId,
      doctorName: r.doctorName,
      specializations: r.specializations,
      score: r.score,
      reasons: r.reasons,
      specializationMatch: r.specializationMatch.kind,
      nextFreeSlot: r.nextFreeSlot,
      load14d: r.load14d === null ? null : Math.round(r.load14d * 1000) / 1000,
      distanceKm: r.distanceKm,
      nearestLocationName: r.nearestLocationName,
      isCurrent: current?.doctor_id === r.doctorId,
    })),
  };
}
