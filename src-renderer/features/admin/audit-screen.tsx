import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

import { AUDIT_KINDS, AUDIT_KIND_LABELS, type AuditKind } from '../../../src-main/contract/audit.contract.js';
import type { PatientSummary } from '../../../src-main/contract/patients.contract.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { PatientPicker } from '../booking/patient-picker.js';

const outcomeColor = { ok: 'success', denied: 'error', invalid: 'warning', error: 'error' } as const;
const outcomeLabel = { ok: 'Done', denied: 'Refused', invalid: 'Not valid', error: 'Failed' } as const;

/** The audit log in words: who did what to whom, newest first, filtered by who, what kind, patient and dates. */
export function AuditScreen() {
  const [staffId, setStaffId] = useState('');
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const staff = useRead('staff/list', {});
  const rangeBackwards = !!from && !!to && from > to;
  const audit = useRead('audit/list', {
    limit: 200,
    ...(staffId ? { staffId } : {}),
    ...(kind ? { kind } : {}),
    ...(patient ? { patientId: patient.id } : {}),
    ...(from ? { from } : {}),
    ...(to && !rangeBackwards ? { to } : {}),
  });
  const filtered = !!(staffId || kind || patient || from || to);
  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Audit log
      </Typography>
      <Typography color="text.secondary" gutterBottom>
        Every change and every refused attempt, newest first. The log cannot be edited or deleted.
      </Typography>
      <Box component="form" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()} sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: '1.1fr 1.1fr 1.6fr 0.9fr 0.9fr auto' }, gap: 1.5, alignItems: 'start', my: 2 }}>
        <TextField select label="Who" value={staffId} onChange={(e) => setStaffId(e.target.value)}>
          <MenuItem value="">Anyone</MenuItem>
          {staff.data?.staff.map((s) => (
            <MenuItem key={s.id} value={s.id}>
              {s.displayName}
            </MenuItem>
          ))}
        </TextField>
        <TextField select label="What kind" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
          <MenuItem value="">Everything</MenuItem>
          {AUDIT_KINDS.map((k) => (
            <MenuItem key={k} value={k}>
              {AUDIT_KIND_LABELS[k]}
            </MenuItem>
          ))}
        </TextField>
        <PatientPicker value={patient} onChange={setPatient} />
        <TextField type="date" label="From" value={from} onChange={(e) => setFrom(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
        <TextField
          type="date"
          label="To"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          error={rangeBackwards}
          helperText={rangeBackwards ? 'The last day is before the first day.' : undefined}
        />
        <Button
          disabled={!filtered}
          onClick={() => {
            setStaffId('');
            setKind('');
            setPatient(null);
            setFrom('');
            setTo('');
          }}
          sx={{ mt: 0.25 }}
        >
          Clear filters
        </Button>
      </Box>
      <ErrorBanner error={audit.error} />
      <Paper>
        <Table size="small" aria-label="Audit log">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 190 }}>When</TableCell>
              <TableCell>What happened</TableCell>
              <TableCell sx={{ width: 110 }}>Outcome</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {audit.data?.rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={3}>{filtered ? 'Nothing matches these filters.' : 'Nothing has been recorded yet.'}</TableCell>
              </TableRow>
            )}
            {audit.data?.rows.map((r) => (
              <TableRow key={r.seq}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {new Date(r.at).toLocaleString()}
                  {r.lastAt && r.lastAt !== r.at ? ` – ${new Date(r.lastAt).toLocaleTimeString()}` : ''}
                </TableCell>
                <TableCell sx={{ overflowWrap: 'anywhere' }}>{r.summary}</TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" color={outcomeColor[r.outcome as keyof typeof outcomeColor] ?? 'default'} label={outcomeLabel[r.outcome as keyof typeof outcomeLabel] ?? r.outcome} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Box>
  );
}
