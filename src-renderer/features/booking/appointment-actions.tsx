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
import Typography from '@mui/material/Typography';
import type { AppointmentView, SlotView } from '../../../src-main/contract/index.js';
import { navigate } from '../../app/router.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { shortDate, slotTimeLabel } from '../../components/format.js';
import { SlotPicker } from './slot-picker.js';
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

function RescheduleDialog({ appointment, onClose, onDone }: { appointment: ActionTarget; onClose: () => void; onDone: () => void }) {
  const [slot, setSlot] = useState<SlotView | null>(null);
  const form = useFieldErrors();
  const [refresh, setRefresh] = useState(0);
  // Another appointment of the patient at the new time: staff may move it anyway, knowingly.
  const [clash, setClash] = useState<string | null>(null);
  const pickSlot = (s: SlotView) => {
    setSlot(s);
    setClash(null);
    form.clear();
  };
  // The consultation type is the appointment's own.
  const current = useRead('appointment/get', { appointmentId: appointment.id });
  const typeId = current.data?.appointment.consultationTypeId ?? null;
  const move = async (overlapAcknowledged: boolean) => {
    if (!slot) return;
    const result = await call('appointment/reschedule', {
      appointmentId: appointment.id,
      doctorId: slot.doctorId,
      locationId: slot.locationId,
      startAt: slot.startAt,
      ...(overlapAcknowledged ? { overlapAcknowledged: true as const } : {}),
    });
    if (!result.ok && result.error.code === 'booking/patient-overlap') {
      setClash(result.error.message);
      return;
    }
    if (!result.ok) {
      form.fromError(result.error);
      setSlot(null);
      setRefresh((r) => r + 1);
      return;
    }
    onClose();
    onDone();
    navigate('confirmation', result.data.appointment.id);
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void move(false);
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <form onSubmit={submit} noValidate aria-label="Reschedule appointment">
        <DialogTitle>Reschedule {appointment.patientName} with {appointment.doctorName}</DialogTitle>
        <DialogContent>
          <ErrorBanner error={form.banner ?? (form.field('startAt').error ? { code: 'x', message: form.field('startAt').helperText ?? '' } : null)} />
          {typeId && (
            <SlotPicker
              search={{ consultationTypeId: typeId, doctorId: appointment.doctorId, preferredDate: current.data?.appointment.localDate }}
              selected={slot}
              onPick={pickSlot}
              refreshKey={refresh}
              showDoctor={false}
            />
          )}
          {slot && (
            <Typography sx={{ mt: 1 }}>
              New time: {shortDate(slot.localDate)} {slotTimeLabel(slot)}
            </Typography>
          )}
          {clash && (
            <Alert
              severity="warning"
              sx={{ mt: 1 }}
              action={
                <Button color="inherit" size="small" onClick={() => void move(true)}>
                  Move anyway
                </Button>
              }
            >
              {clash}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Keep current time</Button>
          <Button type="submit" variant="contained" disabled={!slot}>
            Move appointment
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
