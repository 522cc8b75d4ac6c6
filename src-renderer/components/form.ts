import { useCallback, useState } from 'react';
import type { z } from 'zod';
import type { AppError, FieldErrors } from '../../src-main/contract/index.js';
import { fieldErrorsFrom } from '../../src-main/contract/errors.js';

/**
 * Form state with the contract's own schema: the same rules check the form before it is
 * sent and the dispatcher checks it again; server errors land next to the same fields.
 */
export function useFieldErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<AppError | null>(null);

  const fromError = useCallback((error: AppError) => {
    setErrors(error.fieldErrors ?? {});
    setBanner(error.fieldErrors && error.code === 'validation/invalid-input' ? null : error);
  }, []);

  const check = useCallback(<T>(schema: z.ZodType<T>, value: unknown): T | null => {
    const parsed = schema.safeParse(value, { reportInput: true });
    if (parsed.success) {
      setErrors({});
      setBanner(null);
      return parsed.data;
    }
    setErrors(fieldErrorsFrom(parsed.error));
    setBanner(null);
    return null;
  }, []);

  const field = useCallback(
    (key: string) => {
      const messages = errors[key];
      return messages && messages.length > 0 ? { error: true, helperText: messages.join(' ') } : { error: false };
    },
    [errors],
  );

  const clear = useCallback(() => {
    setErrors({});
    setBanner(null);
  }, []);

  return { errors, banner, setBanner, fromError, check, field, clear };
}
