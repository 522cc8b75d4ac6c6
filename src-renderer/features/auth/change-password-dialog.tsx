import Box from '@mui/material/Box';
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { contract } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';

/** The signed-in person's name in the app bar; it opens "Change my password" (any staff member). */
export function ChangePasswordButton({ label, title = 'Change my password' }: { label: string; title?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button color="inherit" onClick={() => setOpen(true)} title={title} aria-label={title} sx={{ textTransform: 'none', whiteSpace: 'nowrap', fontSize: '0.875rem', fontWeight: 400, flexShrink: 1, minWidth: 0, maxWidth: 200 }}>
        <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {label}
        </Box>
      </Button>
      {open && <ChangePasswordDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const form = useFieldErrors();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['auth/change-password'].input, { currentPassword, newPassword });
    if (!input) return;
    if (repeat !== newPassword) {
      form.fromError({ code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors: { repeat: ['The two new passwords differ.'] } });
      return;
    }
    setBusy(true);
    const result = await call('auth/change-password', input);
    setBusy(false);
    if (!result.ok) {
      setCurrent('');
      return form.fromError(result.error);
    }
    setDone(true);
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="xs" aria-labelledby="change-password-title">
      <DialogTitle id="change-password-title">Change my password</DialogTitle>
      {done ? (
        <>
          <DialogContent>
            <Alert severity="success">Password changed. You stay signed in here; your other sessions were signed out.</Alert>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} autoFocus>
              Close
            </Button>
          </DialogActions>
        </>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Change my password">
          <DialogContent>
            <ErrorBanner error={form.banner} />
            <Stack spacing={2} sx={{ mt: 1 }}>
              <TextField label="Current password" type="password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" autoFocus {...form.field('currentPassword')} />
              <TextField label="New password" type="password" value={newPassword} onChange={(e) => setNew(e.target.value)} autoComplete="new-password" {...form.field('newPassword')} />
              <TextField label="New password again" type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" {...form.field('repeat')} />
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={busy}>
              Change password
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
