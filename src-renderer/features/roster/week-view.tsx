import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha, type Theme } from '@mui/material/styles';
import type { WeekDay } from '../../../src-main/contract/index.js';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { addDays, shortDate, span } from './roster-format.js';

/** A doctor's week, Monday to Sunday: working hours, time off and bookings, in each location's wall time. */
export function WeekView({ doctorId }: { doctorId: string; version?: number }) {
  const [weekOf, setWeekOf] = useState<string | undefined>(undefined);
  const week = useRead('roster/doctor-week', { doctorId, weekOf });
  const start = week.data?.weekStart;
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Button size="small" disabled={!start} onClick={() => start && setWeekOf(addDays(start, -7))}>
          ← Previous week
        </Button>
        <Button size="small" onClick={() => setWeekOf(undefined)}>
          This week
        </Button>
        <Button size="small" disabled={!start} onClick={() => start && setWeekOf(addDays(start, 7))}>
          Next week →
        </Button>
        <Typography variant="body2" sx={{ ml: 1 }} aria-live="polite">
          {start ? `Week of ${shortDate(start)}` : ''}
        </Typography>
      </Stack>
      <ErrorBanner error={week.error} />
      <Box role="list" aria-label="Week" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(7, minmax(0, 1fr))' }, gap: 1 }}>
        {week.data?.days.map((d) => <DayColumn key={d.date} day={d} />)}
      </Box>
    </Box>
  );
}

function DayColumn({ day }: { day: WeekDay }) {
  const off = day.timeOff.length > 0;
  // All-day time off (everywhere, or at that location): the hours stay visible but crossed out.
  const allDayOff = day.timeOff.filter((t) => t.startMinute === 0 && t.endMinute === 1440);
  const isOff = (locationName: string) => allDayOff.some((t) => t.locationName === null || t.locationName === locationName);
  return (
    <Box role="listitem" aria-label={shortDate(day.date)} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1, minHeight: 120 }}>
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {shortDate(day.date)}
      </Typography>
      <Box>
        {day.hours.length === 0 && !off && <Block tone="none">Not working</Block>}
        {day.hours.map((h, i) => (
          <Block key={`h${i}`} tone={h.source === 'extra' ? 'extra' : 'hours'} struck={isOff(h.locationName)}>
            {span(h.startMinute, h.endMinute)} {h.source === 'extra' ? 'extra hours ' : ''}· {h.locationName}
            {isOff(h.locationName) && (
              <Box component="span" sx={{ display: 'inline-block', ml: 0.5, fontStyle: 'italic' }}>
                — not working: time off
              </Box>
            )}
          </Block>
        ))}
        {day.timeOff.map((t) => (
          <Block key={t.id} tone="off">
            Time off {t.startMinute === 0 && t.endMinute === 1440 ? 'all day' : span(t.startMinute, t.endMinute)}
            {t.reason ? ` · ${t.reason}` : ''}
            {t.locationName ? ` (${t.locationName})` : ''}
          </Block>
        ))}
        {day.bookings.map((b) => (
          <Block key={b.id} tone="booking">
            {b.localStart}–{b.localEnd} {b.patientName}
            {b.status !== 'booked' ? ` (${b.status.replace('_', ' ')})` : ''}
          </Block>
        ))}
      </Box>
    </Box>
  );
}

const tint = (color: 'success' | 'info' | 'primary') => ({
  bgcolor: (t: Theme) => alpha(t.palette[color].main, 0.1),
  borderColor: `${color}.main`,
});
const tones = {
  hours: tint('success'),
  extra: tint('info'),
  off: { bgcolor: 'grey.200', borderColor: 'grey.600' },
  booking: tint('primary'),
  none: { bgcolor: 'transparent', borderColor: 'transparent' },
};

function Block({ tone, struck = false, children }: { tone: keyof typeof tones; struck?: boolean; children: React.ReactNode }) {
  return (
    <Typography
      variant="caption"
      component="div"
      sx={{
        ...tones[tone],
        borderLeft: 3,
        px: 0.5,
        mb: 0.5,
        color: tone === 'none' || struck ? 'text.secondary' : 'text.primary',
        ...(struck ? { textDecorationLine: 'line-through', bgcolor: 'transparent', borderColor: 'grey.400' } : {}),
      }}
    >
      {children}
    </Typography>
  );
}
