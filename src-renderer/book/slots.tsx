import { useEffect, useId, useState } from 'react';
import { api, type AppError, type ClinicInfo, type DoctorOption, type Slot, type SlotsAnswer } from './api.js';
import { addDays, cityOf, formatDay, money, slotTimes, todayIn } from './format.js';
import { useT } from './i18n/index.js';
import { Alert, errorText } from './ui.js';

const DAYS = 7;

/** Consultation types as large buttons; the symptom check's suggestion comes first, marked. */
export function TypeList({ clinic, suggestedId, onPick }: { clinic: ClinicInfo; suggestedId: string | null; onPick: (id: string) => void }) {
  const { t, locale } = useT();
  const types = [...clinic.consultationTypes].sort((a, b) => (a.id === suggestedId ? -1 : b.id === suggestedId ? 1 : 0));
  return (
    <ul className="plain choices">
      {types.map((ct) => (
        <li key={ct.id}>
          <button type="button" className={`choice${ct.id === suggestedId ? ' choice-suggested' : ''}`} onClick={() => onPick(ct.id)}>
            <span className="choice-title">{ct.name}</span>
            <span className="choice-meta">
              {t('minutes', { n: ct.durationMinutes })} · {money(ct.priceMinor, ct.currency, locale)}
            </span>
            {ct.id === suggestedId && <span className="badge">{t('recommended')}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Doctor (or first available) and a free time, in the clinic's zone, clearly labelled. Used for a
 * new booking and for moving one.
 */
export function SlotPicker(props: {
  clinic: ClinicInfo;
  consultationTypeId: string;
  doctorId: string | null;
  onDoctor: (id: string | null) => void;
  onPick: (slot: Slot) => void;
  busy: boolean;
  /** Shown after a refused pick (the time was taken meanwhile); reloads the times. */
  refusal: AppError | null;
  /** A start already held or booked: not offered again. */
  exclude?: string;
}) {
  const { t, locale } = useT();
  const { clinic, consultationTypeId, doctorId } = props;
  const [doctors, setDoctors] = useState<DoctorOption[] | null>(null);
  const [from, setFrom] = useState(() => todayIn(clinic.timeZone));
  const [loaded, setLoaded] = useState<{ key: string; answer: SlotsAnswer } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const selectId = useId();
  const today = todayIn(clinic.timeZone);

  useEffect(() => {
    let live = true;
    void api.doctors(consultationTypeId).then((o) => live && (o.ok ? setDoctors(o.data.doctors) : setError(o.error)));
    return () => {
      live = false;
    };
  }, [consultationTypeId]);

  const key = `${consultationTypeId}|${doctorId ?? ''}|${from}`;
  useEffect(() => {
    let live = true;
    void api.slots({ consultationTypeId, doctorId, from, days: DAYS }).then((o) => {
      if (!live) return;
      if (!o.ok) return setError(o.error);
      setError(null);
      setLoaded({ key, answer: o.data });
      setDay((current) => (current && o.data.days.some((d) => d.date === current && d.slots.length) ? current : o.data.days.find((d) => d.slots.length)?.date ?? null));
    });
    return () => {
      live = false;
    };
  }, [consultationTypeId, doctorId, from, key, props.refusal]);
  const answer = loaded?.key === key ? loaded.answer : null;

  const zone = answer?.timeZone ?? clinic.timeZone;
  const shown = answer?.days.find((d) => d.date === day);
  const slots = (shown?.slots ?? []).filter((s) => s.startAt !== props.exclude);
  const labels = slotTimes(slots, zone, locale);
  return (
    <div className="slot-picker">
      <div className="field">
        <label htmlFor={selectId}>{t('doctor')}</label>
        <select id={selectId} value={doctorId ?? ''} onChange={(e) => props.onDoctor(e.target.value || null)}>
          <option value="">{t('firstAvailable')}</option>
          {(doctors ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.specialization ? `${d.name} — ${d.specialization}` : d.name}
            </option>
          ))}
        </select>
      </div>
      <p className="zone" id="zone-note">
        {t('timesIn', { city: cityOf(zone) })}
      </p>
      <Alert>{props.refusal ? errorText(props.refusal, t) : null}</Alert>
      <Alert>{error ? errorText(error, t) : null}</Alert>
      {!answer && !error && <p aria-live="polite">{t('loading')}</p>}
      {answer && (
        <>
          <div role="group" aria-label={t('days')} className="days">
            {answer.days.map((d) => (
              <button
                key={d.date}
                type="button"
                className="day"
                aria-pressed={d.date === day}
                disabled={d.slots.length === 0}
                onClick={() => setDay(d.date)}
              >
                {formatDay(d.date, locale)}
              </button>
            ))}
          </div>
          {day ? (
            <div role="group" aria-label={t('freeTimes', { date: formatDay(day, locale, 'long') })} aria-describedby="zone-note" className="times">
              {slots.map((s, i) => (
                <button key={`${s.startAt}-${s.doctorId}`} type="button" className="time" disabled={props.busy} onClick={() => props.onPick(s)}>
                  <span className="time-label">{labels[i]}</span>
                  {!doctorId && <span className="time-doctor">{s.doctorName}</span>}
                </button>
              ))}
              {slots.length === 0 && <p>{t('noSlotsDay')}</p>}
            </div>
          ) : (
            <div>
              <p>{t('noSlots')}</p>
              {answer.nextFreeDate && (
                <button type="button" className="btn btn-secondary" onClick={() => setFrom(answer.nextFreeDate!)}>
                  {t('nextFree', { date: formatDay(answer.nextFreeDate, locale, 'long') })}
                </button>
              )}
            </div>
          )}
          <div className="pager">
            <button type="button" className="btn btn-link" disabled={from <= today} onClick={() => setFrom(from <= today ? today : addDays(from, -DAYS) < today ? today : addDays(from, -DAYS))}>
              ← {t('earlierDates')}
            </button>
            <button type="button" className="btn btn-link" onClick={() => setFrom(addDays(from, DAYS))}>
              {t('laterDates')} →
            </button>
          </div>
        </>
      )}
    </div>
  );
}
