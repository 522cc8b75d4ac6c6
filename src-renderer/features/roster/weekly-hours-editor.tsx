import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type RosterLocation } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useAffectedConfirm } from './affected-dialog.js';
import { endAfter, formatMinutes, parseMinutes, weekdayNames } from './roster-format.js';
import { withNextDay } from './exceptions-editor.js';

interface Row {
  key: number;
  weekday: number;
  locationId: string;
  start: string;
  end: string;
}

let nextKey = 1;

/**
 * Weekly hours per weekday, several intervals a day, each at a location. Rows keep their
 * index in the list sent to the server, so its errors ('hours.3.endMinute') land on them.
 * Night hours are one row: an end before the start (22:00–02:00) is the next morning.
 */
export function WeeklyHoursEditor({
  doctorId,
  initial,
  locations,
  onSaved,
}: {
  doctorId: string;
  initial: Array<{ locationId: string; weekday: number; startMinute: number; endMinute: number }>;
  locations: RosterLocation[];
  onSaved: () => void;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    initial.map((h) => ({ key: nextKey++, weekday: h.weekday, locationId: h.locationId, start: formatMinutes(h.startMinute), end: formatMinutes(h.endMinute) })),
  );
  const [saved, setSaved] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const form = useFieldErrors();
  const confirm = useAffectedConfirm();
  const active = locations.filter((l) => l.active);

  const update = (key: number, patch: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = (weekday: number) => {
    const last = [...rows].reverse().find((r) => r.weekday === weekday) ?? rows[rows.length - 1];
    setRows([...rows, { key: nextKey++, weekday, locationId: last?.locationId ?? active[0]?.id ?? '', start: last && last.weekday === weekday ? last.end : '09:00', end: '' }]);
  };

  // Monday's intervals replace Tuesday to Friday's (weekends are kept); nothing is saved until Save.
  const mondayRows = rows.filter((r) => r.weekday === 1);
  const copyMonday = () => {
    form.clear();
    setSaved(null);
    const copies = [2, 3, 4, 5].flatMap((weekday) => mondayRows.map((r) => ({ ...r, key: nextKey++, weekday })));
    setRows([...rows.filter((r) => r.weekday === 1 || r.weekday > 5), ...copies].sort((a, b) => a.weekday - b.weekday));
    setCopied(true);
  };

  const save = async () => {
    setSaved(null);
    setCopied(false);
    const local: Record<string, string[]> = {};
    const hours = rows.map((r, i) => {
      const startMinute = parseMinutes(r.start);
      const typedEnd = parseMinutes(r.end);
      // Night hours as one interval: an end before the start is the next morning (22:00–02:00).
      const endMinute = typedEnd === null || startMinute === null ? typedEnd : endAfter(startMinute, typedEnd);
      if (r.start.trim() && startMinute === null) local[`hours.${i}.startMinute`] = ['Enter a time as HH:MM.'];
      if (r.end.trim() && typedEnd === null) local[`hours.${i}.endMinute`] = ['Enter a time as HH:MM.'];
      return { locationId: r.locationId, weekday: r.weekday, startMinute: startMinute ?? undefined, endMinute: endMinute ?? undefined };
    });
    if (Object.keys(local).length > 0) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: local });
    const input = form.check(contract['roster/set-weekly-hours'].input, { doctorId, hours });
    if (!input) return;
    const result = await confirm.save((acknowledgeAffected) => call('roster/set-weekly-hours', { ...input, acknowledgeAffected }));
    if (!result) return;
    if (!result.ok) return form.fromError(result.error);
    const kept = result.data.affected.length;
    setSaved(kept > 0 ? `Weekly hours saved. ${kept} appointment${kept === 1 ? '' : 's'} stay booked outside them.` : 'Weekly hours saved.');
    onSaved();
  };

  return (
    <Box component="form" aria-label="Weekly hours" noValidate onSubmit={(e: React.FormEvent) => { e.preventDefault(); void save(); }}>
      <ErrorBanner error={form.banner} />
      {saved && <Alert severity="success" sx={{ mb: 1 }}>{saved}</Alert>}
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }}>
        <Button size="small" variant="outlined" onClick={copyMonday} disabled={mondayRows.length === 0}>
          Copy Monday to all weekdays
        </Button>
        <Typography variant="caption" color="text.secondary" aria-live="polite">
          {copied ? 'Monday’s hours are copied to Tuesday–Friday: save to keep them.' : 'Tuesday to Friday get Monday’s hours; weekends stay as they are.'}
        </Typography>
      </Stack>
      {active.length === 0 && (
        <Alert severity="info" sx={{ mb: 1 }}>
          Hours are kept per location, and the clinic has no active location yet: add one on the Locations tab first.
        </Alert>
      )}
      {weekdayNames.map((dayName, d) => {
        const weekday = d + 1;
        const day = rows.map((r, index) => ({ r, index })).filter(({ r }) => r.weekday === weekday);
        return (
          <Box key={dayName} component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 1.5 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Typography component="legend" variant="body2" sx={{ fontWeight: 600, width: 100 }}>
                {dayName}
              </Typography>
              {day.length === 0 && <Typography variant="body2" color="text.secondary">Not working</Typography>}
              <Button size="small" onClick={() => add(weekday)} aria-label={`Add hours on ${dayName}`}>
                + Hours
              </Button>
            </Stack>
            {day.map(({ r, index }, n) => {
              // Overlap messages name both intervals in full: shown under the whole row, not squeezed under "From".
              const overlap = form.errors[`hours.${index}.startMinute`]?.join(' ');
              return (
              <Box key={r.key}>
              <Stack direction="row" spacing={1} sx={{ mt: 1, ml: { sm: 12 }, alignItems: 'flex-start' }}>
                <TextField select size="small" label={`${dayName} location ${n + 1}`} value={r.locationId} onChange={(e) => update(r.key, { locationId: e.target.value })} sx={{ minWidth: 180 }} {...form.field(`hours.${index}.locationId`)}>
                  {locations.filter((l) => l.active || l.id === r.locationId).map((l) => (
                    <MenuItem key={l.id} value={l.id}>{l.name}</MenuItem>
                  ))}
                </TextField>
                <TextField size="small" label="From" placeholder="09:00" value={r.start} onChange={(e) => update(r.key, { start: e.target.value })} sx={{ width: 96, flexShrink: 0 }} slotProps={{ htmlInput: { 'aria-label': `${dayName} from ${n + 1}`, ...(overlap ? { 'aria-describedby': `hours-${r.key}-overlap` } : {}) } }} {...(overlap ? { error: true } : form.field(`hours.${index}.startMinute`))} />
                <TextField size="small" label="To" placeholder="17:00" value={r.end} onChange={(e) => update(r.key, { end: e.target.value })} sx={{ width: 96, flexShrink: 0 }} slotProps={{ htmlInput: { 'aria-label': `${dayName} to ${n + 1}` } }} {...withNextDay(r.start, r.end, form.field(`hours.${index}.endMinute`))} />
                <IconButton aria-label={`Remove ${dayName} hours ${n + 1}`} onClick={() => { form.clear(); setRows(rows.filter((x) => x.key !== r.key)); }}>
                  ×
                </IconButton>
              </Stack>
              {overlap && (
                <Typography id={`hours-${r.key}-overlap`} variant="caption" color="error" sx={{ display: 'block', ml: { sm: 12 }, mt: 0.5, maxWidth: 720 }}>
                  {overlap}
                </Typography>
              )}
              </Box>
              );
            })}
          </Box>
        );
      })}
      <Button type="submit" variant="contained">
        Save weekly hours
      </Button>
      {confirm.dialog}
    </Box>
  );
}
