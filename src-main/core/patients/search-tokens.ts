/**
 * Search normalisation, written once and used both when a patient is saved and when a
 * query is typed: accents dropped, case folded, punctuation ignored, name order free.
 */

/** "Zoë O'Brien-Núñez" → "zoe obrien-nunez" (hyphens kept for splitting). */
export function foldText(value: string): string {
  return value
    .replace(/[\u2019'`´.]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('en-US')
    .replace(/ß/g, 'ss')
    .trim();
}

/** Name parts for the index: split on spaces, hyphens and commas. */
export function nameParts(value: string): string[] {
  return foldText(value)
    .split(/[\s\-,;/()]+/u)
    .filter((p) => p.length > 0);
}

export const digitsOf = (value: string): string => value.replace(/\D+/g, '');
export const reverse = (value: string): string => [...value].reverse().join('');

export interface TokenSource {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  phoneE164: string | null;
  /** The national significant number, without the country code. */
  phoneNational: string | null;
  email: string | null;
}

export function tokensFor(p: TokenSource): string[] {
  const tokens = new Set<string>();
  for (const part of [...nameParts(p.givenName), ...nameParts(p.familyName)]) tokens.add(`n:${part}`);
  const familyParts = nameParts(p.familyName);
  if (familyParts.length > 1) tokens.add(`n:${familyParts.join('')}`);
  tokens.add(`d:${p.dateOfBirth}`);
  if (p.phoneE164) {
    // Typed from the start (national number, trunk 0 dropped by the query) or from the end.
    tokens.add(`p:${digitsOf(p.phoneNational ?? p.phoneE164)}`);
    tokens.add(`r:${reverse(digitsOf(p.phoneE164))}`);
  }
  if (p.email) tokens.add(`e:${p.email.toLowerCase()}`);
  return [...tokens];
}
