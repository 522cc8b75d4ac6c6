import { normalizePhone } from './phone.js';

/**
 * The registration rules zod cannot check alone, because they depend on the clinic: a phone
 * number is read in the clinic's default country, and a birth date may not be after the
 * clinic's today. Written once: the core refuses with these messages and the registration
 * stepper checks each step with them before moving on, so the last step never sends anyone back.
 */
export interface ClinicRules {
  defaultCountry: string;
  /** Today in the clinic's time zone, YYYY-MM-DD. */
  today: string;
}

export const phoneMessage = (defaultCountry: string) =>
  `Not a valid phone number (numbers without +country are read as ${defaultCountry}).`;
export const FUTURE_BIRTH_DATE = 'The date of birth is in the future.';

export function basicRuleErrors(basic: { phone: string; dateOfBirth: string }, clinic: ClinicRules, prefix = 'basic'): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!normalizePhone(basic.phone, clinic.defaultCountry)) errors[`${prefix}.phone`] = [phoneMessage(clinic.defaultCountry)];
  if (basic.dateOfBirth > clinic.today) errors[`${prefix}.dateOfBirth`] = [FUTURE_BIRTH_DATE];
  return errors;
}

export function contactRuleErrors(contact: { phone: string } | null, clinic: Pick<ClinicRules, 'defaultCountry'>, prefix: string): Record<string, string[]> {
  if (!contact || normalizePhone(contact.phone, clinic.defaultCountry)) return {};
  return { [`${prefix}.phone`]: [phoneMessage(clinic.defaultCountry)] };
}
