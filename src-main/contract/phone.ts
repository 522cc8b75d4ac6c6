import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/**
 * Phone numbers, written once for the screen and the core: parsed and validated by
 * libphonenumber-js, stored as E.164. Numbers without +country use the clinic's country.
 */
export function normalizePhone(input: string, defaultCountry: string): { e164: string; national: string } | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, national: parsed.nationalNumber };
}

export function formatPhone(e164: string | null): string {
  if (!e164) return '';
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}
