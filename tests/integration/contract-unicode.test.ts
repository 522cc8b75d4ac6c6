import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, handlerNames } from '../../src-main/contract/index.js';
import { BROKEN_TEXT_MESSAGE } from '../../src-main/contract/common.js';
import { DEMO, call, demoApp, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';

const LONE = 'Fu\ud800ll';

type Path = Array<string | number>;
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  items?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
  discriminator?: string;
  values?: unknown[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

type Fixed = Array<{ path: Path; value: unknown }>;
interface Leaf {
  path: Path;
  schema: z.ZodType;
  /** Values the input needs besides the leaf (a discriminated union's tag). */
  fixed: Fixed;
}

/** The object behind wrappers such as `.superRefine` or `.optional()`. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape;
  if (def.innerType) return objectShape(def.innerType);
  if (def.type === 'pipe') return objectShape(def.in!);
  return undefined;
}

/** Every string-typed leaf of a schema, with the path an input would put it at. */
function stringLeaves(schema: z.ZodType, at: Path = [], out: Leaf[] = [], fixed: Fixed = []): Leaf[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      out.push({ path: at, schema, fixed });
      break;
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) stringLeaves(child, [...at, key], out, fixed);
      break;
    case 'array':
      stringLeaves(def.element!, [...at, 0], out, fixed);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      stringLeaves(def.innerType!, at, out, fixed);
      break;
    case 'union':
      for (const option of def.options ?? []) {
        const tag = def.discriminator ? objectShape(option)?.[def.discriminator] : undefined;
        const tagValue = tag ? defOf(tag).values?.[0] : undefined;
        const withTag = def.discriminator && tagValue !== undefined ? [...fixed, { path: [...at, def.discriminator], value: tagValue }] : fixed;
        stringLeaves(option, at, out, withTag);
      }
      break;
    case 'pipe':
      stringLeaves(def.in!, at, out, fixed);
      break;
    case 'intersection':
      stringLeaves(def.left!, at, out, fixed);
      stringLeaves(def.right!, at, out, fixed);
      break;
    case 'tuple':
      (def.items ?? []).forEach((item, i) => stringLeaves(item, [...at, i], out, fixed));
      break;
    case 'record':
      stringLeaves(def.valueType!, [...at, 'key'], out, fixed);
      break;
    default:
      break; // numbers, booleans, enums, literals: a lone surrogate is refused by type
  }
  return out;
}

/** Sets `value` at `pathTo` inside `into`, creating objects and arrays on the way. */
function setAt(into: unknown, pathTo: Path, value: unknown): unknown {
  if (pathTo.length === 0) return value;
  const [head, ...rest] = pathTo;
  if (typeof head === 'number') {
    const list = Array.isArray(into) ? into : [];
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const object = into && typeof into === 'object' && !Array.isArray(into) ? (into as Record<string, unknown>) : {};
  object[head!] = setAt(object[head!], rest, value);
  return object;
}

/** An input with the lone surrogate at the leaf, the union tags it needs, and nothing else. */
const inputFor = (leaf: Leaf): unknown =>
  setAt(
    leaf.fixed.reduce<unknown>((input, f) => setAt(input, f.path, f.value), undefined),
    leaf.path,
    LONE,
  );

let app: TestApp;
let admin: string;
let patientToken: string;
beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  const registered = await call(
    app,
    'patient/register',
    { basic: { givenName: 'Una', familyName: 'Code', dateOfBirth: '1990-02-03', sex: 'female', phone: '+12025550177' }, overrideDuplicates: true, issueAccessToken: true },
    admin,
  );
  patientToken = (registered.result as { ok: true; data: { accessToken: string } }).data.accessToken;
});
afterAll(async () => app.dispose());

describe('text that is not valid Unicode', () => {
  const leaves = handlerNames.flatMap((name) => stringLeaves(contract[name].input).map((leaf) => ({ name, ...leaf })));

  it('finds the string fields of the contract (the walk itself works)', () => {
    expect(leaves.length).toBeGreaterThan(50);
    expect(leaves.map((l) => `${l.name} ${l.path.join('.')}`)).toContain('patient/register basic.givenName');
  });

  it('is refused by every string field of every handler’s input schema', () => {
    const accepted = leaves.filter((leaf) => leaf.schema.safeParse(LONE).success).map((l) => `${l.name} ${l.path.join('.')}`);
    expect(accepted).toEqual([]);
    // Plain text fields say why in plain words (formatted ones — dates, e-mail — already refuse it by format).
    const plain = leaves.filter((leaf) => !defOf(leaf.schema).format);
    for (const leaf of plain) {
      const result = leaf.schema.safeParse(LONE);
      expect(result.error?.issues.map((i) => i.message), `${leaf.name} ${leaf.path.join('.')}`).toContain(BROKEN_TEXT_MESSAGE);
    }
  });

  it('comes back from the dispatcher as a field error on that field, and writes nothing', async () => {
    const before = tableCounts(app);
    const missed: string[] = [];
    for (const leaf of leaves) {
      const access = contract[leaf.name].access;
      const token = access.staff?.includes('admin') ? admin : null;
      // Handlers only a patient may call (the patient page's holds, paying) are called with a patient's token.
      const outcome = !access.staff && !access.anonymous && access.patient ? await app.dispatch(leaf.name, inputFor(leaf), { patientToken }) : await call(app, leaf.name, inputFor(leaf), token);
      const key = leaf.path.join('.');
      const error = outcome.result.ok ? null : outcome.result.error;
      if (error?.code !== 'validation/invalid-input' || !error.fieldErrors?.[key]?.length) {
        missed.push(`${leaf.name} ${key}: ${JSON.stringify(error ?? 'accepted')}`);
      }
    }
    expect(missed).toEqual([]);
    const after = tableCounts(app);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });

  it('a lone surrogate in a patient’s name gets the plain-words message', async () => {
    const outcome = await call(app, 'patient/register', { basic: { givenName: LONE } }, admin);
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'validation/invalid-input' } });
    if (outcome.result.ok) return;
    expect(outcome.result.error.fieldErrors?.['basic.givenName']).toContain(BROKEN_TEXT_MESSAGE);
  });

  it('an unknown field whose name holds a lone surrogate is refused, and the audit row stays valid text', async () => {
    const outcome = await call(app, 'staff/create', { [`x${LONE}`]: 1 }, admin);
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'validation/invalid-input' } });
    const row = app.raw.prepare("SELECT detail FROM audit_log WHERE handler = 'staff/create' ORDER BY seq DESC LIMIT 1").get() as { detail: string };
    expect(row.detail).toContain('xFu\uFFFDll');
    // Read back as bytes: valid UTF-8 (a lone surrogate would have been written as garbage).
    const bytes = app.raw.prepare("SELECT CAST(detail AS BLOB) AS b FROM audit_log WHERE handler = 'staff/create' ORDER BY seq DESC LIMIT 1").get() as { b: Buffer };
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes.b)).toBe(row.detail);
  });

  it('no contract file uses z.string() directly (every string goes through the shared rule)', () => {
    const dir = path.resolve('src-main/contract');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        readFileSync(path.join(dir, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
          .filter(({ line }) => /z\s*\.\s*string\s*\(/.test(line) && !line.includes('export const str = ')),
      )
      .map((o) => o.where);
    expect(offenders).toEqual([]);
  });
});
