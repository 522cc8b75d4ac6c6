import { useState } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { contract, type RosterDoctor, type RosterSpecialization } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useAffectedConfirm } from './affected-dialog.js';

const blank = { title: 'Dr', givenName: '', familyName: '', email: '', phone: '', slotMinutes: '15', bufferMinutes: '0' };

/** A doctor's details: names, contact, specializations, slot length and buffer, active. */
export function DoctorForm({
  doctor,
  specializations,
  onSaved,
}: {
  doctor: RosterDoctor | null;
  specializations: RosterSpecialization[];
  onSaved: (id: string) => void;
}) {
  const [draft, setDraft] = useState(() =>
    doctor
      ? { ...blank, ...doctor, slotMinutes: String(doctor.slotMinutes), bufferMinutes: String(doctor.bufferMinutes) }
      : blank,
  );
  const [specs, setSpecs] = useState<string[]>(doctor?.specializationIds ?? []);
  const [active, setActive] = useState(doctor?.active ?? true);
  const form = useFieldErrors();
  const confirm = useAffectedConfirm();
  const set = (key: keyof typeof blank) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.target.value });

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['roster/save-doctor'].input, {
      ...(doctor ? { id: doctor.id } : {}),
      title: draft.title,
      givenName: draft.givenName,
      familyName: draft.familyName,
      email: draft.email,
      phone: draft.phone,
      specializationIds: specs,
      slotMinutes: draft.slotMinutes === '' ? undefined : Number(draft.slotMinutes),
      bufferMinutes: draft.bufferMinutes === '' ? undefined : Number(draft.bufferMinutes),
      active,
    });
    if (!input) return;
    const result = await confirm.save((acknowledgeAffected) => call('roster/save-doctor', { ...input, acknowledgeAffected }));
    if (!result) return;
    if (!result.ok) return form.fromError(result.error);
    onSaved(result.data.id);
  };

  const names = new Map(specializations.map((s) => [s.id, s.name]));
  return (
    <form onSubmit={save} noValidate aria-label="Doctor details">
      <ErrorBanner error={form.banner} />
      <Stack spacing={1.5}>
        <Stack direction="row" spacing={1}>
          <TextField label="Title" value={draft.title} onChange={set('title')} sx={{ width: 90 }} {...form.field('title')} />
          <TextField label="Given name" value={draft.givenName} onChange={set('givenName')} fullWidth {...form.field('givenName')} autoFocus={!doctor} />
        </Stack>
        <TextField label="Family name" value={draft.familyName} onChange={set('familyName')} {...form.field('familyName')} />
        <TextField label="Doctor e-mail" value={draft.email} onChange={set('email')} {...form.field('email')} />
        <TextField label="Doctor phone" value={draft.phone} onChange={set('phone')} {...form.field('phone')} />
        <TextField
          select
          label="Specializations"
          value={specs}
          onChange={(e) => setSpecs(e.target.value as unknown as string[])}
          slotProps={{ select: { multiple: true, renderValue: (v) => (v as string[]).map((id) => names.get(id)).join(', ') } }}
          {...form.field('specializationIds')}
        >
          {specializations
            .filter((s) => s.active || specs.includes(s.id))
            .map((s) => (
              <MenuItem key={s.id} value={s.id}>
                <Checkbox checked={specs.includes(s.id)} size="small" sx={{ p: 0, mr: 1 }} />
                {s.name}
              </MenuItem>
            ))}
        </TextField>
        <Stack direction="row" spacing={1}>
          <TextField label="Slot length (min)" type="number" value={draft.slotMinutes} onChange={set('slotMinutes')} {...form.field('slotMinutes')} />
          <TextField label="Buffer (min)" type="number" value={draft.bufferMinutes} onChange={set('bufferMinutes')} {...form.field('bufferMinutes')} />
        </Stack>
        <FormControlLabel control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />} label="Active (can be booked)" />
        <Button type="submit" variant="contained">
          {doctor ? 'Save doctor' : 'Add doctor'}
        </Button>
      </Stack>
      {confirm.dialog}
    </form>
  );
}
