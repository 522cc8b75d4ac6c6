import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type NotificationSettings, type SecretName } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';

/** Settings → Notifications: e-mail (SMTP), SMS, reminders, quiet hours, the clinic's contact. */
export function NotificationSettingsSection() {
  const settings = useRead('notifications/get-settings', {});
  return (
    <Paper sx={{ p: 2, maxWidth: 720, mt: 2 }} component="section" aria-label="Notifications">
      <Typography variant="h6" component="h2" gutterBottom>
        Messages to patients
      </Typography>
      <ErrorBanner error={settings.error} />
      {settings.data && <NotificationForm initial={settings.data} fromEnvironment={settings.data.smtpFromEnvironment} />}
    </Paper>
  );
}

const hoursText = (minutes: number[]): string => minutes.map((m) => (m % 60 === 0 ? String(m / 60) : (m / 60).toFixed(2))).join(', ');
const minutesOf = (text: string): number[] =>
  text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((h) => Math.round(Number(h) * 60));

function NotificationForm({ initial, fromEnvironment }: { initial: NotificationSettings; fromEnvironment: boolean }) {
  const { smtpFromEnvironment: _env, ...start } = initial as NotificationSettings & { smtpFromEnvironment?: boolean };
  const [draft, setDraft] = useState<NotificationSettings>(start);
  const [reminderText, setReminderText] = useState({ email: hoursText(start.reminders.email), sms: hoursText(start.reminders.sms) });
  const [saved, setSaved] = useState(false);
  const form = useFieldErrors();
  const email = (patch: Partial<NotificationSettings['email']>) => setDraft({ ...draft, email: { ...draft.email, ...patch } });
  const sms = (patch: Partial<NotificationSettings['sms']>) => setDraft({ ...draft, sms: { ...draft.sms, ...patch } });
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const value = { settings: { ...draft, reminders: { email: minutesOf(reminderText.email), sms: minutesOf(reminderText.sms) } } };
    const input = form.check(contract['notifications/save-settings'].input, value);
    if (!input) return;
    const result = await call('notifications/save-settings', input);
    if (!result.ok) return form.fromError(result.error);
    setSaved(true);
  };
  const f = (key: string) => form.field(`settings.${key}`);
  return (
    <form onSubmit={save} noValidate aria-label="Notification settings">
      <ErrorBanner error={form.banner} />
      <Stack spacing={2}>
        <Typography variant="subtitle1" component="h3">
          E-mail (SMTP)
        </Typography>
        {fromEnvironment && <Alert severity="info">This server’s CLINIC_DESK_SMTP_URL sets the mail server, port, TLS, user and password; the fields below for them are not used.</Alert>}
        <FormControlLabel control={<Switch checked={draft.email.enabled} onChange={(e) => email({ enabled: e.target.checked })} />} label="Send e-mails" />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="Mail server" value={draft.email.host} onChange={(e) => email({ host: e.target.value })} {...f('email.host')} sx={{ flex: 2 }} />
          <TextField label="Port" type="number" value={draft.email.port} onChange={(e) => email({ port: Number(e.target.value) })} {...f('email.port')} sx={{ flex: 1 }} />
          <TextField select label="Security" value={draft.email.tls} onChange={(e) => email({ tls: e.target.value as NotificationSettings['email']['tls'] })} sx={{ flex: 1 }}>
            <MenuItem value="starttls">STARTTLS (587)</MenuItem>
            <MenuItem value="tls">TLS (465)</MenuItem>
            <MenuItem value="none">None (local relay)</MenuItem>
          </TextField>
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="User name" value={draft.email.user} onChange={(e) => email({ user: e.target.value })} {...f('email.user')} sx={{ flex: 1 }} />
          <SecretField name="smtp.password" label="Password" />
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="From address" value={draft.email.fromAddress} onChange={(e) => email({ fromAddress: e.target.value })} {...f('email.fromAddress')} sx={{ flex: 1 }} />
          <TextField label="From name" value={draft.email.fromName} onChange={(e) => email({ fromName: e.target.value })} {...f('email.fromName')} sx={{ flex: 1 }} />
          <TextField label="Reply-to" value={draft.email.replyTo} onChange={(e) => email({ replyTo: e.target.value })} {...f('email.replyTo')} sx={{ flex: 1 }} />
        </Stack>
        <Typography variant="subtitle1" component="h3">
          SMS
        </Typography>
        <FormControlLabel control={<Switch checked={draft.sms.enabled} onChange={(e) => sms({ enabled: e.target.checked })} />} label="Send text messages" />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField select label="Provider" value={draft.sms.provider} onChange={(e) => sms({ provider: e.target.value as 'twilio' | 'webhook' })} sx={{ flex: 1 }}>
            <MenuItem value="twilio">Twilio</MenuItem>
            <MenuItem value="webhook">Other (HTTPS webhook)</MenuItem>
          </TextField>
          {draft.sms.provider === 'twilio' ? (
            <>
              <TextField label="Account SID" value={draft.sms.accountSid} onChange={(e) => sms({ accountSid: e.target.value })} {...f('sms.accountSid')} sx={{ flex: 1 }} />
              <TextField label="From number" value={draft.sms.from} onChange={(e) => sms({ from: e.target.value })} {...f('sms.from')} sx={{ flex: 1 }} />
            </>
          ) : (
            <TextField label="Webhook address (https://…)" value={draft.sms.webhookUrl} onChange={(e) => sms({ webhookUrl: e.target.value })} {...f('sms.webhookUrl')} sx={{ flex: 2 }} />
          )}
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          {draft.sms.provider === 'twilio' && <TextField label="API address" value={draft.sms.baseUrl} onChange={(e) => sms({ baseUrl: e.target.value })} {...f('sms.baseUrl')} sx={{ flex: 1 }} />}
          <SecretField name="sms.authToken" label={draft.sms.provider === 'twilio' ? 'Auth token' : 'Bearer token'} />
        </Stack>
        <Typography variant="subtitle1" component="h3">
          Reminders and quiet hours
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="E-mail reminders (hours before)" value={reminderText.email} onChange={(e) => setReminderText({ ...reminderText, email: e.target.value })} {...f('reminders.email')} helperText={f('reminders.email').helperText ?? 'e.g. 24, 2'} sx={{ flex: 1 }} />
          <TextField label="SMS reminders (hours before)" value={reminderText.sms} onChange={(e) => setReminderText({ ...reminderText, sms: e.target.value })} {...f('reminders.sms')} helperText={f('reminders.sms').helperText ?? 'e.g. 24, 2'} sx={{ flex: 1 }} />
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'center' }}>
          <FormControlLabel control={<Switch checked={draft.quietHours.enabled} onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, enabled: e.target.checked } })} />} label="Quiet hours" />
          <TextField label="From" value={draft.quietHours.start} onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, start: e.target.value } })} {...f('quietHours.start')} sx={{ width: 120 }} />
          <TextField label="Until" value={draft.quietHours.end} onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, end: e.target.value } })} {...f('quietHours.end')} sx={{ width: 120 }} />
        </Stack>
        <Typography variant="subtitle1" component="h3">
          In every message
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField label="Clinic phone" value={draft.clinicPhone} onChange={(e) => setDraft({ ...draft, clinicPhone: e.target.value })} {...f('clinicPhone')} sx={{ flex: 1.3 }} />
          <TextField label="Clinic address" value={draft.clinicAddress} onChange={(e) => setDraft({ ...draft, clinicAddress: e.target.value })} {...f('clinicAddress')} sx={{ flex: 2 }} />
          <TextField select label="Default language" value={draft.defaultLanguage} onChange={(e) => setDraft({ ...draft, defaultLanguage: e.target.value as 'en' | 'es' })} sx={{ flex: 1 }}>
            <MenuItem value="en">English</MenuItem>
            <MenuItem value="es">Español</MenuItem>
          </TextField>
        </Stack>
        {saved && <Alert severity="success">Notification settings saved.</Alert>}
        <Button type="submit" variant="contained">
          Save notification settings
        </Button>
      </Stack>
      <TestEmail />
    </form>
  );
}

/** Sets a sealed secret (never shown again; only its last four characters). */
function SecretField({ name, label }: { name: SecretName; label: string }) {
  const status = useRead('secrets/status', {});
  const mine = status.data?.secrets.find((s) => s.name === name);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    setDone(null);
    const result = await call('secrets/set', { name, value: value === '' ? null : value });
    if (!result.ok) setError(result.error.fieldErrors?.value?.join(' ') ?? result.error.message);
    else {
      setValue('');
      setDone(result.data.set ? `Saved (${result.data.hint}).` : 'Cleared.');
      status.reload();
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ flex: 1, alignItems: 'flex-start' }}>
      <TextField
        label={label}
        type="password"
        autoComplete="new-password"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={Boolean(error)}
        helperText={error ?? done ?? (mine?.set ? `Set (${mine.hint}${mine.source === 'environment' ? ', from the environment' : ''})` : 'Not set')}
        sx={{ flex: 1 }}
      />
      <Button onClick={() => void save()} sx={{ mt: 1 }}>
        {value === '' && mine?.set ? 'Clear' : 'Set'}
      </Button>
    </Stack>
  );
}

function TestEmail() {
  const [to, setTo] = useState('');
  const [answer, setAnswer] = useState<{ ok: boolean; answer: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();
  const send = async () => {
    setAnswer(null);
    const input = form.check(contract['notifications/send-test'].input, { to });
    if (!input) return;
    setBusy(true);
    const result = await call('notifications/send-test', input);
    setBusy(false);
    if (!result.ok) return form.fromError(result.error);
    setAnswer(result.data);
  };
  return (
    <Stack spacing={1} sx={{ mt: 3 }}>
      <Typography variant="subtitle1" component="h3">
        Send a test e-mail (uses the saved settings)
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <TextField label="Send to" value={to} onChange={(e) => setTo(e.target.value)} {...form.field('to')} sx={{ flex: 1 }} />
        <Button variant="outlined" onClick={() => void send()} disabled={busy} sx={{ mt: 1 }}>
          {busy ? 'Sending…' : 'Send test e-mail'}
        </Button>
      </Stack>
      <ErrorBanner error={form.banner} />
      {answer && (
        <Alert severity={answer.ok ? 'success' : 'error'} aria-label="Test e-mail result">
          {answer.answer}
        </Alert>
      )}
    </Stack>
  );
}
