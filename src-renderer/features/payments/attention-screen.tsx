import { useState } from 'react';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { AttentionView } from '../../../src-main/contract/index.js';
import { contract } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { ConfirmRefundForm } from './payment-panel.js';
import { PaymentDialog } from './payment-dialog.js';

const kindLabels: Record<AttentionView['kind'], string> = {
  'slot-lost-refunded': 'Paid, slot lost: refunded',
  'refund-failed': 'Refund failed',
  'refund-on-terminal': 'Refund on the card terminal',
  'refund-to-insurer': 'Refund to the insurer',
  'payment-unknown': 'Payment outcome unknown',
  'insurance-rejected': 'Insurance claim rejected',
};

/** The count of open items, as a badge beside the menu entry. */
export function AttentionCount() {
  const open = useRead('payment/attention', { include: 'open' });
  const n = open.data?.items.length ?? 0;
  if (n === 0) return null;
  return <Badge badgeContent={n} color="error" max={99} aria-label={`${n} need attention`} sx={{ ml: 1.5, '& .MuiBadge-badge': { position: 'static', transform: 'none' } }} />;
}

/** Money matters a person must finish: refunds to do on the terminal, failed refunds, rejected claims. */
export function AttentionScreen() {
  const [include, setInclude] = useState<'open' | 'all'>('open');
  const list = useRead('payment/attention', { include });
  const [paying, setPaying] = useState<{ appointmentId: string; title: string } | null>(null);
  return (
    <Box component="main">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Needs attention
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={include} onChange={(_e, v: 'open' | 'all' | null) => v && setInclude(v)} aria-label="Which items">
          <ToggleButton value="open">Open</ToggleButton>
          <ToggleButton value="all">All</ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      <ErrorBanner error={list.error} />
      {list.data?.items.length === 0 && <Typography color="text.secondary">Nothing needs attention.</Typography>}
      <Stack spacing={1} role="list" aria-label="Items needing attention">
        {list.data?.items.map((item) => (
          <Paper key={item.id} role="listitem" variant="outlined" sx={{ p: 1.5 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
              <Chip size="small" color={item.resolvedAt ? 'default' : 'warning'} label={kindLabels[item.kind]} />
              <Typography sx={{ fontWeight: 600 }}>{item.patientName ?? 'Unknown patient'}</Typography>
              <Typography variant="caption" color="text.secondary" sx={{ flexGrow: 1 }}>
                {new Date(item.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
              </Typography>
              {item.appointmentId && (
                <Button size="small" onClick={() => setPaying({ appointmentId: item.appointmentId!, title: item.patientName ?? 'appointment' })}>
                  Payment
                </Button>
              )}
            </Stack>
            <Typography variant="body2" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
              {item.detail}
            </Typography>
            {item.resolvedAt ? (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                Done{item.resolvedByName ? ` by ${item.resolvedByName}` : ''}: {item.resolution}
              </Typography>
            ) : item.refundId && (item.kind === 'refund-on-terminal' || item.kind === 'refund-to-insurer') ? (
              <ConfirmRefundForm refundId={item.refundId} onDone={list.reload} />
            ) : (
              <ResolveForm attentionId={item.id} onDone={list.reload} />
            )}
          </Paper>
        ))}
      </Stack>
      {paying && <PaymentDialog appointmentId={paying.appointmentId} title={paying.title} onClose={() => setPaying(null)} />}
      <Button size="small" sx={{ mt: 2 }} onClick={() => navigate('agenda')}>
        Back to the agenda
      </Button>
    </Box>
  );
}

function ResolveForm({ attentionId, onDone }: { attentionId: string; onDone: () => void }) {
  const [resolution, setResolution] = useState('');
  const form = useFieldErrors();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = form.check(contract['payment/resolve-attention'].input, { attentionId, resolution });
    if (!input) return;
    const result = await call('payment/resolve-attention', input);
    if (!result.ok) return form.fromError(result.error);
    onDone();
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Mark as dealt with" sx={{ display: 'flex', gap: 1, mt: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <TextField size="small" label="What was done" value={resolution} onChange={(e) => setResolution(e.target.value)} sx={{ flex: 1, minWidth: 220 }} {...form.field('resolution')} />
      <Button type="submit" size="small" variant="outlined">
        Mark as dealt with
      </Button>
      <ErrorBanner error={form.banner} />
    </Box>
  );
}
