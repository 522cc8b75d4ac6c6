import { describe, expect, it } from 'vitest';
import { digitsOf, foldText, nameParts, reverse, tokensFor } from '../../src-main/core/patients/search-tokens.js';

describe('foldText', () => {
  it('drops accents and folds case', () => {
    expect(foldText('Zoë Núñez')).toBe('zoe nunez');
    expect(foldText('CHLOÉ Müller')).toBe('chloe muller');
    expect(foldText('Ça Ñandú')).toBe('ca nandu');
  });

  it('drops straight and curly apostrophes, backticks and dots', () => {
    expect(foldText("O'Brien")).toBe('obrien');
    expect(foldText('O’Brien')).toBe('obrien');
    expect(foldText('O`Brien')).toBe('obrien');
    expect(foldText('J.R.')).toBe('jr');
  });

  it('keeps hyphens (nameParts splits on them)', () => {
    expect(foldText("Zoë O'Brien-Núñez")).toBe('zoe obrien-nunez');
  });

  it('turns ß and capital ẞ into ss', () => {
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('STRAẞE')).toBe('strasse');
    expect(foldText('Weiß')).toBe(foldText('WEISS'));
  });

  it('leaves Han characters as they are and decomposes Hangul the same way for names and queries', () => {
    expect(foldText('山田 太郎')).toBe('山田 太郎');
    // NFKD splits Hangul syllables into jamo; stored tokens and typed queries fold alike.
    expect(foldText('김민준')).toBe('김민준'.normalize('NFKD'));
    expect(foldText('김민준').startsWith(foldText('김민'))).toBe(true);
  });

  it('keeps emoji and lowercases the letters around them', () => {
    expect(foldText('🌸 Sakura')).toBe('🌸 sakura');
  });

  it('expands compatibility ligatures and trims', () => {
    expect(foldText('  ﬁona  ')).toBe('fiona');
  });

  it('returns an empty string for blank input', () => {
    expect(foldText('   ')).toBe('');
    expect(foldText('')).toBe('');
  });
});

describe('nameParts', () => {
  it('splits on spaces and hyphens after folding', () => {
    expect(nameParts("Zoë O'Brien-Núñez")).toEqual(['zoe', 'obrien', 'nunez']);
  });

  it('splits on commas, semicolons, slashes and parentheses', () => {
    expect(nameParts('García, Ana')).toEqual(['garcia', 'ana']);
    expect(nameParts('Lee;Kim/Park (Choi)')).toEqual(['lee', 'kim', 'park', 'choi']);
  });

  it('collapses runs of separators and drops empty parts', () => {
    expect(nameParts('  Ana -- Maria  ')).toEqual(['ana', 'maria']);
    expect(nameParts(' - , ')).toEqual([]);
  });

  it('keeps a CJK name part whole', () => {
    expect(nameParts('山田 太郎')).toEqual(['山田', '太郎']);
  });

  it('keeps an emoji as its own part', () => {
    expect(nameParts('Sunny 🌞')).toEqual(['sunny', '🌞']);
  });
});

describe('digitsOf and reverse', () => {
  it('keeps only digits', () => {
    expect(digitsOf('+1 (202) 555-0143')).toBe('12025550143');
    expect(digitsOf('abc')).toBe('');
  });

  it('reverses by code point', () => {
    expect(reverse('12025550143')).toBe('34105552021');
    expect(reverse('a🌞b')).toBe('b🌞a');
  });
});

describe('tokensFor', () => {
  it('indexes name parts, the joined multi-part family name, birth date, phone both ways and e-mail', () => {
    expect(
      tokensFor({
        givenName: 'Ana-Maria',
        familyName: 'García Núñez',
        dateOfBirth: '1990-03-04',
        phoneE164: '+12025550143',
        phoneNational: '2025550143',
        email: 'Ana@Example.com',
      }),
    ).toEqual([
      'n:ana',
      'n:maria',
      'n:garcia',
      'n:nunez',
      'n:garcianunez',
      'd:1990-03-04',
      'p:2025550143',
      'r:34105552021',
      'e:ana@example.com',
    ]);
  });

  it('adds no joined token for a one-part family name, and no duplicates', () => {
    expect(
      tokensFor({ givenName: 'Lee', familyName: 'Lee', dateOfBirth: '2001-12-31', phoneE164: null, phoneNational: null, email: null }),
    ).toEqual(['n:lee', 'd:2001-12-31']);
  });

  it('indexes the phone from its E.164 digits when the national number is unknown', () => {
    expect(
      tokensFor({ givenName: 'A', familyName: 'B', dateOfBirth: '2000-01-01', phoneE164: '+442079460958', phoneNational: null, email: '' }),
    ).toEqual(['n:a', 'n:b', 'd:2000-01-01', 'p:442079460958', 'r:859064970244']);
  });

  it('indexes CJK and emoji name parts as typed', () => {
    expect(
      tokensFor({ givenName: '花子 🌸', familyName: '山田', dateOfBirth: '1975-12-01', phoneE164: null, phoneNational: null, email: null }),
    ).toEqual(['n:花子', 'n:🌸', 'n:山田', 'd:1975-12-01']);
  });
});
