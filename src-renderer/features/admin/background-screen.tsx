import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AppError, ConsumerStatus } from '../../../src-main/contract/index.js';
import { call, fetchData } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useLoad } from '../../components/use-load.js';

/**
 * Background work: every consumer of the change log (sync, notifications, payments follow-up
 * as they arrive), how many changes it has still to handle, what is failing and what is
 * parked, with a retry for each parked item.
 */
export function BackgroundScreen() {
  const status = useLoad(() => fetchData('background/status', {}), 'background');
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const retry = async (consumer: string, eventSeq: number) => {
    setError(null);
    setNotice(null);
    const result = await call('background/retry', { consumer, eventSeq });
    if (!result.ok) setError(result.error);
    else setNotice(`Change ${eventSeq} will be tried again now.`);
    status.reload();
  };
  return (
    <Box component="main">
      <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h5" component="h1" gutterBottom>
          Background work
        </Typography>
        <Button onClick={status.reload}>Refresh</Button>
      </Stack>
      <Typography color="text.secondary" gutterBottom>
        Work done after changes are saved. Each task reads the change log at its own pace; a change it cannot handle is tried
        again later, and set aside (parked) after several failures without holding up other records.
      </Typography>
      <ErrorBanner error={status.error ?? error} />
      {notice && <Alert severity="success">{notice}</Alert>}
      {status.data && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {status.data.totalEvents.toLocaleString()} changes recorded on this desk.
        </Typography>
      )}
      <Stack spacing={2}>
        {status.data?.consumers.map((c) => <ConsumerCard key={c.name} consumer={c} onRetry={retry} />)}
      </Stack>
    </Box>
  );
}

function ConsumerCard({ consumer: c, onRetry }: { consumer: ConsumerStatus; onRetry: (consumer: string, eventSeq: number) => void }) {
  return (
    <Paper sx={{ p: 2 }} aria-label={`Task ${c.name}`} component="section">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2" sx={{ mr: 1 }}>
          {c.name}
        </Typography>
        <Chip size="small" color={c.lag === 0 ? 'success' : 'info'} label={c.lag === 0 ? 'Up to date' : `${c.lag.toLocaleString()} behind`} />
        <Chip size="small" color={c.retrying > 0 ? 'warning' : 'default'} variant="outlined" label={`${c.retrying} retrying`} />
        <Chip size="small" color={c.parked.length > 0 ? 'error' : 'default'} variant="outlined" label={`${c.parked.length} parked`} />
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
        {c.summary}
      </Typography>
      {c.parked.length + c.failures.length > 0 && (
        <Box sx={{ overflowX: 'auto', mt: 1 }}>
          <Table size="small" aria-label={`Problems of ${c.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>Change</TableCell>
                <TableCell>Record</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Attempts</TableCell>
                <TableCell>Last error</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {c.parked.map((p) => (
                <TableRow key={`p${p.eventSeq}`}>
                  <TableCell>{p.eventSeq}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-all' }}>
                    {p.entity} {p.entityId.slice(0, 8)}
                  </TableCell>
                  <TableCell>
                    <Chip size="small" color="error" label="parked" />
                  </TableCell>
                  <TableCell>{p.attempts}</TableCell>
                  <TableCell sx={{ maxWidth: 360, wordBreak: 'break-word' }}>{p.lastError ?? ''}</TableCell>
                  <TableCell align="right">
                    <Button size="small" variant="outlined" onClick={() => onRetry(c.name, p.eventSeq)} aria-label={`Retry change ${p.eventSeq}`}>
                      Retry
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
              {c.failures.map((f) => (
                <TableRow key={`f${f.eventSeq}`}>
                  <TableCell>{f.eventSeq}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-all' }}>
                    {f.entity} {f.entityId.slice(0, 8)}
                  </TableCell>
                  <TableCell>
                    <Chip size="small" color="warning" variant="outlined" label={f.state === 'waiting' ? 'waiting behind an earlier change' : `next try ${new Date(f.nextAt).toLocaleTimeString()}`} />
                  </TableCell>
                  <TableCell>{f.attempts}</TableCell>
                  <TableCell sx={{ maxWidth: 360, wordBreak: 'break-word' }}>{f.lastError ?? ''}</TableCell>
                  <TableCell />
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Paper>
  );
}
