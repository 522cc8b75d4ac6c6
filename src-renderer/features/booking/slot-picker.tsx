import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { visuallyHidden } from '@mui/utils';
import type { AppError, SlotView } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useChangeCount } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { shortDate, slotTimeLabel } from '../../components/format.js';

export interface SlotSearch {
  consultationTypeId: string;
  doctorId?: string;
  specializationId?: string;
  locationId?: string;
  preferredDate?: string;
  preferredTime?: string;
}

/** The nearest free slots around the preference, grouped by day; each slot is one button (Tab/Enter). */
export function SlotPicker({
  search,
  selected,
  onPick,
  refreshKey = 0,
  showDoctor = true,
}: {
  search: SlotSearch | null;
  selected: SlotView | null;
  onPick: (slot: SlotView) => void;
  refreshKey?: number;
  showDoctor?: boolean;
}) {
  const [slots, setSlots] = useState<SlotView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const key = JSON.stringify(search);
  const changed = useChangeCount('booking/find-slots', search ?? {});

  useEffect(() => {
    if (!search) return;
    let live = true;
    const timer = window.setTimeout(async () => {
      const result = await call('booking/find-slots', { ...search, limit: 24, days: 21 });
      if (!live) return;
      if (result.ok) {
        setSlots(result.data.slots);
        setError(null);
      } else setError(result.error);
    }, 100);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, refreshKey, changed]);

  if (!search) return <Typography color="text.secondary">Choose a consultation type to see free slots.</Typography>;
  const days = new Map<string, SlotView[]>();
  for (const s of slots ?? []) days.set(s.localDate, [...(days.get(s.localDate) ?? []), s]);
  return (
    <Box role="group" aria-label="Free slots">
      <ErrorBanner error={error} />
      {slots && slots.length === 0 && <Typography color="text.secondary">No free slot in the next three weeks for this choice.</Typography>}
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
