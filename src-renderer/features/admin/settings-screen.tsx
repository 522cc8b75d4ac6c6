import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type ClinicSettings } from '../../../src-main/contract/index.js';
import type { InvalidSetting } from '../../../src-main/contract/settings.contract.js';
import { call } from '../../api/client.js';
import { emergencyNumberFor } from '../../../src-main/contract/symptoms.contract.js';
import { CountryPicker, countryName } from '../../components/pickers.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useRead } from '../../api/queries.js';
import { StripeSettings } from './stripe-settings.js';
import { NotificationSettingsSection } from './notification-settings.js';
import { PolicySettings, policyKeys } from './policy-settings.js';

const labels: Partial<Record<string, string>> = {
  clinicName: 'Clinic name',
  timeZone: 'Time zone',
  currency: 'Currency',
  defaultCountry: 'Default phone country',
  stripeReaders: 'Stripe card readers',
  emergencyNumber: 'Emergency number',
  publicBaseUrl: 'Patient page’s public address',
};

const numberFields: Array<[keyof ClinicSettings, string]> = [
  ['lockMinutes', 'Lock the screen after (minutes idle)'],
  ['sessionMaxHours', 'Sign staff out after (hours since sign-in)'],
  ['minNoticeMinutes', 'Minimum booking notice (minutes)'],
  ['horizonDays', 'Booking horizon (days ahead)'],
  ['holdMinutes', 'Slot hold while booking (minutes)'],
  ['cancellationWindowHours', 'Cancellation policy window (hours)'],
  ['patientBookingLimit', 'Upcoming appointments a patient may book online'],
];

/** Clinic-wide settings, stored in the clinic's database. */
export function SettingsScreen({ onSaved }: { onSaved: () => void }) {
  const settings = useRead('settings/get', {});
  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Clinic settings
      </Typography>
      <ErrorBanner error={settings.error} />
      {settings.data && settings.data.invalid.length > 0 && <InvalidSettings invalid={settings.data.invalid} />}
      {/* Not keyed by the data: a live refresh (this save, or another desk's) must never wipe a draft being typed. */}
      {settings.data && <SettingsForm initial={withoutReport(settings.data)} onSaved={onSaved} />}
      <StripeSettings />
      <PolicySettings />
      <DeskForm />
      <NotificationSettingsSection />
    </Box>
  );
}

const withoutReport = ({ invalid: _invalid, ...settings }: ClinicSettings & { invalid: InvalidSetting[] }): ClinicSettings => settings;

const labelOf = (key: string): string => labels[key] ?? numberFields.find(([k]) => k === key)?.[1] ?? key;

/** One warning per stored setting that could not be used: which, why, and what is used instead. */
function InvalidSettings({ invalid }: { invalid: InvalidSetting[] }) {
  return (
    <Stack spacing={1} sx={{ mb: 1, maxWidth: 720 }} aria-label="Invalid settings">
      {invalid.map((bad) => (
        <Alert key={bad.key} severity="warning">
          <strong>{labelOf(bad.key)}</strong>: the stored value “{bad.stored}” cannot be used ({bad.problem.replace(/\.$/, '')}). Using{' '}
          <strong>{String(bad.usedInstead)}</strong> instead until you save a valid value below.
        </Alert>
      ))}
    </Stack>
  );
}

/** This desk's name (not a clinic setting: each database names its own desk). */
function DeskForm() {
  const desk = useRead('desk/get', {});
  const [name, setName] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useFieldErrors();
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const input = form.check(contract['desk/rename'].input, { name: name ?? desk.data?.name ?? '' });
    if (!input) return;
    const result = await call('desk/rename', input);
    if (!result.ok) return form.fromError(result.error);
    setName(result.data.name);
    setSaved(true);
  };
  return (
    <Paper sx={{ p: 2, maxWidth: 560, mt: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        This desk
      </Typography>
      <ErrorBanner error={desk.error ?? form.banner} />
      {saved && <Alert severity="success">Desk name saved.</Alert>}
      {desk.data && (
        <form onSubmit={save} noValidate aria-label="This desk">
          <Stack spacing={2}>
            <TextField label="Desk name" value={name ?? desk.data.name} onChange={(e) => setName(e.target.value)} {...form.field('name')} />
            <Typography variant="body2" color="text.secondary">
              Patient numbers from this desk look like P-{desk.data.prefix}-0001. Desk id: {desk.data.id}
            </Typography>
            <Button type="submit" variant="outlined">
              Save desk name
            </Button>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

function SettingsForm({ initial, onSaved }: { initial: ClinicSettings; onSaved: () => void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    // Text and number fields only: lists (Stripe readers) have their own sections.
    Object.fromEntries(Object.entries(initial).filter(([k, v]) => typeof v !== 'object' && !(policyKeys as readonly string[]).includes(k)).map(([k, v]) => [k, String(v)])),
  );
  const [saved, setSaved] = useState(false);
  const form = useFieldErrors();

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const value: Record<string, unknown> = { ...draft };
    for (const [key] of numberFields) value[key] = draft[key] === '' ? undefined : Number(draft[key]);
    const input = form.check(contract['settings/update'].input, value);
    if (!input) return;
    const result = await call('settings/update', input);
    if (!result.ok) return form.fromError(result.error);
    setSaved(true);
    onSaved();
  };

  const text = (key: keyof ClinicSettings, label: string) => (
    <TextField key={key} label={label} value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} {...form.field(key)} />
  );

  return (
    <>
      <ErrorBanner error={form.banner} />
      {saved && <Alert severity="success">Settings saved.</Alert>}
      <Paper sx={{ p: 2, maxWidth: 560, mt: 1 }}>
        <form onSubmit={save} noValidate aria-label="Clinic settings">
          <Stack spacing={2}>
            {text('clinicName', 'Clinic name')}
            {text('timeZone', 'Time zone (IANA, e.g. Europe/Paris)')}
            {text('currency', 'Currency (ISO code)')}
            <CountryPicker
              label="Country for phone numbers"
              value={draft.defaultCountry ?? ''}
              onChange={(defaultCountry) => setDraft({ ...draft, defaultCountry })}
              {...form.field('defaultCountry')}
              helperText={form.field('defaultCountry').helperText ?? 'Numbers typed without +country code are read as this country’s.'}
            />
            {numberFields.map(([key, label]) => text(key, label))}
            {text('emergencyNumber', `Emergency number for the symptom checker (empty: ${emergencyNumberFor('', draft.defaultCountry ?? '')} in ${countryName(draft.defaultCountry ?? '') || 'the country'})`)}
            <TextField
              label="Patient page’s public address"
              placeholder="https://clinic.example"
              value={draft.publicBaseUrl ?? ''}
              onChange={(e) => setDraft({ ...draft, publicBaseUrl: e.target.value })}
              {...form.field('publicBaseUrl')}
              helperText={form.field('publicBaseUrl').helperText ?? 'Links in e-mails and texts open this address; leave empty if patients cannot reach this desk.'}
              slotProps={{ htmlInput: { inputMode: 'url', autoCapitalize: 'off', spellCheck: false, maxLength: 200 } }}
            />
            <Button type="submit" variant="contained">
              Save settings
            </Button>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
