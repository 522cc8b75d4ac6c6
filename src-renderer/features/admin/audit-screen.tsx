import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';

const outcomeColor = { ok: 'success', denied: 'error', invalid: 'warning', error: 'error' } as const;

export function AuditScreen() {
  const audit = useRead('audit/list', { limit: 200 });
  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Audit log
      </Typography>
      <Typography color="text.secondary" gutterBottom>
        Every change and every refused attempt, newest first. The log cannot be edited or deleted.
      </Typography>
      <ErrorBanner error={audit.error} />
      <Paper>
        <Table size="small" aria-label="Audit log">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>Operation</TableCell>
              <TableCell>Record</TableCell>
              <TableCell>Outcome</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {audit.data?.rows.map((r) => (
              <TableRow key={r.seq}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {new Date(r.at).toLocaleString()}
                  {r.lastAt && r.lastAt !== r.at ? ` – ${new Date(r.lastAt).toLocaleTimeString()}` : ''}
                </TableCell>
                <TableCell>
                  {r.actorName ?? r.actorKind}
                  {r.source ? ` (${r.source})` : ''}
                </TableCell>
                <TableCell>{r.handler}</TableCell>
                <TableCell>{r.recordType ? `${r.recordType} ${r.recordId?.slice(0, 8) ?? ''}` : ''}</TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" color={outcomeColor[r.outcome as keyof typeof outcomeColor] ?? 'default'} label={`${r.detail ? `${r.outcome}: ${r.detail}` : r.outcome}${r.count > 1 ? ` × ${r.count} attempts` : ''}`} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Box>
  );
}
