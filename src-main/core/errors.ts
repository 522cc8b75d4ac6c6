/** Errors cross every boundary as data: `{ code, message, fieldErrors? }`. */
import type { AppError, FieldErrors } from '../contract/errors.js';

export type { AppError, FieldErrors };

export interface DomainErrorOptions {
  fieldErrors?: FieldErrors;
  details?: Record<string, unknown>;
  /** Commit the transaction's writes although the call fails (e.g. a failed-login counter). */
  keepChanges?: boolean;
}

/** Thrown inside the core; the dispatcher turns it into an AppError. */
export class DomainError extends Error {
  readonly code: string;
  readonly fieldErrors?: FieldErrors;
  readonly details?: Record<string, unknown>;
  readonly keepChanges: boolean;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.details = options.details;
    this.keepChanges = options.keepChanges ?? false;
  }

  toAppError(): AppError {
    const error: AppError = { code: this.code, message: this.message };
    if (this.fieldErrors) error.fieldErrors = this.fieldErrors;
    if (this.details) error.details = this.details;
    return error;
  }
}

export const notFound = (what: string): DomainError =>
  new DomainError('common/not-found', `${what} was not found.`);

export const invalidField = (field: string, message: string): DomainError =>
  new DomainError('validation/invalid-input', message, { fieldErrors: { [field]: [message] } });
