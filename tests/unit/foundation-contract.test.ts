import { describe, expect, it } from 'vitest';
import { contract, handlerNames, isHandlerName } from '../../src-main/contract/index.js';
import type { HandlerDef } from '../../src-main/contract/common.js';
import { implementations } from '../../src-main/handlers.js';

describe('the contract', () => {
  it('has an implementation for every handler and no implementation without a handler', () => {
    expect(Object.keys(implementations).sort()).toEqual([...handlerNames].sort());
  });

  it('names handlers domain/verb-noun in kebab case', () => {
    for (const name of handlerNames) expect(name).toMatch(/^[a-z]+\/[a-z]+(-[a-z]+)*$/);
  });

  it('says who may call each handler', () => {
    for (const name of handlerNames) {
      const { access } = contract[name] as HandlerDef;
      expect(Boolean(access.staff?.length || access.patient || access.anonymous), name).toBe(true);
    }
  });

  it('rejects unknown keys in every handler input', () => {
    for (const name of handlerNames) {
      const def = contract[name] as HandlerDef;
      const parsed = def.input.safeParse({ definitelyNotAField: 1 });
      expect(parsed.success, name).toBe(false);
    }
  });

  it('keeps the admin-only handlers admin-only', () => {
    for (const name of ['staff/create', 'staff/list', 'settings/update', 'audit/list'] as const) {
      expect((contract[name] as HandlerDef).access).toEqual({ staff: ['admin'] });
    }
  });

  it('recognises only its own handler names', () => {
    expect(isHandlerName('auth/login')).toBe(true);
    expect(isHandlerName('toString')).toBe(false);
    expect(isHandlerName('auth/Login')).toBe(false);
  });
});
