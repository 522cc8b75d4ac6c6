import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useFieldErrors } from '../../components/form.js';
import { ErrorBanner } from '../../components/error-banner.js';

interface DemoAccount {
  username: string;
  password: string;
  role: string;
}

export function LoginScreen({
  clinicName,
  demoAccounts,
  notice = null,
  onLogin,
}: {
  clinicName: string | null;
  demoAccounts: DemoAccount[] | null;
  /** Why this desk was signed out, e.g. the session's lifetime ended. */
  notice?: string | null;
  onLogin: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['auth/login'].input, { username, password });
    if (!input) return;
    setBusy(true);
    const result = await call('auth/login', input);
    setBusy(false);
    if (result.ok) onLogin();
    else {
      form.fromError(result.error);
      setPassword('');
    }
  };

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', p: 4 }}>
      <Paper sx={{ p: 4, width: 420 }} component="main">
        <Typography variant="h4" component="h1">
          Sign in
        </Typography>
        <Typography color="text.secondary" gutterBottom>
          {clinicName ?? 'Clinic Desk'}
        </Typography>
        {notice && !form.banner && (
          <Alert severity="warning" sx={{ my: 1 }}>
            {notice}
          </Alert>
        )}
        <ErrorBanner error={form.banner} />
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Stack spacing={2} sx={{ mt: 2 }}>
            <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus autoComplete="username" {...form.field('username')} />
            <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" {...form.field('password')} />
            <Button type="submit" variant="contained" disabled={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
        {demoAccounts && (
          <Alert severity="info" sx={{ mt: 3 }}>
            Demo clinic accounts:
            {demoAccounts.map((a) => (
              <div key={a.username}>
                {a.role}: <b>{a.username}</b> / <code>{a.password}</code>
              </div>
            ))}
          </Alert>
        )}
      </Paper>
    </Box>
  );
}

/** Why the screen is locked: Alt+L or the Lock button, the inactivity timer, or unknown (after a reload). */
export type LockReason = 'manual' | 'idle' | null;

const LOCK_WORDS: Record<'manual' | 'idle' | 'unknown', string> = {
  manual: 'You locked the screen.',
  idle: 'Locked after inactivity.',
  unknown: 'The screen is locked.',
};

export function LockScreen({
  name,
  reason = null,
  onUnlock,
  onSignOut,
}: {
  name: string;
  reason?: LockReason;
  onUnlock: () => void;
  onSignOut: () => void;
}) {
  const [password, setPassword] = useState('');
  const form = useFieldErrors();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['auth/unlock'].input, { password });
    if (!input) return;
    const result = await call('auth/unlock', input);
    setPassword('');
    if (result.ok) onUnlock();
    else form.fromError(result.error);
  };
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', p: 4 }}>
      <Paper sx={{ p: 4, width: 420 }} component="main">
        <Typography variant="h4" component="h1">
          Session locked
        </Typography>
        <Typography color="text.secondary" gutterBottom>
          {LOCK_WORDS[reason ?? 'unknown']} {name}, enter your password to continue.
        </Typography>
        <ErrorBanner error={form.banner} />
        <form onSubmit={submit} noValidate aria-label="Unlock">
          <Stack spacing={2} sx={{ mt: 2 }}>
            <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus autoComplete="current-password" {...form.field('password')} />
            <Button type="submit" variant="contained">
              Unlock
            </Button>
            <Button onClick={onSignOut}>Sign out</Button>
          </Stack>
        </form>
      </Paper>
    </Box>
  );
}
