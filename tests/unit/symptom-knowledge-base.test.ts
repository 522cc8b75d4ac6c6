import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answer, Duration, Severity } from '../../src-main/contract/symptoms.contract.js';
import { evaluate, questionsFor, type Sex } from '../../src-main/core/symptoms/engine.rules.js';
import {
  defaultKnowledgeBasePath,
  KnowledgeBaseError,
  loadKnowledgeBase,
  parseKnowledgeBase,
  type Condition,
  type KnowledgeBase,
} from '../../src-main/core/symptoms/knowledge-base.js';

const file = defaultKnowledgeBasePath();
const kb = loadKnowledgeBase(file);
const original = JSON.parse(readFileSync(file, 'utf8')) as KnowledgeBase;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the shipped file with one change, written to disk and loaded as at start. */
function loadBroken(change: (kb: KnowledgeBase) => void, raw?: string): () => KnowledgeBase {
  const copy = structuredClone(original);
  change(copy);
  const target = path.join(dir, `kb-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(target, raw ?? JSON.stringify(copy));
  return () => loadKnowledgeBase(target);
}

describe('the knowledge base file', () => {
  it('covers at least 60 symptoms across at least 12 specializations, and has a version', () => {
    expect(kb.symptoms.length).toBeGreaterThanOrEqual(60);
    const used = new Set(kb.symptoms.flatMap((s) => s.specializations.map((m) => m.name)));
    expect(used.size).toBeGreaterThanOrEqual(12);
    expect(kb.version).toMatch(/\S/);
    expect(kb.disclaimer).toMatch(/does not diagnose/);
  });

  it('is refused when it is not JSON, naming the file', () => {
    const load = loadBroken(() => {}, '{ "format": 1, ');
    expect(load).toThrow(KnowledgeBaseError);
    expect(load).toThrow(/knowledge base \(.*kb-.*\.json\) cannot be used: the file is not valid JSON/);
  });

  it('is refused when an entry is malformed, naming the entry and the field', () => {
    const load = loadBroken((k) => {
      (k.symptoms[3] as { name: unknown }).name = '';
    });
    expect(load).toThrow(new RegExp(`symptoms\\[3\\] \\("${original.symptoms[3]!.id}"\\)\\.name: Must not be empty\\.`));
  });

  it('is refused when a rule names a symptom that does not exist', () => {
    const load = loadBroken((k) => {
      k.rules[1]!.when = { all: [{ symptom: 'chest_pian' }] };
    });
    expect(load).toThrow(`rules[1] ("${original.rules[1]!.id}") names the unknown symptom "chest_pian".`);
  });

  it('is refused when a symptom maps to a specialization it does not declare, or ids repeat', () => {
    expect(
      loadBroken((k) => {
        k.symptoms[0]!.specializations[0]!.name = 'Astrology';
      }),
    ).toThrow(`symptoms[0] ("${original.symptoms[0]!.id}") names the specialization "Astrology", which is not in specializations.`);
    expect(
      loadBroken((k) => {
        k.questions[2]!.id = k.questions[1]!.id;
      }),
    ).toThrow(`questions[2] ("${original.questions[1]!.id}") repeats an id used earlier.`);
  });

  it('is refused when a red flag has a wrong kind of condition or urgency', () => {
    expect(
      loadBroken((k) => {
        (k.redFlags[0] as { when: unknown }).when = { symptom: 'chest_pain', extra: true };
      }),
    ).toThrow(/redFlags\[0\] \("chest_pain_breathless_sweating"\)\.when/);
    expect(
      loadBroken((k) => {
        (k.symptoms[5] as { urgency: string }).urgency = 'emergency';
      }),
    ).toThrow(/symptoms\[5\] \(".*"\)\.urgency/);
  });

  it('refuses a knowledge base that does not parse in memory either', () => {
    expect(() => parseKnowledgeBase({ format: 2 }, 'memory')).toThrow(/format: This version of Clinic Desk reads format 1\./);
  });
});

/** The smallest answers that make a condition hold (first branch of each `any`), as a person would give them on screen. */
interface Witness {
  symptoms: Map<string, { severity: Severity; duration: Duration }>;
  answers: Map<string, Answer>;
  ageYears: number | null;
  sex: Sex | null;
}
function witness(c: Condition, w: Witness): void {
  const symptom = (id: string) => {
    if (!w.symptoms.has(id)) w.symptoms.set(id, { severity: 'moderate', duration: 'days' });
    return w.symptoms.get(id)!;
  };
  if ('all' in c) c.all.forEach((x) => witness(x, w));
  else if ('any' in c) witness(c.any[0]!, w);
  else if ('not' in c) return;
  else if ('symptom' in c) symptom(c.symptom);
  else if ('severity' in c) symptom(c.severity).severity = c.atLeast;
  else if ('duration' in c) symptom(c.duration).duration = c.atLeast ?? c.atMost!;
  else if ('answer' in c) {
    w.answers.set(c.answer, c.is[0]!);
    const q = kb.questions.find((x) => x.id === c.answer)!;
    // The question is asked only for its symptoms: choose the first one unless one is chosen.
    if (!q.askedFor.some((id) => w.symptoms.has(id))) symptom(q.askedFor[0]!);
  } else if ('age' in c) w.ageYears = c.age.min ?? c.age.max!;
  else if ('sex' in c) w.sex = c.sex[0]!;
}
function run(w: Witness) {
  return evaluate(kb, {
    symptoms: [...w.symptoms].map(([symptomId, s]) => ({ symptomId, ...s })),
    answers: [...w.answers].map(([questionId, answer]) => ({ questionId, answer })),
    ageYears: w.ageYears,
    sex: w.sex,
  });
}
const empty = (): Witness => ({ symptoms: new Map(), answers: new Map(), ageYears: null, sex: null });

function usedQuestions(c: Condition, out: Set<string>): Set<string> {
  if ('all' in c) c.all.forEach((x) => usedQuestions(x, out));
  else if ('any' in c) c.any.forEach((x) => usedQuestions(x, out));
  else if ('not' in c) usedQuestions(c.not, out);
  else if ('answer' in c) out.add(c.answer);
  return out;
}

describe('everything in the knowledge base is reachable', () => {
  it.each(kb.symptoms.map((s) => [s.id, s] as const))('symptom %s can be chosen and counts', (id, s) => {
    const result = run({ ...empty(), symptoms: new Map([[id, { severity: 'mild', duration: 'days' }]]) });
    expect(result.fired.map((f) => f.id)).toContain(`symptom:${id}`);
    expect(result.specializations.map((x) => x.name)).toEqual(expect.arrayContaining(s.specializations.map((m) => m.name)));
    expect(kb.bodyAreas.map((a) => a.id)).toContain(s.bodyArea);
  });

  const used = new Set<string>();
  for (const r of [...kb.redFlags, ...kb.rules]) usedQuestions(r.when, used);
  it.each(kb.questions.map((q) => [q.id, q] as const))('question %s is asked for one of its symptoms and used by a rule', (id, q) => {
    const asked = questionsFor(kb, [q.askedFor[0]!], q.sexes?.[0] ?? null).map((x) => x.id);
    expect(asked).toContain(id);
    expect(used.has(id)).toBe(true);
  });

  it.each(kb.redFlags.map((f) => [f.id, f] as const))('red flag %s fires for some answers', (id, f) => {
    const w = empty();
    witness(f.when, w);
    const result = run(w);
    expect(result.redFlags.map((x) => x.id)).toContain(id);
    expect(result.urgency).toBe('emergency');
  });

  it.each(kb.rules.map((r) => [r.id, r] as const))('rule %s fires for some answers', (id, r) => {
    const w = empty();
    witness(r.when, w);
    if (w.symptoms.size === 0) w.symptoms.set(kb.symptoms[0]!.id, { severity: 'mild', duration: 'days' });
    expect(run(w).fired.filter((f) => f.kind === 'rule').map((f) => f.id)).toContain(id);
  });
});
