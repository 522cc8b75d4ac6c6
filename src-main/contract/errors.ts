import type { z } from 'zod';

/** The error shape every transport carries: `{ code, message, fieldErrors? }`. */
export type FieldErrors = Record<string, string[]>;

export interface AppError {
  code: string;
  message: string;
  fieldErrors?: FieldErrors;
  details?: Record<string, unknown>;
}

/** zod issues → `{ 'address.postalCode': ['…'] }`, the shape every screen shows next to its fields. */
export function fieldErrorsFrom(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.') || '_';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        key = [...issue.path.map(String), k].join('.');
        (out[key] ??= []).push('Unknown field.');
      }
      continue;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) message = 'This field is required.';
    (out[key] ??= []).push(message);
  }
  return out;
}
