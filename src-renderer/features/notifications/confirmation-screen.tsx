import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import GlobalStyles from '@mui/material/GlobalStyles';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AppError } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { languageName } from '../../components/pickers.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { shortDate } from '../../components/format.js';
import { navigate } from '../../app/router.js';
import { channelLabel, describe, statusColor, when } from './message-format.js';
import { PriceTable, useClinicLocale } from '../booking/price-breakdown.js';
import { BookedPayment } from '../payments/booked-payment.js';
import { PrintCardButton } from '../printing/print-route.js';

const heading = { booked: 'Booked', checked_in: 'Checked in', completed: 'Completed', no_show: 'No-show', cancelled: 'Cancelled' } as const;

/**
 * After booking, rescheduling or cancelling: the appointment, its price, and what the patient
 * was sent by which channel — or why not. Prints as one page with the clinic's name and contact.
 */
export function ConfirmationScreen({ appointmentId }: { appointmentId: string }) {
  const data = useRead('notifications/confirmation', { appointmentId });
  const locale = useClinicLocale();
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const resend = async () => {
    setError(null);
    setNotice(null);
    const result = await call('notifications/resend', { appointmentId });
    if (!result.ok) setError(result.error);
    else setNotice(`Sending again: ${result.data.messages.map((m) => channelLabel[m.channel]).join(' and ')}.`);
  };
  const d = data.data;
  const a = d?.appointment;
  const moved = a?.status === 'cancelled' && a.rescheduledToId;
  const notices = d?.messages.filter((m) => m.kind !== 'reminder') ?? [];
  const patientId = a?.patientId ?? null;
  // After "Booked", Alt+B books another appointment for the same patient (elsewhere it opens booking).
  useBookAnotherKey(a?.status === 'booked' ? patientId : null);
  const reminders = d?.messages.filter((m) => m.kind === 'reminder') ?? [];
  return (
    <Box component="main">
      <GlobalStyles styles={{ '@media print': { 'header, nav, .no-print': { display: 'none !important' }, body: { background: '#fff' }, '.print-page': { boxShadow: 'none !important', border: 'none !important' } } }} />
      <ErrorBanner error={data.error ?? error} />
      {notice && (
        <Alert severity="success" className="no-print" sx={{ mb: 1 }}>
          {notice}
        </Alert>
      )}
      {a && d && (
        <Paper className="print-page" sx={{ p: 3, maxWidth: 760 }} role="region" aria-label="Confirmation">
          <Typography variant="overline" component="div">
            {d.clinic.name}
            {d.clinic.address && ` · ${d.clinic.address}`}
            {d.clinic.phone && ` · ${d.clinic.phone}`}
          </Typography>
          <Typography variant="h5" component="h1" gutterBottom>
            {heading[a.status]}: {a.patientName}
          </Typography>
          {moved && (
            <Alert severity="info" className="no-print" sx={{ mb: 1 }} action={<Button onClick={() => navigate('confirmation', a.rescheduledToId!)}>New time</Button>}>
              This appointment was moved to a new time.
            </Alert>
          )}
          <Table size="small" aria-label="Appointment">
            <TableBody>
              <Row label="When">
                {shortDate(a.localDate)} {a.localStart}–{a.localEnd} ({a.timeZone})
              </Row>
              <Row label="Doctor">{a.doctorName}</Row>
              <Row label="Where">
                {a.locationName}
                {d.locationAddress && `, ${d.locationAddress}`}
              </Row>
              <Row label="Consultation">{a.consultationType}</Row>
              {(a.requirements.interpreterLanguage || a.requirements.accessibility.length > 0 || a.requirements.notes) && (
                <Row label="Requirements">
                  {[
                    a.requirements.interpreterLanguage && `Interpreter: ${languageName(a.requirements.interpreterLanguage)}`,
                    a.requirements.accessibility.length > 0 && `Access: ${a.requirements.accessibility.join(', ')}`,
                    a.requirements.notes,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Row>
              )}
              <Row label="Price">
                <PriceTable price={a.price} locale={locale} label="Booked price" />
              </Row>
              <Row label="Payment">
                <span data-testid="payment-status">
                  <BookedPayment appointment={a} />
                </span>
              </Row>
              <Row label="Patient number">{a.patientNumber}</Row>
            </TableBody>
          </Table>
          <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
            Sent to the patient
          </Typography>
          {notices.length === 0 && (
            <Typography color="text.secondary" aria-live="polite">
              {a.status === 'booked' || a.status === 'cancelled' ? 'Preparing the messages…' : 'No message for this change.'}
            </Typography>
          )}
          <Stack spacing={0.5} role="status" aria-label="Messages sent" aria-live="polite">
            {notices.map((m) => (
              <Stack key={m.id} direction="row" spacing={1} useFlexGap sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                <Chip size="small" color={statusColor[m.status]} label={m.status} />
                <Typography>
                  <strong>{channelLabel[m.channel]}</strong> · {describe(m)}
                  {m.recipient && ` to ${m.recipient}`}
                  {m.status === 'sent' && ` · ${when(m.sentAt, a.timeZone)}`}
                </Typography>
                {m.reason && m.status !== 'sent' && (
                  <Typography variant="body2" color={m.status === 'failed' ? 'error' : 'text.secondary'}>
                    {m.reason}
                  </Typography>
                )}
              </Stack>
            ))}
          </Stack>
          {reminders.length > 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              Reminders: {reminders.map((m) => `${channelLabel[m.channel]} ${describe(m).replace('Reminder ', '')} (${m.status})`).join(', ')}.
            </Typography>
          )}
          <Stack direction="row" spacing={1} className="no-print" sx={{ mt: 2 }}>
            <Button variant="contained" onClick={() => window.print()}>
              Print
            </Button>
            <PrintCardButton appointmentId={a.id} variant="outlined" />
            <Button variant="outlined" onClick={() => void resend()} disabled={notices.length === 0}>
              Send again
            </Button>
            <Button onClick={() => navigate('patients', a.patientId)}>Open patient</Button>
            <Button onClick={() => navigate('agenda')}>Agenda</Button>
          </Stack>
          {a.status === 'booked' && (
            <Stack direction="row" spacing={1} useFlexGap className="no-print" sx={{ mt: 1, flexWrap: 'wrap', alignItems: 'center' }} aria-label="Book another">
              <Button variant="outlined" onClick={() => navigate('book', a.patientId)} title="Alt+B">
                Book another for {a.patientName}
              </Button>
              <Button variant="outlined" onClick={() => navigate('book')}>
                Book for another patient
              </Button>
              <Typography variant="caption" color="text.secondary">
                Alt+B: book another for {a.patientName}
              </Typography>
            </Stack>
          )}
        </Paper>
      )}
    </Box>
  );
}

/**
 * Alt+B on the confirmation of a booking: book again for that patient. Runs before the app's own
 * Alt+B (capture phase), which would open booking without the patient.
 */
function useBookAnotherKey(patientId: string | null) {
  useEffect(() => {
    if (!patientId) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.key.toLowerCase() !== 'b') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      navigate('book', patientId);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [patientId]);
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={{ width: 160, fontWeight: 600 }}>
        {label}
      </TableCell>
      <TableCell>{children}</TableCell>
    </TableRow>
  );
}
