import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import type { AppError } from './api.js';
import { useT, type T } from './i18n/index.js';

/** A server refusal in the patient's words: our own for transport troubles, the server's plain message otherwise. */
export function errorText(error: AppError, t: T): string {
  if (error.code === 'network/unreachable') return t('networkError');
  if (error.code === 'http/too-many-requests') return error.message || t('tooMany');
  if (error.code === 'auth/patient-token-invalid' || error.code === 'auth/patient-token-missing') return t('sessionEnded');
  return error.message || t('networkError');
}

/** The step's heading; it takes focus when the step opens so screen readers announce it. */
export function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="step-heading">
      {children}
    </h1>
  );
}

export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'info' | 'success' }) {
  if (!children) return null;
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

type FieldProps = {
  label: string;
  error?: string[] | string;
  hint?: string;
} & InputHTMLAttributes<HTMLInputElement>;

export function Field({ label, error, hint, required, ...input }: FieldProps) {
  const id = useId();
  const errors = typeof error === 'string' ? [error] : error ?? [];
  const described = [hint ? `${id}-hint` : '', errors.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const { t } = useT();
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="req"> ({t('required')})</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input id={id} required={required} aria-invalid={errors.length ? true : undefined} aria-describedby={described} {...input} />
      {errors.length > 0 && (
        <p className="field-error" id={`${id}-err`}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export function BackButton({ onClick }: { onClick: () => void }) {
  const { t } = useT();
  return (
    <button type="button" className="btn btn-link back" onClick={onClick}>
      ← {t('back')}
    </button>
  );
}

/** Field errors keyed by the server's paths ('basic.givenName') → the form's field names. */
export function pickFieldErrors(error: AppError | null, map: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!error?.fieldErrors) return out;
  for (const [path, messages] of Object.entries(error.fieldErrors)) {
    const key = map[path] ?? null;
    if (key) (out[key] ??= []).push(...messages);
  }
  return out;
}
