/**
 * The health questions (the medical history questionnaire) a patient answers after booking, in
 * plain words: allergies, medicines, long-term conditions, operations and hospital stays, family
 * illnesses. Every section is a list of rows the patient adds and removes; an empty section means
 * "none". Saved with the version read, so a change made meanwhile (another device, the desk) is
 * refused in words instead of overwritten. Field errors are the contract's own messages.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, type AppError, type MedicalHistory, type PortalMedicalHistory } from './api.js';
import { useT, type StringKey } from './i18n/index.js';
import { Alert, BackButton, Field, errorText } from './ui.js';

type Section = keyof MedicalHistory;
type Row<S extends Section> = MedicalHistory[S][number];
type Severity = Row<'allergies'>['severity'];

const SEVERITIES: Severity[] = ['mild', 'moderate', 'severe', 'life_threatening', 'unknown'];

const blank: { [S in Section]: () => Row<S> } = {
  allergies: () => ({ substance: '', reaction: '', severity: 'unknown' }),
  medications: () => ({ name: '', dose: '', frequency: '' }),
  chronicConditions: () => ({ name: '', notes: '' }),
  previousConsultations: () => ({ date: '', clinicOrDoctor: '', reason: '', notes: '' }),
  familyHistory: () => ({ relative: '', condition: '' }),
};

/** A row the patient added and left empty is dropped, not refused. */
const isBlank = (row: object): boolean => Object.entries(row).every(([k, v]) => k === 'severity' || (typeof v === 'string' && v.trim() === ''));

const ORDER: Section[] = ['allergies', 'medications', 'chronicConditions', 'previousConsultations', 'familyHistory'];

/** When the answers were saved, as a date in the page's language. */
export const answeredOn = (iso: string, timeZone: string | undefined, locale: string): string =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));

/**
 * The entry on the confirmation, the manage page and the signed-in start: "Answer the health
 * questions (2 minutes)", or, once answered, "Health questions answered on <date> — change".
 */
export function HealthEntry({ timeZone, onOpen, saved }: { timeZone?: string; onOpen: () => void; saved?: boolean }) {
  const { t, locale } = useT();
  const [state, setState] = useState<PortalMedicalHistory | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    void api.medicalHistory().then((o) => live && o.ok && setState(o.data));
    return () => {
      live = false;
    };
  }, []);
  // Back from the form: the thanks is where the eyes and the screen reader go, even below the fold.
  useEffect(() => {
    if (!saved || !state || !savedRef.current) return;
    savedRef.current.scrollIntoView({ block: 'center' });
    savedRef.current.focus();
  }, [saved, state]);
  if (!state) return null;
  if (state.answered && state.updatedAt)
    return (
      <div className="health-entry health-done" data-testid="health-entry">
        {saved && (
          <div ref={savedRef} tabIndex={-1} className="health-saved">
            <Alert tone="success">{t('healthSaved')}</Alert>
          </div>
        )}
        <p>
          <span aria-hidden="true">✓ </span>
          {t('healthAnsweredOn', { date: answeredOn(state.updatedAt, timeZone, locale) })} —{' '}
          <button type="button" className="btn btn-link inline" onClick={onOpen} aria-label={t('healthChangeLabel')}>
            {t('healthChange')}
          </button>
        </p>
      </div>
    );
  return (
    <div className="health-entry health-open" data-testid="health-entry">
      <p className="health-entry-title">{t('healthEntryLead')}</p>
      <button type="button" className="btn btn-primary" onClick={onOpen}>
        {t('healthAnswer')}
      </button>
    </div>
  );
}

/** The questionnaire itself. */
export function HealthStep({ onBack, onSaved }: { onBack: () => void; onSaved: () => void }) {
  const { t } = useT();
  const [loaded, setLoaded] = useState<PortalMedicalHistory | null>(null);
  const [draft, setDraft] = useState<MedicalHistory | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  /** The row whose first field takes focus once drawn ("section:index"), or the form's first field. */
  const focusNext = useRef<string | null>('first');

  const load = () =>
    void api.medicalHistory().then((o) => {
      if (!o.ok) return setLoadError(o.error);
      setLoadError(null);
      setLoaded(o.data);
      setDraft(o.data.data);
      setError(null);
      focusNext.current = 'first';
    });
  useEffect(() => {
    load();
  }, []);

  useEffect(() => {
    const target = focusNext.current;
    if (!target || !formRef.current) return;
    focusNext.current = null;
    const form = formRef.current;
    const first =
      target === 'first'
        ? (form.querySelector<HTMLElement>('input, select') ?? form.querySelector<HTMLElement>('button'))
        : form.querySelector<HTMLElement>(`[data-row="${target}"] input, [data-row="${target}"] select`);
    first?.focus();
  });

  if (loadError)
    return (
      <section>
        <BackButton onClick={onBack} />
        <h1 className="step-heading">{t('healthTitle')}</h1>
        <Alert>{errorText(loadError, t)}</Alert>
        <button type="button" className="btn btn-primary" onClick={load}>
          {t('retry')}
        </button>
      </section>
    );
  if (!draft || !loaded)
    return (
      <section>
        <h1 className="step-heading">{t('healthTitle')}</h1>
        <p aria-live="polite">{t('loading')}</p>
      </section>
    );

  const setRows = <S extends Section>(section: S, rows: MedicalHistory[S]) => {
    setDraft({ ...draft, [section]: rows });
    if (error?.fieldErrors) setError(null);
  };
  const add = (section: Section) => {
    const rows = [...draft[section], blank[section]()] as MedicalHistory[typeof section];
    focusNext.current = `${section}:${rows.length - 1}`;
    setRows(section, rows);
  };
  /** The row goes; focus moves to its section's "Add …" button (the row's place is gone). */
  const remove = (section: Section, index: number) => {
    setRows(section, draft[section].filter((_, i) => i !== index) as MedicalHistory[typeof section]);
    document.getElementById(addButtonId(section))?.focus();
  };
  const update = <S extends Section>(section: S, index: number, patch: Partial<Row<S>>) =>
    setRows(section, draft[section].map((r, i) => (i === index ? { ...r, ...patch } : r)) as MedicalHistory[S]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cleaned = Object.fromEntries(ORDER.map((s) => [s, (draft[s] as object[]).filter((r) => !isBlank(r))])) as MedicalHistory;
    setDraft(cleaned);
    setBusy(true);
    setError(null);
    const outcome = await api.saveMedicalHistory(loaded.version, cleaned);
    setBusy(false);
    if (outcome.ok) return onSaved();
    setError(outcome.error);
    requestAnimationFrame(() => {
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (first ?? document.querySelector<HTMLElement>('[role="alert"]'))?.focus();
    });
  };

  const fieldError = (section: Section, index: number, field: string) => error?.fieldErrors?.[`data.${section}.${index}.${field}`];
  const fieldProps = (section: Section, index: number, field: string) => ({ error: fieldError(section, index, field) });
  const stale = error?.code === 'patient/version-conflict';
  const general = error && !error.fieldErrors ? errorText(error, t) : error ? t('fixErrors') : null;

  return (
    <section>
      <BackButton onClick={onBack} />
      <h1 className="step-heading" id="health-title">
        {t('healthTitle')}
      </h1>
      <p className="lead">{t('healthLead')}</p>
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="health-title">
        <Group section="allergies" title={t('healthAllergies')} hint={t('healthAllergiesHint')} addLabel={t('healthAddAllergy')} onAdd={add}>
          {draft.allergies.map((row, i) => (
              <RowBox key={i} section="allergies" index={i} label={t('healthAllergyN', { n: i + 1 })} onRemove={() => remove('allergies', i)}>
                <Field label={t('healthSubstance')} required maxLength={200} value={row.substance} onChange={(e) => update('allergies', i, { substance: e.target.value })} {...fieldProps('allergies', i, 'substance')} />
                <Field label={t('healthReaction')} hint={t('healthReactionHint')} maxLength={200} value={row.reaction} onChange={(e) => update('allergies', i, { reaction: e.target.value })} {...fieldProps('allergies', i, 'reaction')} />
                <SelectField
                  label={t('healthSeverity')}
                  value={row.severity}
                  onChange={(v) => update('allergies', i, { severity: v as Severity })}
                  options={SEVERITIES.map((s) => ({ value: s, label: t(`healthSeverity_${s}` as StringKey) }))}
                  error={fieldError('allergies', i, 'severity')}
                />
              </RowBox>
            ))}
        </Group>
        <Group section="medications" title={t('healthMedicines')} hint={t('healthMedicinesHint')} addLabel={t('healthAddMedicine')} onAdd={add}>
          {draft.medications.map((row, i) => (
              <RowBox key={i} section="medications" index={i} label={t('healthMedicineN', { n: i + 1 })} onRemove={() => remove('medications', i)}>
                <Field label={t('healthMedicineName')} required maxLength={200} value={row.name} onChange={(e) => update('medications', i, { name: e.target.value })} {...fieldProps('medications', i, 'name')} />
                <div className="row2">
                  <Field label={t('healthDose')} hint={t('healthDoseHint')} maxLength={100} value={row.dose} onChange={(e) => update('medications', i, { dose: e.target.value })} {...fieldProps('medications', i, 'dose')} />
                  <Field label={t('healthFrequency')} hint={t('healthFrequencyHint')} maxLength={100} value={row.frequency} onChange={(e) => update('medications', i, { frequency: e.target.value })} {...fieldProps('medications', i, 'frequency')} />
                </div>
              </RowBox>
            ))}
        </Group>
        <Group section="chronicConditions" title={t('healthConditions')} hint={t('healthConditionsHint')} addLabel={t('healthAddCondition')} onAdd={add}>
          {draft.chronicConditions.map((row, i) => (
              <RowBox key={i} section="chronicConditions" index={i} label={t('healthConditionN', { n: i + 1 })} onRemove={() => remove('chronicConditions', i)}>
                <Field label={t('healthConditionName')} required maxLength={200} value={row.name} onChange={(e) => update('chronicConditions', i, { name: e.target.value })} {...fieldProps('chronicConditions', i, 'name')} />
                <Field label={t('healthMore')} maxLength={500} value={row.notes} onChange={(e) => update('chronicConditions', i, { notes: e.target.value })} {...fieldProps('chronicConditions', i, 'notes')} />
              </RowBox>
            ))}
        </Group>
        <Group section="previousConsultations" title={t('healthOperations')} hint={t('healthOperationsHint')} addLabel={t('healthAddOperation')} onAdd={add}>
          {draft.previousConsultations.map((row, i) => (
              <RowBox key={i} section="previousConsultations" index={i} label={t('healthOperationN', { n: i + 1 })} onRemove={() => remove('previousConsultations', i)}>
                <Field label={t('healthOperationWhat')} maxLength={500} value={row.reason} onChange={(e) => update('previousConsultations', i, { reason: e.target.value })} {...fieldProps('previousConsultations', i, 'reason')} />
                <Field label={t('healthOperationWhen')} hint={t('healthOperationWhenHint')} required type="date" value={row.date} onChange={(e) => update('previousConsultations', i, { date: e.target.value })} {...fieldProps('previousConsultations', i, 'date')} />
                <Field label={t('healthOperationWhere')} maxLength={200} value={row.clinicOrDoctor} onChange={(e) => update('previousConsultations', i, { clinicOrDoctor: e.target.value })} {...fieldProps('previousConsultations', i, 'clinicOrDoctor')} />
                <Field label={t('healthMore')} maxLength={2000} value={row.notes} onChange={(e) => update('previousConsultations', i, { notes: e.target.value })} {...fieldProps('previousConsultations', i, 'notes')} />
              </RowBox>
            ))}
        </Group>
        <Group section="familyHistory" title={t('healthFamily')} hint={t('healthFamilyHint')} addLabel={t('healthAddFamily')} onAdd={add}>
          {draft.familyHistory.map((row, i) => (
              <RowBox key={i} section="familyHistory" index={i} label={t('healthFamilyN', { n: i + 1 })} onRemove={() => remove('familyHistory', i)}>
                <Field label={t('healthRelative')} hint={t('healthRelativeHint')} required maxLength={100} value={row.relative} onChange={(e) => update('familyHistory', i, { relative: e.target.value })} {...fieldProps('familyHistory', i, 'relative')} />
                <Field label={t('healthFamilyCondition')} required maxLength={200} value={row.condition} onChange={(e) => update('familyHistory', i, { condition: e.target.value })} {...fieldProps('familyHistory', i, 'condition')} />
              </RowBox>
            ))}
        </Group>
        <p className="hint">{t('healthPrivacy')}</p>
        <Alert>{general}</Alert>
        {stale && (
          <button type="button" className="btn btn-secondary wide" onClick={load}>
            {t('healthReload')}
          </button>
        )}
        <button type="submit" className="btn btn-primary wide" disabled={busy} aria-busy={busy}>
          {t('healthSave')}
        </button>
      </form>
    </section>
  );
}

/** One section: its question, its rows and "Add …". */
const addButtonId = (section: Section) => `health-add-${section}`;

function Group(props: { section: Section; title: string; hint: string; addLabel: string; onAdd: (s: Section) => void; children: ReactNode[] }) {
  const id = useId();
  const rows = props.children;
  const empty = rows.length === 0;
  const { t } = useT();
  return (
    <fieldset className="health-group" aria-describedby={`${id}-hint`}>
      <legend>{props.title}</legend>
      <p className="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {empty ? <p className="health-none">{t('healthNone')}</p> : <div className="health-rows">{rows}</div>}
      <button id={addButtonId(props.section)} type="button" className="btn btn-secondary btn-add" onClick={() => props.onAdd(props.section)}>
        + {props.addLabel}
      </button>
    </fieldset>
  );
}

function RowBox(props: { section: Section; index: number; label: string; onRemove: () => void; children: ReactNode }) {
  const id = useId();
  const { t } = useT();
  return (
    <div className="health-row" role="group" aria-labelledby={id} data-row={`${props.section}:${props.index}`}>
      <div className="health-row-head">
        <p className="health-row-title" id={id}>
          {props.label}
        </p>
        <button type="button" className="btn btn-link" onClick={props.onRemove} aria-label={t('healthRemoveLabel', { what: props.label })}>
          {t('healthRemove')}
        </button>
      </div>
      {props.children}
    </div>
  );
}

function SelectField(props: { label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; error?: string[] }) {
  const id = useId();
  const errors = props.error ?? [];
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-invalid={errors.length ? true : undefined} aria-describedby={errors.length ? `${id}-err` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errors.length > 0 && (
        <p className="field-error" id={`${id}-err`}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
