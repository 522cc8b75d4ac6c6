import { useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { OutputOf } from '../../../src-main/contract/index.js';
import { navigate } from '../../app/router.js';
import { setBookingPreset } from './booking-preset.js';

type Result = OutputOf<'patient/symptom-check'>;

const urgencyColor = { emergency: 'error', same_day: 'warning', within_week: 'info', routine: 'success' } as const;

/** The checker's answer: an emergency first (no booking), else ranked specializations with reasons and "Book from this result". */
export function SymptomResult({
  result,
  patientId,
  kiosk,
  onNote,
}: {
  result: Result;
  patientId: string | null;
  kiosk: boolean;
  /** Staff, with a patient: save the check again with the desk's note. */
  onNote?: (note: string) => Promise<boolean>;
}) {
  const [note, setNote] = useState('');
  const [noted, setNoted] = useState(false);
  const [showRules, setShowRules] = useState(false);
  const book = () => {
    if (!result.booking) return;
    setBookingPreset({
      specializationId: result.booking.specializationId,
      consultationTypeId: result.booking.consultationTypeId,
      earliestFirst: result.booking.earliestFirst,
      summary: `From the symptom check: ${result.booking.specializationName}, ${result.urgencyLabel.toLowerCase()}${result.booking.earliestFirst ? ' — earliest slots across doctors first' : ''}.`,
    });
    if (patientId) navigate('book', patientId);
    else navigate('book');
  };
  return (
    <Box aria-label="Symptom check result" role="region" aria-live="polite">
      {result.emergency && (
        <Alert severity="error" variant="filled" sx={{ mb: 2, fontSize: '1.15rem' }} role="alert">
          <AlertTitle sx={{ fontSize: '1.6rem', fontWeight: 700 }}>Call {result.emergency.emergencyNumber} now</AlertTitle>
          <Typography sx={{ fontSize: '1.15rem', mb: 1 }}>{result.emergency.message}</Typography>
          <Box component="ul" sx={{ m: 0, pl: 3 }}>
            {result.emergency.redFlags.map((f) => (
              <li key={f.id}>
                <strong>{f.title}.</strong> {f.reason}
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {result.emergency && !kiosk && patientId && onNote && (
        <Paper sx={{ p: 2, mb: 2 }}>
          <Typography variant="subtitle1" component="h3" gutterBottom>
            Note the case on the patient’s record
          </Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField label="What the desk did (e.g. called the emergency number at 10:05)" value={note} onChange={(e) => setNote(e.target.value)} fullWidth slotProps={{ htmlInput: { maxLength: 1000 } }} />
            <Button variant="outlined" disabled={!note.trim()} onClick={async () => setNoted(await onNote(note))}>
              Save note
            </Button>
          </Stack>
          {noted && <Alert severity="success" sx={{ mt: 1 }}>Noted on the record.</Alert>}
        </Paper>
      )}
      {!result.emergency && (
        <Paper sx={{ p: 2, mb: 2 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
            <Typography variant="h6" component="h3">
              How soon:
            </Typography>
            <Chip label={result.urgencyLabel} color={urgencyColor[result.urgency]} sx={{ fontSize: '1.05rem', height: 36 }} />
          </Stack>
          <Typography variant="h6" component="h3" sx={{ mt: 1 }}>
            Who can help, best first
          </Typography>
          <Box component="ol" sx={{ pl: 3, my: 1 }} aria-label="Suggested specializations">
            {result.specializations.slice(0, 4).map((s) => (
              <li key={s.name}>
                <Typography sx={{ fontSize: '1.1rem', fontWeight: 600 }}>
                  {s.plainName.charAt(0).toUpperCase() + s.plainName.slice(1)}
                  {!s.offeredHere && <Chip size="small" label="not offered here" sx={{ ml: 1 }} />}
                </Typography>
                <Box component="ul" sx={{ my: 0.5, pl: 2.5, color: 'text.secondary' }}>
                  {s.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </Box>
              </li>
            ))}
          </Box>
          {result.booking ? (
            <>
              <Typography sx={{ mb: 1 }}>
                Suggested: <strong>{result.booking.consultationTypeName ?? 'a consultation'}</strong> with {result.booking.specializationName}.
              </Typography>
              {result.booking.note && <Alert severity="info" sx={{ mb: 1 }}>{result.booking.note}</Alert>}
              {kiosk ? (
                <Alert severity="info">Show this screen to the front desk: they will book it for you.</Alert>
              ) : (
                <Button variant="contained" size="large" onClick={book} sx={{ minHeight: 56, fontSize: '1.1rem' }}>
                  Book from this result
                </Button>
              )}
            </>
          ) : (
            <Alert severity="warning">No doctor here offers what fits; ask the front desk where to go.</Alert>
          )}
        </Paper>
      )}
      {!kiosk && (
        <Box sx={{ mb: 2 }}>
          <Button size="small" onClick={() => setShowRules(!showRules)} aria-expanded={showRules}>
            {showRules ? 'Hide' : 'Show'} the rules that fired ({result.firedRules.length})
          </Button>
          {showRules && (
            <Box component="ul" sx={{ pl: 3, typography: 'body2' }} aria-label="Rules that fired">
              {result.firedRules.map((r) => (
                <li key={r.id}>
                  <code>{r.id}</code> — {r.reason}
                </li>
              ))}
            </Box>
          )}
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
            Knowledge base {result.knowledgeBaseVersion} · age {result.ageYears ?? 'not given'}, sex {result.sex ?? 'not given'} ({result.ageSexFrom === 'record' ? 'from the record' : result.ageSexFrom === 'answers' ? 'as given' : 'unknown'})
            {result.saved ? ` · saved on the record (check ${result.saved.version})` : ' · not saved'}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
