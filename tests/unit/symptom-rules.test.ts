import { describe, expect, it } from 'vitest';
import type { Answer, Duration, Severity, Urgency } from '../../src-main/contract/symptoms.contract.js';
import { evaluate, type Sex } from '../../src-main/core/symptoms/engine.rules.js';
import { defaultKnowledgeBasePath, loadKnowledgeBase } from '../../src-main/core/symptoms/knowledge-base.js';

const kb = loadKnowledgeBase(defaultKnowledgeBasePath());

interface Case {
  name: string;
  /** 'symptom_id' or 'symptom_id:severity:duration' (default moderate, days). */
  symptoms: string[];
  answers?: Record<string, Answer>;
  age?: number;
  sex?: Sex;
  top: string | null;
  urgency: Urgency;
  /** The red flag that must fire (an emergency). */
  redFlag?: string;
  /** A rule that must fire. */
  rule?: string;
}

const GP = 'General Practice';

/** Answers → expected top specialization and urgency. Pairs marked "age:" or "sex:" differ only in that. */
const cases: Case[] = [
  // Red flags: every one of them, emergency first.
  { name: 'chest pain with breathlessness', symptoms: ['chest_pain'], answers: { chest_breathless: 'yes' }, age: 58, sex: 'male', top: 'Cardiology', urgency: 'emergency', redFlag: 'chest_pain_breathless_sweating' },
  { name: 'chest pain with sweating', symptoms: ['chest_pain'], answers: { chest_sweating: 'yes' }, age: 45, sex: 'female', top: 'Cardiology', urgency: 'emergency', redFlag: 'chest_pain_breathless_sweating' },
  { name: 'chest pain chosen with shortness of breath', symptoms: ['chest_pain', 'shortness_of_breath'], age: 60, top: 'Cardiology', urgency: 'emergency', redFlag: 'chest_pain_breathless_sweating' },
  { name: 'a drooping face (stroke)', symptoms: ['face_drooping:mild:hours'], age: 70, top: 'Neurology', urgency: 'emergency', redFlag: 'stroke_signs' },
  { name: 'a weak arm (stroke)', symptoms: ['arm_weakness'], age: 66, top: 'Neurology', urgency: 'emergency', redFlag: 'stroke_signs' },
  { name: 'slurred speech (stroke)', symptoms: ['speech_difficulty:mild:hours'], top: 'Neurology', urgency: 'emergency', redFlag: 'stroke_signs' },
  { name: 'severe shortness of breath', symptoms: ['shortness_of_breath:severe:hours'], age: 40, top: 'Pulmonology', urgency: 'emergency', redFlag: 'difficulty_breathing' },
  { name: 'wheezing, breathless at rest', symptoms: ['wheezing'], answers: { breath_at_rest: 'yes' }, top: 'Pulmonology', urgency: 'emergency', redFlag: 'difficulty_breathing' },
  { name: 'blue lips', symptoms: ['shortness_of_breath:mild:hours'], answers: { blue_lips: 'yes' }, top: 'Pulmonology', urgency: 'emergency', redFlag: 'difficulty_breathing' },
  { name: 'hives with a tight throat (anaphylaxis)', symptoms: ['hives:moderate:hours'], answers: { throat_tight: 'yes' }, age: 30, top: 'Dermatology', urgency: 'emergency', redFlag: 'anaphylaxis' },
  { name: 'severely swollen lips (anaphylaxis)', symptoms: ['swollen_face_lips:severe:hours'], age: 30, top: GP, urgency: 'emergency', redFlag: 'anaphylaxis' },
  { name: 'bleeding that will not stop', symptoms: ['heavy_bleeding:severe:hours'], top: GP, urgency: 'emergency', redFlag: 'severe_bleeding' },
  { name: 'a nosebleed that continues under pressure', symptoms: ['nosebleed:moderate:hours'], answers: { bleeding_pressure: 'yes' }, age: 50, top: 'Ear, Nose and Throat', urgency: 'emergency', redFlag: 'severe_bleeding' },
  { name: 'thoughts of suicide', symptoms: ['suicidal_thoughts'], age: 19, top: 'Psychiatry', urgency: 'emergency', redFlag: 'suicidal_thoughts' },
  { name: 'self-harm', symptoms: ['self_harm'], age: 17, top: 'Psychiatry', urgency: 'emergency', redFlag: 'suicidal_thoughts' },
  { name: 'low mood with thoughts of self-harm', symptoms: ['low_mood:moderate:weeks'], answers: { self_harm_thoughts: 'yes' }, age: 35, top: 'Psychiatry', urgency: 'emergency', redFlag: 'suicidal_thoughts' },
  { name: 'a thunderclap headache', symptoms: ['headache:severe:hours'], answers: { headache_thunderclap: 'yes' }, age: 45, top: GP, urgency: 'emergency', redFlag: 'thunderclap_headache' },
  { name: 'fever with a rash that does not fade', symptoms: ['fever:severe:hours'], answers: { rash_not_fading: 'yes' }, age: 25, top: GP, urgency: 'emergency', redFlag: 'meningitis_signs' },
  { name: 'headache with fever and a stiff neck', symptoms: ['headache', 'fever'], answers: { stiff_neck_light: 'yes' }, age: 25, top: GP, urgency: 'emergency', redFlag: 'meningitis_signs' },
  { name: 'a first seizure', symptoms: ['seizure:severe:hours'], answers: { seizure_first: 'yes' }, age: 30, top: 'Neurology', urgency: 'emergency', redFlag: 'seizure' },
  { name: 'sudden loss of sight', symptoms: ['sudden_vision_loss'], age: 60, top: 'Ophthalmology', urgency: 'emergency', redFlag: 'sudden_vision_loss' },
  { name: 'blurred vision that came suddenly', symptoms: ['blurred_vision:moderate:hours'], answers: { vision_sudden: 'yes' }, age: 40, top: 'Ophthalmology', urgency: 'emergency', redFlag: 'sudden_vision_loss' },
  { name: 'sudden confusion', symptoms: ['confusion:moderate:hours'], age: 80, top: GP, urgency: 'emergency', redFlag: 'sudden_confusion' },
  { name: 'vomiting after a blow to the head', symptoms: ['nausea_vomiting:moderate:hours'], answers: { head_injury: 'yes' }, age: 30, top: GP, urgency: 'emergency', redFlag: 'sudden_confusion' },
  { name: 'vomiting blood', symptoms: ['vomiting_blood'], top: 'Gastroenterology', urgency: 'emergency', redFlag: 'vomiting_blood' },
  { name: 'black, tar-like stool', symptoms: ['blood_in_stool'], answers: { stool_black: 'yes' }, age: 50, top: 'Gastroenterology', urgency: 'emergency', redFlag: 'vomiting_blood' },
  { name: 'a hard, very painful belly', symptoms: ['abdominal_pain:severe:hours'], answers: { belly_rigid: 'yes' }, age: 40, sex: 'male', top: GP, urgency: 'emergency', redFlag: 'rigid_belly' },
  { name: 'bleeding when she may be pregnant', symptoms: ['vaginal_bleeding'], answers: { pregnant: 'yes' }, age: 28, sex: 'female', top: 'Gynecology', urgency: 'emergency', redFlag: 'pregnancy_bleeding_pain' },
  { name: 'back pain with bladder trouble', symptoms: ['back_pain:severe:days'], answers: { back_numb_bladder: 'yes' }, age: 50, top: GP, urgency: 'emergency', redFlag: 'back_nerve_signs' },
  { name: 'sudden testicle pain', symptoms: ['testicular_pain:severe:hours'], answers: { testicle_sudden: 'yes' }, age: 15, sex: 'male', top: 'Pediatrics', urgency: 'emergency', redFlag: 'testicular_torsion' },
  { name: 'a chemical in the eye', symptoms: ['red_eye:moderate:hours'], answers: { eye_chemical: 'yes' }, age: 30, top: GP, urgency: 'emergency', redFlag: 'eye_injury' },
  { name: 'palpitations with fainting', symptoms: ['palpitations'], answers: { palpitations_faint: 'yes' }, age: 40, top: 'Cardiology', urgency: 'emergency', redFlag: 'fainting_with_heart_symptoms' },
  { name: 'fainting with chest pain', symptoms: ['fainting', 'chest_pain'], age: 50, top: 'Cardiology', urgency: 'emergency', redFlag: 'fainting_with_heart_symptoms' },
  { name: 'age: a baby with a high temperature', symptoms: ['fever:moderate:hours'], answers: { fever_high: 'yes' }, age: 0, top: 'Pediatrics', urgency: 'emergency', redFlag: 'baby_high_fever' },
  { name: 'coughing up a lot of blood', symptoms: ['coughing_blood:severe:hours'], age: 60, top: 'Pulmonology', urgency: 'emergency', redFlag: 'coughing_blood_severe' },

  // Age changes the answer.
  { name: 'age: a 5-year-old with the same high temperature', symptoms: ['fever:moderate:hours'], answers: { fever_high: 'yes' }, age: 5, top: 'Pediatrics', urgency: 'same_day', rule: 'high_fever' },
  { name: 'age: an adult with the same high temperature', symptoms: ['fever:moderate:hours'], answers: { fever_high: 'yes' }, age: 35, top: GP, urgency: 'same_day', rule: 'high_fever' },
  { name: 'age: a sore throat in an adult', symptoms: ['sore_throat:mild:days'], age: 30, sex: 'female', top: GP, urgency: 'routine' },
  { name: 'age: the same sore throat in a child', symptoms: ['sore_throat:mild:days'], age: 8, sex: 'female', top: 'Pediatrics', urgency: 'routine', rule: 'child_pediatrics' },
  { name: 'age: chest pain at 55', symptoms: ['chest_pain:moderate:hours'], age: 55, sex: 'male', top: 'Cardiology', urgency: 'same_day', rule: 'chest_pain_over_40' },
  { name: 'age: the same chest pain at 22', symptoms: ['chest_pain:moderate:hours'], answers: { chest_on_exertion: 'no' }, age: 22, sex: 'male', top: GP, urgency: 'same_day', rule: 'chest_pain_under_30' },
  { name: 'age: chest pain on effort at 22', symptoms: ['chest_pain:moderate:hours'], answers: { chest_on_exertion: 'yes' }, age: 22, sex: 'male', top: 'Cardiology', urgency: 'same_day', rule: 'chest_pain_on_exertion' },
  { name: 'age: a new headache at 62', symptoms: ['headache:moderate:days'], age: 62, top: 'Neurology', urgency: 'within_week', rule: 'new_headache_over_50' },
  { name: 'age: the same headache at 30', symptoms: ['headache:moderate:days'], age: 30, top: GP, urgency: 'routine' },
  { name: 'age: dizziness at 72', symptoms: ['dizziness:mild:weeks'], age: 72, top: GP, urgency: 'within_week', rule: 'dizziness_over_65' },
  { name: 'age: a racing heart at 70', symptoms: ['palpitations:mild:days'], age: 70, top: 'Cardiology', urgency: 'within_week', rule: 'palpitations_over_60' },
  { name: 'age: blood in the stool at 60', symptoms: ['blood_in_stool:mild:days'], age: 60, top: 'Gastroenterology', urgency: 'within_week', rule: 'rectal_bleeding_over_50' },
  { name: 'age: blurred vision at 68', symptoms: ['blurred_vision:mild:months'], age: 68, top: 'Ophthalmology', urgency: 'within_week', rule: 'blurred_vision_over_60' },
  { name: 'age: a rash in a child', symptoms: ['rash:mild:days'], age: 5, top: 'Pediatrics', urgency: 'routine', rule: 'child_pediatrics' },

  // Sex changes the answer.
  { name: 'sex: pelvic pain in a woman', symptoms: ['pelvic_pain:moderate:days'], age: 30, sex: 'female', top: 'Gynecology', urgency: 'routine', rule: 'pelvic_pain_female' },
  { name: 'sex: pelvic pain in a man', symptoms: ['pelvic_pain:moderate:days'], age: 30, sex: 'male', top: 'Urology', urgency: 'routine', rule: 'pelvic_pain_male' },
  { name: 'sex: pelvic pain, sex not given', symptoms: ['pelvic_pain:moderate:days'], age: 30, top: GP, urgency: 'routine' },
  { name: 'sex: burning urine in a woman', symptoms: ['painful_urination:moderate:days'], age: 30, sex: 'female', top: GP, urgency: 'within_week', rule: 'urine_pain_female' },
  { name: 'sex: burning urine in a man', symptoms: ['painful_urination:moderate:days'], age: 30, sex: 'male', top: 'Urology', urgency: 'within_week', rule: 'urine_pain_male' },
  { name: 'sex: severe belly pain, may be pregnant', symptoms: ['abdominal_pain:severe:hours'], answers: { pregnant: 'yes' }, age: 27, sex: 'female', top: 'Gynecology', urgency: 'emergency', redFlag: 'pregnancy_bleeding_pain' },
  { name: 'sex: a man is never asked about pregnancy', symptoms: ['abdominal_pain:severe:hours'], answers: { pregnant: 'yes' }, age: 27, sex: 'male', top: GP, urgency: 'same_day' },
  { name: 'belly pain, may be pregnant, not severe', symptoms: ['abdominal_pain:moderate:days'], answers: { pregnant: 'yes' }, age: 27, sex: 'female', top: 'Gynecology', urgency: 'same_day', rule: 'belly_pain_pregnant' },

  // Answers and durations.
  { name: 'kidney infection signs', symptoms: ['painful_urination:moderate:days'], answers: { urine_fever_back: 'yes' }, age: 30, sex: 'female', top: GP, urgency: 'same_day', rule: 'kidney_infection_signs' },
  { name: 'a cough for weeks', symptoms: ['cough:moderate:weeks'], age: 45, top: 'Pulmonology', urgency: 'within_week', rule: 'long_cough' },
  { name: 'a cough for days', symptoms: ['cough:moderate:days'], age: 45, top: GP, urgency: 'routine' },
  { name: 'a severe headache', symptoms: ['headache:severe:days'], age: 30, top: GP, urgency: 'same_day' },
  { name: 'a changing mole', symptoms: ['changing_mole:mild:weeks'], answers: { mole_changing: 'yes' }, age: 40, top: 'Dermatology', urgency: 'within_week', rule: 'changing_mole' },
  { name: 'thirst with weight loss', symptoms: ['excessive_thirst:moderate:weeks'], answers: { thirst_weight: 'yes' }, age: 40, top: 'Endocrinology', urgency: 'within_week', rule: 'diabetes_signs' },
  { name: 'a hoarse voice for weeks', symptoms: ['hoarse_voice:mild:weeks'], age: 50, top: 'Ear, Nose and Throat', urgency: 'within_week', rule: 'long_hoarse_voice' },
  { name: 'trouble swallowing for weeks', symptoms: ['swallowing_difficulty:moderate:weeks'], age: 60, top: 'Gastroenterology', urgency: 'within_week', rule: 'long_swallowing_difficulty' },
  { name: 'low mood for weeks', symptoms: ['low_mood:moderate:weeks'], answers: { self_harm_thoughts: 'no' }, age: 35, top: 'Psychiatry', urgency: 'within_week', rule: 'long_low_mood' },
  { name: 'a hot, swollen joint', symptoms: ['joint_pain:moderate:days'], answers: { joint_hot: 'yes' }, age: 55, top: 'Orthopedics', urgency: 'same_day', rule: 'hot_swollen_joint' },
  { name: 'a knee out of shape', symptoms: ['knee_pain:severe:hours'], answers: { limb_deformed: 'yes' }, age: 30, top: 'Orthopedics', urgency: 'same_day', rule: 'limb_deformed' },
  { name: 'hives after a new medicine', symptoms: ['hives:mild:hours'], answers: { after_trigger: 'yes', throat_tight: 'no' }, age: 30, top: GP, urgency: 'same_day', rule: 'allergy_trigger' },
  { name: 'headache after a blow to the head', symptoms: ['headache:mild:hours'], answers: { head_injury: 'yes', headache_thunderclap: 'no' }, age: 30, top: GP, urgency: 'same_day', rule: 'head_injury' },
  { name: 'another seizure in someone with epilepsy', symptoms: ['seizure:mild:days'], answers: { seizure_first: 'no' }, age: 30, top: 'Neurology', urgency: 'same_day', rule: 'known_seizures' },
  { name: 'a missed period, may be pregnant', symptoms: ['missed_period:mild:weeks'], answers: { pregnant: 'yes' }, age: 30, sex: 'female', top: 'Gynecology', urgency: 'routine', rule: 'missed_period_pregnant' },
  { name: 'acne', symptoms: ['acne:mild:months'], age: 19, top: 'Dermatology', urgency: 'routine' },
  { name: 'hearing loss', symptoms: ['hearing_loss:mild:weeks'], age: 60, top: 'Ear, Nose and Throat', urgency: 'within_week' },
  { name: 'yellow skin', symptoms: ['jaundice:mild:days'], age: 40, top: 'Gastroenterology', urgency: 'same_day' },
  { name: 'a possibly broken wrist', symptoms: ['possible_fracture:moderate:hours'], age: 40, top: 'Orthopedics', urgency: 'same_day' },
  { name: 'erection problems', symptoms: ['erection_problems:mild:months'], age: 55, sex: 'male', top: 'Urology', urgency: 'routine' },
  { name: 'snoring', symptoms: ['snoring:mild:months'], age: 50, top: 'Pulmonology', urgency: 'routine' },
  { name: 'a "not sure" answer counts as no', symptoms: ['chest_pain:moderate:hours'], answers: { chest_breathless: 'unsure' }, age: 50, top: 'Cardiology', urgency: 'same_day' },
  { name: 'an answer to a question not asked for these symptoms is ignored', symptoms: ['acne:mild:months'], answers: { chest_breathless: 'yes' }, age: 19, top: 'Dermatology', urgency: 'routine' },
];

const parse = (spec: string) => {
  const [symptomId, severity = 'moderate', duration = 'days'] = spec.split(':');
  return { symptomId: symptomId!, severity: severity as Severity, duration: duration as Duration };
};

describe('the symptom checker rules (answers → top specialization and urgency)', () => {
  it('has at least 40 cases, every red flag among them, and cases where age or sex changes the answer', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const flagged = new Set(cases.map((c) => c.redFlag).filter(Boolean));
    expect([...kb.redFlags.map((f) => f.id)].filter((id) => !flagged.has(id))).toEqual([]);
    expect(cases.filter((c) => c.name.startsWith('age:')).length).toBeGreaterThanOrEqual(4);
    expect(cases.filter((c) => c.name.startsWith('sex:')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('$name → $top, $urgency', (c) => {
    const result = evaluate(kb, {
      symptoms: c.symptoms.map(parse),
      answers: Object.entries(c.answers ?? {}).map(([questionId, answer]) => ({ questionId, answer })),
      ageYears: c.age ?? null,
      sex: c.sex ?? null,
    });
    expect({ top: result.specializations[0]?.name ?? null, urgency: result.urgency }).toEqual({ top: c.top, urgency: c.urgency });
    const fired = result.fired.map((f) => f.id);
    if (c.redFlag) {
      expect(result.redFlags.map((f) => f.id)).toContain(c.redFlag);
      // Red flags come first in the list of what fired.
      expect(result.fired[0]!.kind).toBe('red_flag');
    } else expect(result.redFlags).toEqual([]);
    if (c.rule) expect(fired).toContain(c.rule);
    // Every chosen symptom is explained, and every suggestion has a reason in words.
    for (const s of c.symptoms) expect(fired).toContain(`symptom:${parse(s).symptomId}`);
    for (const s of result.specializations) expect(s.reasons.length).toBeGreaterThan(0);
  });

  it('is deterministic: the same answers in the same order give the same result', () => {
    const input = { symptoms: ['rash', 'fever', 'cough'].map(parse), answers: [{ questionId: 'fever_high', answer: 'yes' as const }], ageYears: 33, sex: 'female' as const };
    expect(evaluate(kb, input)).toEqual(evaluate(kb, structuredClone(input)));
  });
});
