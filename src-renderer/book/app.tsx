import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, configureClient, newKey, type AppError, type AppointmentView, type ClinicInfo, type Hold, type Slot } from './api.js';
import { LANGS, LangContext, preferredLang, translator, type Lang } from './i18n/index.js';
import { KioskBar } from './kiosk.js';
import { ManageStep } from './manage.js';
import { RegisterStep, emptyRegisterDraft, type RegisterDraft } from './register.js';
import { DoneStep, ReviewStep } from './review.js';
import { createSessionStore, isKiosk, type Session } from './session.js';
import { ReturningStep, SignInStep, StartStep } from './start.js';
import { SlotPicker, TypeList } from './slots.js';
import { SymptomsStep } from './symptoms.js';
import { HealthEntry, HealthStep } from './health.js';
import { Alert, BackButton, StepHeading, errorText } from './ui.js';

type Step =
  | { name: 'start' }
  | { name: 'register' }
  | { name: 'returning' }
  | { name: 'signin'; linkToken: string }
  | { name: 'symptoms' }
  | { name: 'type' }
  | { name: 'slot' }
  | { name: 'review' }
  | { name: 'done'; appointmentId: string }
  | { name: 'manage' }
  | { name: 'health'; back: Step };

interface Draft {
  suggestedTypeId: string | null;
  typeId: string | null;
  doctorId: string | null;
  slot: Slot | null;
  hold: Hold | null;
  code: string;
  bookingKey: string;
}
const emptyDraft = (): Draft => ({ suggestedTypeId: null, typeId: null, doctorId: null, slot: null, hold: null, code: '', bookingKey: newKey() });

const LOCALES: Record<Lang, string> = { en: 'en-GB', es: 'es-ES' };

/** The route in the address: `#/signin/<token>`, `#/booked/<id>`, `#/manage`; anything else is the start. */
function stepFromHash(hash: string): Step | null {
  const signin = /^#\/signin\/([A-Za-z0-9_-]{10,200})$/.exec(hash);
  if (signin) return { name: 'signin', linkToken: signin[1]! };
  const booked = /^#\/booked\/([A-Za-z0-9_-]{1,100})$/.exec(hash);
  if (booked) return { name: 'done', appointmentId: booked[1]! };
  if (hash === '#/manage') return { name: 'manage' };
  if (hash === '#/health') return { name: 'health', back: { name: 'manage' } };
  // The plain-HTML first screen's links (index.html), followed before the script arrived.
  if (hash === '#/new') return { name: 'register' };
  if (hash === '#/returning') return { name: 'returning' };
  return null;
}

export function BookApp() {
  const [kiosk] = useState(isKiosk);
  const store = useMemo(() => createSessionStore(kiosk), [kiosk]);
  const [lang, setLang] = useState<Lang>(() => preferredLang());
  const t = useMemo(() => translator(lang), [lang]);
  const [clinic, setClinic] = useState<ClinicInfo | null>(null);
  const [clinicError, setClinicError] = useState<AppError | null>(null);
  const [session, setSessionState] = useState<Session | null>(() => store.load());
  const sessionRef = useRef(session);
  const [step, setStep] = useState<Step>(() => stepFromHash(window.location.hash) ?? { name: 'start' });
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [registerDraft, setRegisterDraft] = useState<RegisterDraft>(emptyRegisterDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [codeError, setCodeError] = useState<string[] | undefined>(undefined);
  const [booked, setBooked] = useState<AppointmentView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [healthSaved, setHealthSaved] = useState(false);

  const setSession = useCallback(
    (s: Session | null) => {
      sessionRef.current = s;
      store.save(s);
      setSessionState(s);
    },
    [store],
  );

  // A layout effect: it runs before any child's effect, so a screen that reads on its first
  // render (the health questions' entry on the signed-in start) already sends the token.
  useLayoutEffect(() => {
    configureClient(
      () => sessionRef.current?.token ?? null,
      () => setSession(null),
    );
  }, [setSession]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t('bookTitle')}${clinic ? ` — ${clinic.name}` : ''}`;
  }, [lang, t, clinic]);

  const loadClinic = useCallback(() => {
    void api.clinic().then((o) => {
      setClinicError(o.ok ? null : o.error);
      if (o.ok) setClinic(o.data);
    });
  }, []);
  useEffect(() => loadClinic(), [loadClinic]);

  useEffect(() => {
    const onHash = () => {
      const next = stepFromHash(window.location.hash);
      if (next) setStep(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A sign-in link never stays in the address bar or the history.
  useEffect(() => {
    if (step.name === 'signin') history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }, [step]);

  // After Stripe sends the patient back (#/booked/<id>), or on reload of the confirmation.
  useEffect(() => {
    if (step.name !== 'done' || booked?.id === step.appointmentId || !session) return;
    void api.appointment(step.appointmentId).then((o) => (o.ok ? setBooked(o.data.appointment) : setError(o.error)));
  }, [step, booked, session]);

  const go = useCallback((next: Step) => {
    setError(null);
    setStep(next);
    if (window.location.hash && window.location.hash !== '#/') history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
    window.scrollTo(0, 0);
  }, []);

  const reset = useCallback(() => {
    const hold = draft.hold;
    if (hold && sessionRef.current) void api.releaseHold(hold.holdId);
    setSession(null);
    setDraft(emptyDraft());
    setRegisterDraft(emptyRegisterDraft);
    setBooked(null);
    setNotice(null);
    setCodeError(undefined);
    setLang(preferredLang());
    go({ name: 'start' });
  }, [draft.hold, go, setSession]);

  const signedIn = useCallback(
    (token: string, givenName: string, expiresAt: string | null, next: Step) => {
      setSession({ token, givenName, expiresAt });
      go(next);
    },
    [go, setSession],
  );

  const holdSlot = async (slot: Slot) => {
    if (!draft.typeId) return;
    setBusy(true);
    setError(null);
    const outcome = await api.hold({ consultationTypeId: draft.typeId, doctorId: slot.doctorId, startAt: slot.startAt });
    setBusy(false);
    if (!outcome.ok) return setError(outcome.error);
    setDraft((d) => ({ ...d, slot, hold: outcome.data }));
    go({ name: 'review' });
  };

  const book = async (payNow: boolean) => {
    const { typeId, slot, hold } = draft;
    if (!typeId || !slot || !hold) return;
    setBusy(true);
    setError(null);
    const code = draft.code.trim();
    const outcome = await api.book({ consultationTypeId: typeId, doctorId: slot.doctorId, startAt: slot.startAt, holdId: hold.holdId, ...(code ? { referralCode: code } : {}) }, draft.bookingKey);
    if (!outcome.ok) {
      setBusy(false);
      if (outcome.error.fieldErrors?.referralCode) setCodeError(outcome.error.fieldErrors.referralCode);
      else setError(outcome.error);
      return;
    }
    const appointment = outcome.data.appointment;
    setBooked(appointment);
    setDraft(emptyDraft());
    if (payNow) {
      const pay = await api.pay(appointment.id);
      if (pay.ok && /^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/])/.test(pay.data.url)) {
        window.location.assign(pay.data.url);
        return;
      }
      setNotice(pay.ok ? t('payOnlineUnavailable') : errorText(pay.error, t));
    } else setNotice(null);
    setBusy(false);
    go({ name: 'done', appointmentId: appointment.id });
  };

  /** The health questions' entry: opens the form, which comes back here when saved. */
  const healthEntry = (from: Step, timeZone?: string) => (
    <HealthEntry
      timeZone={timeZone ?? clinic?.timeZone}
      saved={healthSaved}
      onOpen={() => {
        setHealthSaved(false);
        go({ name: 'health', back: from });
      }}
    />
  );

  const start = (
    <StartStep
      health={session ? healthEntry({ name: 'start' }) : null}
      clinic={clinic}
      signedInName={session?.givenName ?? null}
      onNew={() => go({ name: 'register' })}
      onReturning={() => go({ name: 'returning' })}
      onBook={() => go({ name: 'symptoms' })}
      onManage={() => go({ name: 'manage' })}
      onSignOut={reset}
    />
  );
  let body: React.ReactNode;
  // The first screen never waits for the clinic's details.
  const needsClinic = ['type', 'slot', 'review', 'done', 'manage'].includes(step.name);
  if (step.name === 'start') body = start;
  else if (needsClinic && clinicError && !clinic)
    body = (
      <section>
        <StepHeading>{t('bookTitle')}</StepHeading>
        <Alert>{errorText(clinicError, t)}</Alert>
        <button type="button" className="btn btn-primary" onClick={loadClinic}>
          {t('retry')}
        </button>
      </section>
    );
  else if (needsClinic && !clinic) body = <p aria-live="polite">{t('loading')}</p>;
  else if (!session && ['symptoms', 'type', 'slot', 'review', 'manage', 'done', 'health'].includes(step.name))
    body =
      step.name === 'manage' || step.name === 'done' || step.name === 'health' ? (
        <>
          <Alert tone="info">{t('needSignIn')}</Alert>
          <ReturningStep clinic={clinic} onBack={() => go({ name: 'start' })} />
        </>
      ) : (
        start
      );
  else
    switch (step.name) {
      case 'register':
        body = <RegisterStep draft={registerDraft} onDraft={setRegisterDraft} onBack={() => go({ name: 'start' })} onRegistered={(token, name, exp) => signedIn(token, name, exp, { name: 'symptoms' })} />;
        break;
      case 'returning':
        body = <ReturningStep clinic={clinic} onBack={() => go({ name: 'start' })} />;
        break;
      case 'signin':
        body = <SignInStep linkToken={step.linkToken} onSignedIn={(token, name, exp) => signedIn(token, name, exp, { name: 'start' })} onNewLink={() => go({ name: 'returning' })} />;
        break;
      case 'symptoms':
        body = (
          <SymptomsStep
            onBack={() => go({ name: 'start' })}
            onDone={(suggestedTypeId) => {
              setDraft((d) => ({ ...d, suggestedTypeId }));
              go({ name: 'type' });
            }}
          />
        );
        break;
      case 'type':
        body = (
          <section>
            <BackButton onClick={() => go({ name: 'symptoms' })} />
            <StepHeading>{t('typeTitle')}</StepHeading>
            <TypeList
              clinic={clinic!}
              suggestedId={draft.suggestedTypeId}
              onPick={(typeId) => {
                setDraft((d) => ({ ...d, typeId, doctorId: d.typeId === typeId ? d.doctorId : null }));
                go({ name: 'slot' });
              }}
            />
          </section>
        );
        break;
      case 'slot':
        body = (
          <section>
            <BackButton onClick={() => go({ name: 'type' })} />
            <StepHeading>{t('slotTitle')}</StepHeading>
            <p className="lead">{clinic!.consultationTypes.find((c) => c.id === draft.typeId)?.name}</p>
            <SlotPicker
              clinic={clinic!}
              consultationTypeId={draft.typeId!}
              doctorId={draft.doctorId}
              onDoctor={(doctorId) => setDraft((d) => ({ ...d, doctorId }))}
              onPick={(slot) => void holdSlot(slot)}
              busy={busy}
              refusal={error}
            />
          </section>
        );
        break;
      case 'review':
        body =
          draft.slot && draft.hold ? (
            <ReviewStep
              clinic={clinic!}
              typeId={draft.typeId!}
              slot={draft.slot}
              hold={draft.hold}
              code={draft.code}
              onCode={(code) => {
                setDraft((d) => ({ ...d, code }));
                setCodeError(undefined);
              }}
              codeError={codeError}
              error={error}
              busy={busy}
              onBook={(payNow) => void book(payNow)}
              onChangeTime={() => go({ name: 'slot' })}
            />
          ) : (
            start
          );
        break;
      case 'done':
        body =
          booked && booked.id === step.appointmentId ? (
            <>
              <DoneStep
                clinic={clinic!}
                appointment={booked}
                sentTo={registerDraft.givenName ? { email: registerDraft.consentEmail ? registerDraft.email : '', phone: registerDraft.consentSms ? registerDraft.phone : '' } : null}
                notice={notice}
                onManage={() => go({ name: 'manage' })}
                onAnother={() => go({ name: 'symptoms' })}
              />
              {healthEntry(step, booked.timeZone)}
            </>
          ) : error ? (
            <Alert>{errorText(error, t)}</Alert>
          ) : (
            <p aria-live="polite">{t('loading')}</p>
          );
        break;
      case 'manage':
        body = <ManageStep clinic={clinic!} onBack={() => go({ name: 'start' })} health={healthEntry(step)} />;
        break;
      case 'health':
        body = (
          <HealthStep
            onBack={() => go(step.back)}
            onSaved={() => {
              setHealthSaved(true);
              go(step.back);
            }}
          />
        );
        break;
    }

  const stepKey = step.name === 'signin' ? `signin-${step.linkToken}` : step.name;
  return (
    <LangContext.Provider value={{ lang, t, locale: clinic?.locale.toLowerCase().startsWith(`${lang}-`) ? clinic.locale : LOCALES[lang] }}>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      {kiosk && <KioskBar onReset={reset} active={step.name !== 'start' || Boolean(session)} />}
      <header className="top">
        <p className="clinic-name">{clinic?.name ?? ''}</p>
        <div className="langs" role="group" aria-label={t('language')}>
          {LANGS.filter((l) => !clinic || clinic.languages.includes(l) || l === 'en').map((l) => (
            <button key={l} type="button" lang={l} className="lang" aria-pressed={l === lang} onClick={() => setLang(l)}>
              {translator(l)('langName')}
            </button>
          ))}
        </div>
      </header>
      <main id="main" key={stepKey}>
        {body}
      </main>
    </LangContext.Provider>
  );
}
