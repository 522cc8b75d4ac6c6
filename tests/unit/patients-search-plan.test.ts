import { describe, expect, it } from 'vitest';
import { planSearch } from '../../src-main/core/patients/patient-search.js';

describe('planSearch', () => {
  it('reads an ISO date as a date of birth', () => {
    expect(planSearch('1990-03-04')).toEqual({ kind: 'date', date: '1990-03-04' });
    expect(planSearch('  1990-03-04 ')).toEqual({ kind: 'date', date: '1990-03-04' });
  });

  it('reads a slashed date month-first in the US', () => {
    expect(planSearch('03/04/1990', 'US')).toEqual({ kind: 'date', date: '1990-03-04' });
    expect(planSearch('3/4/1990', 'US')).toEqual({ kind: 'date', date: '1990-03-04' });
    expect(planSearch('12/31/1985')).toEqual({ kind: 'date', date: '1985-12-31' });
  });

  it('reads a slashed or dotted date day-first outside the US', () => {
    expect(planSearch('03/04/1990', 'GB')).toEqual({ kind: 'date', date: '1990-04-03' });
    expect(planSearch('3.4.1990', 'DE')).toEqual({ kind: 'date', date: '1990-04-03' });
    expect(planSearch('31/12/1985', 'FR')).toEqual({ kind: 'date', date: '1985-12-31' });
  });

  it('reads P000123 and p12 as patient numbers', () => {
    expect(planSearch('P000123')).toEqual({ kind: 'number', number: 123 });
    expect(planSearch('p12')).toEqual({ kind: 'number', number: 12 });
    expect(planSearch('P 7')).toEqual({ kind: 'number', number: 7 });
  });

  it('reads digits with phone punctuation as digits; short ones may also be a patient number', () => {
    expect(planSearch('202-555-0143')).toEqual({ kind: 'digits', digits: '2025550143', number: null });
    expect(planSearch('+1 (202) 555-0143')).toEqual({ kind: 'digits', digits: '12025550143', number: null });
    expect(planSearch('0143')).toEqual({ kind: 'digits', digits: '0143', number: 143 });
    expect(planSearch('123456789')).toEqual({ kind: 'digits', digits: '123456789', number: 123456789 });
  });

  it('reads anything with @ as a lower-cased e-mail prefix', () => {
    expect(planSearch('Ana.Garcia@Ex')).toEqual({ kind: 'email', prefix: 'ana.garcia@ex' });
    expect(planSearch('@example.com')).toEqual({ kind: 'email', prefix: '@example.com' });
  });

  it('reads words as name prefixes in any order, folded, de-duplicated, at most four', () => {
    expect(planSearch('Smith John')).toEqual({ kind: 'names', terms: ['smith', 'john'] });
    expect(planSearch('  NÚÑEZ   itzel ')).toEqual({ kind: 'names', terms: ['nunez', 'itzel'] });
    expect(planSearch("O'Brien-Lefèvre")).toEqual({ kind: 'names', terms: ['obrien', 'lefevre'] });
    expect(planSearch('ana ANA Ána')).toEqual({ kind: 'names', terms: ['ana'] });
    expect(planSearch('a b c d e')).toEqual({ kind: 'names', terms: ['a', 'b', 'c', 'd'] });
    expect(planSearch('山田 花子')).toEqual({ kind: 'names', terms: ['山田', '花子'] });
  });

  it('plans nothing for an empty query or one with nothing searchable', () => {
    expect(planSearch('')).toEqual({ kind: 'empty' });
    expect(planSearch('   ')).toEqual({ kind: 'empty' });
    expect(planSearch('---')).toEqual({ kind: 'empty' });
    expect(planSearch("' , '")).toEqual({ kind: 'empty' });
  });
});
