import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { fieldErrorsFrom } from '../../src-main/contract/errors.js';
import { DomainError, invalidField, notFound } from '../../src-main/core/errors.js';

const schema = z.strictObject({
  name: z.string().max(3, 'Too long.'),
  address: z.strictObject({ postalCode: z.string().min(1, 'Postal code is required.') }),
});

const errorsFor = (input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return fieldErrorsFrom(parsed.error);
};

describe('fieldErrorsFrom', () => {
  it('keys errors by dotted path', () => {
    expect(errorsFor({ name: 'abcd', address: { postalCode: '' } })).toEqual({
      name: ['Too long.'],
      'address.postalCode': ['Postal code is required.'],
    });
  });

  it('names each unknown field, nested ones by path', () => {
    expect(errorsFor({ name: 'a', address: { postalCode: '1', planet: 'Mars' }, extra: 1, more: 2 })).toEqual({
      'address.planet': ['Unknown field.'],
      extra: ['Unknown field.'],
      more: ['Unknown field.'],
    });
  });

  it('says "This field is required." for a missing field', () => {
    expect(errorsFor({ address: { postalCode: '1' } })).toEqual({ name: ['This field is required.'] });
  });

  it('puts errors about the whole input under "_"', () => {
    const errors = errorsFor('not an object');
    expect(Object.keys(errors)).toEqual(['_']);
  });
});

describe('DomainError', () => {
  it('turns into the AppError shape, with field errors and details only when present', () => {
    expect(new DomainError('x/y', 'Nope.').toAppError()).toEqual({ code: 'x/y', message: 'Nope.' });
    expect(invalidField('email', 'Bad e-mail.').toAppError()).toEqual({
      code: 'validation/invalid-input',
      message: 'Bad e-mail.',
      fieldErrors: { email: ['Bad e-mail.'] },
    });
    expect(notFound('The patient').toAppError()).toEqual({ code: 'common/not-found', message: 'The patient was not found.' });
    const kept = new DomainError('auth/throttled', 'Wait.', { details: { retryAfterSeconds: 3 }, keepChanges: true });
    expect(kept.keepChanges).toBe(true);
    expect(kept.toAppError()).toEqual({ code: 'auth/throttled', message: 'Wait.', details: { retryAfterSeconds: 3 } });
  });
});
