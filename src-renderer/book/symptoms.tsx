import { useEffect, useMemo, useState } from 'react';
import { api, type AppError, type KnowledgeBaseView, type SymptomCheckResult } from './api.js';
import { useT, type StringKey } from './i18n/index.js';
import { Alert, BackButton, StepHeading, errorText } from './ui.js';

type Severity = 'mild' | 'moderate' | 'severe';
type Duration = 'hours' | 'days' | 'weeks' | 'months';
interface Chosen {
  symptomId: string;
  name: string;
  severity: Severity;
  duration: Duration;
}
const SEVERITIES: [Severity, StringKey][] = [
  ['mild', 'severityMild'],
  ['moderate', 'severityModerate'],
  ['severe', 'severitySevere'],
];
const DURATIONS: [Duration, StringKey][] = [
  ['hours', 'durationHours'],
  ['days', 'durationDays'],
  ['weeks', 'durationWeeks'],
  ['months', 'durationMonths'],
];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Optional symptom check (the existing checker): its suggested type is preselected on the next step. */
export function SymptomsStep({ onBack, onDone }: { onBack: () => void; onDone: (suggestedTypeId: string | null) => void }) {
  const { t } = useT();
  const [kb, setKb] = useState<KnowledgeBaseView | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SymptomCheckResult | null>(null);

  useEffect(() => {
    void api.knowledgeBase().then((o) => (o.ok ? setKb(o.data) : setError(o.error)));
  }, []);

  const matches = useMemo(() => {
    const q = fold(query.trim());
    if (!kb || q.length < 2) return [];
    return kb.symptoms.filter((s) => !chosen.some((c) => c.symptomId === s.id) && [s.name, ...s.synonyms].some((n) => fold(n).includes(q))).slice(0, 6);
  }, [kb, query, chosen]);

  const check = async () => {
    setBusy(true);
    setError(null);
    const outcome = await api.symptomCheck({ symptoms: chosen.map(({ symptomId, severity, duration }) => ({ symptomId, severity, duration })) });
    setBusy(false);
    if (outcome.ok) setResult(outcome.data);
    else setError(outcome.error);
  };

  const update = (id: string, patch: Partial<Chosen>) => setChosen((list) => list.map((c) => (c.symptomId === id ? { ...c, ...patch } : c)));

  if (result)
    return (
      <section>
        <BackButton onClick={() => setResult(null)} />
        <StepHeading>{result.urgencyLabel}</StepHeading>
        {result.emergency ? (
          <div className="alert alert-error" role="alert">
            <p>
              <strong>{result.emergency.message}</strong>
            </p>
            <p className="big">
              <a href={`tel:${result.emergency.emergencyNumber}`}>{result.emergency.emergencyNumber}</a>
            </p>
            <ul>
              {result.emergency.redFlags.map((f) => (
                <li key={f.id}>{f.reason}</li>
              ))}
            </ul>
          </div>
        ) : (
          <>
            {result.booking && <p className="lead">{t('suggested', { type: result.booking.consultationTypeName ?? result.booking.specializationName })}</p>}
            {result.specializations[0] && (
              <ul>
                {result.specializations[0].reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            <p className="hint">{result.disclaimer}</p>
            <button type="button" className="btn btn-primary" onClick={() => onDone(result.booking?.consultationTypeId ?? null)}>
              {t('continue')}
            </button>
          </>
        )}
      </section>
    );

  return (
    <section>
      <BackButton onClick={onBack} />
      <StepHeading>{t('symptomsTitle')}</StepHeading>
      <p className="lead">{t('symptomsLead')}</p>
      <div className="stack">
        <button type="button" className="btn btn-primary" onClick={() => onDone(null)}>
          {t('symptomsSkip')}
        </button>
      </div>
      <div className="field">
        <label htmlFor="symptom-search">{t('symptomSearch')}</label>
        <input id="symptom-search" type="search" value={query} maxLength={60} onChange={(e) => setQuery(e.target.value)} autoComplete="off" aria-describedby="symptom-matches" />
      </div>
      <div id="symptom-matches" aria-live="polite">
        {query.trim().length >= 2 && kb && matches.length === 0 && <p className="hint">{t('noMatches', { q: query.trim() })}</p>}
        <ul className="plain">
          {matches.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="btn btn-secondary btn-left"
                onClick={() => {
                  setChosen((list) => [...list, { symptomId: s.id, name: s.name, severity: 'moderate' as const, duration: 'days' as const }].slice(0, 15));
                  setQuery('');
                  document.getElementById('symptom-search')?.focus();
                }}
              >
                + {s.name}
              </button>
            </li>
          ))}
        </ul>
      </div>
      {chosen.length > 0 && (
        <>
          <h2>{t('symptomChosen')}</h2>
          <ul className="plain">
            {chosen.map((c) => (
              <li key={c.symptomId} className="card">
                <div className="card-head">
                  <strong>{c.name}</strong>
                  <button type="button" className="btn btn-link" aria-label={t('remove', { name: c.name })} onClick={() => setChosen((l) => l.filter((x) => x.symptomId !== c.symptomId))}>
                    ✕
                  </button>
                </div>
                <div className="row2">
                  <div className="field">
                    <label htmlFor={`sev-${c.symptomId}`}>{t('severity')}</label>
                    <select id={`sev-${c.symptomId}`} value={c.severity} onChange={(e) => update(c.symptomId, { severity: e.target.value as Severity })}>
                      {SEVERITIES.map(([v, k]) => (
                        <option key={v} value={v}>
                          {t(k)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`dur-${c.symptomId}`}>{t('duration')}</label>
                    <select id={`dur-${c.symptomId}`} value={c.duration} onChange={(e) => update(c.symptomId, { duration: e.target.value as Duration })}>
                      {DURATIONS.map(([v, k]) => (
                        <option key={v} value={v}>
                          {t(k)}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void check()}>
            {t('checkSymptoms')}
          </button>
        </>
      )}
      <Alert>{error ? errorText(error, t) : null}</Alert>
    </section>
  );
}
