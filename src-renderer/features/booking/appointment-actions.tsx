import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { AppointmentView } from '../../../src-main/contract/index.js';
import { navigate } from '../../app/router.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { RescheduleDialog } from './reschedule-dialog.js';
import { PaymentButton } from '../payments/payment-dialog.js';
import { CancelMoneyPreview, showCancelOutcome } from '../payments/cancel-money.js';

export interface ActionTarget {
  id: string;
  status: AppointmentView['status'];
  patientName: string;
  doctorId: string;
  doctorName: string;
  startAt: string;
  paymentStatus?: AppointmentView['paymentStatus'];
}

/** Check-in, complete, no-show, cancel and reschedule for one appointment. */
export function AppointmentActions({ appointment, onChanged }: { appointment: ActionTarget; onChanged: () => void }) {
  const [dialog, setDialog] = useState<null | 'cancel' | 'reschedule'>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const setStatus = async (status: 'checked_in' | 'completed' | 'no_show') => {
    const result = await call('appointment/set-status', { appointmentId: appointment.id, status });
    if (result.ok) onChanged();
    else setError(result.error);
  };
  // Before its time an appointment can be cancelled or moved; after it, only a no-show.
  const [now] = useState(() => Date.now());
  const started = Date.parse(appointment.startAt) <= now;
  const label = `${appointment.patientName} ${new Date(appointment.startAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  return (
    <>
      <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
        {appointment.paymentStatus && <PaymentButton appointmentId={appointment.id} title={label} status={appointment.paymentStatus} />}
        {appointment.status === 'booked' && (
          <Button size="small" onClick={() => void setStatus('checked_in')} aria-label={`Check in ${label}`}>
            Check in
          </Button>
        )}
        {(appointment.status === 'booked' || appointment.status === 'checked_in') && (
          <>
            {appointment.status === 'checked_in' && (
              <Button size="small" onClick={() => void setStatus('completed')} aria-label={`Complete ${label}`}>
                Complete
              </Button>
            )}
            {started && (
              <Button size="small" color="warning" onClick={() => void setStatus('no_show')} aria-label={`No-show ${label}`}>
                No-show
              </Button>
            )}
          </>
        )}
        {appointment.status === 'booked' && !started && (
          <>
            <Button size="small" onClick={() => setDialog('reschedule')} aria-label={`Reschedule ${label}`}>
              Reschedule
            </Button>
            <Button size="small" color="error" onClick={() => setDialog('cancel')} aria-label={`Cancel ${label}`}>
              Cancel
            </Button>
          </>
        )}
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mt: 0.5 }}>
          {error.message}
        </Alert>
      )}
      {dialog === 'cancel' && <CancelDialog appointment={appointment} onClose={() => setDialog(null)} onDone={onChanged} />}
      {dialog === 'reschedule' && <RescheduleDialog appointment={appointment} onClose={() => setDialog(null)} onDone={onChanged} />}
    </>
  );
}

function CancelDialog({ appointment, onClose, onDone }: { appointment: ActionTarget; onClose: () => void; onDone: () => void }) {
  const [party, setParty] = useState<'patient' | 'clinic'>('patient');
  const [reason, setReason] = useState('');
  const form = useFieldErrors();
  const preview = useRead('payment/cancel-preview', { appointmentId: appointment.id, party });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await call('appointment/cancel', { appointmentId: appointment.id, party, reason });
    if (!result.ok) return form.fromError(result.error);
    showCancelOutcome(appointment.id, appointment.patientName, preview.data);
    onClose();
    onDone();
    navigate('confirmation', appointment.id);
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate aria-label="Cancel appointment">
        <DialogTitle>Cancel {appointment.patientName}’s appointment</DialogTitle>
        <DialogContent>
          <ErrorBanner error={form.banner} />
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField select label="Cancelled by" value={party} onChange={(e) => setParty(e.target.value as 'patient' | 'clinic')}>
              <MenuItem value="patient">The patient</MenuItem>
              <MenuItem value="clinic">The clinic</MenuItem>
            </TextField>
            <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus {...form.field('reason')} />
            <CancelMoneyPreview preview={preview} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Keep appointment</Button>
          <Button type="submit" color="error" variant="contained">
            Cancel appointment
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
