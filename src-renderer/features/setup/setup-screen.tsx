import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useFieldErrors } from '../../components/form.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { guessCountry, phoneCountries } from '../../components/countries.js';

const zones = Intl.supportedValuesOf('timeZone');
const guessZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** First run: the clinic's name, time zone, currency and the first admin — or the demo clinic. */
export function SetupScreen({ onDone, notice = null }: { onDone: () => void; notice?: string | null }) {
  const [clinicName, setClinicName] = useState('');
  const [timeZone, setTimeZone] = useState(guessZone);
  const [currency, setCurrency] = useState('USD');
  const [defaultCountry, setDefaultCountry] = useState(guessCountry);
  // This computer's name by default: the desk name tells desks apart in sync and in the audit.
  const [deskName, setDeskName] = useState('');
  useEffect(() => {
    void call('setup/status', {}).then((r) => {
      if (r.ok) setDeskName((current) => current || r.data.deskName);
    });
  }, []);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['setup/initialize'].input, {
      clinicName,
      timeZone,
      currency,
      defaultCountry,
      deskName: deskName.trim() === '' ? undefined : deskName,
      admin: { username, displayName, password },
    });
    if (!input) return;
    setBusy(true);
    const result = await call('setup/initialize', input);
    setBusy(false);
    if (result.ok) onDone();
    else form.fromError(result.error);
  };

  const loadDemo = async () => {
    setBusy(true);
    const result = await call('setup/load-demo', {});
    setBusy(false);
    if (result.ok) onDone();
    else form.fromError(result.error);
  };

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', p: 4 }}>
      <Paper sx={{ p: 4, width: 520 }} component="main">
        <Typography variant="h4" component="h1" gutterBottom>
          Welcome to Clinic Desk
        </Typography>
        <Typography color="text.secondary" gutterBottom>
          Set up this clinic once: its name, time zone, currency and phone country, and the first administrator.
        </Typography>
        {notice && (
          <Alert severity="warning" sx={{ my: 2 }} role="alert">
            <AlertTitle>Your earlier database file was empty</AlertTitle>
            {notice}
          </Alert>
        )}
        <ErrorBanner error={form.banner} />
        <form onSubmit={submit} noValidate aria-label="Clinic setup">
          <Stack spacing={2} sx={{ mt: 2 }}>
            <TextField label="Clinic name" value={clinicName} onChange={(e) => setClinicName(e.target.value)} autoFocus {...form.field('clinicName')} />
            <Autocomplete
              options={zones}
              value={timeZone}
              onChange={(_e, v) => setTimeZone(v ?? '')}
              renderInput={(params) => <TextField {...params} label="Time zone" {...form.field('timeZone')} />}
            />
            <Autocomplete
              options={currencies}
              value={currency}
              onChange={(_e, v) => setCurrency(v ?? '')}
              renderInput={(params) => <TextField {...params} label="Currency" {...form.field('currency')} />}
            />
            <Autocomplete
              options={phoneCountries}
              value={phoneCountries.find((c) => c.code === defaultCountry) ?? null}
              onChange={(_e, v) => setDefaultCountry(v?.code ?? '')}
              getOptionLabel={(c) => c.name}
              isOptionEqualToValue={(a, b) => a.code === b.code}
              renderInput={(params) => (
                <TextField
                  {...params}
                  label="Country for phone numbers"
                  {...form.field('defaultCountry')}
                  helperText={form.field('defaultCountry').helperText ?? 'Numbers typed without +country code are read as this country’s.'}
                />
              )}
            />
            <TextField
              label="Name of this desk"
              value={deskName}
              onChange={(e) => setDeskName(e.target.value)}
              {...form.field('deskName')}
              helperText={form.field('deskName').helperText ?? 'Tells this computer apart from the clinic’s other desks (e.g. “Reception 1”).'}
            />
            <Divider>First administrator</Divider>
            <TextField label="Admin username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" {...form.field('admin.username')} />
            <TextField label="Admin full name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} {...form.field('admin.displayName')} />
            <TextField
              label="Admin password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              {...form.field('admin.password')}
              helperText={form.field('admin.password').helperText ?? 'At least 10 characters.'}
            />
            <Button type="submit" variant="contained" disabled={busy}>
              Create clinic
            </Button>
          </Stack>
        </form>
        <Divider sx={{ my: 3 }}>or</Divider>
        <Button fullWidth variant="outlined" onClick={loadDemo} disabled={busy}>
          Load demo clinic
        </Button>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          A ready-made clinic with doctors, patients and appointments to try Clinic Desk with.
        </Typography>
      </Paper>
    </Box>
  );
}
