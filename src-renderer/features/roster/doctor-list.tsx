import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Link from '@mui/material/Link';
import { navigate } from '../../app/router.js';
import type { RosterData } from './roster-types.js';

/** Every doctor: specializations, where they work, slot length; a name opens the doctor. */
export function DoctorList({ roster }: { roster: RosterData }) {
  const spec = new Map(roster.specializations.map((s) => [s.id, s.name]));
  const place = new Map(roster.locations.map((l) => [l.id, l.name]));
  return (
    <>
      <Stack direction="row" sx={{ mb: 1 }}>
        <Button variant="contained" onClick={() => navigate('roster', 'doctors', 'new')}>
          Add doctor
        </Button>
      </Stack>
      <Paper>
        <Table size="small" aria-label="Doctors">
          <TableHead>
            <TableRow>
              <TableCell>Doctor</TableCell>
              <TableCell>Specializations</TableCell>
              <TableCell>Locations</TableCell>
              <TableCell>Slot / buffer</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {roster.doctors.length === 0 && (
              <TableRow>
                <TableCell colSpan={5} sx={{ py: 2, color: 'text.secondary' }}>
                  No doctors yet. {roster.specializations.length === 0 ? 'Add a specialization first, then add' : 'Add'} a doctor, then open them to set their weekly hours at a location.
                </TableCell>
              </TableRow>
            )}
            {roster.doctors.map((d) => (
              <TableRow key={d.id} hover>
                <TableCell>
                  <Link component="button" onClick={() => navigate('roster', 'doctors', d.id)} underline="hover">
                    {d.name}
                  </Link>
                </TableCell>
                <TableCell>{d.specializationIds.map((s) => spec.get(s)).join(', ') || '—'}</TableCell>
                <TableCell>{d.locationIds.map((l) => place.get(l)).join(', ') || 'no hours yet'}</TableCell>
                <TableCell>
                  {d.slotMinutes} min / {d.bufferMinutes} min
                </TableCell>
                <TableCell>{d.active ? <Chip size="small" color="success" label="Active" /> : <Chip size="small" label="Inactive" />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </>
  );
}
