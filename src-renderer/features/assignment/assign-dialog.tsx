import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AssignmentKind, CurrentAssignment, Suggestion } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useRead } from '../../api/queries.js';

/**
 * Assign a doctor (admin): choose primary or a specialization, then a doctor from the
 * ranked suggestions, each with the reasons of its rank. A reassignment asks why.
 */
export function AssignDialog({ patientId, current, onClose }: { patientId: string; current: CurrentAssignment[]; onClose: (changed: boolean) => void }) {
  const roster = useRead('roster/list', {});
  const [kind, setKind] = useState<AssignmentKind>('primary');
  const [specializationId, setSpecializationId] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const form = useFieldErrors();
  const ready = kind === 'primary' || specializationId !== '';
  const suggestions = useRead(
    'assignment/suggestions',
    ready
      ? {
          patientId,
          kind,
          ...(kind === 'specialist' ? { specializationId } : specializationId ? { needSpecializationId: specializationId } : {}),
        }
      : null,
  );
  const existing = current.find((a) => a.kind === kind && (kind === 'primary' || a.specialization?.id === specializationId));
  const specs = roster.data?.specializations.filter((s) => s.active) ?? [];

  const pick = (next: { kind?: AssignmentKind; specializationId?: string }) => {
    setChosen(null);
    form.clear();
    if (next.kind) setKind(next.kind);
    setSpecializationId(next.specializationId ?? (next.kind ? '' : specializationId));
  };

  const assign = async () => {
    if (!chosen) return;
    const result = await call('assignment/assign', {
      patientId,
      doctorId: chosen,
      kind,
      ...(kind === 'specialist' ? { specializationId } : {}),
      reason,
    });
    if (!result.ok) return form.fromError(result.error);
    onClose(true);
  };

  const list = ready ? suggestions.data?.suggestions : undefined;
  return (
    <Dialog open onClose={() => onClose(false)} fullWidth maxWidth="md" aria-labelledby="assign-title">
      <DialogTitle id="assign-title">Assign a doctor{suggestions.data ? ` to ${suggestions.data.patientName}` : ''}</DialogTitle>
      <DialogContent>
        <ErrorBanner error={roster.error ?? suggestions.error ?? form.banner} />
        <Stack direction="row" spacing={1} sx={{ my: 1 }}>
          <TextField select label="Assign as" value={kind} onChange={(e) => pick({ kind: e.target.value as AssignmentKind })} sx={{ minWidth: 180 }}>
            <MenuItem value="primary">Primary doctor</MenuItem>
            <MenuItem value="specialist">Specialist</MenuItem>
          </TextField>
          <TextField
            select
            label={kind === 'specialist' ? 'Specialization' : 'Need (optional)'}
            value={specializationId}
            onChange={(e) => pick({ specializationId: e.target.value })}
            sx={{ minWidth: 220 }}
            {...form.field('specializationId')}
          >
            {kind === 'primary' && <MenuItem value="">No particular need</MenuItem>}
            {specs.map((s) => (
              <MenuItem key={s.id} value={s.id}>{s.name}</MenuItem>
            ))}
          </TextField>
        </Stack>
        {existing && (
          <Alert severity="info" sx={{ mb: 1 }}>
            Currently {existing.doctor.name}. Assigning another doctor keeps {existing.doctor.name} in the history; say why below.
          </Alert>
        )}
        {suggestions.data && !suggestions.data.patientHasCoordinates && (
          <Typography variant="caption" color="text.secondary" component="p">
            The patient’s address has no coordinates, so distance is not counted.
          </Typography>
        )}
        {!ready && <Typography color="text.secondary">Choose a specialization to see its doctors.</Typography>}
        {list && list.length === 0 && <Typography color="text.secondary">No active doctor offers this.</Typography>}
        <List aria-label="Ranked doctors" dense>
          {list?.map((s, i) => (
            <SuggestionItem key={s.doctorId} rank={i + 1} suggestion={s} selected={chosen === s.doctorId} onSelect={() => setChosen(s.doctorId)} />
          ))}
        </List>
        {form.field('doctorId').error && <Alert severity="error">{form.field('doctorId').helperText}</Alert>}
        <TextField
          label={existing ? 'Reason for the change' : 'Reason (optional)'}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          fullWidth
          multiline
          minRows={1}
          sx={{ mt: 1 }}
          {...form.field('reason')}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>Cancel</Button>
        <Button variant="contained" disabled={!chosen} onClick={() => void assign()}>
          Assign {list?.find((s) => s.doctorId === chosen)?.doctorName ?? ''}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function SuggestionItem({ rank, suggestion: s, selected, onSelect }: { rank: number; suggestion: Suggestion; selected: boolean; onSelect: () => void }) {
  return (
    <ListItemButton selected={selected} onClick={onSelect} aria-pressed={selected} divider sx={{ alignItems: 'flex-start' }}>
      <Box sx={{ width: '100%' }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography sx={{ fontWeight: 600 }}>
            {rank}. {s.doctorName}
          </Typography>
          <Chip size="small" label={`score ${Math.round(s.score)}`} />
          {s.isCurrent && <Chip size="small" color="info" label="current" />}
          <Typography variant="body2" color="text.secondary">
            {s.specializations.join(', ')}
          </Typography>
        </Stack>
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {s.reasons.map((r) => (
            <Typography key={r} component="li" variant="body2">
              {r}
            </Typography>
          ))}
        </Box>
      </Box>
    </ListItemButton>
  );
}
