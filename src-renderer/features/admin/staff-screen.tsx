import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
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
import { contract } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useRead } from '../../api/queries.js';

export function StaffScreen() {
  const staff = useRead('staff/list', {});
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
    void staff.reload();
  };

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Staff accounts
      </Typography>
      <ErrorBanner error={staff.error} />
      <Paper sx={{ mb: 3 }}>
        <Table size="small" aria-label="Staff">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Username</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Last sign-in</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {staff.data?.staff.map((s) => (
              <TableRow key={s.id}>
                <TableCell>{s.displayName}</TableCell>
                <TableCell>{s.username}</TableCell>
                <TableCell>{s.role}</TableCell>
                <TableCell>{s.lastLoginAt ? new Date(s.lastLoginAt).toLocaleString() : 'never'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
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
    </Box>
  );
}
