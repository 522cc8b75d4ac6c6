import { getCountries } from 'libphonenumber-js/min';

const names = new Intl.DisplayNames(['en'], { type: 'region' });

/** Countries phone numbers can belong to, by name (ISO 3166 codes underneath), sorted by name. */
export const phoneCountries: ReadonlyArray<{ code: string; name: string }> = getCountries()
  .map((code) => ({ code, name: names.of(code) ?? code }))
  .sort((a, b) => a.name.localeCompare(b.name));

export const countryName = (code: string): string => (code ? (names.of(code) ?? code) : '');

/** This computer's country from its language setting (en-GB → GB), if it names one we know. */
export function guessCountry(): string {
  for (const tag of navigator.languages ?? [navigator.language]) {
    try {
      const region = new Intl.Locale(tag).maximize().region;
      if (region && phoneCountries.some((c) => c.code === region)) return region;
    } catch {
      // an odd language tag: try the next
    }
  }
  return 'US';
}
