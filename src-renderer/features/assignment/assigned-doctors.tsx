import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { CurrentAssignment } from '../../../src-main/contract/index.js';
import { fetchData } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useLoad } from '../../components/use-load.js';
import { AssignDialog } from './assign-dialog.js';
import { AssignmentHistoryDialog } from './assignment-history-dialog.js';
import { slotLabel } from './assignment-format.js';

/**
 * The "Assigned doctors" card of a patient's profile: the primary doctor and one per
 * specialization, with location and next available slot. Admins assign from ranked
 * suggestions; everyone can open the history.
 */
export function AssignedDoctors({ patientId }: { patientId: string }) {
  const list = useLoad(() => fetchData('assignment/list', { patientId }), patientId);
  const session = useLoad(() => fetchData('auth/session', {}), 'session');
  const [assigning, setAssigning] = useState(false);
  const [history, setHistory] = useState(false);
  const isAdmin = session.data?.staff?.role === 'admin';
  const current = list.data?.current ?? [];
  return (
    <Box aria-label="Assigned doctors list">
      <ErrorBanner error={list.error} />
      {list.data && current.length === 0 && <Typography color="text.secondary">No doctor assigned yet.</Typography>}
      {current.map((a) => (
        <AssignmentLine key={a.id} assignment={a} />
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

function AssignmentLine({ assignment: a }: { assignment: CurrentAssignment }) {
  const role = a.kind === 'primary' ? 'Primary doctor' : `${a.specialization?.name ?? 'Specialist'}`;
  return (
    <Box sx={{ mb: 1 }} data-testid="assignment">
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
        {a.nextAvailableSlot ? `Next available ${slotLabel(a.nextAvailableSlot)}` : 'No free slot soon'}
      </Typography>
    </Box>
  );
}
