import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import { FilterSelect } from '../../components/pickers.js';
import Typography from '@mui/material/Typography';
import type { AgendaItem } from '../../../src-main/contract/index.js';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { AppointmentActions } from '../booking/appointment-actions.js';
import { PaymentStatusChip } from '../payments/payment-status-chip.js';
import { PrintDaySheetButton } from '../printing/print-route.js';
import { useClinicMoney } from '../payments/clinic-money.js';
import { agendaStatuses, filtersHash, readFilters, shownBy, type AgendaFilters, type AgendaStatus } from './agenda-filters.js';

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
  const [filters, setFilters] = useState<AgendaFilters>(() => readFilters(window.location.hash));
  const { date, doctorId, locationId } = filters;
  const update = (patch: Partial<AgendaFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const setDate = (d: string | undefined) => update({ date: d });
  // The filters live in the address, so a reload (or a copied link) keeps them.
  useEffect(() => {
    const now = window.location.hash;
    const onAgenda = now === '' || now === '#' || now === '#/' || now === '#/agenda' || now.startsWith('#/agenda/');
    const hash = filtersHash(filters);
    if (onAgenda && now !== hash && !(hash === '#/agenda' && !now.startsWith('#/agenda'))) window.history.replaceState(null, '', hash);
  }, [filters]);
  const agenda = useRead('agenda/day', { date, doctorId: doctorId || undefined, locationId: locationId || undefined, includeCancelled: true });
  const money = useClinicMoney();
  const shown = agenda.data?.date;
  const items = agenda.data?.items.filter(shownBy(filters)) ?? [];
  const counts = agenda.data?.counts;
  const toggleStatus = (s: AgendaStatus) =>
    update({ statuses: filters.statuses.includes(s) ? filters.statuses.filter((x) => x !== s) : agendaStatuses.filter((x) => x === s || filters.statuses.includes(x)) });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, [role="combobox"], [role="menu"]') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!shown) return;
      const go = (d: string | undefined) => setFilters((f) => ({ ...f, date: d }));
      if (e.key === '[') go(shift(shown, -1));
      else if (e.key === ']') go(shift(shown, 1));
      else if (e.key === 't') go(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  return (
    <Box component="main">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', mb: 1.5, flexWrap: 'wrap', rowGap: 1 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1, minWidth: 260 }}>
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
        <Button onClick={() => shown && setDate(shift(shown, 1))} aria-label="Next: next day" title="Next day (])">
          Next ›
        </Button>
        <PrintDaySheetButton date={shown} doctorId={doctorId} />
        <TextField
          type="date"
          label="Date"
          size="small"
          value={shown ?? ''}
          onChange={(e) => setDate(e.target.value || undefined)}
          sx={{ width: 160 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap component="section" aria-label="Filters" sx={{ alignItems: 'center', mb: 1.5, flexWrap: 'wrap', rowGap: 1 }}>
        <FilterSelect label="Doctor" allLabel="All doctors" value={doctorId} options={agenda.data?.doctors} onChange={(id) => update({ doctorId: id })} width={200} />
        <FilterSelect label="Location" allLabel="All locations" value={locationId} options={agenda.data?.locations} onChange={(id) => update({ locationId: id })} width={180} />
        <Box role="group" aria-label="Status" sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
          {agendaStatuses.map((s) => {
            const on = filters.statuses.includes(s);
            return (
              <Chip
                key={s}
                component="button"
                label={`${statusLabel[s]} ${counts?.[s] ?? 0}`}
                aria-pressed={on}
                aria-label={`${statusLabel[s]}: ${counts?.[s] ?? 0}${on ? ', shown' : ''}`}
                onClick={() => toggleStatus(s)}
                color={on ? statusColor[s] : 'default'}
                variant={on ? 'filled' : 'outlined'}
                size="small"
                sx={{ cursor: 'pointer' }}
              />
            );
          })}
          {filters.statuses.length > 0 && (
            <Button size="small" onClick={() => update({ statuses: [] })}>
              All statuses
            </Button>
          )}
        </Box>
        <FormControlLabel
          control={<Switch size="small" checked={filters.hideCancelled} onChange={(e) => update({ hideCancelled: e.target.checked })} disabled={filters.statuses.length > 0} />}
          label="Hide cancelled"
          sx={{ ml: 0.5, mr: 0 }}
        />
      </Stack>
      <ErrorBanner error={agenda.error} />
      <Paper>
        <Table size="small" aria-label="Appointments" sx={{ '& td, & th': { px: 1 } }}>
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
            {items.map((item) => {
              const cancelled = item.status === 'cancelled';
              const struck = cancelled ? { textDecoration: 'line-through', color: 'text.secondary' } : undefined;
              return (
                <TableRow key={item.id} hover data-status={item.status} aria-label={cancelled ? `Cancelled: ${item.patientName} ${item.localStart}` : undefined}>
                  <TableCell sx={{ whiteSpace: 'nowrap', ...struck }}>
                    {item.localStart}–{item.localEnd}
                  </TableCell>
                  <TableCell sx={struck}>
                    <Button size="small" onClick={() => navigate('patients', item.patientId)} sx={{ textTransform: 'none', p: 0, minWidth: 0, textAlign: 'left', textDecoration: 'inherit' }}>
                      {item.patientName}
                    </Button>{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      {item.patientNumber}
                    </Typography>
                  </TableCell>
                  <TableCell sx={struck}>{item.doctorName}</TableCell>
                  <TableCell sx={struck}>{item.consultationType}</TableCell>
                  <TableCell sx={struck}>{item.locationName}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
                      <Chip size="small" label={statusLabel[item.status]} color={statusColor[item.status]} variant="outlined" />
                      <PaymentStatusChip status={item.paymentStatus} />
                    </Stack>
                    {cancelled && item.cancelReason && (
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', maxWidth: 180, overflowWrap: 'anywhere' }}>
                        {item.cancelReason}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <AppointmentActions appointment={item} onChanged={agenda.reload} />
                  </TableCell>
                </TableRow>
              );
            })}
            {agenda.data && items.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>
                  <Typography color="text.secondary">{agenda.data.items.length === 0 && !doctorId && !locationId ? 'No appointments on this day.' : 'No appointments match these filters.'}</Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Paper>
      {agenda.data && (
        <Typography variant="body2" sx={{ mt: 1 }} aria-label="Day totals">
          {agenda.data.items.length - (counts?.cancelled ?? 0)} appointment{agenda.data.items.length - (counts?.cancelled ?? 0) === 1 ? '' : 's'}
          {counts?.cancelled ? `, ${counts.cancelled} cancelled` : ''}
          {money && agenda.data.expected.length > 0 && <> · Expected today: {agenda.data.expected.map((m) => money.fmt(m.minor, m.currency)).join(' + ')}</>}
        </Typography>
      )}
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.5 }}>
        Times in {agenda.data?.timeZone ?? 'the clinic’s time zone'}. Keys: [ previous day, ] next day, t today; Alt+Z undoes the last check-in, no-show or cancellation.
      </Typography>
    </Box>
  );
}
