import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type RosterLocation } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { Advanced } from '../../components/advanced.js';
import { useAffectedConfirm } from './affected-dialog.js';
import { EntityTable } from './entity-table.js';
import type { RosterData } from './roster-types.js';

const ZONES = Intl.supportedValuesOf('timeZone');

/** Clinic locations: name, address, coordinates (for distances) and IANA time zone. */
export function LocationsTab({ roster, onChanged }: { roster: RosterData; onChanged: () => void }) {
  const [editing, setEditing] = useState<RosterLocation | null>(null);
  const [formKey, setFormKey] = useState(0);
  // A new location is in the clinic's time zone unless the admin says otherwise (not this computer's).
  const clinicZone = useClinicZone();
  const reset = () => {
    setEditing(null);
    setFormKey((k) => k + 1);
  };
  return (
    <>
      <EntityTable
        label="Locations"
        rows={roster.locations}
        empty="No locations yet. Add the clinic’s first location below: doctors’ hours and bookings need one."
        selectedId={editing?.id ?? null}
        onEdit={(l) => {
          setEditing(l);
          setFormKey((k) => k + 1);
        }}
        columns={[
          { title: 'Name', value: (l) => l.name },
          { title: 'Address', value: (l) => l.address || '—' },
          { title: 'Time zone', value: (l) => l.timeZone },
          { title: 'Status', value: (l) => (l.active ? 'Active' : 'Inactive') },
        ]}
      />
      {(editing || clinicZone) && <LocationForm key={formKey} location={editing} clinicZone={clinicZone ?? 'UTC'} onSaved={() => { reset(); onChanged(); }} onCancel={reset} />}
    </>
  );
}

const coordinate = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim().replace(',', '.')));

function LocationForm({
  location,
  clinicZone,
  onSaved,
  onCancel,
}: {
  location: RosterLocation | null;
  clinicZone: string;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState({
    name: location?.name ?? '',
    address: location?.address ?? '',
    latitude: location?.latitude?.toString() ?? '',
    longitude: location?.longitude?.toString() ?? '',
    timeZone: location?.timeZone ?? clinicZone,
  });
  const [active, setActive] = useState(location?.active ?? true);
  const [kept, setKept] = useState(0);
  const form = useFieldErrors();
  const confirm = useAffectedConfirm();
  const set = (key: keyof typeof draft) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.target.value });

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const latitude = coordinate(draft.latitude);
    const longitude = coordinate(draft.longitude);
    const local: Record<string, string[]> = {};
    if (Number.isNaN(latitude)) local.latitude = ['Enter the latitude as a number, such as 40.7128, or leave it empty.'];
    if (Number.isNaN(longitude)) local.longitude = ['Enter the longitude as a number, such as -74.006, or leave it empty.'];
    if (Object.keys(local).length > 0) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: local });
    const input = form.check(contract['roster/save-location'].input, {
      ...(location ? { id: location.id } : {}),
      name: draft.name,
      address: draft.address,
      latitude,
      longitude,
      timeZone: draft.timeZone.trim(),
      active,
    });
    if (!input) return;
    const result = await confirm.save((acknowledgeAffected) => call('roster/save-location', { ...input, acknowledgeAffected }));
    if (!result) return;
    if (!result.ok) return form.fromError(result.error);
    setKept(result.data.affected.length);
    onSaved();
  };

  return (
    <Paper sx={{ p: 2, maxWidth: 640 }}>
      <Typography variant="h6" component="h2">
        {location ? `Edit ${location.name}` : 'New location'}
      </Typography>
      <ErrorBanner error={form.banner} />
      {kept > 0 && <Alert severity="info">Saved; {kept} appointments stay booked outside the hours.</Alert>}
      <form onSubmit={save} noValidate aria-label={location ? 'Edit location' : 'New location'}>
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          <TextField label="Location name" value={draft.name} onChange={set('name')} {...form.field('name')} />
          <TextField label="Address" value={draft.address} onChange={set('address')} {...form.field('address')} />
          <Advanced open={!!(draft.latitude || draft.longitude || form.field('latitude').error || form.field('longitude').error)}>
            <Stack direction="row" spacing={1}>
              <TextField label="Latitude (optional)" value={draft.latitude} onChange={set('latitude')} {...form.field('latitude')} />
              <TextField label="Longitude (optional)" value={draft.longitude} onChange={set('longitude')} {...form.field('longitude')} />
            </Stack>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              The location’s map position, used to suggest the doctor nearest a patient’s home. Leave empty if you do not know it.
            </Typography>
          </Advanced>
          <TextField label="Time zone" value={draft.timeZone} onChange={set('timeZone')} slotProps={{ htmlInput: { list: 'roster-time-zones' } }} {...form.field('timeZone')} />
          <datalist id="roster-time-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <FormControlLabel control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />} label="Active" />
          {form.field('active').error && <Alert severity="error">{form.field('active').helperText}</Alert>}
          <Stack direction="row" spacing={1}>
            <Button type="submit" variant="contained">
              {location ? 'Save location' : 'Add location'}
            </Button>
            {location && <Button onClick={onCancel}>Cancel</Button>}
          </Stack>
        </Stack>
      </form>
      {confirm.dialog}
    </Paper>
  );
}
