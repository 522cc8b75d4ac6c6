import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type RosterException, type RosterLocation } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useAffectedConfirm } from './affected-dialog.js';
import { endAfter, parseMinutes, shortDate, span } from './roster-format.js';

type Kind = 'time_off' | 'extra_hours';

/** Field props of a "To" time, saying "next day" when the end is before the start (night hours) and there is no error. */
export function withNextDay(start: string, end: string, field: { error: boolean; helperText?: React.ReactNode }) {
  const s = parseMinutes(start);
  const e = parseMinutes(end);
  return !field.error && s !== null && e !== null && e < s ? { ...field, helperText: <span style={{ whiteSpace: 'nowrap' }}>next day</span> } : field;
}
const kindLabel: Record<Kind, string> = { time_off: 'Time off', extra_hours: 'Extra hours' };
const blank = { kind: 'time_off' as Kind, date: '', dateTo: '', allDay: true, start: '09:00', end: '17:00', locationId: '', reason: '' };

/** Dated exceptions from today on: a list with Remove, and a form to add time off (a day or a range) or extra hours. */
export function ExceptionsEditor({
  doctorId,
  exceptions,
  locations,
  onSaved,
}: {
  doctorId: string;
  exceptions: RosterException[];
  locations: RosterLocation[];
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState(blank);
  const [note, setNote] = useState<string | null>(null);
  const form = useFieldErrors();
  const confirm = useAffectedConfirm();
  const place = new Map(locations.map((l) => [l.id, l.name]));
  const allDay = draft.kind === 'time_off' && draft.allDay;

  const done = (kept: number, what: string) => {
    setNote(kept > 0 ? `${what} ${kept} appointment${kept === 1 ? '' : 's'} stay booked; contact the patients to rebook.` : what);
    onSaved();
  };

  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    setNote(null);
    const startMinute = allDay ? 0 : parseMinutes(draft.start);
    const typedEnd = allDay ? 1440 : parseMinutes(draft.end);
    // An end before the start is the next morning (night hours: 22:00–02:00).
    const endMinute = typedEnd === null || startMinute === null ? typedEnd : endAfter(startMinute, typedEnd);
    const local: Record<string, string[]> = {};
    if (startMinute === null) local.startMinute = ['Enter a time as HH:MM.'];
    if (endMinute === null) local.endMinute = ['Enter a time as HH:MM.'];
    if (Object.keys(local).length > 0) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: local });
    const input = form.check(contract['roster/add-exception'].input, {
      doctorId,
      kind: draft.kind,
      date: draft.date,
      ...(draft.dateTo ? { dateTo: draft.dateTo } : {}),
      startMinute,
      endMinute,
      locationId: draft.locationId || null,
      reason: draft.reason,
    });
    if (!input) return;
    const result = await confirm.save((acknowledgeAffected) => call('roster/add-exception', { ...input, acknowledgeAffected }));
    if (!result) return;
    if (!result.ok) return form.fromError(result.error);
    setDraft({ ...blank, kind: draft.kind });
    done(result.data.affected.length, `${kindLabel[draft.kind]} added.`);
  };

  const remove = async (e: RosterException) => {
    setNote(null);
    const result = await confirm.save((acknowledgeAffected) => call('roster/remove-exception', { exceptionId: e.id, acknowledgeAffected }));
    if (!result) return;
    if (!result.ok) return form.setBanner(result.error);
    done(result.data.affected.length, `${kindLabel[e.kind]} removed.`);
  };

  const set = (key: keyof typeof blank) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.target.value });
  return (
    <>
      <ErrorBanner error={form.banner} />
      {note && <Alert severity="success" sx={{ mb: 1 }}>{note}</Alert>}
      {exceptions.length === 0 ? (
        <Typography variant="body2" color="text.secondary">None from today on.</Typography>
      ) : (
        <Table size="small" aria-label="Time off and extra hours">
          <TableBody>
            {exceptions.map((e) => (
              <TableRow key={e.id}>
                <TableCell>{shortDate(e.date)}</TableCell>
                <TableCell>{kindLabel[e.kind]}</TableCell>
                <TableCell>{e.startMinute === 0 && e.endMinute === 1440 ? 'all day' : span(e.startMinute, e.endMinute)}</TableCell>
                <TableCell>{e.locationId ? place.get(e.locationId) : 'all locations'}</TableCell>
                <TableCell>{e.reason}</TableCell>
                <TableCell padding="none">
                  <IconButton aria-label={`Remove ${kindLabel[e.kind].toLowerCase()} on ${e.date}`} onClick={() => void remove(e)}>
                    ×
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form onSubmit={add} noValidate aria-label="Add time off or extra hours">
        <Box sx={{ mt: 2, display: 'grid', gap: 1, alignItems: 'start', gridTemplateColumns: { xs: '1fr', sm: 'repeat(3, minmax(0, 1fr))' } }}>
          <TextField select size="small" label="Kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind, allDay: e.target.value === 'time_off' })}>
            <MenuItem value="time_off">Time off</MenuItem>
            <MenuItem value="extra_hours">Extra hours</MenuItem>
          </TextField>
          <TextField size="small" type="date" label="Date" value={draft.date} onChange={set('date')} slotProps={{ inputLabel: { shrink: true } }} {...form.field('date')} />
          <TextField size="small" type="date" label="Until (optional)" value={draft.dateTo} onChange={set('dateTo')} slotProps={{ inputLabel: { shrink: true } }} {...form.field('dateTo')} />
          {draft.kind === 'time_off' && (
            <FormControlLabel control={<Checkbox checked={draft.allDay} onChange={(e) => setDraft({ ...draft, allDay: e.target.checked })} />} label="All day" />
          )}
          {!allDay && (
            <>
              <TextField size="small" label="From" value={draft.start} onChange={set('start')} {...form.field('startMinute')} />
              <TextField size="small" label="To" value={draft.end} onChange={set('end')} {...withNextDay(draft.start, draft.end, form.field('endMinute'))} />
            </>
          )}
          <TextField select size="small" label="Location" value={draft.locationId} onChange={set('locationId')} slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }} {...form.field('locationId')}>
            {draft.kind === 'time_off' && <MenuItem value="">All locations (clinic time)</MenuItem>}
            {locations.filter((l) => l.active).map((l) => (
              <MenuItem key={l.id} value={l.id}>{l.name}</MenuItem>
            ))}
          </TextField>
          <TextField size="small" label="Reason" value={draft.reason} onChange={set('reason')} {...form.field('reason')} />
          <Button type="submit" variant="outlined" sx={{ alignSelf: 'center' }}>
            Add {kindLabel[draft.kind].toLowerCase()}
          </Button>
        </Box>
      </form>
      {confirm.dialog}
    </>
  );
}
