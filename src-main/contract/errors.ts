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
  // No prototype: a field named `constructor` or `__proto__` is just a key.
  const out: FieldErrors = Object.create(null) as FieldErrors;
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.') || '_';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        key = [...issue.path.map(String), safeFieldName(k)].join('.');
        (out[key] ??= []).push('Unknown field.');
      }
      continue;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) message = 'This field is required.';
    (out[key] ??= []).push(message);
  }
  // A plain object again (own data properties only, so `constructor` stays a key).
  return Object.fromEntries(Object.entries(out));
}

/**
 * An unknown field's name comes from the caller: printable characters only, at most 64, so it
 * can be echoed in an error and written to the audit log without forging lines or breaking text.
 */
export function safeFieldName(name: string): string {
  const printable = Array.from(name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))
    .filter((c) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(c))
    .join('');
  const capped = Array.from(printable).slice(0, 64).join('');
  return capped || '(unnamed)';
}
