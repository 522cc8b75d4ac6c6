import { useState } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type RosterSpecialization } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { EntityTable } from './entity-table.js';
import type { RosterData } from './roster-types.js';

/** The managed list of specializations. Inactive ones stay on the doctors that have them. */
export function SpecializationsTab({ roster, onChanged }: { roster: RosterData; onChanged: () => void }) {
  const [editing, setEditing] = useState<RosterSpecialization | null>(null);
  const [formKey, setFormKey] = useState(0);
  const edit = (s: RosterSpecialization | null) => {
    setEditing(s);
    setFormKey((k) => k + 1);
  };
  const doctors = (id: string) => roster.doctors.filter((d) => d.specializationIds.includes(id)).length;
  return (
    <>
      <EntityTable
        label="Specializations"
        rows={roster.specializations}
        empty="No specializations yet. Add one below (for example General practice): consultation types and doctors are grouped by them."
        selectedId={editing?.id ?? null}
        onEdit={edit}
        columns={[
          { title: 'Name', value: (s) => s.name },
          { title: 'Doctors', value: (s) => doctors(s.id) },
          { title: 'Status', value: (s) => (s.active ? 'Active' : 'Inactive') },
        ]}
      />
      <SpecializationForm key={formKey} specialization={editing} onSaved={() => { edit(null); onChanged(); }} onCancel={() => edit(null)} />
    </>
  );
}

function SpecializationForm({ specialization, onSaved, onCancel }: { specialization: RosterSpecialization | null; onSaved: () => void; onCancel: () => void }) {
  const [name, setName] = useState(specialization?.name ?? '');
  const [active, setActive] = useState(specialization?.active ?? true);
  const form = useFieldErrors();
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['roster/save-specialization'].input, { ...(specialization ? { id: specialization.id } : {}), name, active });
    if (!input) return;
    const result = await call('roster/save-specialization', input);
    if (!result.ok) return form.fromError(result.error);
    onSaved();
  };
  return (
    <Paper sx={{ p: 2, maxWidth: 480 }}>
      <Typography variant="h6" component="h2">
        {specialization ? `Edit ${specialization.name}` : 'New specialization'}
      </Typography>
      <ErrorBanner error={form.banner} />
      <form onSubmit={save} noValidate aria-label={specialization ? 'Edit specialization' : 'New specialization'}>
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          <TextField label="Specialization name" value={name} onChange={(e) => setName(e.target.value)} {...form.field('name')} />
          <FormControlLabel control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />} label="Active" />
          <Stack direction="row" spacing={1}>
            <Button type="submit" variant="contained">
              {specialization ? 'Save specialization' : 'Add specialization'}
            </Button>
            {specialization && <Button onClick={onCancel}>Cancel</Button>}
          </Stack>
        </Stack>
      </form>
    </Paper>
  );
}
