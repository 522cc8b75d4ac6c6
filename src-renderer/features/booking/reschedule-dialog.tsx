import { useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppError, AppointmentView, SlotView } from '../../../src-main/contract/index.js';
import { navigate } from '../../app/router.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { shortDate, slotTimeLabel } from '../../components/format.js';
import { SlotPicker } from './slot-picker.js';

/** The appointment being moved, as much as the wording needs. */
export interface RescheduleFrom {
  id: string;
  patientName: string;
  doctorName: string;
  locationName: string;
  localDate: string;
  localStart: string;
}

/** "Tue, Dec 1 08:15 with Dr Maya Chen at Riverside Main" — the current time of an appointment. */
export const currentLabel = (a: RescheduleFrom): string => `${shortDate(a.localDate)} ${a.localStart} with ${a.doctorName} at ${a.locationName}`;

/** "Wed, Dec 2 09:00 with Dr Omar Haddad at Riverside Main" — a new time. */
export const targetLabel = (s: SlotView): string => `${shortDate(s.localDate)} ${slotTimeLabel(s)} with ${s.doctorName} at ${s.locationName}`;

/** The one wording of a move, for the dialog and for any other screen that moves appointments (day view). */
export const rescheduleQuestion = (from: RescheduleFrom, to: SlotView): string =>
  `Move ${from.patientName} from ${currentLabel(from)} to ${targetLabel(to)}?`;

export type RescheduleOutcome =
  | { kind: 'moved'; appointment: AppointmentView }
  /** Another appointment of the patient at the new time: staff may move it anyway, knowingly. */
  | { kind: 'clash'; message: string }
  | { kind: 'refused'; error: AppError };

/** Moves an appointment to a slot (another doctor, date or time), with the server's checks. */
export async function confirmReschedule(
  appointmentId: string,
  to: Pick<SlotView, 'doctorId' | 'startAt'> & { locationId?: string | null },
  overlapAcknowledged = false,
): Promise<RescheduleOutcome> {
  const result = await call('appointment/reschedule', {
    appointmentId,
    doctorId: to.doctorId,
    ...(to.locationId ? { locationId: to.locationId } : {}),
    startAt: to.startAt,
    ...(overlapAcknowledged ? { overlapAcknowledged: true as const } : {}),
  });
  if (result.ok) return { kind: 'moved', appointment: result.data.appointment };
  if (result.error.code === 'booking/patient-overlap') return { kind: 'clash', message: result.error.message };
  return { kind: 'refused', error: result.error };
}

/** A refusal in words for the banner: the field's own message where the server named one. */
const refusalText = (error: AppError): AppError => {
  const field = error.fieldErrors?.startAt?.[0] ?? error.fieldErrors?.doctorId?.[0];
  return field && field !== error.message ? { ...error, message: `${error.message} ${field}`.trim() } : error;
};

/**
 * The move itself — question, Move / Keep current time, a clash with "Move anyway", a refusal in
 * words — then the confirmation screen. The reschedule dialog uses it inline; the day view can
 * open it as a dialog after a drag (`RescheduleConfirm`).
 */
function useMove(from: RescheduleFrom, onMoved: (a: AppointmentView) => void) {
  const [clash, setClash] = useState<{ for: SlotView; message: string } | null>(null);
  const [refusal, setRefusal] = useState<{ for: SlotView; error: AppError } | null>(null);
  const [busy, setBusy] = useState(false);
  const move = async (to: SlotView, overlapAcknowledged = false): Promise<RescheduleOutcome> => {
    setBusy(true);
    const outcome = await confirmReschedule(from.id, to, overlapAcknowledged).finally(() => setBusy(false));
    setClash(outcome.kind === 'clash' ? { for: to, message: outcome.message } : null);
    setRefusal(outcome.kind === 'refused' ? { for: to, error: refusalText(outcome.error) } : null);
    if (outcome.kind === 'moved') {
      onMoved(outcome.appointment);
      navigate('confirmation', outcome.appointment.id);
    }
    return outcome;
  };
  return { move, busy, clash, refusal };
}

function ClashAlert({ message, onMoveAnyway, disabled }: { message: string; onMoveAnyway: () => void; disabled: boolean }) {
  return (
    <Alert
      severity="warning"
      role="alert"
      sx={{ mt: 1 }}
      action={
        <Button color="inherit" size="small" onClick={onMoveAnyway} disabled={disabled}>
          Move anyway
        </Button>
      }
    >
      {message} Moving anyway is recorded with your name.
    </Alert>
  );
}

/**
 * Confirms one move chosen elsewhere (a drag on the day view): the same question, checks, clash
 * handling and confirmation screen as the reschedule dialog.
 */
export function RescheduleConfirm({ from, to, onClose, onMoved }: { from: RescheduleFrom; to: SlotView; onClose: () => void; onMoved?: (a: AppointmentView) => void }) {
  const { move, busy, clash, refusal } = useMove(from, (a) => {
    onClose();
    onMoved?.(a);
  });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="reschedule-confirm-title">
      <DialogTitle id="reschedule-confirm-title">Move {from.patientName}’s appointment</DialogTitle>
      <DialogContent>
        <ErrorBanner error={refusal?.error ?? null} />
        <DialogContentText>{rescheduleQuestion(from, to)}</DialogContentText>
        {clash && <ClashAlert message={clash.message} disabled={busy} onMoveAnyway={() => void move(to, true)} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Keep current time</Button>
        <Button variant="contained" autoFocus disabled={busy || Boolean(refusal)} onClick={() => void move(to)}>
          Move appointment
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Reschedule with the booking screen's picker: any date and time, any doctor offering the
 * appointment's consultation type (its own doctor first), with where it is now at the top.
 */
export function RescheduleDialog({ appointment, onClose, onDone }: { appointment: { id: string; patientName: string; doctorName: string }; onClose: () => void; onDone: () => void }) {
  const current = useRead('appointment/get', { appointmentId: appointment.id });
  const options = useRead('booking/options', {});
  const a = current.data?.appointment ?? null;
  const [chosenDoctor, setDoctor] = useState<string | null>(null);
  const [chosenDate, setDate] = useState<string | null>(null);
  const [chosenTime, setTime] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ slot: SlotView; for: string } | null>(null);
  const [slotsLoading, setSlotsLoading] = useState(true);
  const [refresh, setRefresh] = useState(0);
  const type = options.data?.consultationTypes.find((t) => t.id === a?.consultationTypeId) ?? null;
  const doctors = useMemo(
    () => (options.data?.doctors ?? []).filter((d) => !type || type.specializationIds.length === 0 || d.specializationIds.some((s) => type.specializationIds.includes(s))),
    [options.data, type],
  );
  const doctorId = chosenDoctor ?? a?.doctorId ?? '';
  const date = chosenDate ?? a?.localDate ?? '';
  const time = chosenTime ?? a?.localStart ?? '';
  const search = a ? { consultationTypeId: a.consultationTypeId, doctorId: doctorId || undefined, preferredDate: date || undefined, preferredTime: time || undefined } : null;
  // A slot counts only for the search it was picked from (the doctor may have changed since).
  const searchKey = JSON.stringify([doctorId]);
  const slot = picked && picked.for === searchKey ? picked.slot : null;
  const from: RescheduleFrom = a ?? { id: appointment.id, patientName: appointment.patientName, doctorName: appointment.doctorName, locationName: '', localDate: '', localStart: '' };
  const { move, busy, clash, refusal } = useMove(from, () => {
    onClose();
    onDone();
  });
  const shownClash = clash && slot && clash.for === slot ? clash : null;
  const shownRefusal = refusal && (!slot || refusal.for === slot) ? refusal : null;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!slot || busy || slotsLoading) return;
    const outcome = await move(slot);
    if (outcome.kind === 'refused') {
      // The time went meanwhile (or is refused): choose again from fresh slots.
      setPicked(null);
      setRefresh((r) => r + 1);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" scroll="paper" aria-labelledby="reschedule-title">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Reschedule appointment" style={{ display: 'contents' }}>
        <DialogTitle id="reschedule-title">Reschedule {appointment.patientName}</DialogTitle>
        <DialogContent dividers>
          <ErrorBanner error={current.error ?? options.error ?? shownRefusal?.error ?? null} />
          {a && (
            <Typography sx={{ mb: 2 }} data-testid="reschedule-current">
              <strong>Currently:</strong> {currentLabel(a)} · {a.consultationType}
            </Typography>
          )}
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2 }}>
            <TextField
              select
              size="small"
              label="Doctor"
              value={doctorId}
              onChange={(e) => setDoctor(e.target.value)}
              sx={{ minWidth: 240, flexGrow: 1 }}
              slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
            >
              <MenuItem value="">Any doctor offering {type?.name ?? 'this consultation'}</MenuItem>
              {doctors.map((d) => (
                <MenuItem key={d.id} value={d.id}>
                  {d.name}
                  {d.id === a?.doctorId ? ' (current)' : ''}
                </MenuItem>
              ))}
            </TextField>
            <TextField size="small" label="Preferred date" type="date" value={date} onChange={(e) => setDate(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} sx={{ minWidth: 170 }} />
            <TextField size="small" label="Preferred time" type="time" value={time} onChange={(e) => setTime(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} sx={{ minWidth: 130 }} />
          </Stack>
          {search && (
            <SlotPicker
              search={search}
              selected={slot}
              onPick={(s) => setPicked({ slot: s, for: searchKey })}
              refreshKey={refresh}
              showDoctor={!doctorId}
              onLoadingChange={setSlotsLoading}
              onPreferredDate={setDate}
            />
          )}
          {slot && (
            <Alert severity="info" sx={{ mt: 1 }} aria-live="polite">
              New time: {targetLabel(slot)}
            </Alert>
          )}
          {shownClash && slot && <ClashAlert message={shownClash.message} disabled={busy} onMoveAnyway={() => void move(slot, true)} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Keep current time</Button>
          <Button type="submit" variant="contained" disabled={!slot || busy || slotsLoading}>
            Move appointment
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
