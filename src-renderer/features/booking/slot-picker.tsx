import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { visuallyHidden } from '@mui/utils';
import type { AppError, SlotView } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useChangeCount } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { longDate, shortDate, slotTimeLabel } from '../../components/format.js';

export interface SlotSearch {
  consultationTypeId: string;
  doctorId?: string;
  specializationId?: string;
  locationId?: string;
  preferredDate?: string;
  preferredTime?: string;
}

/** How many days around the preferred date the picker searches (and says so when it finds nothing). */
const SEARCH_DAYS = 21;

interface Answer {
  /** The search this answer is for: an answer for another search is never shown as current. */
  key: string;
  slots: SlotView[] | null;
  error: AppError | null;
  horizon: { days: number; lastDate: string } | null;
}

/**
 * The nearest free slots around the preference, grouped by day; each slot is one button (Tab/Enter).
 * While the slots of a changed search load, the old ones are not shown: the group is busy and says
 * so (`onLoadingChange` tells the screen, which keeps Book disabled meanwhile). `pending` shows the
 * same loading state while the screen itself still settles the search (an assigned doctor loading).
 */
export function SlotPicker({
  search,
  selected,
  onPick,
  refreshKey = 0,
  showDoctor = true,
  pending = false,
  onLoadingChange,
  onPreferredDate,
}: {
  search: SlotSearch | null;
  selected: SlotView | null;
  onPick: (slot: SlotView) => void;
  refreshKey?: number;
  showDoctor?: boolean;
  pending?: boolean;
  onLoadingChange?: (loading: boolean) => void;
  /** Offered as "Show slots on …" when the preferred date lies beyond the booking horizon. */
  onPreferredDate?: (date: string) => void;
}) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const key = JSON.stringify(search);
  const changed = useChangeCount('booking/find-slots', search ?? {});

  useEffect(() => {
    if (!search || pending) return;
    let live = true;
    const timer = window.setTimeout(async () => {
      const result = await call('booking/find-slots', { ...search, limit: 24, days: SEARCH_DAYS });
      if (!live) return;
      if (result.ok) setAnswer({ key, slots: result.data.slots, error: null, horizon: result.data.horizon });
      else setAnswer((a) => ({ key, slots: a?.key === key ? a.slots : null, error: result.error, horizon: a?.horizon ?? null }));
    }, 100);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, refreshKey, changed, pending]);

  const loading = search !== null && (pending || answer?.key !== key);
  useEffect(() => {
    onLoadingChange?.(loading);
  }, [loading, onLoadingChange]);

  if (!search) return <Typography color="text.secondary">Choose a consultation type to see free slots.</Typography>;
  const current = loading ? null : answer;
  const slots = current?.slots ?? null;
  const days = new Map<string, SlotView[]>();
  for (const s of slots ?? []) days.set(s.localDate, [...(days.get(s.localDate) ?? []), s]);
  const horizon = answer?.horizon ?? null;
  const beyond = Boolean(horizon && search.preferredDate && search.preferredDate > horizon.lastDate);
  return (
    <Box role="group" aria-label="Free slots" aria-busy={loading}>
      <ErrorBanner error={current?.error ?? null} />
      {loading && (
        <Stack direction="row" spacing={1} role="status" sx={{ alignItems: 'center', py: 1 }}>
          <CircularProgress size={18} aria-hidden />
          <Typography color="text.secondary">Finding free slots…</Typography>
        </Stack>
      )}
      {!loading && beyond && horizon && (
        <Alert severity="info" sx={{ mb: 1 }}>
          The clinic books up to {horizon.days} days ahead: the last date open for booking is {longDate(horizon.lastDate)}.
          {onPreferredDate && (
            <Box sx={{ mt: 1 }}>
              <Button variant="outlined" color="inherit" size="small" onClick={() => onPreferredDate(horizon.lastDate)} sx={{ textTransform: 'none' }}>
                Show free slots up to {longDate(horizon.lastDate)}
              </Button>
            </Box>
          )}
        </Alert>
      )}
      {!loading && !beyond && slots && slots.length === 0 && (
        <Typography color="text.secondary">
          No free time within three weeks of {search.preferredDate ? longDate(search.preferredDate) : 'today'} for this choice. Try another doctor or a later date.
        </Typography>
      )}
      {[...days.entries()].map(([date, list]) => (
        <Box key={date} sx={{ mb: 1.5 }}>
          <Typography variant="subtitle2">{shortDate(date)}</Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
            {list.map((s) => {
              const isSelected = selected?.startAt === s.startAt && selected.doctorId === s.doctorId;
              const time = slotTimeLabel(s);
              return (
                <Button
                  key={`${s.doctorId}-${s.startAt}`}
                  size="small"
                  variant={isSelected ? 'contained' : 'outlined'}
                  onClick={() => onPick(s)}
                  aria-pressed={isSelected}
                  sx={{ textTransform: 'none' }}
                >
                  {/* One inline span: the button is a flex box, which would trim the spaces between parts. */}
                  <span>
                    <Box component="span" sx={visuallyHidden}>{`${shortDate(s.localDate)} `}</Box>
                    {time}
                    {showDoctor ? <span aria-hidden="true">{' · '}</span> : null}
                    <Box component="span" sx={visuallyHidden}>{' with '}</Box>
                    {showDoctor ? s.doctorName : <Box component="span" sx={visuallyHidden}>{s.doctorName}</Box>}
                    <Box component="span" sx={visuallyHidden}>{` at ${s.locationName}`}</Box>
                  </span>
                </Button>
              );
            })}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
