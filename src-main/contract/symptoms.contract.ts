import { z } from 'zod';
import { ALL_STAFF, defineHandler, emptyInput, id, str, text } from './common.js';
import { sexes } from './patients.contract.js';

/** Most urgent first. */
export const urgencies = ['emergency', 'same_day', 'within_week', 'routine'] as const;
export type Urgency = (typeof urgencies)[number];
export const urgencyLabels: Record<Urgency, string> = {
  emergency: 'Emergency — get help now',
  same_day: 'See a doctor today',
  within_week: 'See a doctor within a week',
  routine: 'A routine appointment is fine',
};
export const severities = ['mild', 'moderate', 'severe'] as const;
export type Severity = (typeof severities)[number];
/** How long a symptom has lasted, shortest first. */
export const durations = ['hours', 'days', 'weeks', 'months'] as const;
export type Duration = (typeof durations)[number];
export const durationLabels: Record<Duration, string> = {
  hours: 'Less than a day',
  days: '1 to 6 days',
  weeks: '1 to 4 weeks',
  months: 'More than a month',
};
export const answers = ['yes', 'no', 'unsure'] as const;
export type Answer = (typeof answers)[number];
export const consultationKinds = ['general', 'specialist'] as const;

/** What the screen needs to ask: symptoms to search, body areas, follow-up questions. */
const knowledgeBaseView = z.object({
  version: str(),
  disclaimer: str(),
  bodyAreas: z.array(z.object({ id, name: str() })),
  symptoms: z.array(z.object({ id, name: str(), synonyms: z.array(str()), bodyArea: id })),
  questions: z.array(z.object({ id, text: str(), askedFor: z.array(id), sexes: z.array(z.enum(sexes)).nullable() })),
});
export type KnowledgeBaseView = z.infer<typeof knowledgeBaseView>;

export const symptomCheckInput = z.strictObject({
  /** Whose check it is: staff name the patient; a patient with their token may leave it out. Without a patient nothing is saved. */
  patientId: id.optional(),
  symptoms: z
    .array(z.strictObject({ symptomId: id, severity: z.enum(severities, 'Choose how bad it is.'), duration: z.enum(durations, 'Choose how long it has lasted.') }))
    .min(1, 'Choose at least one symptom.')
    .max(15, 'At most 15 symptoms.'),
  answers: z.array(z.strictObject({ questionId: id, answer: z.enum(answers, 'Answer yes, no or not sure.') })).max(60).default([]),
  /** Only when there is no patient record (a walk-in, a kiosk); a record's date of birth wins. */
  ageYears: z.number().int('Use whole years.').min(0, 'Age cannot be negative.').max(130, 'At most 130 years.').optional(),
  sex: z.enum(sexes, 'Choose one.').optional(),
  /** Staff only: a note kept with the saved check (e.g. what the desk did about an emergency). */
  note: text(1000).default(''),
});
export type SymptomCheckInput = z.input<typeof symptomCheckInput>;

const firedRule = z.object({ id: str(), kind: z.enum(['red_flag', 'rule', 'symptom']), reason: str() });

export const symptomCheckResult = z.object({
  /** The checker does not diagnose: shown with every result. */
  disclaimer: str(),
  knowledgeBaseVersion: str(),
  urgency: z.enum(urgencies),
  urgencyLabel: str(),
  /** Set when a red flag fired: shown before anything else, and no ordinary booking is offered. */
  emergency: z
    .object({ message: str(), emergencyNumber: str(), redFlags: z.array(z.object({ id: str(), title: str(), reason: str() })) })
    .nullable(),
  /** Suggested specializations, best first, each with its reasons in plain words. */
  specializations: z.array(
    z.object({
      name: str(),
      plainName: str(),
      score: z.number(),
      reasons: z.array(str()),
      /** This clinic's specialization, if it has one by that name. */
      specializationId: id.nullable(),
      /** An active doctor here offers it. */
      offeredHere: z.boolean(),
    }),
  ),
  consultationKind: z.enum(consultationKinds),
  /** What "Book from this result" preselects; null for an emergency or when nothing here fits. */
  booking: z
    .object({
      specializationId: id,
      specializationName: str(),
      consultationTypeId: id.nullable(),
      consultationTypeName: str().nullable(),
      /** Same-day urgency: search the earliest slots across doctors first. */
      earliestFirst: z.boolean(),
      note: str().nullable(),
    })
    .nullable(),
  firedRules: z.array(firedRule),
  ageYears: z.number().int().nullable(),
  sex: z.enum(sexes).nullable(),
  /** Where age and sex came from. */
  ageSexFrom: z.enum(['record', 'answers', 'unknown']),
});
export type SymptomCheckResult = z.infer<typeof symptomCheckResult>;

/** What the patient's record keeps (the `symptom_check` section; every check is a new version). */
export const savedSymptomCheck = z.object({
  checkedAt: str(),
  knowledgeBaseVersion: str(),
  symptoms: z.array(z.object({ symptomId: id, name: str(), severity: z.enum(severities), duration: z.enum(durations) })),
  answers: z.array(z.object({ questionId: id, question: str(), answer: z.enum(answers) })),
  note: str(),
  result: symptomCheckResult.omit({ disclaimer: true }),
});
export type SavedSymptomCheck = z.infer<typeof savedSymptomCheck>;

export const symptomsContract = {
  'symptoms/knowledge-base': defineHandler({
    summary: 'The symptom checker’s symptoms (with synonyms and body areas) and follow-up questions, and the statement that it does not diagnose.',
    input: emptyInput,
    output: knowledgeBaseView,
    access: { staff: ALL_STAFF, patient: true, anonymous: true },
    mutates: false,
  }),
  'patient/symptom-check': defineHandler({
    summary:
      'Run the symptom checker: suggested specializations with reasons, an urgency, a consultation type, and red flags first. It does not diagnose and does not replace a clinician. With a patient (staff naming patientId, or the patient’s own token) the answers and result are saved on their record; anonymously nothing is saved.',
    input: symptomCheckInput,
    output: symptomCheckResult.extend({ saved: z.object({ patientId: id, version: z.number().int() }).nullable() }),
    access: { staff: ALL_STAFF, patient: true, anonymous: true },
    mutates: true,
  }),
};

/** The usual emergency number per country (ISO 3166 alpha-2); 112 elsewhere (Europe and most mobile networks). */
const EMERGENCY_NUMBERS: Record<string, string> = {
  US: '911', CA: '911', MX: '911', PR: '911', PH: '911', AR: '911', CO: '123', BR: '192', CL: '131',
  GB: '999', AU: '000', NZ: '111', JP: '119', KR: '119', TW: '119', CN: '120', HK: '999', SG: '995',
  MY: '999', TH: '1669', ZA: '10177', NG: '112', KE: '999', EG: '123', SA: '997', AE: '998', IL: '101', TR: '112', IN: '112',
};
/** The clinic's emergency number: its setting, else the usual one for its country. */
export const emergencyNumberFor = (setting: string, country: string): string =>
  setting.trim() || EMERGENCY_NUMBERS[country] || '112';
