import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { AppError, KnowledgeBaseView, OutputOf, PatientSummary } from '../../../src-main/contract/index.js';
import { durationLabels, durations, severities, type Answer, type Duration, type Severity } from '../../../src-main/contract/symptoms.contract.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { PatientPicker } from '../booking/patient-picker.js';
import { SymptomResult } from './symptom-result.js';

type Sex = 'female' | 'male' | 'intersex' | 'unknown';
interface Chosen {
  symptomId: string;
  severity: Severity | null;
  duration: Duration | null;
}

const severityLabels: Record<Severity, string> = { mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };
const answerLabels: Record<Answer, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };
const big = { minHeight: 52, fontSize: '1.05rem', textTransform: 'none' } as const;
/** A chosen answer must be plain to see from a step away (a kiosk, a patient reading along). */
const toggle = {
  ...big,
  '&.Mui-selected, &.Mui-selected:hover': { bgcolor: 'primary.main', color: 'primary.contrastText', fontWeight: 700 },
} as const;

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Symptoms whose name, synonyms or body area match the words typed (all of them, in any order). */
export function matchSymptoms(kb: KnowledgeBaseView, query: string, area: string | null) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const areaName = new Map(kb.bodyAreas.map((a) => [a.id, a.name]));
  return kb.symptoms.filter((s) => {
    if (area && s.bodyArea !== area) return false;
    if (words.length === 0) return Boolean(area);
    const haystack = fold([s.name, ...s.synonyms, areaName.get(s.bodyArea) ?? ''].join(' | '));
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * The knowledge base changes only with a restart, so it is fetched once per screen, outside the
 * signed-in query cache (a kiosk has no session, and the cache is cleared while nobody is signed in).
 */
function useKnowledgeBase(): { data: KnowledgeBaseView | null; error: AppError | null } {
  const [state, setState] = useState<{ data: KnowledgeBaseView | null; error: AppError | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    void call('symptoms/knowledge-base', {}).then((r) => {
      if (live) setState(r.ok ? { data: r.data, error: null } : { data: null, error: r.error });
    });
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/**
 * The symptom checker, for the desk with the patient in front of them or a patient at a kiosk:
 * choose symptoms (search by name, everyday words or body area), say how bad and how long,
 * answer the follow-up questions, get who can help and how soon — red flags first.
 */
export function SymptomCheckScreen({ patientId, kiosk = false }: { patientId?: string; kiosk?: boolean }) {
  const kb = useKnowledgeBase();
  const [picked, setPicked] = useState<PatientSummary | null>(null);
  const chosenPatientId = kiosk ? null : (picked?.id ?? patientId ?? null);
  const profile = useRead('patient/get', chosenPatientId ? { patientId: chosenPatientId } : null);
  const [age, setAge] = useState('');
  const [sexAnswer, setSexAnswer] = useState<Sex | ''>('');
  const [query, setQuery] = useState('');
  const [area, setArea] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<OutputOf<'patient/symptom-check'> | null>(null);

  const view = kb.data;
  const sex: Sex | null = chosenPatientId ? (profile.data?.basic.sex ?? null) : sexAnswer || null;
  const matches = useMemo(() => (view ? matchSymptoms(view, query, area) : []), [view, query, area]);
  const questions = useMemo(() => {
    if (!view) return [];
    const ids = new Set(chosen.map((c) => c.symptomId));
    return view.questions.filter((q) => q.askedFor.some((id) => ids.has(id)) && (!q.sexes || !sex || q.sexes.includes(sex)));
  }, [view, chosen, sex]);
  const symptomName = (id: string) => view?.symptoms.find((s) => s.id === id)?.name ?? id;

  if (!view) return <ErrorBanner error={kb.error} />;

  const add = (symptomId: string) => {
    if (!chosen.some((c) => c.symptomId === symptomId)) setChosen([...chosen, { symptomId, severity: null, duration: null }]);
    setQuery('');
  };
  const update = (i: number, change: Partial<Chosen>) => setChosen(chosen.map((c, j) => (j === i ? { ...c, ...change } : c)));

  const submit = async (note = '') => {
    if (chosen.some((c) => !c.severity || !c.duration)) {
      setMissing(true);
      return false;
    }
    setMissing(false);
    const out = await call('patient/symptom-check', {
      ...(chosenPatientId ? { patientId: chosenPatientId } : {}),
      symptoms: chosen.map((c) => ({ symptomId: c.symptomId, severity: c.severity!, duration: c.duration! })),
      answers: questions.filter((q) => answers[q.id]).map((q) => ({ questionId: q.id, answer: answers[q.id]! })),
      ...(!chosenPatientId && age.trim() !== '' ? { ageYears: Number(age) } : {}),
      ...(!chosenPatientId && sexAnswer ? { sex: sexAnswer } : {}),
      ...(note ? { note } : {}),
    });
    if (!out.ok) {
      setError(out.error);
      return false;
    }
    setError(null);
    setResult(out.data);
    return true;
  };
  const restart = () => {
    setResult(null);
    setChosen([]);
    setAnswers({});
    setQuery('');
    setArea(null);
  };

  return (
    <Box component="main" sx={kiosk ? { maxWidth: 1100, mx: 'auto', p: 2 } : undefined}>
      <Typography variant={kiosk ? 'h4' : 'h5'} component="h1" gutterBottom>
        {kiosk ? 'What is bothering you today?' : 'Symptom checker'}
      </Typography>
      <Alert severity="info" sx={{ mb: 2 }} aria-label="This checker does not diagnose">
        {view.disclaimer}
      </Alert>
      <ErrorBanner error={error} />
      {result ? (
        <>
          <SymptomResult result={result} patientId={chosenPatientId} kiosk={kiosk} onNote={chosenPatientId ? (note) => submit(note) : undefined} />
          <Button variant="outlined" size="large" onClick={restart} sx={big}>
            Start again
          </Button>
        </>
      ) : (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <Paper sx={{ p: 2 }}>
              {!kiosk && (
                <Box sx={{ mb: 2 }}>
                  <PatientPicker value={picked ?? (profile.data ? { id: profile.data.id, number: profile.data.number, givenName: profile.data.basic.givenName, familyName: profile.data.basic.familyName, dateOfBirth: profile.data.basic.dateOfBirth, phone: profile.data.basic.phone, email: profile.data.basic.email } : null)} onChange={setPicked} />
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                    {chosenPatientId ? 'Age and sex come from the record; the result is saved on it.' : 'No patient chosen: give age and sex below; nothing is saved.'}
                  </Typography>
                </Box>
              )}
              {!chosenPatientId && (
                <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
                  <TextField label="Age (years)" value={age} onChange={(e) => setAge(e.target.value.replace(/\D/g, '').slice(0, 3))} slotProps={{ htmlInput: { inputMode: 'numeric' } }} sx={{ width: 140 }} />
                  <TextField select label="Sex" value={sexAnswer} onChange={(e) => setSexAnswer(e.target.value as Sex)} sx={{ minWidth: 180 }}>
                    <MenuItem value="female">Female</MenuItem>
                    <MenuItem value="male">Male</MenuItem>
                    <MenuItem value="intersex">Intersex</MenuItem>
                    <MenuItem value="unknown">Prefer not to say</MenuItem>
                  </TextField>
                </Stack>
              )}
              <TextField label="Type a symptom, in your own words" value={query} onChange={(e) => setQuery(e.target.value)} fullWidth autoFocus slotProps={{ htmlInput: { 'aria-label': 'Search symptoms', style: { fontSize: '1.15rem' } } }} />
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, my: 1.5 }} role="group" aria-label="Body areas">
                {view.bodyAreas.map((a) => (
                  <Button key={a.id} variant={area === a.id ? 'contained' : 'outlined'} onClick={() => setArea(area === a.id ? null : a.id)} aria-pressed={area === a.id} sx={{ textTransform: 'none' }}>
                    {a.name}
                  </Button>
                ))}
              </Box>
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} role="group" aria-label="Matching symptoms">
                {matches.length === 0 && <Typography color="text.secondary">{query || area ? 'Nothing matches: try other words.' : 'Type what you feel, or choose a part of the body.'}</Typography>}
                {matches.map((s) => (
                  <Button key={s.id} variant="outlined" onClick={() => add(s.id)} disabled={chosen.some((c) => c.symptomId === s.id)} sx={big}>
                    + {s.name}
                  </Button>
                ))}
              </Box>
            </Paper>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Paper sx={{ p: 2 }}>
              <Typography variant="h6" component="h2" gutterBottom>
                Your symptoms
              </Typography>
              {chosen.length === 0 && <Typography color="text.secondary">None chosen yet.</Typography>}
              <Stack spacing={2} role="group" aria-label="Chosen symptoms">
                {chosen.map((c, i) => (
                  <Box key={c.symptomId} role="group" aria-label={symptomName(c.symptomId)} sx={{ borderBottom: 1, borderColor: 'divider', pb: 1.5 }}>
                    <Stack direction="row" sx={{ alignItems: 'center' }}>
                      <Typography sx={{ fontWeight: 600, fontSize: '1.1rem', flexGrow: 1 }}>{symptomName(c.symptomId)}</Typography>
                      <IconButton aria-label={`Remove ${symptomName(c.symptomId)}`} onClick={() => setChosen(chosen.filter((_, j) => j !== i))}>
                        ✕
                      </IconButton>
                    </Stack>
                    <Typography variant="body2">How bad is it?</Typography>
                    <ToggleButtonGroup exclusive value={c.severity} onChange={(_e, v: Severity | null) => v && update(i, { severity: v })} aria-label={`How bad: ${symptomName(c.symptomId)}`} sx={{ flexWrap: 'wrap', mb: 1 }}>
                      {severities.map((s) => (
                        <ToggleButton key={s} value={s} sx={toggle}>
                          {severityLabels[s]}
                        </ToggleButton>
                      ))}
                    </ToggleButtonGroup>
                    <Typography variant="body2">How long has it lasted?</Typography>
                    <ToggleButtonGroup exclusive value={c.duration} onChange={(_e, v: Duration | null) => v && update(i, { duration: v })} aria-label={`How long: ${symptomName(c.symptomId)}`} sx={{ flexWrap: 'wrap' }}>
                      {durations.map((d) => (
                        <ToggleButton key={d} value={d} sx={toggle}>
                          {durationLabels[d]}
                        </ToggleButton>
                      ))}
                    </ToggleButtonGroup>
                    {missing && (!c.severity || !c.duration) && (
                      <Typography color="error" variant="body2" sx={{ mt: 0.5 }}>
                        Say how bad it is and how long it has lasted.
                      </Typography>
                    )}
                  </Box>
                ))}
              </Stack>
              {questions.length > 0 && (
                <>
                  <Typography variant="h6" component="h2" sx={{ mt: 2 }} gutterBottom>
                    A few questions
                  </Typography>
                  <Stack spacing={1.5} role="group" aria-label="Follow-up questions">
                    {questions.map((q) => (
                      <Box key={q.id} role="group" aria-label={q.text}>
                        <Typography sx={{ fontSize: '1.05rem' }}>{q.text}</Typography>
                        <ToggleButtonGroup exclusive value={answers[q.id] ?? null} onChange={(_e, v: Answer | null) => setAnswers(v ? { ...answers, [q.id]: v } : Object.fromEntries(Object.entries(answers).filter(([k]) => k !== q.id)))} sx={{ flexWrap: 'wrap' }}>
                          {(['yes', 'no', 'unsure'] as const).map((a) => (
                            <ToggleButton key={a} value={a} sx={{ ...toggle, minWidth: 96 }}>
                              {answerLabels[a]}
                            </ToggleButton>
                          ))}
                        </ToggleButtonGroup>
                      </Box>
                    ))}
                  </Stack>
                </>
              )}
              <Button variant="contained" size="large" disabled={chosen.length === 0} onClick={() => void submit()} sx={{ ...big, mt: 2, minHeight: 60, fontSize: '1.2rem' }} fullWidth>
                See who can help
              </Button>
            </Paper>
          </Grid>
        </Grid>
      )}
    </Box>
  );
}
