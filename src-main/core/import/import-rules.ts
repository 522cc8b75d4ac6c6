import { fieldErrorsFrom } from '../../contract/errors.js';
import { importFieldLabels, type ImportCells, type ImportField } from '../../contract/import.contract.js';
import { basicRuleErrors, type ClinicRules } from '../../contract/patient-rules.js';
import { basicInfo, type BasicInfo } from '../../contract/patients.contract.js';
import { normalizePhone } from '../../contract/phone.js';

/**
 * One imported row, checked with the SAME rules as a registration at the desk: the contract's
 * `basicInfo` schema (names, dates, e-mail, address, language) and the clinic rules zod cannot
 * check alone (the phone read in the clinic's country, no birth date after today). Nothing is
 * copied: only how a spreadsheet's cells become a registration's fields is decided here.
 */
export type CheckedRow =
  | { ok: true; basic: BasicInfo; phoneE164: string; phoneNational: string }
  | { ok: false; errors: Array<{ field: string; message: string }> };

/** Sex as lists write it: F/M/X, any case; blank means not recorded ("unknown", a value registration offers too). */
const SEXES: Record<string, BasicInfo['sex']> = {
  '': 'unknown',
  f: 'female',
  female: 'female',
  woman: 'female',
  w: 'female',
  m: 'male',
  male: 'male',
  man: 'male',
  x: 'intersex',
  i: 'intersex',
  intersex: 'intersex',
  u: 'unknown',
  unknown: 'unknown',
};
export const SEX_MESSAGE = 'Use female, male, intersex or unknown (F, M or X also work; blank means unknown).';
/** A file's dates are read one way only, so the message says which (the form's date box needs no such words). */
export const DATE_MESSAGE = 'Write the date as year-month-day, for example 1980-04-23.';

/** The registration path of each field → the import field it came from. */
const pathToField: Record<string, ImportField> = {
  givenName: 'givenName',
  familyName: 'familyName',
  dateOfBirth: 'dateOfBirth',
  sex: 'sex',
  gender: 'gender',
  phone: 'phone',
  email: 'email',
  'address.line1': 'addressLine1',
  'address.line2': 'addressLine2',
  'address.city': 'city',
  'address.region': 'region',
  'address.postalCode': 'postalCode',
  'address.country': 'country',
  preferredLanguage: 'preferredLanguage',
};

const blankAsDefault = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

/** The registration input a row's cells stand for. */
export function registrationOf(cells: ImportCells): unknown {
  return {
    givenName: cells.givenName,
    familyName: cells.familyName,
    dateOfBirth: cells.dateOfBirth.trim(),
    sex: SEXES[cells.sex.trim().toLowerCase()] ?? cells.sex,
    gender: cells.gender,
    phone: cells.phone,
    email: cells.email.trim(),
    address: {
      line1: cells.addressLine1,
      line2: cells.addressLine2,
      city: cells.city,
      region: cells.region,
      postalCode: cells.postalCode,
      country: cells.country.trim().toUpperCase(),
    },
    preferredLanguage: blankAsDefault(cells.preferredLanguage),
  };
}

export function checkRow(cells: ImportCells, clinic: ClinicRules): CheckedRow {
  const errors: Array<{ field: string; message: string }> = [];
  const push = (field: ImportField, message: string) => {
    if (!errors.some((e) => e.field === importFieldLabels[field] && e.message === message)) errors.push({ field: importFieldLabels[field], message });
  };
  const parsed = basicInfo.safeParse(registrationOf(cells));
  const failed = new Set<ImportField>();
  if (!parsed.success) {
    for (const [path, messages] of Object.entries(fieldErrorsFrom(parsed.error))) {
      const field = pathToField[path] ?? 'givenName';
      failed.add(field);
      for (const message of messages) push(field, field === 'sex' ? SEX_MESSAGE : field === 'dateOfBirth' ? DATE_MESSAGE : message);
    }
  }
  // The clinic's rules, for the fields zod accepted (registration applies them the same way).
  // basicRuleErrors finds an error exactly when the phone does not normalise or the birth date
  // is after today; it is asked for its wording only then (each phone parse costs).
  const phone = normalizePhone(cells.phone, clinic.defaultCountry);
  const rules = !phone || cells.dateOfBirth.trim() > clinic.today ? basicRuleErrors({ phone: cells.phone, dateOfBirth: cells.dateOfBirth.trim() }, clinic, 'basic') : {};
  for (const [key, messages] of Object.entries(rules)) {
    const field: ImportField = key === 'basic.phone' ? 'phone' : 'dateOfBirth';
    if (failed.has(field)) continue;
    for (const message of messages) push(field, message);
  }
  if (!parsed.success || errors.length > 0 || !phone) return { ok: false, errors };
  return { ok: true, basic: parsed.data, phoneE164: phone.e164, phoneNational: phone.national };
}
