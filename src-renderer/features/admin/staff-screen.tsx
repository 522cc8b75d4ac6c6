import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type AppError, type OutputOf } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useSignedIn } from '../../app/signed-in.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useRead } from '../../api/queries.js';

type StaffMember = OutputOf<'staff/list'>['staff'][number];
type Pending = { kind: 'role' | 'active' | 'reset'; member: StaffMember };

const roleName = (role: string) => (role === 'admin' ? 'admin' : 'receptionist');

/** Staff accounts (admin): create, change role, deactivate/reactivate, reset a password. */
export function StaffScreen({ onSelfChanged }: { onSelfChanged?: () => void }) {
  const staff = useRead('staff/list', {});
  const me = useSignedIn();
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = (message: string, member: StaffMember) => {
    setPending(null);
    setNotice(message);
    void staff.reload();
    if (member.id === me?.id) onSelfChanged?.();
  };

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Staff accounts
      </Typography>
      <ErrorBanner error={staff.error} />
      {notice && (
        <Alert severity="success" onClose={() => setNotice(null)} sx={{ mb: 1 }}>
          {notice}
        </Alert>
      )}
      <Paper sx={{ mb: 3, overflowX: 'auto' }}>
        <Table size="small" aria-label="Staff">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Username</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Last sign-in</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {staff.data?.staff.map((s) => {
              const self = s.id === me?.id;
              return (
                <TableRow key={s.id} sx={s.active ? undefined : { '& td': { color: 'text.secondary' } }}>
                  <TableCell>
                    {s.displayName}
                    {self && ' (you)'}
                  </TableCell>
                  <TableCell>{s.username}</TableCell>
                  <TableCell>{roleName(s.role)}</TableCell>
                  <TableCell>
                    {s.active ? <Chip size="small" label="Active" color="success" variant="outlined" /> : <Chip size="small" label="Deactivated" />}
                  </TableCell>
                  <TableCell>{s.lastLoginAt ? new Date(s.lastLoginAt).toLocaleString() : 'never'}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <Button size="small" onClick={() => setPending({ kind: 'role', member: s })} aria-label={`Change role of ${s.displayName}: make ${s.role === 'admin' ? 'receptionist' : 'admin'}`}>
                      Make {s.role === 'admin' ? 'receptionist' : 'admin'}
                    </Button>
                    {!self && (
                      <Button
                        size="small"
                        color={s.active ? 'warning' : 'primary'}
                        onClick={() => setPending({ kind: 'active', member: s })}
                        aria-label={`${s.active ? 'Deactivate' : 'Reactivate'} ${s.displayName}`}
                      >
                        {s.active ? 'Deactivate' : 'Reactivate'}
                      </Button>
                    )}
                    {!self && (
                      <Button size="small" onClick={() => setPending({ kind: 'reset', member: s })} aria-label={`Reset password of ${s.displayName}`}>
                        Reset password
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Paper>
      {pending?.kind === 'reset' && <ResetPasswordDialog member={pending.member} onCancel={() => setPending(null)} onDone={done} />}
      {pending && pending.kind !== 'reset' && (
        <ConfirmChange pending={pending} self={pending.member.id === me?.id} onCancel={() => setPending(null)} onDone={done} />
      )}
      <NewStaffForm onCreated={() => void staff.reload()} />
    </Box>
  );
}

/** Confirms a role change or (de)activation, saying what happens to the person's sessions. */
function ConfirmChange({
  pending,
  self,
  onCancel,
  onDone,
}: {
  pending: Pending;
  self: boolean;
  onCancel: () => void;
  onDone: (message: string, member: StaffMember) => void;
}) {
  const { member, kind } = pending;
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const newRole = member.role === 'admin' ? 'receptionist' : 'admin';
  const title =
    kind === 'role'
      ? `Make ${member.displayName} ${newRole === 'admin' ? 'an admin' : 'a receptionist'}?`
      : `${member.active ? 'Deactivate' : 'Reactivate'} ${member.displayName}?`;
  const explanation =
    kind === 'role'
      ? self
        ? 'You lose admin rights at once: Roster, Staff, Audit and Settings close, and your sessions on other desks are signed out. Only another admin can make you an admin again.'
        : `${member.displayName} is signed out on every desk and signs in again as ${newRole}.`
      : member.active
        ? `${member.displayName} is signed out on every desk at once and can no longer sign in. The account and its history stay; you can reactivate it later.`
        : `${member.displayName} can sign in again with their current password.`;

  const confirm = async () => {
    setBusy(true);
    const result =
      kind === 'role'
        ? await call('staff/set-role', { staffId: member.id, role: newRole })
        : await call('staff/set-active', { staffId: member.id, active: !member.active });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone(
      kind === 'role'
        ? `${member.displayName} is now ${newRole === 'admin' ? 'an admin' : 'a receptionist'}.`
        : `${member.displayName} is ${member.active ? 'deactivated and signed out everywhere' : 'active again'}.`,
      member,
    );
  };

  return (
    <Dialog open onClose={onCancel} maxWidth="sm" fullWidth aria-labelledby="staff-change-title">
      <DialogTitle id="staff-change-title">{title}</DialogTitle>
      <DialogContent>
        <ErrorBanner error={error} />
        <DialogContentText>{explanation}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="contained" color={kind === 'active' && member.active ? 'warning' : 'primary'} onClick={() => void confirm()} disabled={busy} autoFocus>
          {kind === 'role' ? `Make ${newRole}` : member.active ? 'Deactivate' : 'Reactivate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ResetPasswordDialog({
  member,
  onCancel,
  onDone,
}: {
  member: StaffMember;
  onCancel: () => void;
  onDone: (message: string, member: StaffMember) => void;
}) {
  const [newPassword, setNewPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['staff/reset-password'].input, { staffId: member.id, newPassword });
    if (!input) return;
    setBusy(true);
    const result = await call('staff/reset-password', input);
    setBusy(false);
    if (!result.ok) return form.fromError(result.error);
    onDone(`New password set for ${member.displayName}; they were signed out everywhere. Give them the password in person.`, member);
  };

  return (
    <Dialog open onClose={onCancel} maxWidth="xs" fullWidth aria-labelledby="reset-password-title">
      <DialogTitle id="reset-password-title">Reset the password of {member.displayName}</DialogTitle>
      <form onSubmit={submit} noValidate aria-label="Reset password">
        <DialogContent>
          <ErrorBanner error={form.banner} />
          <DialogContentText sx={{ mb: 2 }}>They are signed out on every desk and sign in with the new password.</DialogContentText>
          <TextField
            label="New password"
            type="password"
            fullWidth
            autoFocus
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            autoComplete="new-password"
            {...form.field('newPassword')}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy}>
            Set new password
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function NewStaffForm({ onCreated }: { onCreated: () => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<'admin' | 'receptionist'>('receptionist');
  const [password, setPassword] = useState('');
  const form = useFieldErrors();

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = form.check(contract['staff/create'].input, { username, displayName, role, password });
    if (!input) return;
    const result = await call('staff/create', input);
    if (!result.ok) return form.fromError(result.error);
    setUsername('');
    setDisplayName('');
    setPassword('');
    onCreated();
  };

  return (
    <Paper sx={{ p: 2, maxWidth: 560 }}>
      <Typography variant="h6" component="h2">
        New staff account
      </Typography>
      <ErrorBanner error={form.banner} />
      <form onSubmit={create} noValidate aria-label="New staff account">
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField label="Full name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} {...form.field('displayName')} />
          <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} {...form.field('username')} />
          <TextField select label="Role" value={role} onChange={(e) => setRole(e.target.value as 'admin' | 'receptionist')}>
            <MenuItem value="receptionist">Receptionist</MenuItem>
            <MenuItem value="admin">Admin</MenuItem>
          </TextField>
          <TextField label="Initial password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" {...form.field('password')} />
          <Button type="submit" variant="contained">
            Create account
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
