import { describe, expect, it } from 'vitest';
import { nameSimilarity, similarNames } from '../../src-main/core/patients/duplicates.js';
import { formatPhone, normalizePhone } from '../../src-main/contract/phone.js';

describe('nameSimilarity', () => {
  it('is 1 for the same names in another order', () => {
    expect(nameSimilarity('Smith John', 'John Smith')).toBe(1);
    expect(nameSimilarity('García, Ana', 'Ana García')).toBe(1);
  });

  it('ignores accents, case and apostrophes', () => {
    expect(nameSimilarity('José García', 'JOSE GARCIA')).toBe(1);
    expect(nameSimilarity("Seán O'Brien", 'Sean OBrien')).toBe(1);
  });

  it('scores a one-letter typo by edit distance over length', () => {
    // "jon smith" vs "john smith": 1 edit over 10 characters.
    expect(nameSimilarity('Jon Smith', 'John Smith')).toBeCloseTo(0.9, 10);
    // "ana garcia" vs "ana garcai": a transposition is 2 edits over 10 characters.
    expect(nameSimilarity('Ana Garcai', 'Ana Garcia')).toBeCloseTo(0.8, 10);
  });

  it('is low for different people and 0 when a side is empty', () => {
    expect(nameSimilarity('Ann Lee', 'Bob Stone')).toBeLessThan(0.5);
    expect(nameSimilarity('', 'John Smith')).toBe(0);
    expect(nameSimilarity("' -", 'John Smith')).toBe(0);
  });
});

describe('similarNames', () => {
  const john = { given: 'John', family: 'Smith' };

  it('matches a typo, another order and another accent', () => {
    expect(similarNames({ given: 'Jon', family: 'Smith' }, john)).toBe(true);
    expect(similarNames({ given: 'Smith', family: 'John' }, john)).toBe(true);
    expect(similarNames({ given: 'Jöhn', family: 'Smíth' }, john)).toBe(true);
    expect(similarNames({ given: 'Jon', family: 'Smyth' }, john)).toBe(true);
  });

  it('matches the same family name with the same given initial', () => {
    expect(similarNames({ given: 'J.', family: 'Smith' }, john)).toBe(true);
    expect(similarNames({ given: 'Jonathan', family: 'SMITH' }, john)).toBe(true);
  });

  it('does not match the same family name with another given initial, or another person', () => {
    expect(similarNames({ given: 'Mary', family: 'Smith' }, john)).toBe(false);
    expect(similarNames({ given: 'Jane', family: 'Doe' }, john)).toBe(false);
  });

  it('does not match two blank family names by initial alone', () => {
    expect(similarNames({ given: 'Ann', family: '' }, { given: 'Alice', family: '' })).toBe(false);
  });
});

describe('normalizePhone', () => {
  it('reads a US national number with punctuation as +1', () => {
    expect(normalizePhone('(202) 555-0143', 'US')).toEqual({ e164: '+12025550143', national: '2025550143' });
    expect(normalizePhone(' 202.555.0143 ', 'US')).toEqual({ e164: '+12025550143', national: '2025550143' });
  });

  it('keeps an explicit +44 whatever the clinic country', () => {
    expect(normalizePhone('+44 20 7946 0958', 'US')).toEqual({ e164: '+442079460958', national: '2079460958' });
  });

  it('reads a UK national number with its trunk 0 when the clinic is in GB', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual({ e164: '+442079460958', national: '2079460958' });
  });

  it('refuses numbers that cannot be valid', () => {
    expect(normalizePhone('12345', 'US')).toBeNull();
    expect(normalizePhone('phone me', 'US')).toBeNull();
    expect(normalizePhone('', 'US')).toBeNull();
    expect(normalizePhone('+1 202 555 01433', 'US')).toBeNull();
  });

  it('formats E.164 internationally for display, and empty for none', () => {
    expect(formatPhone('+12025550143')).toBe('+1 202 555 0143');
    expect(formatPhone('+442079460958')).toBe('+44 20 7946 0958');
    expect(formatPhone(null)).toBe('');
  });
});
