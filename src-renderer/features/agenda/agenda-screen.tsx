import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AgendaItem } from '../../../src-main/contract/index.js';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { AppointmentActions } from '../booking/appointment-actions.js';
import { PaymentStatusChip } from '../payments/payment-status-chip.js';

const statusColor: Record<AgendaItem['status'], 'default' | 'primary' | 'success' | 'warning' | 'error' | 'info'> = {
  booked: 'primary',
  checked_in: 'info',
  completed: 'success',
  no_show: 'warning',
  cancelled: 'default',
};
const statusLabel: Record<AgendaItem['status'], string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

const shift = (date: string, days: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const longDate = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** Today's agenda for the whole clinic or one doctor. Keys: [ and ] move a day, t jumps to today. */
export function AgendaScreen() {
  const [date, setDate] = useState<string | undefined>(undefined);
  const [doctorId, setDoctorId] = useState('');
  const agenda = useRead('agenda/day', { date, doctorId: doctorId || undefined });
  const shown = agenda.data?.date;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, [role="combobox"]') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!shown) return;
      if (e.key === '[') setDate(shift(shown, -1));
      else if (e.key === ']') setDate(shift(shown, 1));
      else if (e.key === 't') setDate(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  return (
    <Box component="main">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Agenda{shown ? ` — ${longDate(shown)}` : ''}
        </Typography>
        <Button variant="contained" onClick={() => navigate('book')} title="Alt+B">
          Book
        </Button>
        <Button onClick={() => shown && setDate(shift(shown, -1))} aria-label="Previous day" title="Previous day ([)">
          ‹ Previous
        </Button>
        <Button onClick={() => setDate(undefined)} title="Today (t)">
          Today
        </Button>
        <Button onClick={() => shown && setDate(shift(shown, 1))} aria-label="Next day" title="Next day (])">
          Next ›
        </Button>
        <TextField
          type="date"
          label="Date"
          value={shown ?? ''}
          onChange={(e) => setDate(e.target.value || undefined)}
          sx={{ width: 170 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          select
          label="Doctor"
          value={doctorId}
          onChange={(e) => setDoctorId(e.target.value)}
          sx={{ width: 220 }}
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">All doctors</MenuItem>
          {agenda.data?.doctors.map((d) => (
            <MenuItem key={d.id} value={d.id}>
              {d.name}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ErrorBanner error={agenda.error} />
      <Paper>
        <Table size="small" aria-label="Appointments">
          <TableHead>
            <TableRow>
              <TableCell>Time</TableCell>
              <TableCell>Patient</TableCell>
              <TableCell>Doctor</TableCell>
              <TableCell>Consultation</TableCell>
              <TableCell>Location</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {agenda.data?.items.map((item) => (
              <TableRow key={item.id} hover>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {item.localStart}–{item.localEnd}
                </TableCell>
                <TableCell>
                  <Button size="small" onClick={() => navigate('patients', item.patientId)} sx={{ textTransform: 'none', p: 0, minWidth: 0 }}>
                    {item.patientName}
                  </Button>{' '}
                  <Typography component="span" variant="caption" color="text.secondary">
                    {item.patientNumber}
                  </Typography>
                </TableCell>
                <TableCell>{item.doctorName}</TableCell>
                <TableCell>{item.consultationType}</TableCell>
                <TableCell>{item.locationName}</TableCell>
                <TableCell>
                  <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
                    <Chip size="small" label={statusLabel[item.status]} color={statusColor[item.status]} variant="outlined" />
                    <PaymentStatusChip status={item.paymentStatus} />
                  </Stack>
                </TableCell>
                <TableCell>
                  <AppointmentActions appointment={item} onChanged={agenda.reload} />
                </TableCell>
              </TableRow>
            ))}
            {agenda.data && agenda.data.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>
                  <Typography color="text.secondary">No appointments on this day.</Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Paper>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
        Times in {agenda.data?.timeZone ?? 'the clinic’s time zone'}. Keys: [ previous day, ] next day, t today.
      </Typography>
    </Box>
  );
}
