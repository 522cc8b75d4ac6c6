import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { CurrentAssignment } from '../../../src-main/contract/index.js';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { call } from '../../api/client.js';
import { useFieldErrors } from '../../components/form.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { useSignedIn } from '../../app/signed-in.js';
import { AssignDialog } from './assign-dialog.js';
import { AssignmentHistoryDialog } from './assignment-history-dialog.js';
import { slotLabel } from './assignment-format.js';
import { useClinicLocale } from '../booking/price-breakdown.js';

/**
 * The "Assigned doctors" card of a patient's profile: the primary doctor and one per
 * specialization, with location and next available slot. Admins assign from ranked
 * suggestions; everyone can open the history.
 */
export function AssignedDoctors({ patientId }: { patientId: string }) {
  const list = useRead('assignment/list', { patientId });
  const staff = useSignedIn();
  const [assigning, setAssigning] = useState(false);
  const [history, setHistory] = useState(false);
  const isAdmin = staff?.role === 'admin';
  const current = list.data?.current ?? [];
  return (
    <Box role="group" aria-label="Assigned doctors list">
      <ErrorBanner error={list.error} />
      {list.data && current.length === 0 && <Typography color="text.secondary">No doctor assigned yet.</Typography>}
      {current.map((a) => (
        <AssignmentLine key={a.id} assignment={a} canEnd={isAdmin} onEnded={list.reload} />
      ))}
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {isAdmin && (
          <Button size="small" variant="outlined" onClick={() => setAssigning(true)}>
            Assign doctor
          </Button>
        )}
        <Button size="small" onClick={() => setHistory(true)}>
          Assignment history
        </Button>
      </Stack>
      {assigning && (
        <AssignDialog
          patientId={patientId}
          current={current}
          onClose={(changed) => {
            setAssigning(false);
            if (changed) list.reload();
          }}
        />
      )}
      {history && <AssignmentHistoryDialog patientId={patientId} onClose={() => setHistory(false)} />}
    </Box>
  );
}

function AssignmentLine({ assignment: a, canEnd, onEnded }: { assignment: CurrentAssignment; canEnd: boolean; onEnded: () => void }) {
  const role = a.kind === 'primary' ? 'Primary doctor' : `${a.specialization?.name ?? 'Specialist'}`;
  const [ending, setEnding] = useState(false);
  const [reason, setReason] = useState('');
  const form = useFieldErrors();
  const locale = useClinicLocale();
  const end = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await call('assignment/end', { assignmentId: a.id, reason });
    if (!result.ok) return form.fromError(result.error);
    setEnding(false);
    onEnded();
  };
  return (
    <Box sx={{ mb: 1 }} data-testid="assignment">
      {canEnd && (
        <Button size="small" color="warning" sx={{ float: 'right', ml: 1 }} onClick={() => setEnding(true)} aria-label={`End assignment of ${a.doctor.name} (${role})`}>
          End assignment
        </Button>
      )}
      <Dialog open={ending} onClose={() => setEnding(false)} fullWidth maxWidth="sm">
        <form onSubmit={end} noValidate aria-label="End assignment">
          <DialogTitle>
            End {a.doctor.name} as {role.toLowerCase()}
          </DialogTitle>
          <DialogContent>
            <ErrorBanner error={form.banner} />
            <TextField label="Why" value={reason} onChange={(ev) => setReason(ev.target.value)} autoFocus sx={{ mt: 1 }} {...form.field('reason')} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setEnding(false)}>Keep</Button>
            <Button type="submit" variant="contained" color="warning">
              End assignment
            </Button>
          </DialogActions>
        </form>
      </Dialog>
      <Typography variant="body2">
        <Box component="span" sx={{ color: 'text.secondary', mr: 1 }}>
          {role}:
        </Box>
        <strong>{a.doctor.name}</strong>
        {a.doctor.specializations.length > 0 && ` (${a.doctor.specializations.join(', ')})`}
        {!a.doctor.active && ' — inactive'}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="div">
        {a.location ? a.location.name : 'No location yet'}
        {' · '}
        {a.nextAvailableSlot ? `Next available ${slotLabel(a.nextAvailableSlot, locale)}` : 'No free slot soon'}
      </Typography>
    </Box>
  );
}
