import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, type AppError, type ClinicInfo } from './api.js';
import { useT } from './i18n/index.js';
import { Alert, BackButton, Field, StepHeading, errorText, pickFieldErrors } from './ui.js';

export const FIRST_SCREEN_MARK = 'book-first-screen';

export function StartStep(props: {
  /** Null while the clinic's details load: the first screen does not wait for them. */
  clinic: ClinicInfo | null;
  signedInName: string | null;
  onNew: () => void;
  onReturning: () => void;
  onBook: () => void;
  onManage: () => void;
  onSignOut: () => void;
  /** Signed in: the health questions' entry (prominent while unanswered). */
  health?: ReactNode;
}) {
  const { t } = useT();
  const { clinic } = props;
  useEffect(() => {
    // What bench/scenarios/book-page-first-render measures: the first screen, usable.
    if (!performance.getEntriesByName(FIRST_SCREEN_MARK).length) performance.mark(FIRST_SCREEN_MARK);
  }, []);
  return (
    <section aria-labelledby="start-title">
      <StepHeading>{t('bookTitle')}</StepHeading>
      {props.signedInName ? (
        <>
          <p className="lead">{t('signedInAs', { name: props.signedInName })}</p>
          {props.health}
          <div className="stack">
            <button type="button" className="btn btn-primary" onClick={props.onBook}>
              {t('continueAs')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={props.onManage}>
              {t('startManage')}
            </button>
            <button type="button" className="btn btn-link" onClick={props.onSignOut}>
              {t('signOut')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="lead">{t('startLead')}</p>
          <div className="stack">
            <button type="button" className="btn btn-primary" onClick={props.onNew}>
              {t('startNew')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={props.onReturning}>
              {t('startReturning')}
            </button>
          </div>
        </>
      )}
      {clinic?.emergencyNumber && <p className="emergency">{t('emergency', { number: clinic.emergencyNumber })}</p>}
    </section>
  );
}

/** "I have booked before": contact + date of birth → a one-time link by e-mail or SMS. The answer never says whether anyone matched. */
export function ReturningStep({ clinic, onBack }: { clinic: ClinicInfo | null; onBack: () => void }) {
  const { t } = useT();
  const [contact, setContact] = useState('');
  const [dob, setDob] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const [sent, setSent] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string[]> = {};
    if (!contact.trim()) missing.contact = [t('fillIn')];
    if (!dob) missing.dob = [t('fillIn')];
    setLocal(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    const outcome = await api.requestLink(contact.trim(), dob);
    setBusy(false);
    if (outcome.ok) setSent(true);
    else setError(outcome.error);
  };

  if (sent)
    return (
      <section>
        <StepHeading>{t('linkSentTitle')}</StepHeading>
        <p className="lead">{t('linkSentLead')}</p>
        {clinic?.phone && <p>{t('linkSentHelp', { phone: clinic.phone })}</p>}
        <button type="button" className="btn btn-secondary" onClick={onBack}>
          {t('back')}
        </button>
      </section>
    );

  const server = pickFieldErrors(error, { contact: 'contact', dateOfBirth: 'dob' });
  return (
    <section>
      <BackButton onClick={onBack} />
      <StepHeading>{t('returningTitle')}</StepHeading>
      <p className="lead">{t('returningLead')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('contact')} required autoComplete="email" inputMode="email" value={contact} maxLength={254} onChange={(e) => setContact(e.target.value)} error={local.contact ?? server.contact} />
        <Field label={t('dateOfBirth')} required type="date" autoComplete="bday" value={dob} onChange={(e) => setDob(e.target.value)} error={local.dob ?? server.dob} />
        <Alert>{error && !Object.keys(server).length ? errorText(error, t) : null}</Alert>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('sendLink')}
        </button>
      </form>
    </section>
  );
}

/** `#/signin/<token>`: exchanged once for a device token; the link leaves the address bar at once. */
export function SignInStep({ linkToken, onSignedIn, onNewLink }: { linkToken: string; onSignedIn: (token: string, givenName: string, expiresAt: string) => void; onNewLink: () => void }) {
  const { t } = useT();
  const [error, setError] = useState<AppError | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void api.exchange(linkToken).then((outcome) => {
      if (outcome.ok) onSignedIn(outcome.data.accessToken, outcome.data.patient.givenName, outcome.data.expiresAt);
      else setError(outcome.error);
    });
  }, [linkToken, onSignedIn]);
  if (!error)
    return (
      <section>
        <StepHeading>{t('signingIn')}</StepHeading>
      </section>
    );
  return (
    <section>
      <StepHeading>{t('signInFailedTitle')}</StepHeading>
      <Alert>{errorText(error, t)}</Alert>
      <button type="button" className="btn btn-primary" onClick={onNewLink}>
        {t('getNewLink')}
      </button>
    </section>
  );
}
