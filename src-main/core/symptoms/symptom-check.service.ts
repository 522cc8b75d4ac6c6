/** patient/symptom-check and symptoms/knowledge-base: the checker over the clinic's own specializations. */
import type { ParsedInputOf, OutputOf } from '../../contract/index.js';
import { emergencyNumberFor, urgencyLabels, type SavedSymptomCheck } from '../../contract/symptoms.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound, type FieldErrors } from '../errors.js';
import { writeSection } from '../patients/patient.service.js';
import { todayIn } from '../time/time.js';
import { evaluate, type Sex } from './engine.rules.js';
import { knowledgeBase } from './knowledge-base.js';

export async function knowledgeBaseView(_ctx: Ctx): Promise<OutputOf<'symptoms/knowledge-base'>> {
  const kb = knowledgeBase();
  return {
    version: kb.version,
    disclaimer: kb.disclaimer,
    bodyAreas: kb.bodyAreas,
    symptoms: kb.symptoms.map((s) => ({ id: s.id, name: s.name, synonyms: s.synonyms, bodyArea: s.bodyArea })),
    questions: kb.questions.map((q) => ({ id: q.id, text: q.text, askedFor: q.askedFor, sexes: q.sexes ?? null })),
  };
}

/** Whole years between a date of birth and today (both YYYY-MM-DD). */
export function ageInYears(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return Math.max(0, today.slice(5) < dateOfBirth.slice(5) ? years - 1 : years);
}

/** The patient whose check this is (and may see its result), or null for an anonymous check. */
function patientOf(ctx: Ctx, patientId: string | undefined): string | null {
  if (ctx.actor.kind === 'patient') {
    if (patientId && patientId !== ctx.actor.patientId) throw new DomainError('auth/forbidden', 'A patient may only check their own symptoms.');
    return ctx.actor.patientId;
  }
  if (ctx.actor.kind === 'staff') return patientId ?? null;
  if (patientId) {
    throw new DomainError('auth/forbidden', 'Without your patient access link the check cannot be saved to a record. Leave out patientId to check anonymously.');
  }
  return null;
}

/** The clinic's specializations by name (the knowledge base names them), with whether an active doctor offers each. */
async function clinicSpecializations(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('specialization as s')
    .leftJoin('doctor_specialization as ds', 'ds.specialization_id', 's.id')
    .leftJoin('doctor as d', (j) => j.onRef('d.id', '=', 'ds.doctor_id').on('d.active', '=', 1))
    .select(['s.id', 's.name', 's.active', 'd.id as doctorId'])
    .execute();
  const byName = new Map<string, { id: string; offered: boolean }>();
  for (const r of rows) {
    if (r.active !== 1) continue;
    const key = r.name.toLowerCase();
    const entry = byName.get(key) ?? { id: r.id, offered: false };
    entry.offered ||= r.doctorId !== null;
    byName.set(key, entry);
  }
  return byName;
}

/** An active consultation type offering the specialization, of the kind suggested if there is one. */
async function consultationTypeFor(ctx: Ctx, specializationId: string, kind: string) {
  const rows = await ctx.db
    .selectFrom('consultation_type as t')
    .leftJoin('consultation_type_specialization as ts', 'ts.consultation_type_id', 't.id')
    .select(['t.id', 't.name', 't.kind', 'ts.specialization_id'])
    .where('t.active', '=', 1)
    .orderBy('t.name')
    .execute();
  const offering = new Map<string, { id: string; name: string; kind: string; specs: Set<string> }>();
  for (const r of rows) {
    const t = offering.get(r.id) ?? { id: r.id, name: r.name, kind: r.kind, specs: new Set<string>() };
    if (r.specialization_id) t.specs.add(r.specialization_id);
    offering.set(r.id, t);
  }
  const fits = [...offering.values()].filter((t) => t.specs.size === 0 || t.specs.has(specializationId));
  return fits.find((t) => t.kind === kind) ?? fits.find((t) => t.kind !== 'follow_up') ?? null;
}

export async function runSymptomCheck(ctx: Ctx, input: ParsedInputOf<'patient/symptom-check'>): Promise<OutputOf<'patient/symptom-check'>> {
  const kb = knowledgeBase();
  const patientId = patientOf(ctx, input.patientId);
  const errors: FieldErrors = {};
  const symptomById = new Map(kb.symptoms.map((s) => [s.id, s]));
  const questionById = new Map(kb.questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  input.symptoms.forEach((s, i) => {
    if (!symptomById.has(s.symptomId)) errors[`symptoms.${i}.symptomId`] = ['Unknown symptom: choose one from the list.'];
    else if (seen.has(s.symptomId)) errors[`symptoms.${i}.symptomId`] = ['This symptom is already chosen.'];
    seen.add(s.symptomId);
  });
  const answered = new Set<string>();
  input.answers.forEach((a, i) => {
    if (!questionById.has(a.questionId)) errors[`answers.${i}.questionId`] = ['Unknown question.'];
    else if (answered.has(a.questionId)) errors[`answers.${i}.questionId`] = ['This question is already answered.'];
    answered.add(a.questionId);
  });
  if (input.note && ctx.actor.kind !== 'staff') errors.note = ['Only the clinic’s staff add notes.'];
  else if (input.note && !patientId) errors.note = ['A note is kept on a patient’s record: choose the patient first.'];
  if (Object.keys(errors).length > 0) throw new DomainError('validation/invalid-input', 'Some fields need attention.', { fieldErrors: errors });

  let ageYears: number | null = input.ageYears ?? null;
  let sex: Sex | null = input.sex ?? null;
  let ageSexFrom: 'record' | 'answers' | 'unknown' = ageYears !== null || sex !== null ? 'answers' : 'unknown';
  if (patientId) {
    const patient = await ctx.db.selectFrom('patient').select(['date_of_birth', 'sex']).where('id', '=', patientId).executeTakeFirst();
    if (!patient) throw notFound('The patient');
    // The record wins over whatever was typed: the same person always gets the same rules.
    ageYears = ageInYears(patient.date_of_birth, todayIn(ctx.settings.timeZone, ctx.clock.now()));
    sex = patient.sex;
    ageSexFrom = 'record';
  }

  const evaluation = evaluate(kb, { symptoms: input.symptoms, answers: input.answers, ageYears, sex });
  const clinic = await clinicSpecializations(ctx);
  const specializations = evaluation.specializations.map((s) => {
    const here = clinic.get(s.name.toLowerCase());
    return { ...s, specializationId: here?.id ?? null, offeredHere: here?.offered ?? false };
  });
  const emergency =
    evaluation.redFlags.length > 0
      ? { message: kb.emergencyMessage, emergencyNumber: emergencyNumberFor(ctx.settings.emergencyNumber, ctx.settings.defaultCountry), redFlags: evaluation.redFlags }
      : null;

  let booking: OutputOf<'patient/symptom-check'>['booking'] = null;
  if (!emergency) {
    const fallback = kb.specializations.find((s) => s.name === kb.fallbackSpecialization)!;
    const top = specializations[0];
    const fallbackHere = clinic.get(fallback.name.toLowerCase());
    const chosen =
      specializations.find((s) => s.offeredHere) ??
      (fallbackHere?.offered ? { name: fallback.name, plainName: fallback.plainName, specializationId: fallbackHere.id } : null);
    if (chosen?.specializationId) {
      const kind = kb.specializations.find((s) => s.name === chosen.name)?.consultationKind ?? evaluation.consultationKind;
      const type = await consultationTypeFor(ctx, chosen.specializationId, kind);
      booking = {
        specializationId: chosen.specializationId,
        specializationName: chosen.name,
        consultationTypeId: type?.id ?? null,
        consultationTypeName: type?.name ?? null,
        earliestFirst: evaluation.urgency === 'same_day',
        note: top && top.name !== chosen.name ? `No doctor here offers ${top.plainName} yet: ${chosen.plainName} can see you first and refer you if needed.` : null,
      };
    }
  }

  const result = {
    knowledgeBaseVersion: kb.version,
    urgency: evaluation.urgency,
    urgencyLabel: urgencyLabels[evaluation.urgency],
    emergency,
    specializations,
    consultationKind: evaluation.consultationKind,
    booking,
    firedRules: evaluation.fired,
    ageYears,
    sex,
    ageSexFrom,
  };

  let saved: { patientId: string; version: number } | null = null;
  if (patientId) {
    const record: SavedSymptomCheck = {
      checkedAt: nowIso(ctx),
      knowledgeBaseVersion: kb.version,
      symptoms: input.symptoms.map((s) => ({ ...s, name: symptomById.get(s.symptomId)!.name })),
      // Only the answers that counted: those to questions asked for these symptoms.
      answers: [...evaluation.answers.entries()].map(([questionId, answer]) => ({ questionId, question: questionById.get(questionId)!.text, answer })),
      note: input.note,
      result,
    };
    const current = await ctx.db
      .selectFrom('patient_section')
      .select('version')
      .where('patient_id', '=', patientId)
      .where('section', '=', 'symptom_check')
      .executeTakeFirst();
    const meta = await writeSection(ctx, patientId, 'symptom_check', record, current?.version ?? 0);
    ctx.auditRecord('patient', patientId, `symptom check ${kb.version}: ${evaluation.urgency}`);
    saved = { patientId, version: meta.version };
  }
  return { disclaimer: kb.disclaimer, ...result, saved };
}

/** A check older than this no longer says what the patient needs now. */
export const CHECK_FEEDS_SUGGESTIONS_DAYS = 90;

/** The specializations of the patient's latest saved check (best first, if recent), for doctor suggestions. */
export async function latestCheckSpecializations(ctx: Ctx, patientId: string): Promise<string[]> {
  const row = await ctx.db
    .selectFrom('patient_section')
    .select('data')
    .where('patient_id', '=', patientId)
    .where('section', '=', 'symptom_check')
    .executeTakeFirst();
  if (!row) return [];
  try {
    const saved = JSON.parse(row.data) as SavedSymptomCheck;
    if (Date.parse(saved.checkedAt) < ctx.clock.now().getTime() - CHECK_FEEDS_SUGGESTIONS_DAYS * 86_400_000) return [];
    return saved.result.specializations.filter((s) => s.specializationId).map((s) => s.specializationId!).slice(0, 10);
  } catch {
    return [];
  }
}
