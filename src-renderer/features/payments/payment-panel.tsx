import { useRef, useState } from 'react';
import { StripeProgressPanel } from './stripe-progress.js';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { PaymentSummary, PaymentView, RefundView } from '../../../src-main/contract/index.js';
import { contract } from '../../../src-main/contract/index.js';
import { paymentMethodLabels } from '../../../src-main/contract/payments.contract.js';
import { call } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { newIdempotencyKey, type ClinicMoney } from './clinic-money.js';

const statusWords: Record<PaymentView['status'], string> = { pending: 'Awaiting the insurer', succeeded: 'Taken', failed: 'Failed', cancelled: 'Cancelled' };
const refundWords: Record<RefundView['status'], string> = { pending: 'to do', succeeded: 'done', failed: 'failed' };

/** How a refund goes back, in a receptionist's words. */
export function refundHow(method: RefundView['method']): string {
  if (method === 'cash') return 'cash paid out from the till';
  if (method === 'card_terminal') return 'on the desk’s card terminal';
  if (method === 'insurance') return 'to the insurer';
  if (method === 'no_charge') return 'nothing to give back';
  return 'through Stripe';
}

function details(p: PaymentView, money: ClinicMoney): string {
  const parts: string[] = [];
  if (p.tenderedMinor !== null) parts.push(`handed over ${money.fmt(p.tenderedMinor, p.currency)}, change ${money.fmt(p.changeMinor ?? 0, p.currency)}`);
  if (p.insurer) parts.push(p.insurer);
  if (p.reference) parts.push(p.method === 'no_charge' ? `reason: ${p.reference}` : `ref. ${p.reference}`);
  if (p.failureReason) parts.push(p.failureReason);
  return parts.join(' · ');
}

/** The payments of an appointment, with their receipts, refunds and claims to settle. */
export function PaymentsList({ summary, money, onReceipt, onChanged }: { summary: PaymentSummary; money: ClinicMoney; onReceipt: (id: string) => void; onChanged: () => void }) {
  const [refunding, setRefunding] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const settle = async (paymentId: string, outcome: 'paid' | 'rejected') => {
    const result = await call('payment/settle-insurance', { paymentId, outcome, note: '' });
    if (!result.ok) setError(result.error);
    else onChanged();
  };
  return (
    <Box>
      <ErrorBanner error={error} />
      <Table size="small" aria-label="Payments taken">
        <TableHead>
          <TableRow>
            <TableCell>Method</TableCell>
            <TableCell align="right">Amount</TableCell>
            <TableCell>Details</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {summary.payments.map((p) => {
            const refundable = p.status === 'succeeded' ? p.amountMinor - p.refundedMinor : 0;
            const refunds = summary.refunds.filter((r) => r.paymentId === p.id);
            return (
              <TableRow key={p.id} sx={{ verticalAlign: 'top' }}>
                <TableCell>
                  {paymentMethodLabels[p.method]}
                  <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                    {statusWords[p.status]}
                    {p.createdByName ? ` by ${p.createdByName}` : ''}
                    {p.businessDay ? ` · ${p.businessDay}` : ''}
                  </Typography>
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {money.fmt(p.amountMinor, p.currency)}
                </TableCell>
                <TableCell>
                  <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                    {details(p, money)}
                  </Typography>
                  {(p.method === 'stripe_terminal' || p.method === 'stripe_checkout') && p.status === 'pending' && (
                    <StripeProgressPanel paymentId={p.id} onFinished={onChanged} />
                  )}
                  {refunds.map((r) => (
                    <RefundLine key={r.id} refund={r} money={money} onChanged={onChanged} />
                  ))}
                  {refunding === p.id && <RefundForm payment={p} refundable={refundable} money={money} onDone={() => { setRefunding(null); onChanged(); }} onCancel={() => setRefunding(null)} />}
                </TableCell>
                <TableCell>
                  <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
                    <Button size="small" onClick={() => onReceipt(p.id)} aria-label={`Receipt for ${paymentMethodLabels[p.method]} ${money.fmt(p.amountMinor, p.currency)}`}>
                      Receipt
                    </Button>
                    {refundable > 0 && refunding !== p.id && (
                      <Button size="small" color="warning" onClick={() => setRefunding(p.id)}>
                        Refund
                      </Button>
                    )}
                    {p.method === 'insurance' && p.status === 'pending' && (
                      <>
                        <Button size="small" color="success" onClick={() => void settle(p.id, 'paid')}>
                          Insurer paid
                        </Button>
                        <Button size="small" color="error" onClick={() => void settle(p.id, 'rejected')}>
                          Rejected
                        </Button>
                      </>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

function RefundLine({ refund, money, onChanged }: { refund: RefundView; money: ClinicMoney; onChanged: () => void }) {
  return (
    <Box sx={{ mt: 0.5 }}>
      <Typography variant="body2" color={refund.status === 'failed' ? 'error' : 'text.secondary'}>
        Refund {money.fmt(refund.amountMinor, refund.currency)} — {refundHow(refund.method)} ({refundWords[refund.status]}): {refund.reason}
        {refund.reference ? ` · ref. ${refund.reference}` : ''}
      </Typography>
      {refund.status === 'pending' && (refund.method === 'card_terminal' || refund.method === 'insurance') && <ConfirmRefundForm refundId={refund.id} onDone={onChanged} />}
    </Box>
  );
}

/** A refund done on the terminal (or by the insurer): its reference, which books it. */
export function ConfirmRefundForm({ refundId, onDone }: { refundId: string; onDone: () => void }) {
  const [reference, setReference] = useState('');
  const form = useFieldErrors();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = form.check(contract['payment/confirm-refund'].input, { refundId, reference });
    if (!input) return;
    const result = await call('payment/confirm-refund', input);
    if (!result.ok) return form.fromError(result.error);
    onDone();
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Record refund reference" sx={{ display: 'flex', gap: 1, mt: 0.5, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <TextField size="small" label="Refund reference" value={reference} onChange={(e) => setReference(e.target.value)} {...form.field('reference')} sx={{ width: 240, maxWidth: '100%' }} />
      <Button type="submit" size="small" variant="outlined">
        Record refund
      </Button>
      <ErrorBanner error={form.banner} />
    </Box>
  );
}

function RefundForm({ payment, refundable, money, onDone, onCancel }: { payment: PaymentView; refundable: number; money: ClinicMoney; onDone: () => void; onCancel: () => void }) {
  const [amount, setAmount] = useState(() => money.amount(refundable));
  const [reason, setReason] = useState('');
  const form = useFieldErrors();
  const attempt = useRef<{ signature: string; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const parsed = money.parse(amount);
    if (!parsed.ok) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: { amountMinor: [parsed.message] } });
    if (parsed.minor > refundable) {
      return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: { amountMinor: [`At most ${money.fmt(refundable, payment.currency)} can be refunded.`] } });
    }
    const signature = JSON.stringify([amount, reason]);
    if (attempt.current?.signature !== signature) attempt.current = { signature, key: newIdempotencyKey() };
    const input = form.check(contract['payment/refund'].input, { paymentId: payment.id, amountMinor: parsed.minor, reason, idempotencyKey: attempt.current.key });
    if (!input) return;
    setBusy(true);
    const result = await call('payment/refund', input);
    setBusy(false);
    if (!result.ok) return form.fromError(result.error);
    onDone();
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Refund" sx={{ mt: 1, p: 1, border: 1, borderColor: 'divider', borderRadius: 1 }}>
      <ErrorBanner error={form.banner} />
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        <TextField size="small" label={`Refund (${payment.currency})`} value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus {...form.field('amountMinor')} sx={{ width: 140 }} />
        <TextField size="small" label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} {...form.field('reason')} sx={{ flex: 1, minWidth: 160 }} />
      </Stack>
      <Alert severity="info" sx={{ mt: 1, py: 0 }}>
        Goes back {refundHow(payment.method)}.
      </Alert>
      <Stack direction="row" spacing={1} sx={{ mt: 1, justifyContent: 'flex-end' }}>
        <Button size="small" onClick={onCancel}>
          Don’t refund
        </Button>
        <Button size="small" type="submit" variant="contained" color="warning" disabled={busy}>
          Refund
        </Button>
      </Stack>
    </Box>
  );
}
