/**
 * Issue 12 item 6: no raw validation text ever reaches a person. Every handler's input schema
 * is walked (zod 4's schema tree) and fed a battery of bad values — wrong types, missing and
 * null fields, empty and whitespace-only text, very long text and lists, negative, fractional,
 * NaN and infinite numbers, options that do not exist, unknown keys — and every field error the
 * contract produces is checked for developer wording.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, handlerNames } from '../../src-main/contract/index.js';
import { fieldErrorsFrom } from '../../src-main/contract/errors.js';

const DEVELOPER_WORDING =
  /expected (string|number|boolean|array|object|int)|>=|<=|Too small|Too big|Invalid (input|option|enum|string|type|element|key|union|discriminator)|received|NaN|undefined|Infinity|nonoptional|\bregex\b|ZodError|\d{12,}/i;

const MODES = ['wrongType', 'missing', 'null', 'empty', 'blank', 'long', 'negative', 'nan', 'infinity', 'fraction', 'badOption', 'unknownKey', 'short'] as const;
type Mode = (typeof MODES)[number];

type Def = z.core.$ZodTypeDef & Record<string, unknown>;
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

const leafString: Record<Mode, unknown> = {
  wrongType: 12345,
  missing: undefined,
  null: null,
  empty: '',
  blank: '   ',
  long: 'x'.repeat(100_001),
  negative: '-1',
  nan: 'NaN',
  infinity: '2026-13-45',
  fraction: '2026-02-30',
  badOption: 'not-one-of-the-options',
  unknownKey: 'a',
  short: 'a',
};
const leafNumber: Record<Mode, unknown> = {
  wrongType: 'abc',
  missing: undefined,
  null: null,
  empty: '',
  blank: -0.000001,
  long: 1e300,
  negative: -5,
  nan: Number.NaN,
  infinity: Number.POSITIVE_INFINITY,
  fraction: 0.5,
  badOption: -1e300,
  unknownKey: 1,
  short: 1,
};

/** A value for `schema` in the given mode; `variant` picks union options. */
function build(schema: unknown, mode: Mode, variant: number, depth = 0): unknown {
  if (depth > 8) return undefined;
  const def = defOf(schema);
  const next = (s: unknown, m: Mode = mode) => build(s, m, variant, depth + 1);
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return leafString[mode];
    case 'number':
    case 'bigint':
      return leafNumber[mode];
    case 'boolean':
      return mode === 'short' || mode === 'unknownKey' ? true : mode === 'missing' ? undefined : mode === 'null' ? null : 'yes';
    case 'date':
      return mode === 'short' ? new Date(0) : 'yesterday';
    case 'enum': {
      const values = Object.values(def.entries as Record<string, unknown>);
      return mode === 'short' || mode === 'unknownKey' ? values[0] : mode === 'wrongType' ? 42 : mode === 'missing' ? undefined : mode === 'null' ? null : 'not-one-of-the-options';
    }
    case 'literal': {
      const values = def.values as unknown[];
      return mode === 'short' || mode === 'unknownKey' ? values[0] : mode === 'missing' ? undefined : mode === 'null' ? null : 'not-the-literal';
    }
    case 'object': {
      if (mode === 'wrongType' && depth > 0) return 'not an object';
      const shape = def.shape as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const v = next(field);
        if (v !== undefined) out[key] = v;
      }
      if (mode === 'unknownKey') out['surpriseField'] = 1;
      return out;
    }
    case 'array': {
      if (mode === 'wrongType') return 'not a list';
      if (mode === 'long') return Array.from({ length: 1001 }, () => next(def.element, 'short'));
      if (mode === 'empty') return [];
      return [next(def.element)];
    }
    case 'tuple':
      return (def.items as unknown[]).map((item) => next(item));
    case 'record':
      return mode === 'wrongType' ? 'not a record' : { key: next(def.valueType) };
    case 'union': {
      const options = def.options as unknown[];
      const option = options[variant % options.length];
      const value = next(option);
      const disc = def.discriminator as string | undefined;
      if (disc && value && typeof value === 'object' && defOf(option).type === 'object') {
        // The right discriminator, so the option's own fields are checked.
        const discSchema = (defOf(option).shape as Record<string, unknown>)[disc];
        (value as Record<string, unknown>)[disc] = build(discSchema, 'short', variant, depth + 1);
      }
      return value;
    }
    case 'intersection':
      return { ...(next(def.left) as object), ...(next(def.right) as object) };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
    case 'success':
      return next(def.innerType);
    case 'pipe':
      return next(def.in);
    case 'lazy':
      return next((def.getter as () => unknown)());
    case 'null':
      return mode === 'short' ? null : 'not null';
    default:
      return mode === 'short' ? 'a' : 12345;
  }
}

export function messagesFor(name: (typeof handlerNames)[number]): Array<{ field: string; message: string; mode: Mode }> {
  const schema = contract[name].input as z.ZodType;
  const found: Array<{ field: string; message: string; mode: Mode }> = [];
  for (const mode of MODES) {
    for (let variant = 0; variant < 4; variant++) {
      const parsed = schema.safeParse(build(schema, mode, variant));
      if (parsed.success) continue;
      for (const [field, messages] of Object.entries(fieldErrorsFrom(parsed.error))) {
        for (const message of messages) found.push({ field, message, mode });
      }
    }
    // The whole input of the wrong kind, and nothing at all.
  }
  for (const whole of [undefined, null, 'text', 42, []]) {
    const parsed = schema.safeParse(whole);
    if (!parsed.success) for (const [field, messages] of Object.entries(fieldErrorsFrom(parsed.error))) for (const message of messages) found.push({ field, message, mode: 'wrongType' });
  }
  return found;
}

describe('every field error the contract can produce is in plain words', () => {
  it('walks every handler and finds field errors at all (the battery reaches the fields)', () => {
    let total = 0;
    for (const name of handlerNames) total += messagesFor(name).length;
    expect(total).toBeGreaterThan(1000);
  });

  it.each(handlerNames.map((n) => [n]))('%s: no developer wording in any field error', (name) => {
    const bad = messagesFor(name)
      .filter((m) => DEVELOPER_WORDING.test(m.message))
      .map((m) => `${m.field} (${m.mode}): ${m.message}`);
    expect([...new Set(bad)]).toEqual([]);
  });

  it('the known bad one: saving hours with no location says what to do', () => {
    const schema = contract['roster/set-weekly-hours'].input as z.ZodType;
    const parsed = schema.safeParse({ doctorId: 'd1', hours: [{ locationId: '', weekday: 1, startMinute: 540, endMinute: 1020 }] });
    expect(parsed.success).toBe(false);
    const errors = parsed.success ? {} : fieldErrorsFrom(parsed.error);
    const all = Object.values(errors).flat().join(' ');
    expect(all).not.toMatch(DEVELOPER_WORDING);
    expect(errors['hours.0.locationId']).toEqual(['Choose a location.']);
  });
});
