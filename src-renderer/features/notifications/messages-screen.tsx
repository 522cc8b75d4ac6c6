import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Link from '@mui/material/Link';
import type { AppError, MessageView } from '../../../src-main/contract/index.js';
import { messageChannels, messageKinds, messageStatuses } from '../../../src-main/contract/notifications.contract.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { navigate } from '../../app/router.js';
import { channelLabel, describe, kindLabel, statusColor, when } from './message-format.js';

type Filters = { status: MessageView['status'] | ''; channel: MessageView['channel'] | ''; kind: MessageView['kind'] | '' };

/**
 * Messages to patients: every confirmation, reminder, new-time and cancellation notice, by
 * e-mail or SMS — queued, sent (with the server's id), failed or skipped with the reason — and
 * a retry for the ones that did not go out.
 */
export function MessagesScreen() {
  const zone = useClinicZone() ?? 'UTC';
  const [filters, setFilters] = useState<Filters>({ status: '', channel: '', kind: '' });
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const input = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(cursor ? { cursor } : {}),
    limit: 50,
  };
  const list = useRead('notifications/list', input);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const set = (patch: Partial<Filters>) => {
    setCursor(undefined);
    setFilters({ ...filters, ...patch });
  };
  const retry = async (m: MessageView) => {
    setError(null);
    setNotice(null);
    const result = await call('notifications/retry', { messageId: m.id });
    if (!result.ok) setError(result.error);
    else setNotice(`${describe(m)} to ${m.patientName} will be sent again now.`);
  };
  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Messages
      </Typography>
      <Typography color="text.secondary" gutterBottom>
        What the clinic sent to patients, or why it did not. Times are the clinic’s.
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }} aria-label="Filters">
        <TextField select size="small" fullWidth={false} slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }} label="State" value={filters.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })} sx={{ minWidth: 140 }}>
          <MenuItem value="">All</MenuItem>
          {messageStatuses.map((s) => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" fullWidth={false} slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }} label="Channel" value={filters.channel} onChange={(e) => set({ channel: e.target.value as Filters['channel'] })} sx={{ minWidth: 120 }}>
          <MenuItem value="">All</MenuItem>
          {messageChannels.map((c) => (
            <MenuItem key={c} value={c}>
              {channelLabel[c]}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" fullWidth={false} slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }} label="Kind" value={filters.kind} onChange={(e) => set({ kind: e.target.value as Filters['kind'] })} sx={{ minWidth: 160 }}>
          <MenuItem value="">All</MenuItem>
          {messageKinds.map((k) => (
            <MenuItem key={k} value={k}>
              {kindLabel[k]}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ErrorBanner error={list.error ?? error} />
      {notice && <Alert severity="success">{notice}</Alert>}
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Messages">
          <TableHead>
            <TableRow>
              <TableCell>Patient</TableCell>
              <TableCell>Message</TableCell>
              <TableCell>Channel</TableCell>
              <TableCell>Appointment</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Details</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {list.data?.items.map((m) => (
              <TableRow key={m.id} aria-label={`${describe(m)} ${channelLabel[m.channel]} to ${m.patientName}`}>
                <TableCell>
                  <Link component="button" onClick={() => navigate('confirmation', m.appointmentId)}>
                    {m.patientName}
                  </Link>
                </TableCell>
                <TableCell>{describe(m)}</TableCell>
                <TableCell>
                  {channelLabel[m.channel]}
                  {m.recipient && (
                    <Typography variant="caption" component="div" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
                      {m.recipient}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(m.appointmentStartAt, zone)}</TableCell>
                <TableCell>
                  <Chip size="small" color={statusColor[m.status]} label={m.status} />
                </TableCell>
                <TableCell sx={{ maxWidth: 420, wordBreak: 'break-word' }}>
                  {m.status === 'sent' && `Sent ${when(m.sentAt, zone)}${m.providerId ? ` · server id ${m.providerId}` : ''}`}
                  {m.status === 'queued' && `Due ${when(m.nextAt, zone)}${m.attempts > 0 ? ` · attempt ${m.attempts + 1}` : ''}`}
                  {m.reason && (
                    <Typography variant="body2" color={m.status === 'failed' ? 'error' : 'text.secondary'}>
                      {m.reason}
                    </Typography>
                  )}
                </TableCell>
                <TableCell align="right">
                  {(m.status === 'failed' || m.status === 'skipped') && (
                    <Button size="small" variant="outlined" onClick={() => void retry(m)} aria-label={`Retry ${describe(m)} to ${m.patientName}`}>
                      Retry
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
            {list.data && list.data.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>No messages{filters.status || filters.channel || filters.kind ? ' match these filters' : ' yet'}.</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {cursor && <Button onClick={() => setCursor(undefined)}>Newest</Button>}
        {list.data?.nextCursor && <Button onClick={() => setCursor(list.data!.nextCursor!)}>Older</Button>}
      </Stack>
    </Box>
  );
}
