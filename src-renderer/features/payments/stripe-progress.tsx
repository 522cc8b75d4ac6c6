/**
 * A Stripe payment in progress, for the payment dialog to embed: "Waiting for the card on the
 * reader Front desk…", or the payment page's link (copy, open in the browser), and Cancel.
 * It follows the payment live (the follow-up's records reach every screen as change notices);
 * when the payment ends it says how, and tells the dialog through `onFinished`.
 */
import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { StripeProgress } from '../../../src-main/contract/stripe-payments.contract.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { formatMoney } from '../../components/format.js';

export interface StripeProgressPanelProps {
  paymentId: string;
  /** Called once when the payment has ended (paid, failed, cancelled, refunded for a lost slot). */
  onFinished?: (progress: StripeProgress) => void;
}

const severity: Record<StripeProgress['stage'], 'success' | 'error' | 'info' | 'warning'> = {
  starting: 'info',
  'waiting-for-card': 'info',
  'waiting-for-page': 'info',
  processing: 'info',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'warning',
  'refunded-slot-lost': 'warning',
};

export function StripeProgressPanel({ paymentId, onFinished }: StripeProgressPanelProps) {
  const { data, error } = useRead('payment/stripe-progress', { paymentId });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const told = useRef(false);
  const progress = data?.progress ?? null;

  useEffect(() => {
    if (progress && progress.status !== 'pending' && !told.current) {
      told.current = true;
      onFinished?.(progress);
    }
  }, [progress, onFinished]);

  if (error) return <Alert severity="error">{error.message}</Alert>;
  if (!progress) {
    return (
      <Box sx={{ display: 'flex', justifyContent: 'center', p: 2 }}>
        <CircularProgress size={24} aria-label="Loading the payment" />
      </Box>
    );
  }

  const cancel = async () => {
    setBusy(true);
    setProblem(null);
    const result = await call('payment/cancel-stripe', { paymentId });
    setBusy(false);
    if (!result.ok) setProblem(result.error.message);
  };

  const copy = async () => {
    if (!progress.checkoutUrl) return;
    try {
      await navigator.clipboard.writeText(progress.checkoutUrl);
      setCopied(true);
    } catch {
      setProblem('The link could not be copied here: select it and copy it by hand.');
    }
  };

  const pending = progress.status === 'pending';
  return (
    <Stack spacing={1.5} data-testid="stripe-progress" aria-live="polite">
      <Typography variant="subtitle2">
        {formatMoney(progress.amountMinor, progress.currency)} · {progress.method === 'stripe_terminal' ? `Card on the Stripe reader${progress.readerLabel ? ` “${progress.readerLabel}”` : ''}` : 'Payment link'}
      </Typography>
      <Alert severity={severity[progress.stage]} icon={pending ? <CircularProgress size={18} aria-hidden /> : undefined} data-testid="stripe-progress-message">
        {progress.message}
      </Alert>
      {progress.checkoutUrl && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <TextField
            label="Payment link"
            value={progress.checkoutUrl}
            size="small"
            fullWidth
            slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'stripe-link', onFocus: (e: React.FocusEvent<HTMLInputElement>) => e.target.select() } }}
          />
          <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
            <Button onClick={() => void copy()} variant="outlined" size="small">
              {copied ? 'Copied' : 'Copy'}
            </Button>
            <Button href={progress.checkoutUrl} target="_blank" rel="noopener noreferrer" variant="outlined" size="small">
              Open
            </Button>
          </Stack>
        </Stack>
      )}
      {progress.holdExpiresAt && pending && (
        <Typography variant="body2" color="text.secondary">
          The slot stays held while the payment is in progress.
        </Typography>
      )}
      {problem && <Alert severity="error">{problem}</Alert>}
      {progress.canCancel && (
        <Box>
          <Button onClick={() => void cancel()} disabled={busy} color="inherit">
            Cancel this payment
          </Button>
        </Box>
      )}
    </Stack>
  );
}
