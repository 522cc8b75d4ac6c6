import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { AppointmentView } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { longDateWithDay } from '../../components/format.js';
import { useRead } from '../../api/queries.js';
import { AppointmentActions } from './appointment-actions.js';
import { PrintCardButton } from '../printing/print-route.js';
import { priceText, useClinicLocale } from './price-breakdown.js';
import { PaymentStatusChip } from '../payments/payment-status-chip.js';

type Filter = 'upcoming' | 'past' | 'cancelled' | 'all';

/** A patient's appointments with filters and "Load more" (keyset pages). */
export function AppointmentHistory({ patientId }: { patientId: string }) {
  const [filter, setFilter] = useState<Filter>('upcoming');
  const [more, setMore] = useState<{ items: AppointmentView[]; cursor: string | null } | null>(null);
  const first = useRead('appointment/history', { patientId, filter, limit: 10 });
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null);
  const locale = useClinicLocale();

  const loadMore = async () => {
    if (!cursor) return;
    const result = await call('appointment/history', { patientId, filter, limit: 10, cursor });
    if (result.ok) setMore({ items: [...(more?.items ?? []), ...result.data.items], cursor: result.data.nextCursor });
  };
  const changed = () => {
    setMore(null);
    first.reload();
  };

  return (
    <Box>
      <ToggleButtonGroup size="small" exclusive value={filter} onChange={(_e, v: Filter | null) => { if (v) { setFilter(v); setMore(null); } }} aria-label="Which appointments" sx={{ mb: 1 }}>
        <ToggleButton value="upcoming">Upcoming</ToggleButton>
        <ToggleButton value="past">Past</ToggleButton>
        <ToggleButton value="cancelled">Cancelled</ToggleButton>
        <ToggleButton value="all">All</ToggleButton>
      </ToggleButtonGroup>
      <ErrorBanner error={first.error} />
      {first.data && items.length === 0 && <Typography color="text.secondary">No {filter === 'all' ? '' : filter} appointments.</Typography>}
      <Stack spacing={1} role="list" aria-label="Appointments">
        {items.map((a) => (
          <Box key={a.id} role="listitem" sx={{ borderBottom: 1, borderColor: 'divider', pb: 1 }}>
            <Typography variant="body2">
              <b>
                {longDateWithDay(a.localDate, locale)} {a.localStart}
              </b>{' '}
              · {a.doctorName} · {a.consultationType} · {a.locationName} · <span aria-label="Price">{priceText(a.price, locale)}</span>{' '}
              <Chip size="small" variant="outlined" label={a.status.replace('_', '-')} /> <PaymentStatusChip status={a.paymentStatus} />
            </Typography>
            {a.status === 'cancelled' && (
              <Typography variant="caption" color="text.secondary">
                Cancelled by {a.cancelledByParty}: {a.cancelReason}
                {a.cancelledWithinPolicyWindow ? ' (inside the cancellation window)' : ''}
                {a.rescheduledToId ? ' — rescheduled' : ''}
              </Typography>
            )}
            <AppointmentActions appointment={a} onChanged={changed} />
            {a.status !== 'cancelled' && <PrintCardButton appointmentId={a.id} label={`${longDateWithDay(a.localDate, locale)} ${a.localStart}`} size="small" />}
          </Box>
        ))}
      </Stack>
      {cursor && (
        <Button size="small" onClick={() => void loadMore()} sx={{ mt: 1 }}>
          Load more
        </Button>
      )}
    </Box>
  );
}
