import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { AppError, AppointmentView } from '../../../src-main/contract/index.js';
import { paymentStatusLabels } from '../../../src-main/contract/payments.contract.js';
import { confirmReschedule } from '../booking/reschedule-dialog.js';
import { useRead } from '../../api/queries.js';
import { shortDate, todayIn } from '../../components/format.js';
import { clock, type Appointment } from './day-view-layout.js';

export interface MoveRequest {
  appointment: Appointment;
  fromDoctor: { id: string; name: string };
  toDoctor: { id: string; name: string };
  startAt: number;
  locationId: string | null;
  locationName: string | null;
}

/**
 * The confirmation of a drag (or keyboard move) in the day view: the old and the new time and
 * doctor named, what happens to the money, then appointment/reschedule — the server's own
 * checks (hours, time off, taken, buffer, notice, the patient's other visits). A refusal is
 * shown in its plain words and nothing moves.
 */
export function MoveDialog({ move, zone, onClose, onMoved }: { move: MoveRequest; zone: string; onClose: () => void; onMoved: (moved: AppointmentView) => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const [clash, setClash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Inside the cancellation window a move is recorded as a late change; money moves with the visit.
  const preview = useRead('payment/cancel-preview', { appointmentId: move.appointment.id, party: 'clinic' });
  const a = move.appointment;
  const date = todayIn(zone, new Date(move.startAt));
  const oldDate = todayIn(zone, new Date(a.startAt));
  const newTime = clock(move.startAt, zone);
  const submit = async (overlapAcknowledged: boolean) => {
    setBusy(true);
    const outcome = await confirmReschedule(a.id, { doctorId: move.toDoctor.id, locationId: move.locationId, startAt: new Date(move.startAt).toISOString() }, overlapAcknowledged);
    setBusy(false);
    if (outcome.kind === 'moved') return onMoved(outcome.appointment);
    if (outcome.kind === 'clash') return setClash(outcome.message);
    const field = outcome.error.fieldErrors?.startAt?.[0] ?? outcome.error.fieldErrors?.doctorId?.[0];
    setError({ ...outcome.error, message: field && !outcome.error.message.includes(field) ? `${outcome.error.message} ${field}` : outcome.error.message });
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="move-title">
      <DialogTitle id="move-title">Move {a.patientName}’s appointment?</DialogTitle>
      <DialogContent>
        <Typography component="p" sx={{ mb: 1 }}>
          <strong>From:</strong> {shortDate(oldDate)} {a.localStart}–{a.localEnd} with {move.fromDoctor.name} at {a.locationName}
        </Typography>
        <Typography component="p" sx={{ mb: 1 }}>
          <strong>To:</strong> {shortDate(date)} {newTime} with {move.toDoctor.name}
          {move.locationName ? ` at ${move.locationName}` : ''}
        </Typography>
        <Typography component="p" variant="body2" color="text.secondary">
          {a.consultationType} · Payment: {paymentStatusLabels[a.paymentStatus]}
          {a.paymentStatus !== 'unpaid' && a.paymentStatus !== 'no_charge' ? ' — what was paid moves with the appointment.' : ''}
        </Typography>
        {preview.data?.withinWindow && (
          <Alert severity="info" sx={{ mt: 1 }}>
            This visit is inside the {preview.data.windowHours}-hour cancellation window; the move is recorded as a late change by the clinic. No fee is taken for a move.
          </Alert>
        )}
        {error && (
          <Alert severity="error" role="alert" sx={{ mt: 1 }}>
            Not moved: {error.message}
          </Alert>
        )}
        {clash && (
          <Alert
            severity="warning"
            role="alert"
            sx={{ mt: 1 }}
            action={
              <Button color="inherit" size="small" onClick={() => void submit(true)} disabled={busy}>
                Move anyway
              </Button>
            }
          >
            {clash}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{error ? 'Close' : 'Keep current time'}</Button>
        {!error && (
          <Button variant="contained" autoFocus onClick={() => void submit(false)} disabled={busy || Boolean(clash)}>
            Move appointment
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
