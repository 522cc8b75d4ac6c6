import { useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppointmentView, PatientSummary, ReferralCheck, SlotView } from '../../../src-main/contract/index.js';
import { accessibilityNeeds } from '../../../src-main/contract/booking.contract.js';
import { call } from '../../api/client.js';
import { LanguagePicker } from '../../components/pickers.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { clockIn, formatMoney, shortDate, slotTimeLabel, todayIn } from '../../components/format.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { PatientPicker } from './patient-picker.js';
import { SlotPicker } from './slot-picker.js';
import { PriceTable, ReferralCodeField, referralCheckKey, useClinicLocale } from './price-breakdown.js';
import { clearBookingPreset, peekBookingPreset } from '../symptoms/booking-preset.js';
import { BookedPayment } from '../payments/booked-payment.js';

const NEEDS: Record<(typeof accessibilityNeeds)[number], string> = {
  wheelchair: 'Wheelchair access',
  mobility: 'Mobility help',
  hearing: 'Hearing support',
  visual: 'Visual support',
  cognitive: 'Cognitive support',
  other: 'Other (see notes)',
};

/** What the server said about a clash with another appointment of the patient. */
interface Clash {
  message: string;
  clashes: Array<{ appointmentId: string; doctorName: string; locationName: string; localDate: string; localStart: string; localEnd: string }>;
}

/**
 * One screen from patient to booked: consultation type, doctor or specialization, preferred
 * date and time → the nearest free slots; picking one holds it while the rest is filled in.
 */
export function BookingScreen({ patientId }: { patientId?: string }) {
  const options = useRead('booking/options', {});
  const preset = useRead('patient/get', patientId ? { patientId } : null);
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  // "Book from this result" (symptom checker): specialization and type preselected, any doctor; same day: earliest first.
  const [fromCheck] = useState(peekBookingPreset);
  useEffect(clearBookingPreset, []);
  const [typeId, setTypeId] = useState(fromCheck?.consultationTypeId ?? '');
  const [chosenDoctorId, setDoctorId] = useState<string | null>(fromCheck ? (fromCheck.doctorId ?? '') : null);
  const [specializationId, setSpecializationId] = useState(fromCheck?.specializationId ?? '');
  const zone = useClinicZone();
  // The preferred date defaults to the clinic's today (not the computer's).
  const [chosenDate, setDate] = useState<string | null>(fromCheck?.date ?? null);
  const date = chosenDate ?? (zone ? todayIn(zone) : '');
  const [time, setTime] = useState(fromCheck?.time ?? (fromCheck?.earliestFirst ? '00:00' : '09:00'));
  const [pickedSlot, setSlot] = useState<SlotView | null>(null);
  const [heldSlot, setHold] = useState<{ holdId: string; expiresAt: string } | null>(null);
  // The selection (patient, type, specialization, doctor) the slot was picked for: a slot, its hold,
  // alternatives and a clash count only while the screen still shows that selection.
  const [pickedFor, setPickedFor] = useState<string | null>(null);
  const [slotsLoading, setSlotsLoading] = useState(true);
  const [busy, setBusy] = useState<null | 'holding' | 'booking'>(null);
  const [needs, setNeeds] = useState<string[]>([]);
  const [interpreter, setInterpreter] = useState('');
  const [notes, setNotes] = useState('');
  const [offered, setAlternatives] = useState<SlotView[]>([]);
  const [refusedReason, setTakenReason] = useState<string | null>(null);
  const [clashFound, setClash] = useState<Clash | null>(null);
  const [booked, setBooked] = useState<AppointmentView | null>(null);
  const [referralCode, setReferralCode] = useState('');
  const [codeAnswer, setCodeAnswer] = useState<{ key: string; check: ReferralCheck } | null>(null);
  const locale = useClinicLocale();
  const [refresh, setRefresh] = useState(0);
  const form = useFieldErrors();
  const holdRef = useRef<{ holdId: string; key: string } | null>(null);
  const clashRef = useRef<HTMLDivElement>(null);

  const chosenPatient =
    patient ??
    (preset.data
      ? { id: preset.data.id, number: preset.data.number, givenName: preset.data.basic.givenName, familyName: preset.data.basic.familyName, dateOfBirth: preset.data.basic.dateOfBirth, phone: preset.data.basic.phone, email: preset.data.basic.email }
      : null);
  const types = options.data?.consultationTypes ?? [];
  const type = types.find((t) => t.id === typeId) ?? types.find((t) => t.kind === 'general') ?? types[0];
  // The latest check of the code, only if it is for what is on the screen now.
  const codeCheck = codeAnswer?.key === referralCheckKey(referralCode, type?.id ?? null, chosenPatient?.id ?? null) ? codeAnswer.check : null;
  // The doctor defaults to the patient's assigned doctor (a specialist one for a specialist consultation).
  const assigned = useRead('assignment/list', chosenPatient ? { patientId: chosenPatient.id } : null);
  const assignedIds = new Set((assigned.data?.current ?? []).map((a) => a.doctor.id));
  const doctors = useMemo(
    () =>
      (options.data?.doctors ?? []).filter(
        (d) => !type || type.specializationIds.length === 0 || d.specializationIds.some((s) => type.specializationIds.includes(s)),
      ),
    [options.data, type],
  );

  const defaultDoctor =
    (assigned.data?.current ?? [])
      .filter((a) => (type?.kind === 'specialist' ? a.kind === 'specialist' : a.kind === 'primary'))
      .map((a) => a.doctor.id)
      .find((id) => doctors.some((d) => d.id === id)) ?? '';
  const doctorId = chosenDoctorId ?? defaultDoctor;
  // The assigned doctor (the default) is still loading for this patient: the doctor is not known yet.
  const doctorPending = chosenDoctorId === null && chosenPatient !== null && assigned.fetching;

  // What the slots and a hold are for. When any of it changes (by hand, or the patient's assigned
  // doctor arriving), a slot picked before is no longer what the screen shows: its hold is released
  // and Book waits for a new slot — the screen never books another doctor than it shows.
  const selectionKey = JSON.stringify([chosenPatient?.id ?? null, type?.id ?? null, specializationId, doctorId]);
  const selectionRef = useRef(selectionKey);
  useEffect(() => {
    selectionRef.current = selectionKey;
    const held = holdRef.current;
    if (held && held.key !== selectionKey) {
      holdRef.current = null;
      void call('booking/release-hold', { holdId: held.holdId });
    }
  }, [selectionKey]);
  const fresh = pickedFor === selectionKey;
  const slot = fresh ? pickedSlot : null;
  const hold = fresh ? heldSlot : null;
  const alternatives = fresh ? offered : [];
  const takenReason = fresh ? refusedReason : null;
  const clash = fresh ? clashFound : null;
  const released = pickedSlot !== null && !fresh;
  const canBook = Boolean(slot && chosenPatient && !slotsLoading && !doctorPending && busy === null);

  // A clash appears below the slots: bring it into view (on a small screen it is below the fold).
  useEffect(() => {
    if (clash) clashRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [clash]);

  // Alt+S jumps to the first free slot; Ctrl+Enter books.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        formRef.current?.querySelector<HTMLButtonElement>('[aria-label="Free slots"] button')?.focus();
      } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        formRef.current?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Abandoning the screen releases the hold.
  useEffect(
    () => () => {
      if (holdRef.current) void call('booking/release-hold', { holdId: holdRef.current.holdId });
    },
    [],
  );

  /** Selects a slot and holds it for this desk; true when the hold was placed. */
  const pick = async (s: SlotView): Promise<boolean> => {
    const key = selectionKey;
    setSlot(s);
    setPickedFor(key);
    setHold(null);
    setAlternatives([]);
    setTakenReason(null);
    setClash(null);
    form.clear();
    if (!type) return false;
    // A code already checked for this patient is reserved with the hold (one use kept while it lives).
    const code = codeCheck?.valid && chosenPatient ? { patientId: chosenPatient.id, referralCode: referralCode.trim() } : {};
    setBusy('holding');
    const result = await call('booking/hold', { doctorId: s.doctorId, locationId: s.locationId, consultationTypeId: type.id, startAt: s.startAt, ...code }).finally(() => setBusy(null));
    if (result.ok && selectionRef.current !== key) {
      // The selection changed while the hold was on its way: it is not for what the screen shows.
      void call('booking/release-hold', { holdId: result.data.holdId });
      return false;
    }
    if (result.ok) {
      setHold(result.data);
      holdRef.current = { holdId: result.data.holdId, key };
      return true;
    } else {
      setHold(null);
      holdRef.current = null;
      form.fromError(result.error);
      setAlternatives((result.error.details?.alternatives as SlotView[] | undefined) ?? []);
      setTakenReason(result.error.details?.reason === 'buffer' ? (result.error.fieldErrors?.startAt?.[0] ?? null) : null);
      setRefresh((r) => r + 1);
      return false;
    }
  };

  const book = async (event: React.FormEvent | null, overlapAcknowledged = false) => {
    event?.preventDefault();
    if (!type) return;
    if (!chosenPatient) return form.fromError({ code: 'validation/invalid-input', message: 'Choose the patient.', fieldErrors: { patientId: ['Choose the patient.'] } });
    if (!slot) return form.fromError({ code: 'validation/invalid-input', message: 'Choose a slot.', fieldErrors: { startAt: ['Choose a slot.'] } });
    // Ctrl+Enter submits even while the button is disabled: the same rule holds here.
    if (!canBook) return;
    setBusy('booking');
    const result = await call('booking/create', {
      patientId: chosenPatient.id,
      doctorId: slot.doctorId,
      locationId: slot.locationId,
      consultationTypeId: type.id,
      startAt: slot.startAt,
      holdId: hold?.holdId,
      ...(overlapAcknowledged ? { overlapAcknowledged: true as const } : {}),
      requirements: { accessibility: needs as never, interpreterLanguage: interpreter.trim(), notes },
      ...(referralCode.trim() ? { referralCode: referralCode.trim() } : {}),
    }).finally(() => setBusy(null));
    if (result.ok) {
      holdRef.current = null;
      setBooked(result.data.appointment);
      navigate('confirmation', result.data.appointment.id); // issue 11: what was sent, printable
      return;
    }
    if (result.error.code === 'booking/patient-overlap') {
      // The patient is booked elsewhere at that time: say where, and let staff book anyway.
      setClash({ message: result.error.message, clashes: (result.error.details?.clashes as Clash['clashes'] | undefined) ?? [] });
      form.clear();
      return;
    }
    if (result.error.code.startsWith('booking/hold-')) {
      // The hold ran out (or is not this desk's): hold the slot again if it is still free, and say so.
      const error = result.error;
      if (await pick(slot)) {
        form.fromError({ ...error, message: `${error.message.replace(/ Choose the slot again\.$/, '')} The slot was still free and is held for you again: book again.`, fieldErrors: undefined });
      }
      return;
    }
    // A code that cannot be used (used up meanwhile …): the reason goes next to the code field only.
    form.fromError(result.error.code.startsWith('referral/') ? { ...result.error, code: 'validation/invalid-input' } : result.error);
    setAlternatives((result.error.details?.alternatives as SlotView[] | undefined) ?? []);
    setTakenReason(result.error.details?.reason === 'buffer' ? (result.error.fieldErrors?.startAt?.[0] ?? null) : null);
    if (result.error.code === 'booking/slot-taken') {
      setSlot(null);
      setRefresh((r) => r + 1);
    }
  };

  if (booked) {
    return (
      <Box component="main">
        <Alert severity="success" sx={{ mb: 2 }}>
          <Typography variant="h6" component="h1">
            Booked: {booked.patientName}
          </Typography>
          {shortDate(booked.localDate)} {booked.localStart}–{booked.localEnd} · {booked.doctorName} · {booked.locationName} · {booked.consultationType}
          <PriceTable price={booked.price} locale={locale} label="Booked price" />
        </Alert>
        <BookedPayment appointment={booked} />
        <Stack direction="row" spacing={1}>
          <Button variant="contained" autoFocus onClick={() => navigate('patients', booked.patientId)}>
            Open patient
          </Button>
          <Button onClick={() => navigate('agenda')}>Agenda</Button>
        </Stack>
      </Box>
    );
  }

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Book an appointment
      </Typography>
      <ErrorBanner error={options.error ?? form.banner} />
      {fromCheck && <Alert severity="info" sx={{ mb: 2 }}>{fromCheck.summary}</Alert>}
      <form ref={formRef} onSubmit={book} noValidate aria-label="Book an appointment">
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 5 }}>
            <Paper sx={{ p: 2 }}>
              <Stack spacing={2}>
                <PatientPicker value={chosenPatient} onChange={(p) => setPatient(p)} error={form.field('patientId')} autoFocus={!patientId} />
                <TextField select label="Consultation" value={type?.id ?? ''} onChange={(e) => setTypeId(e.target.value)} autoFocus={Boolean(patientId)} {...form.field('consultationTypeId')}>
                  {types.map((t) => (
                    <MenuItem key={t.id} value={t.id}>
                      {t.name} · {t.durationMinutes} min · {formatMoney(t.priceMinor, t.currency)}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField select label="Specialization" value={specializationId} onChange={(e) => { setSpecializationId(e.target.value); setDoctorId(''); }} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
                  <MenuItem value="">Any</MenuItem>
                  {(options.data?.specializations ?? [])
                    .filter((s) => !type || type.specializationIds.length === 0 || type.specializationIds.includes(s.id))
                    .map((s) => (
                      <MenuItem key={s.id} value={s.id}>
                        {s.name}
                      </MenuItem>
                    ))}
                </TextField>
                <TextField select label="Doctor" value={doctorId} onChange={(e) => setDoctorId(e.target.value)} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }} {...form.field('doctorId')}>
                  <MenuItem value="">Any doctor</MenuItem>
                  {doctors
                    .filter((d) => !specializationId || d.specializationIds.includes(specializationId))
                    .map((d) => (
                      <MenuItem key={d.id} value={d.id}>
                        {d.name}
                        {assignedIds.has(d.id) ? ' (assigned)' : ''}
                      </MenuItem>
                    ))}
                </TextField>
                <Stack direction="row" spacing={1}>
                  <TextField label="Preferred date" type="date" value={date} onChange={(e) => setDate(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
                  <TextField label="Preferred time" type="time" value={time} onChange={(e) => setTime(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
                </Stack>
                <Typography variant="subtitle2">Special requirements</Typography>
                <Box>
                  {accessibilityNeeds.map((n) => (
                    <FormControlLabel
                      key={n}
                      control={<Checkbox size="small" checked={needs.includes(n)} onChange={(e) => setNeeds(e.target.checked ? [...needs, n] : needs.filter((x) => x !== n))} />}
                      label={NEEDS[n]}
                    />
                  ))}
                </Box>
                <LanguagePicker label="Interpreter language (if needed)" optional value={interpreter} onChange={setInterpreter} {...form.field('requirements.interpreterLanguage')} />
                <TextField label="Notes for the doctor" value={notes} onChange={(e) => setNotes(e.target.value)} multiline minRows={2} {...form.field('requirements.notes')} />
              </Stack>
            </Paper>
          </Grid>
          <Grid size={{ xs: 12, md: 7 }}>
            <Paper sx={{ p: 2 }}>
              <Typography variant="h6" component="h2" gutterBottom>
                Nearest free slots
              </Typography>
              {alternatives.length > 0 && (
                <Alert severity="warning" sx={{ mb: 2 }}>
                  {takenReason ?? 'That slot was just taken.'} Nearest alternatives:
                  <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 1 }}>
                    {alternatives.map((a) => (
                      <Button key={`${a.doctorId}${a.startAt}`} size="small" variant="outlined" onClick={() => void pick(a)} sx={{ textTransform: 'none' }}>
                        {shortDate(a.localDate)} {slotTimeLabel(a)} · {a.doctorName}
                      </Button>
                    ))}
                  </Box>
                </Alert>
              )}
              <SlotPicker
                search={type ? { consultationTypeId: type.id, doctorId: doctorId || undefined, specializationId: specializationId || undefined, preferredDate: date || undefined, preferredTime: time || undefined } : null}
                selected={slot}
                onPick={(s) => void pick(s)}
                refreshKey={refresh}
                pending={doctorPending}
                onLoadingChange={setSlotsLoading}
                onPreferredDate={setDate}
              />
              {released && (
                <Alert severity="info" sx={{ mt: 2 }} aria-live="polite">
                  The time held before was let go because the patient, consultation or doctor changed: choose a time again.
                </Alert>
              )}
              {form.field('startAt').error && !takenReason && <Alert severity="error">{form.field('startAt').helperText}</Alert>}
              {slot && (
                <Alert severity={hold ? 'info' : 'warning'} sx={{ mt: 2 }} aria-live="polite">
                  {shortDate(slot.localDate)} {slotTimeLabel(slot)} with {slot.doctorName} at {slot.locationName}
                  {hold && zone ? ` — held for you until ${clockIn(hold.expiresAt, zone)}` : ''}
                </Alert>
              )}
              {clash && (
                <Alert ref={clashRef} severity="warning" sx={{ mt: 2 }} role="alert" aria-label="Appointment clash">
                  <Typography variant="subtitle2" component="p">
                    {chosenPatient ? `${chosenPatient.givenName} ${chosenPatient.familyName}` : 'The patient'} is already booked at this time
                  </Typography>
                  <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
                    {clash.clashes.map((c) => (
                      <li key={c.appointmentId}>
                        {shortDate(c.localDate)} {c.localStart}–{c.localEnd} with {c.doctorName} at {c.locationName}
                      </li>
                    ))}
                  </Box>
                  <Typography variant="body2">Choose another slot, or book anyway if the patient is really to be in both. Booking anyway is recorded with your name.</Typography>
                  <Button variant="outlined" color="warning" size="small" sx={{ mt: 1 }} onClick={() => void book(null, true)}>
                    Book anyway
                  </Button>
                </Alert>
              )}
              <Stack spacing={1} sx={{ mt: 2 }}>
                <ReferralCodeField
                  value={referralCode}
                  onChange={(v) => {
                    setReferralCode(v);
                    if (form.errors.referralCode) form.clear();
                  }}
                  consultationTypeId={type?.id ?? null}
                  patientId={chosenPatient?.id ?? null}
                  onChecked={setCodeAnswer}
                  error={form.field('referralCode').helperText}
                />
                {type && (
                  <PriceTable
                    locale={locale}
                    price={
                      codeCheck?.valid
                        ? { ...codeCheck.breakdown, referralCode: referralCode.trim().toUpperCase() }
                        : { baseMinor: type.priceMinor, discountMinor: 0, totalMinor: type.priceMinor, currency: type.currency, referralCode: null }
                    }
                  />
                )}
              </Stack>
              <Button type="submit" variant="contained" size="large" sx={{ mt: 2 }} disabled={!canBook} aria-busy={busy === 'booking'}>
                {busy === 'booking' ? 'Booking…' : 'Book appointment'}
              </Button>
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
                Alt+S: first free slot · Enter on a slot: hold it · Ctrl+Enter: book
              </Typography>
            </Paper>
          </Grid>
        </Grid>
      </form>
    </Box>
  );
}
