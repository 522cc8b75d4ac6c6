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

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { useClinicLocale } from '../booking/price-breakdown.js';
import { whenLabel } from './assignment-format.js';

/** Every assignment of the patient, current and past: who assigned whom, when and why, and how it ended. */
export function AssignmentHistoryDialog({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const list = useRead('assignment/list', { patientId, includeHistory: true });
  const zone = useClinicZone();
  const locale = useClinicLocale();
  const rows = [
    ...(list.data?.current.map((a) => ({ ...a, endedAt: null, endedBy: null, endReason: '' })) ?? []),
    ...(list.data?.history ?? []),
  ];
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="lg" aria-labelledby="assignment-history-title">
      <DialogTitle id="assignment-history-title">Assignment history</DialogTitle>
      <DialogContent>
        <ErrorBanner error={list.error} />
        <Table size="small" aria-label="Assignment history">
          <TableHead>
            <TableRow>
              <TableCell>As</TableCell>
              <TableCell>Doctor</TableCell>
              <TableCell>Assigned</TableCell>
              <TableCell>Why</TableCell>
              <TableCell>Ended</TableCell>
              <TableCell>Why it ended</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.data && rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>No assignments yet.</TableCell>
              </TableRow>
            )}
            {rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.kind === 'primary' ? 'Primary' : r.specialization?.name}</TableCell>
                <TableCell>{r.doctor.name}</TableCell>
                <TableCell>
                  {whenLabel(r.assignedAt, zone, locale)} by {r.assignedBy ?? 'the system'}
                </TableCell>
                <TableCell>{r.reason || '—'}</TableCell>
                <TableCell>{r.endedAt ? `${whenLabel(r.endedAt, zone, locale)} by ${r.endedBy ?? 'the system'}` : 'current'}</TableCell>
                <TableCell>{r.endReason || '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
