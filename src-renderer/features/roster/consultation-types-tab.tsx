import { useState } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type RosterConsultationType, type RosterSpecialization } from '../../../src-main/contract/index.js';
import { call, fetchData } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { EntityTable } from './entity-table.js';
import { formatAmount, formatMoney, localeForCountry, parseMoney } from '../../../src-main/contract/money.js';
import { useLoad } from '../../components/use-load.js';
import type { RosterData } from './roster-types.js';

type Kind = RosterConsultationType['kind'];
const KINDS: Array<[Kind, string]> = [
  ['general', 'General'],
  ['specialist', 'Specialist'],
  ['follow_up', 'Follow-up'],
  ['other', 'Other'],
];

/** Consultation types: duration, price (stored in minor units) and the specializations that offer each. */
export function ConsultationTypesTab({ roster, onChanged }: { roster: RosterData; onChanged: () => void }) {
  const [editing, setEditing] = useState<RosterConsultationType | null>(null);
  const [formKey, setFormKey] = useState(0);
  const edit = (t: RosterConsultationType | null) => {
    setEditing(t);
    setFormKey((k) => k + 1);
  };
  const spec = new Map(roster.specializations.map((s) => [s.id, s.name]));
  // Prices are in the clinic's currency, written the clinic's way: never a guessed default.
  const settings = useLoad(() => fetchData('settings/get', {}), 'settings');
  const clinic = settings.data ? { currency: settings.data.currency, locale: localeForCountry(settings.data.defaultCountry) } : null;
  return (
    <>
      <EntityTable
        label="Consultation types"
        rows={roster.consultationTypes}
        empty={
          roster.specializations.length === 0
            ? 'No consultation types yet. Add a specialization first (Specializations tab): every type is offered by one.'
            : 'No consultation types yet. Add what patients book below: its length, price and the specializations that offer it.'
        }
        selectedId={editing?.id ?? null}
        onEdit={edit}
        columns={[
          { title: 'Name', value: (t) => t.name },
          { title: 'Kind', value: (t) => KINDS.find(([k]) => k === t.kind)?.[1] },
          { title: 'Duration', value: (t) => `${t.durationMinutes} min` },
          { title: 'Price', value: (t) => formatMoney(t.priceMinor, t.currency, clinic?.locale) },
          { title: 'Offered by', value: (t) => t.specializationIds.map((s) => spec.get(s)).join(', ') },
          { title: 'Status', value: (t) => (t.active ? 'Active' : 'Inactive') },
        ]}
      />
      <ErrorBanner error={settings.error} />
      {clinic && <TypeForm key={formKey} type={editing} currency={clinic.currency} locale={clinic.locale} specializations={roster.specializations} onSaved={() => { edit(null); onChanged(); }} onCancel={() => edit(null)} />}
    </>
  );
}

function TypeForm({
  type,
  currency,
  locale,
  specializations,
  onSaved,
  onCancel,
}: {
  type: RosterConsultationType | null;
  currency: string;
  locale: string;
  specializations: RosterSpecialization[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState({
    name: type?.name ?? '',
    kind: type?.kind ?? ('general' as Kind),
    duration: String(type?.durationMinutes ?? 15),
    price: type && type.currency === currency ? formatAmount(type.priceMinor, currency, locale) : '',
  });
  const [specs, setSpecs] = useState<string[]>(type?.specializationIds ?? []);
  const [active, setActive] = useState(type?.active ?? true);
  const form = useFieldErrors();
  const names = new Map(specializations.map((s) => [s.id, s.name]));

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const price = parseMoney(draft.price, currency, locale, 100_000_000);
    if (!price.ok) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: { priceMinor: [price.message] } });
    const priceMinor = price.minor;
    const input = form.check(contract['roster/save-consultation-type'].input, {
      ...(type ? { id: type.id } : {}),
      name: draft.name,
      kind: draft.kind,
      durationMinutes: draft.duration === '' ? undefined : Number(draft.duration),
      priceMinor,
      currency,
      specializationIds: specs,
      active,
    });
    if (!input) return;
    const result = await call('roster/save-consultation-type', input);
    if (!result.ok) return form.fromError(result.error);
    onSaved();
  };

  return (
    <Paper sx={{ p: 2, maxWidth: 640 }}>
      <Typography variant="h6" component="h2">
        {type ? `Edit ${type.name}` : 'New consultation type'}
      </Typography>
      <ErrorBanner error={form.banner} />
      <form onSubmit={save} noValidate aria-label={type ? 'Edit consultation type' : 'New consultation type'}>
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          <TextField label="Consultation name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} {...form.field('name')} />
          <Stack direction="row" spacing={1}>
            <TextField select label="Kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })} sx={{ minWidth: 160 }}>
              {KINDS.map(([k, label]) => (
                <MenuItem key={k} value={k}>{label}</MenuItem>
              ))}
            </TextField>
            <TextField label="Duration (min)" type="number" value={draft.duration} onChange={(e) => setDraft({ ...draft, duration: e.target.value })} {...form.field('durationMinutes')} />
            <TextField label={`Price (${currency})`} value={draft.price} onChange={(e) => setDraft({ ...draft, price: e.target.value })} {...priceField(form.field('priceMinor'), form.field('currency'), type && type.currency !== currency ? `Was priced in ${type.currency}; enter the price in ${currency}.` : `In the clinic’s currency, ${currency}.`)} />
          </Stack>
          <TextField
            select
            label="Offered by"
            value={specs}
            onChange={(e) => setSpecs(e.target.value as unknown as string[])}
            slotProps={{ select: { multiple: true, renderValue: (v) => (v as string[]).map((id) => names.get(id)).join(', ') } }}
            {...form.field('specializationIds')}
          >
            {specializations.filter((s) => s.active || specs.includes(s.id)).map((s) => (
              <MenuItem key={s.id} value={s.id}>
                <Checkbox checked={specs.includes(s.id)} size="small" sx={{ p: 0, mr: 1 }} />
                {s.name}
              </MenuItem>
            ))}
          </TextField>
          <FormControlLabel control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />} label="Active" />
          <Stack direction="row" spacing={1}>
            <Button type="submit" variant="contained">
              {type ? 'Save consultation type' : 'Add consultation type'}
            </Button>
            {type && <Button onClick={onCancel}>Cancel</Button>}
          </Stack>
        </Stack>
      </form>
    </Paper>
  );
}

const priceField = (price: { error: boolean; helperText?: string }, cur: { error: boolean; helperText?: string }, help: string) =>
  price.error || cur.error ? { error: true, helperText: [price.helperText, cur.helperText].filter(Boolean).join(' ') } : { error: false, helperText: help };
