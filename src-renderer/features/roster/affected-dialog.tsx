import { useCallback, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { AffectedBooking, Result } from '../../../src-main/contract/index.js';
import { shortDate } from './roster-format.js';

type Attempt<T> = (acknowledgeAffected?: string[]) => Promise<Result<T>>;

/**
 * Safe roster changes in the UI: a save refused with roster/affects-bookings opens a dialog
 * listing the appointments; confirming saves again naming exactly those bookings.
 * The bookings stay as they are either way.
 */
export function useAffectedConfirm() {
  const [affected, setAffected] = useState<AffectedBooking[] | null>(null);
  const pending = useRef<((ok: boolean) => void) | null>(null);

  const save = useCallback(async <T,>(attempt: Attempt<T>): Promise<Result<T> | null> => {
    const first = await attempt();
    if (first.ok || first.error.code !== 'roster/affects-bookings') return first;
    const list = (first.error.details?.affected ?? []) as AffectedBooking[];
    setAffected(list);
    const confirmed = await new Promise<boolean>((resolve) => {
      pending.current = resolve;
    });
    setAffected(null);
    if (!confirmed) return null;
    return attempt(list.map((a) => a.id));
  }, []);

  const answer = (ok: boolean) => {
    pending.current?.(ok);
    pending.current = null;
  };

  const dialog = (
    <Dialog open={affected !== null} onClose={() => answer(false)} maxWidth="md" fullWidth aria-labelledby="affected-title">
      <DialogTitle id="affected-title">This change affects {affected?.length ?? 0} booked appointment{affected?.length === 1 ? '' : 's'}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          These {affected?.length ?? 0} appointments stay booked; contact the patients to rebook. Nothing is cancelled or moved.
        </Alert>
        <Table size="small" aria-label="Affected appointments">
          <TableHead>
            <TableRow>
              <TableCell>When (local)</TableCell>
              <TableCell>Patient</TableCell>
              <TableCell>Phone</TableCell>
              <TableCell>Where</TableCell>
              <TableCell>Why</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {affected?.map((a) => (
              <TableRow key={a.id}>
                <TableCell>
                  {shortDate(a.localDate)} {a.localTime}
                </TableCell>
                <TableCell>{a.patientName}</TableCell>
                <TableCell>{a.patientPhone}</TableCell>
                <TableCell>{a.locationName}</TableCell>
                <TableCell>{a.why}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => answer(false)}>Cancel</Button>
        <Button variant="contained" color="warning" onClick={() => answer(true)} autoFocus>
          Save anyway
        </Button>
      </DialogActions>
    </Dialog>
  );

  return { save, dialog };
}

