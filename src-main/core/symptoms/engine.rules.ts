/**
 * The symptom checker's rules engine: pure and deterministic. The same answers and the same
 * knowledge base give the same result, and the result lists every rule that fired.
 */
import type { Answer, Duration, Severity, Urgency } from '../../contract/symptoms.contract.js';
import { durations, severities, urgencies } from '../../contract/symptoms.contract.js';
import type { Condition, KnowledgeBase } from './knowledge-base.js';

export type Sex = 'female' | 'male' | 'intersex' | 'unknown';

export interface CheckAnswers {
  symptoms: Array<{ symptomId: string; severity: Severity; duration: Duration }>;
  answers: Array<{ questionId: string; answer: Answer }>;
  ageYears: number | null;
  sex: Sex | null;
}

export interface Fired {
  id: string;
  kind: 'red_flag' | 'rule' | 'symptom';
  reason: string;
}

export interface Evaluation {
  urgency: Urgency;
  redFlags: Array<{ id: string; title: string; reason: string }>;
  specializations: Array<{ name: string; plainName: string; score: number; reasons: string[] }>;
  consultationKind: 'general' | 'specialist';
  fired: Fired[];
  /** The questions asked for these symptoms (and this sex), in the file's order. */
  askedQuestionIds: string[];
  /** The answers that counted: those to questions that were asked. */
  answers: Map<string, Answer>;
}

const moreUrgent = (a: Urgency, b: Urgency): Urgency => (urgencies.indexOf(a) <= urgencies.indexOf(b) ? a : b);

/** The questions the rules ask for these symptoms: asked for one of them, and for this sex. */
export function questionsFor(kb: KnowledgeBase, symptomIds: readonly string[], sex: Sex | null): KnowledgeBase['questions'] {
  const chosen = new Set(symptomIds);
  return kb.questions.filter((q) => q.askedFor.some((id) => chosen.has(id)) && (!q.sexes || !sex || q.sexes.includes(sex)));
}

export function evaluate(kb: KnowledgeBase, input: CheckAnswers): Evaluation {
  const chosen = new Map(input.symptoms.map((s) => [s.symptomId, s]));
  const asked = questionsFor(kb, [...chosen.keys()], input.sex);
  const askedIds = new Set(asked.map((q) => q.id));
  const answers = new Map<string, Answer>();
  for (const a of input.answers) if (askedIds.has(a.questionId)) answers.set(a.questionId, a.answer);

  const holds = (c: Condition): boolean => {
    if ('all' in c) return c.all.every(holds);
    if ('any' in c) return c.any.some(holds);
    if ('not' in c) return !holds(c.not);
    if ('symptom' in c) return chosen.has(c.symptom);
    if ('severity' in c) {
      const s = chosen.get(c.severity);
      return !!s && severities.indexOf(s.severity) >= severities.indexOf(c.atLeast);
    }
    if ('duration' in c) {
      const s = chosen.get(c.duration);
      if (!s) return false;
      const d = durations.indexOf(s.duration);
      return (c.atLeast === undefined || d >= durations.indexOf(c.atLeast)) && (c.atMost === undefined || d <= durations.indexOf(c.atMost));
    }
    if ('answer' in c) {
      const a = answers.get(c.answer);
      return a !== undefined && c.is.includes(a);
    }
    if ('age' in c) {
      if (input.ageYears === null) return false;
      return (c.age.min === undefined || input.ageYears >= c.age.min) && (c.age.max === undefined || input.ageYears <= c.age.max);
    }
    return c.sex.includes(input.sex ?? 'unknown');
  };

  const specs = new Map(kb.specializations.map((s) => [s.name, s]));
  const scores = new Map<string, { score: number; reasons: string[]; order: number }>();
  const credit = (name: string, score: number, reason: string) => {
    const entry = scores.get(name) ?? { score: 0, reasons: [], order: scores.size };
    entry.score += score;
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    scores.set(name, entry);
  };
  const fired: Fired[] = [];
  let urgency: Urgency = 'routine';

  const redFlags = kb.redFlags.filter((f) => holds(f.when));
  for (const f of redFlags) fired.push({ id: f.id, kind: 'red_flag', reason: f.reason });
  if (redFlags.length > 0) urgency = 'emergency';

  const symptomById = new Map(kb.symptoms.map((s) => [s.id, s]));
  for (const chosenSymptom of input.symptoms) {
    const s = symptomById.get(chosenSymptom.symptomId);
    if (!s) continue;
    const level = chosenSymptom.severity === 'severe' ? (s.severeUrgency ?? s.urgency) : s.urgency;
    urgency = moreUrgent(urgency, level);
    const who = s.specializations.map((m) => specs.get(m.name)?.plainName ?? m.name);
    const reason = `“${s.name}” is usually looked at by ${who.join(' or ')}.`;
    for (const m of s.specializations) credit(m.name, m.weight, reason);
    const severeNote = chosenSymptom.severity === 'severe' && s.severeUrgency ? ' It is severe, which makes it more urgent.' : '';
    fired.push({ id: `symptom:${s.id}`, kind: 'symptom', reason: `${reason}${severeNote}` });
  }
  for (const rule of kb.rules) {
    if (!holds(rule.when)) continue;
    fired.push({ id: rule.id, kind: 'rule', reason: rule.reason });
    for (const a of rule.add ?? []) credit(a.specialization, a.score, rule.reason);
    if (rule.urgency) urgency = moreUrgent(urgency, rule.urgency);
  }

  const ranked = [...scores.entries()]
    .sort(([, a], [, b]) => b.score - a.score || a.order - b.order)
    .map(([name, e]) => ({ name, plainName: specs.get(name)?.plainName ?? name, score: e.score, reasons: e.reasons }));
  const top = ranked[0] ? specs.get(ranked[0].name) : undefined;
  return {
    urgency,
    redFlags: redFlags.map((f) => ({ id: f.id, title: f.title, reason: f.reason })),
    specializations: ranked,
    consultationKind: top?.consultationKind ?? 'general',
    fired,
    askedQuestionIds: asked.map((q) => q.id),
    answers,
  };
}
