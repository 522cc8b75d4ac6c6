/**
 * The symptom checker's knowledge base: a versioned JSON file (resources/symptom-checker/),
 * checked with zod and for consistency when the app starts. A malformed file stops the start
 * with a message naming the bad entry — a checker running on half a rule set is worse than none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { str } from '../../contract/common.js';
import { sexes } from '../../contract/patients.contract.js';
import { resourcePath } from '../resources.js';
import { answers, consultationKinds, durations, severities, urgencies } from '../../contract/symptoms.contract.js';

const ident = str().regex(/^[a-z][a-z0-9_]{1,63}$/, 'Use lower-case letters, digits and _ (an id such as chest_pain).');
const words = (max: number) => str().trim().min(1, 'Must not be empty.').max(max, `At most ${max} characters.`);

export type Condition =
  | { symptom: string }
  | { severity: string; atLeast: (typeof severities)[number] }
  | { duration: string; atLeast?: (typeof durations)[number]; atMost?: (typeof durations)[number] }
  | { answer: string; is: Array<(typeof answers)[number]> }
  | { age: { min?: number; max?: number } }
  | { sex: Array<(typeof sexes)[number]> }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ symptom: ident }),
    z.strictObject({ severity: ident, atLeast: z.enum(severities) }),
    z
      .strictObject({ duration: ident, atLeast: z.enum(durations).optional(), atMost: z.enum(durations).optional() })
      .refine((d) => d.atLeast !== undefined || d.atMost !== undefined, 'A duration condition needs atLeast or atMost.'),
    z.strictObject({ answer: ident, is: z.array(z.enum(answers)).min(1) }),
    z
      .strictObject({ age: z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().max(130).optional() }) })
      .refine((a) => a.age.min !== undefined || a.age.max !== undefined, 'An age condition needs min or max.'),
    z.strictObject({ sex: z.array(z.enum(sexes)).min(1) }),
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
  ]),
);

export const knowledgeBaseFile = z.strictObject({
  format: z.literal(1, 'This version of Clinic Desk reads format 1.'),
  version: words(40),
  title: words(200),
  disclaimer: words(1000),
  emergencyMessage: words(500),
  fallbackSpecialization: words(100),
  specializations: z
    .array(z.strictObject({ name: words(100), plainName: words(200), consultationKind: z.enum(consultationKinds) }))
    .min(1),
  bodyAreas: z.array(z.strictObject({ id: ident, name: words(100) })).min(1),
  symptoms: z
    .array(
      z.strictObject({
        id: ident,
        name: words(100),
        bodyArea: ident,
        synonyms: z.array(words(100)).max(30),
        specializations: z.array(z.strictObject({ name: words(100), weight: z.number().int().min(1).max(10) })).min(1),
        urgency: z.enum(urgencies).exclude(['emergency']),
        severeUrgency: z.enum(urgencies).exclude(['emergency']).optional(),
      }),
    )
    .min(1),
  questions: z.array(
    z.strictObject({ id: ident, text: words(300), askedFor: z.array(ident).min(1), sexes: z.array(z.enum(sexes)).min(1).optional() }),
  ),
  redFlags: z.array(z.strictObject({ id: ident, title: words(200), reason: words(500), when: condition })).min(1),
  rules: z.array(
    z.strictObject({
      id: ident,
      reason: words(500),
      when: condition,
      add: z.array(z.strictObject({ specialization: words(100), score: z.number().int().min(1).max(10) })).optional(),
      urgency: z.enum(urgencies).exclude(['emergency']).optional(),
    }),
  ),
});
export type KnowledgeBase = z.infer<typeof knowledgeBaseFile>;

export class KnowledgeBaseError extends Error {
  constructor(file: string, problems: string[]) {
    super(
      `The symptom checker's knowledge base (${file}) cannot be used: ${problems.slice(0, 5).join(' ')}` +
        `${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''} Fix the file or restore the one shipped with Clinic Desk.`,
    );
    this.name = 'KnowledgeBaseError';
  }
}

/** `symptoms[3] ("headache").synonyms[0]` — the entry a reader can find in the file. */
function entryName(json: unknown, pathParts: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = json;
  for (const part of pathParts) {
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[part] : undefined;
    if (typeof part === 'number') {
      out += `[${part}]`;
      const label = node && typeof node === 'object' ? ((node as { id?: unknown; name?: unknown }).id ?? (node as { name?: unknown }).name) : undefined;
      if (typeof label === 'string' && out.split('.').length <= 2) out += ` ("${label.slice(0, 60)}")`;
    } else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'the file';
}

function conditionRefs(c: Condition, visit: (kind: 'symptom' | 'question', id: string) => void): void {
  if ('all' in c) c.all.forEach((x) => conditionRefs(x, visit));
  else if ('any' in c) c.any.forEach((x) => conditionRefs(x, visit));
  else if ('not' in c) conditionRefs(c.not, visit);
  else if ('symptom' in c) visit('symptom', c.symptom);
  else if ('severity' in c) visit('symptom', c.severity);
  else if ('duration' in c) visit('symptom', c.duration);
  else if ('answer' in c) visit('question', c.answer);
}

/** Cross-references zod cannot check: unique ids, and every name and id used is declared. */
function consistencyProblems(kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  const unique = (list: Array<{ id?: string; name?: string }>, what: string, key: 'id' | 'name') => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const value = (item[key] ?? '').toLowerCase();
      if (seen.has(value)) problems.push(`${what}[${i}] ("${item[key]}") repeats an ${key} used earlier.`);
      seen.add(value);
    });
  };
  unique(kb.specializations, 'specializations', 'name');
  unique(kb.bodyAreas, 'bodyAreas', 'id');
  unique(kb.symptoms, 'symptoms', 'id');
  unique(kb.questions, 'questions', 'id');
  unique([...kb.redFlags, ...kb.rules], 'redFlags and rules', 'id');
  const specs = new Set(kb.specializations.map((s) => s.name));
  const areas = new Set(kb.bodyAreas.map((a) => a.id));
  const symptoms = new Set(kb.symptoms.map((s) => s.id));
  const questions = new Set(kb.questions.map((q) => q.id));
  if (!specs.has(kb.fallbackSpecialization)) problems.push(`fallbackSpecialization names "${kb.fallbackSpecialization}", which is not in specializations.`);
  kb.symptoms.forEach((s, i) => {
    if (!areas.has(s.bodyArea)) problems.push(`symptoms[${i}] ("${s.id}") names the body area "${s.bodyArea}", which is not in bodyAreas.`);
    for (const m of s.specializations) {
      if (!specs.has(m.name)) problems.push(`symptoms[${i}] ("${s.id}") names the specialization "${m.name}", which is not in specializations.`);
    }
  });
  kb.questions.forEach((q, i) => {
    for (const id of q.askedFor) if (!symptoms.has(id)) problems.push(`questions[${i}] ("${q.id}") is asked for the unknown symptom "${id}".`);
  });
  const checkCondition = (c: Condition, where: string) =>
    conditionRefs(c, (kind, id) => {
      if (kind === 'symptom' && !symptoms.has(id)) problems.push(`${where} names the unknown symptom "${id}".`);
      if (kind === 'question' && !questions.has(id)) problems.push(`${where} names the unknown question "${id}".`);
    });
  kb.redFlags.forEach((f, i) => checkCondition(f.when, `redFlags[${i}] ("${f.id}")`));
  kb.rules.forEach((r, i) => {
    checkCondition(r.when, `rules[${i}] ("${r.id}")`);
    if (!r.add?.length && !r.urgency) problems.push(`rules[${i}] ("${r.id}") neither adds a specialization nor sets an urgency.`);
    for (const a of r.add ?? []) {
      if (!specs.has(a.specialization)) problems.push(`rules[${i}] ("${r.id}") names the specialization "${a.specialization}", which is not in specializations.`);
    }
  });
  return problems;
}

/** Checks a parsed JSON document; throws KnowledgeBaseError naming the bad entries. */
export function parseKnowledgeBase(json: unknown, file: string): KnowledgeBase {
  const parsed = knowledgeBaseFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${entryName(json, issue.path)}: ${issue.message}`);
    throw new KnowledgeBaseError(file, problems);
  }
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) throw new KnowledgeBaseError(file, problems);
  return parsed.data;
}

/** Reads and checks the knowledge base file. */
export function loadKnowledgeBase(file: string): KnowledgeBase {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeBaseError(file, [`the file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KnowledgeBaseError(file, [`the file is not valid JSON (${(err as Error).message}).`]);
  }
  return parseKnowledgeBase(json, file);
}

const FILE_NAME = path.join('symptom-checker', 'knowledge-base.json');

/** Where the shipped file is (see core/resources.ts). */
export function defaultKnowledgeBasePath(): string {
  return resourcePath(FILE_NAME);
}

let active: KnowledgeBase | null = null;

/** The knowledge base the app checked at start (openApp installs it). */
export function knowledgeBase(): KnowledgeBase {
  if (!active) active = loadKnowledgeBase(defaultKnowledgeBasePath());
  return active;
}

export function installKnowledgeBase(kb: KnowledgeBase): void {
  active = kb;
}
