import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { AppointmentView } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { RescheduleDialog } from './reschedule-dialog.js';
import { PaymentButton } from '../payments/payment-dialog.js';
import { CancelMoneyPreview, showCancelOutcome } from '../payments/cancel-money.js';
import { showFeedback } from '../agenda/action-feedback.js';

export interface ActionTarget {
  id: string;
  status: AppointmentView['status'];
  patientName: string;
  /** For "Book another time" when an undo finds the slot taken. */
  patientId?: string;
  doctorId: string;
  doctorName: string;
  startAt: string;
  /** The start in the clinic's (location's) time, HH:mm, as the screen shows it. */
  localStart?: string;
  paymentStatus?: AppointmentView['paymentStatus'];
  /** The fee kept for a cancelled or missed visit (the agenda knows it); 0 when none. */
  feeMinor?: number;
}

/**
 * Which money button a row offers. A cancelled or missed visit owes only its fee: "Take the fee"
 * while one is due, nothing when there is none (a cancelled visit never paid owes nothing), and
 * "Payment" (to look, not to take the price) where the fee is not known.
 */
export function paymentButtonOf(a: Pick<ActionTarget, 'status' | 'paymentStatus' | 'feeMinor'>): 'pay' | 'fee' | 'view' | null {
  if (!a.paymentStatus) return null;
  const closed = a.status === 'cancelled' || a.status === 'no_show';
  const owing = a.paymentStatus === 'unpaid' || a.paymentStatus === 'partly_paid';
  if (!closed || !owing) return 'pay';
  if (a.feeMinor === undefined) return 'view';
  return a.feeMinor > 0 ? 'fee' : null;
}

interface RowAction {
  key: string;
  label: string;
  aria: string;
  color?: 'warning' | 'error';
  run: () => void;
}

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Check-in, complete, no-show, cancel and reschedule for one appointment: the next step as a
 * button, the others in a "More" menu (so a row's actions fit on one line at 1024 px), and a
 * message after each with Undo where the server offers it.
 */
export function AppointmentActions({ appointment, onChanged }: { appointment: ActionTarget; onChanged: () => void }) {
  const [dialog, setDialog] = useState<null | 'cancel' | 'reschedule'>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  const label = `${appointment.patientName} ${appointment.localStart ?? timeOf(appointment.startAt)}`;
  // Before its time an appointment can be cancelled or moved; after it, only a no-show.
  const [now] = useState(() => Date.now());
  const started = Date.parse(appointment.startAt) <= now;
  const setStatus = async (status: 'checked_in' | 'completed' | 'no_show') => {
    setBusy(true);
    const result = await call('appointment/set-status', { appointmentId: appointment.id, status });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    onChanged();
    const done = { checked_in: 'Checked in', completed: 'Completed', no_show: 'Recorded as a no-show' }[status];
    showFeedback({ message: `${done}: ${label}.`, severity: 'success', undo: result.data.undo ?? null, patientId: appointment.patientId });
  };
  const actions: RowAction[] = [];
  // Check-in opens on the day (the server's rule): before that the next step is a reschedule.
  const today = Date.parse(appointment.startAt) - now <= 24 * 3_600_000;
  if (appointment.status === 'booked' && today) actions.push({ key: 'check-in', label: 'Check in', aria: `Check in ${label}`, run: () => void setStatus('checked_in') });
  if (appointment.status === 'checked_in') actions.push({ key: 'complete', label: 'Complete', aria: `Complete ${label}`, run: () => void setStatus('completed') });
  if ((appointment.status === 'booked' || appointment.status === 'checked_in') && started) {
    actions.push({ key: 'no-show', label: 'No-show', aria: `No-show ${label}`, color: 'warning', run: () => void setStatus('no_show') });
  }
  if (appointment.status === 'booked' && !started) {
    actions.push({ key: 'reschedule', label: 'Reschedule', aria: `Reschedule ${label}`, run: () => setDialog('reschedule') });
    actions.push({ key: 'cancel', label: 'Cancel', aria: `Cancel ${label}`, color: 'error', run: () => setDialog('cancel') });
  }
  const [main, ...more] = actions;
  const money = paymentButtonOf(appointment);
  return (
    <>
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', flexWrap: 'nowrap' }}>
        {appointment.paymentStatus && money && (
          <PaymentButton appointmentId={appointment.id} title={label} status={appointment.paymentStatus} mode={money === 'pay' ? undefined : money} />
        )}
        {main && (
          <Button size="small" variant="outlined" color={main.color} disabled={busy} onClick={main.run} aria-label={main.aria} sx={{ whiteSpace: 'nowrap' }}>
            {main.label}
          </Button>
        )}
        {more.length > 0 && (
          <>
            <Button
              size="small"
              disabled={busy}
              onClick={(e) => setMenu(e.currentTarget)}
              aria-label={`More actions for ${label}`}
              aria-haspopup="menu"
              aria-expanded={menu ? 'true' : undefined}
              sx={{ whiteSpace: 'nowrap', minWidth: 0 }}
            >
              More ▾
            </Button>
            <Menu anchorEl={menu} open={!!menu} onClose={() => setMenu(null)}>
              {more.map((a) => (
                <MenuItem
                  key={a.key}
                  aria-label={a.aria}
                  onClick={() => {
                    setMenu(null);
                    a.run();
                  }}
                  sx={a.color ? { color: `${a.color}.dark` } : undefined}
                >
                  {a.label}
                </MenuItem>
              ))}
            </Menu>
          </>
        )}
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mt: 0.5 }}>
          {error.message}
        </Alert>
      )}
      {dialog === 'cancel' && <CancelDialog appointment={appointment} label={label} onClose={() => setDialog(null)} onDone={onChanged} />}
      {dialog === 'reschedule' && (
        <RescheduleDialog
          appointment={appointment}
          onClose={() => setDialog(null)}
          onDone={() => {
            onChanged();
            showFeedback({ message: `Rescheduled: ${label}.`, severity: 'success' });
          }}
        />
      )}
    </>
  );
}

function CancelDialog({ appointment, label, onClose, onDone }: { appointment: ActionTarget; label: string; onClose: () => void; onDone: () => void }) {
  const [party, setParty] = useState<'patient' | 'clinic'>('patient');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();
  const preview = useRead('payment/cancel-preview', { appointmentId: appointment.id, party });
  const p = preview.data;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await call('appointment/cancel', { appointmentId: appointment.id, party, reason });
    setBusy(false);
    if (!result.ok) return form.fromError(result.error);
    // The money's outcome gets its own dialog only when money was involved.
    if (p && (p.paidMinor > 0 || p.feeMinor > 0 || p.refundMinor > 0)) showCancelOutcome(appointment.id, appointment.patientName, p);
    showFeedback({ message: `Cancelled: ${label}.`, severity: 'success', undo: result.data.undo ?? null, patientId: appointment.patientId });
    onClose();
    onDone();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate aria-label="Cancel appointment">
        <DialogTitle>Cancel {appointment.patientName}’s appointment</DialogTitle>
        <DialogContent>
          <ErrorBanner error={form.banner} />
          {p?.withinWindow && p.party === 'patient' && (
            <Alert severity="warning" sx={{ mt: 1 }} aria-label="Inside the cancellation window">
              <b>Late cancellation:</b> this visit starts in less than {p.windowHours} hours.{' '}
              {p.feeMinor > 0 ? 'By the clinic’s policy the patient pays a fee (or is not refunded in full): see below.' : 'The clinic’s policy charges nothing for it.'}
            </Alert>
          )}
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
          <Button type="submit" color="error" variant="contained" disabled={busy}>
            Cancel appointment
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
