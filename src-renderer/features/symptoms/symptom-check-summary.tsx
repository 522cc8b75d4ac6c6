import Typography from '@mui/material/Typography';
import type { SavedSymptomCheck } from '../../../src-main/contract/index.js';

/** The latest saved check on a patient's record, in one glance (the history shows every one). */
export function SymptomCheckSummary({ check }: { check: SavedSymptomCheck | null }) {
  if (!check) return <Typography color="text.secondary">No symptom check yet.</Typography>;
  const r = check.result;
  return (
    <>
      <Typography variant="body2">
        <strong>{r.urgencyLabel}</strong>
        {r.emergency ? ` — ${r.emergency.redFlags.map((f) => f.title).join('; ')}` : ''}
      </Typography>
      <Typography variant="body2">Symptoms: {check.symptoms.map((s) => `${s.name} (${s.severity}, ${s.duration})`).join('; ')}</Typography>
      {!r.emergency && <Typography variant="body2">Suggested: {r.specializations.slice(0, 3).map((s) => s.name).join(', ')}</Typography>}
      {check.note && <Typography variant="body2">Desk note: {check.note}</Typography>}
      <Typography variant="caption" color="text.secondary">
        Knowledge base {check.knowledgeBaseVersion}. A suggestion, not a diagnosis.
      </Typography>
    </>
  );
}
