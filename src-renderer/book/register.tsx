import { useRef, useState, type FormEvent } from 'react';
import { api, newKey, type AppError } from './api.js';
import { useT } from './i18n/index.js';
import { Alert, BackButton, Checkbox, Field, StepHeading, errorText, pickFieldErrors } from './ui.js';

export interface Contact {
  email: string;
  phone: string;
  consentEmail: boolean;
  consentSms: boolean;
}

export interface RegisterDraft extends Contact {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}
export const emptyRegisterDraft: RegisterDraft = { givenName: '', familyName: '', dateOfBirth: '', phone: '', email: '', consentEmail: false, consentSms: false };

const FIELD_MAP: Record<string, keyof RegisterDraft> = {
  'basic.givenName': 'givenName',
  'basic.familyName': 'familyName',
  'basic.dateOfBirth': 'dateOfBirth',
  'basic.phone': 'phone',
  'basic.email': 'email',
};

/** The short form: name, date of birth, phone, e-mail, consents. What was typed survives a refusal. */
export function RegisterStep(props: {
  draft: RegisterDraft;
  onDraft: (d: RegisterDraft) => void;
  onBack: () => void;
  onRegistered: (token: string, givenName: string, expiresAt: string | null) => void;
}) {
  const { t, lang } = useT();
  const { draft, onDraft } = props;
  const key = useRef(newKey());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const set = <K extends keyof RegisterDraft>(k: K, v: RegisterDraft[K]) => {
    onDraft({ ...draft, [k]: v });
    if (local[k]) setLocal({ ...local, [k]: [] });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string[]> = {};
    for (const k of ['givenName', 'familyName', 'dateOfBirth', 'phone'] as const) if (!draft[k].trim()) missing[k] = [t('fillIn')];
    if (draft.consentEmail && !draft.email.trim()) missing.email = [t('emailMissing')];
    setLocal(missing);
    setError(null);
    if (Object.keys(missing).length) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    const outcome = await api.register(
      {
        basic: {
          givenName: draft.givenName,
          familyName: draft.familyName,
          dateOfBirth: draft.dateOfBirth,
          sex: 'unknown',
          phone: draft.phone,
          email: draft.email.trim(),
          preferredLanguage: lang,
          consentEmail: draft.consentEmail,
          consentSms: draft.consentSms,
        },
      },
      key.current,
    );
    setBusy(false);
    if (outcome.ok && outcome.data.accessToken) {
      props.onRegistered(outcome.data.accessToken, draft.givenName.trim(), outcome.data.accessExpiresAt ?? null);
      return;
    }
    if (outcome.ok) {
      // A replay never carries a token: its message says how to get access again.
      setError({ code: 'patient/replayed', message: outcome.data.message ?? '' });
      return;
    }
    // A refused form can be corrected and sent again as a new request.
    key.current = newKey();
    setError(outcome.error);
    focusFirstInvalid();
  };

  const server = pickFieldErrors(error, FIELD_MAP);
  const errs = (k: keyof RegisterDraft) => (local[k]?.length ? local[k] : server[k]);
  const unmapped = error && Object.keys(server).length === 0 ? errorText(error, t) : error ? t('fixErrors') : null;
  return (
    <section>
      <BackButton onClick={props.onBack} />
      <StepHeading>{t('registerTitle')}</StepHeading>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="row2">
          <Field label={t('givenName')} required autoComplete="given-name" maxLength={100} value={draft.givenName} onChange={(e) => set('givenName', e.target.value)} error={errs('givenName')} />
          <Field label={t('familyName')} required autoComplete="family-name" maxLength={100} value={draft.familyName} onChange={(e) => set('familyName', e.target.value)} error={errs('familyName')} />
        </div>
        <Field label={t('dateOfBirth')} required type="date" autoComplete="bday" value={draft.dateOfBirth} onChange={(e) => set('dateOfBirth', e.target.value)} error={errs('dateOfBirth')} />
        <Field label={t('phone')} required type="tel" autoComplete="tel" inputMode="tel" maxLength={32} value={draft.phone} onChange={(e) => set('phone', e.target.value)} error={errs('phone')} />
        <Field label={t('email')} type="email" autoComplete="email" maxLength={254} value={draft.email} onChange={(e) => set('email', e.target.value)} error={errs('email')} />
        <fieldset className="consents">
          <legend>{t('consentsLegend')}</legend>
          <Checkbox label={t('consentEmail')} checked={draft.consentEmail} onChange={(v) => set('consentEmail', v)} />
          <Checkbox label={t('consentSms')} checked={draft.consentSms} onChange={(v) => set('consentSms', v)} />
        </fieldset>
        <p className="hint">{t('privacyNote')}</p>
        <Alert>{unmapped}</Alert>
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
          {t('continue')}
        </button>
      </form>
    </section>
  );
}

function focusFirstInvalid() {
  requestAnimationFrame(() => {
    const first = document.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    (first ?? document.querySelector<HTMLElement>('[role="alert"]'))?.focus();
  });
}
