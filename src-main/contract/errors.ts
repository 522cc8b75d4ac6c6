/** The error shape every transport carries: `{ code, message, fieldErrors? }`. */
export type FieldErrors = Record<string, string[]>;

export interface AppError {
  code: string;
  message: string;
  fieldErrors?: FieldErrors;
  details?: Record<string, unknown>;
}
