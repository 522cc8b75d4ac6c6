import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, type AppError, type AppointmentView, type CancelPreview, type ClinicInfo, type Slot } from './api.js';
import { formatDate, formatTime, money } from './format.js';
import { useT, type StringKey } from './i18n/index.js';
import { SlotPicker } from './slots.js';
import { Alert, BackButton, StepHeading, errorText } from './ui.js';

type Mode = { kind: 'none' } | { kind: 'cancel'; id: string; preview: CancelPreview | null } | { kind: 'move'; id: string; doctorId: string | null; slot: Slot | null };

/** Upcoming and past appointments; change the time or cancel, the fee shown before confirming. */
export function ManageStep({ clinic, onBack, health }: { clinic: ClinicInfo; onBack: () => void; health?: ReactNode }) {
  const { t, locale } = useT();
  const [upcoming, setUpcoming] = useState<AppointmentView[] | null>(null);
  const [past, setPast] = useState<AppointmentView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  /** A refused cancel or move, shown in its appointment's card where the patient is looking. */
  const [cardError, setCardError] = useState<{ id: string; error: AppError } | null>(null);

  const load = useCallback(
    () =>
      Promise.all([api.appointments('upcoming'), api.appointments('past')]).then(([u, p]) => {
        if (u.ok) setUpcoming(u.data.items);
        else setError(u.error);
        if (p.ok) setPast(p.data.items);
      }),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const when = (a: AppointmentView) => ({ date: formatDate(a.startAt, a.timeZone, locale), time: formatTime(a.startAt, a.timeZone, locale) });

  const startCancel = async (a: AppointmentView) => {
    setDone(null);
    setError(null);
    setMode({ kind: 'cancel', id: a.id, preview: null });
    const preview = await api.cancelPreview(a.id);
    if (preview.ok) setMode({ kind: 'cancel', id: a.id, preview: preview.data });
    else {
      setError(preview.error);
      setMode({ kind: 'none' });
    }
  };
  const confirmCancel = async (a: AppointmentView) => {
    setBusy(true);
    const outcome = await api.cancel(a.id);
    setBusy(false);
    if (!outcome.ok) return setCardError({ id: a.id, error: outcome.error });
    setCardError(null);
    setMode({ kind: 'none' });
    setDone(t('cancelled', when(a)));
    await load();
  };
  const confirmMove = async (a: AppointmentView, slot: Slot) => {
    setBusy(true);
    const outcome = await api.reschedule(a.id, { startAt: slot.startAt, doctorId: slot.doctorId });
    setBusy(false);
    if (!outcome.ok) return setCardError({ id: a.id, error: outcome.error });
    setCardError(null);
    setMode({ kind: 'none' });
    setDone(t('rescheduled', when(outcome.data.appointment)));
    await load();
  };

  const card = (a: AppointmentView, editable: boolean) => {
    const w = when(a);
    const statusKey = `status_${a.status}` as StringKey;
    return (
      <li key={a.id} className="card" aria-label={`${w.date}, ${w.time}`}>
        <p className="card-when">
          <strong>{w.date}</strong>, {w.time}
        </p>
        <p>
          {a.consultationType} · {a.doctorName}
        </p>
        <p>{a.locationName}</p>
        <p>
          {money(a.price.totalMinor, a.price.currency, locale)} · <span className="status">{t(statusKey)}</span>
        </p>
        {cardError?.id === a.id && <Alert>{errorText(cardError.error, t)}</Alert>}
        {editable && a.status === 'booked' && mode.kind === 'none' && (
          <div className="row-buttons">
            <button type="button" className="btn btn-secondary" onClick={() => (setDone(null), setError(null), setMode({ kind: 'move', id: a.id, doctorId: a.doctorId, slot: null }))}>
              {t('reschedule')}
            </button>
            <button type="button" className="btn btn-danger-outline" onClick={() => void startCancel(a)}>
              {t('cancel')}
            </button>
          </div>
        )}
        {mode.kind === 'cancel' && mode.id === a.id && (
          <div className="confirm" role="group" aria-labelledby={`cancel-${a.id}`}>
            <h3 id={`cancel-${a.id}`}>{t('cancelTitle')}</h3>
            {!mode.preview ? (
              <p>{t('loading')}</p>
            ) : (
              <>
                <p>{mode.preview.summary}</p>
                <p className="hint">{mode.preview.policyText}</p>
                <dl className="price">
                  <div>
                    <dt>{t('fee')}</dt>
                    <dd>{money(mode.preview.feeMinor, mode.preview.currency, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t('refund')}</dt>
                    <dd>{money(mode.preview.refundMinor, mode.preview.currency, locale)}</dd>
                  </div>
                </dl>
                <div className="row-buttons">
                  <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void confirmCancel(a)}>
                    {t('cancelConfirm')}
                  </button>
                  <button type="button" className="btn btn-secondary" onClick={() => (setCardError(null), setMode({ kind: 'none' }))}>
                    {t('keep')}
                  </button>
                </div>
              </>
            )}
          </div>
        )}
        {mode.kind === 'move' && mode.id === a.id && (
          <div className="confirm" role="group" aria-labelledby={`move-${a.id}`}>
            <h3 id={`move-${a.id}`}>{t('rescheduleTitle')}</h3>
            {mode.slot ? (
              <div className="row-buttons">
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void confirmMove(a, mode.slot!)}>
                  {t('rescheduleConfirm', { date: formatDate(mode.slot.startAt, a.timeZone, locale), time: formatTime(mode.slot.startAt, a.timeZone, locale) })}
                </button>
                <button type="button" className="btn btn-secondary" onClick={() => (setCardError(null), setMode({ ...mode, slot: null }))}>
                  {t('back')}
                </button>
              </div>
            ) : (
              <>
                <SlotPicker
                  clinic={clinic}
                  consultationTypeId={a.consultationTypeId}
                  doctorId={mode.doctorId}
                  onDoctor={(doctorId) => setMode({ ...mode, doctorId })}
                  onPick={(slot) => setMode({ ...mode, slot })}
                  busy={busy}
                  refusal={null}
                  exclude={a.startAt}
                />
                <button type="button" className="btn btn-link" onClick={() => (setCardError(null), setMode({ kind: 'none' }))}>
                  {t('keep')}
                </button>
              </>
            )}
          </div>
        )}
      </li>
    );
  };

  return (
    <section>
      <BackButton onClick={onBack} />
      <StepHeading>{t('manageTitle')}</StepHeading>
      <Alert tone="success">{done}</Alert>
      <Alert>{error ? errorText(error, t) : null}</Alert>
      {health}
      <h2>{t('upcoming')}</h2>
      {upcoming === null ? <p>{t('loading')}</p> : upcoming.length === 0 ? <p>{t('noneUpcoming')}</p> : <ul className="plain cards">{upcoming.map((a) => card(a, true))}</ul>}
      <h2>{t('past')}</h2>
      {past === null ? <p>{t('loading')}</p> : past.length === 0 ? <p>{t('nonePast')}</p> : <ul className="plain cards">{past.map((a) => card(a, false))}</ul>}
    </section>
  );
}
