import { useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AppError, PaymentStatusName } from '../../../src-main/contract/index.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { newIdempotencyKey, useClinicMoney, type ClinicMoney } from './clinic-money.js';
import { draftErrors, paymentMethodEntries, type Draft, type MethodEnv } from './payment-methods.js';
import { PaymentsList } from './payment-panel.js';
import { PaymentStatusChip } from './payment-status-chip.js';
import { ReceiptDialog } from './receipt-dialog.js';

/** A "Pay" / "Payment" button that opens the payment dialog of one appointment. */
/**
 * The appointment's money button: "Pay" while its price is owed, "Take the fee" while a
 * cancelled or missed visit's fee is owed (`mode: 'fee'`), else "Payment" (receipts, refunds).
 */
export function PaymentButton({ appointmentId, title, status, mode }: { appointmentId: string; title: string; status: PaymentStatusName; mode?: 'fee' | 'view' }) {
  const [open, setOpen] = useState(false);
  const owing = mode !== 'view' && (status === 'unpaid' || status === 'partly_paid');
  const word = !owing ? 'Payment' : mode === 'fee' ? 'Take the fee' : 'Pay';
  return (
    <>
      <Button size="small" variant={owing ? 'outlined' : 'text'} onClick={() => setOpen(true)} aria-label={`${word} ${title}`} sx={{ whiteSpace: 'nowrap' }}>
        {word}
      </Button>
      {open && <PaymentDialog appointmentId={appointmentId} title={title} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * An appointment's money in one dialog: price, discount, total, paid and due; the payments
 * taken (receipts, refunds, insurance claims to settle); and, while something is due, the
 * form to take it. Keyboard: arrows choose the method, Enter takes it, Esc closes.
 */
export function PaymentDialog({ appointmentId, title, onClose }: { appointmentId: string; title: string; onClose: () => void }) {
  const summary = useRead('payment/summary', { appointmentId });
  const price = useRead('payment/price', { appointmentId });
  const money = useClinicMoney();
  const [receiptOf, setReceiptOf] = useState<string | null>(null);
  const [taken, setTaken] = useState<{ message: string; paymentId: string } | null>(null);
  const s = summary.data;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="payment-title">
      <DialogTitle id="payment-title" sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Box component="span" sx={{ flexGrow: 1 }}>
          Payment — {title}
        </Box>
        {s && <PaymentStatusChip status={s.status} />}
      </DialogTitle>
      <DialogContent>
        <ErrorBanner error={summary.error ?? price.error} />
        {s && money && (
          <>
            <Box component="dl" aria-label="Amounts" sx={{ display: 'grid', gridTemplateColumns: 'max-content max-content', columnGap: 3, rowGap: 0.25, m: 0, mb: 2, '& dt': { color: 'text.secondary' }, '& dd': { m: 0, textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}>
              {price.data && price.data.discountMinor > 0 && (
                <>
                  <dt>Price</dt>
                  <dd>{money.fmt(price.data.baseMinor, s.currency)}</dd>
                  <dt>Discount{price.data.code ? ` (code ${price.data.code})` : ''}</dt>
                  <dd>−{money.fmt(price.data.discountMinor, s.currency)}</dd>
                </>
              )}
              <dt>Total</dt>
              <dd>{money.fmt(s.priceMinor, s.currency)}</dd>
              {s.feeMinor > 0 && (
                <>
                  <dt>Cancellation fee kept</dt>
                  <dd>{money.fmt(s.feeMinor, s.currency)}</dd>
                </>
              )}
              <dt>Paid</dt>
              <dd>{money.fmt(s.paidMinor, s.currency)}</dd>
              {s.refundedMinor > 0 && (
                <>
                  <dt>Refunded</dt>
                  <dd>{money.fmt(s.refundedMinor, s.currency)}</dd>
                </>
              )}
              <Box component="dt" sx={{ fontWeight: 700, color: 'text.primary !important' }}>
                Due
              </Box>
              <Box component="dd" sx={{ fontWeight: 700 }} data-testid="due">
                {money.fmt(s.dueMinor, s.currency)}
              </Box>
            </Box>
            {taken && (
              <Alert
                severity="success"
                sx={{ mb: 2 }}
                action={
                  <Button color="inherit" size="small" onClick={() => setReceiptOf(taken.paymentId)}>
                    Receipt
                  </Button>
                }
              >
                {taken.message} {s.dueMinor > 0 ? `Still due: ${money.fmt(s.dueMinor, s.currency)}.` : 'Nothing more is due.'}
              </Alert>
            )}
            {s.payments.length > 0 && <PaymentsList summary={s} money={money} onReceipt={setReceiptOf} onChanged={summary.reload} />}
            {s.dueMinor > 0 && (
              <>
                {s.payments.length > 0 && <Divider sx={{ my: 2 }} />}
                <TakePayment key={`${s.dueMinor}-${s.payments.length}`} env={{ appointmentId, dueMinor: s.dueMinor, money }} onTaken={(t) => { setTaken(t); summary.reload(); }} />
              </>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
      {receiptOf && <ReceiptDialog paymentId={receiptOf} onClose={() => setReceiptOf(null)} />}
    </Dialog>
  );
}

function TakePayment({ env, onTaken }: { env: MethodEnv; onTaken: (taken: { message: string; paymentId: string }) => void }) {
  const [methodId, setMethodId] = useState(paymentMethodEntries[0]!.id);
  const method = paymentMethodEntries.find((m) => m.id === methodId)!;
  const [draft, setDraft] = useState<Draft>(() => method.initial?.(env) ?? {});
  const form = useFieldErrors();
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  // One key per submission, kept for its retries (a dropped answer, a double press): the
  // server replays it, so the money is taken once.
  const attempt = useRef<{ signature: string; key: string } | null>(null);

  const choose = (id: string) => {
    const next = paymentMethodEntries.find((m) => m.id === id)!;
    setMethodId(id);
    setDraft(next.initial?.(env) ?? {});
    form.clear();
  };
  const set = (key: string, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // An error says what was wrong with what was typed: typing again clears it.
    if (form.field(key).error) form.clear();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    const prepared = method.prepare(draft, env);
    if ('fieldErrors' in prepared) {
      form.fromError({ code: 'validation/invalid-input', message: 'Check the fields.', fieldErrors: prepared.fieldErrors });
      return;
    }
    const signature = JSON.stringify([methodId, draft]);
    if (attempt.current?.signature !== signature) attempt.current = { signature, key: newIdempotencyKey() };
    sending.current = true;
    setBusy(true);
    try {
      const result = await prepared.send(attempt.current.key);
      if (!result.ok) {
        form.fromError(draftErrors(result.error as AppError));
        return;
      }
      attempt.current = null;
      const paymentId = (result.data as { payment?: { id: string } }).payment?.id;
      if (paymentId) onTaken({ message: prepared.done(), paymentId });
      form.clear();
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Take payment">
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        Take payment
      </Typography>
      <RadioGroup row value={methodId} onChange={(e) => choose(e.target.value)} aria-label="Method" name="method" sx={{ mb: 1 }}>
        {paymentMethodEntries.map((m) => (
          <FormControlLabel key={m.id} value={m.id} control={<Radio size="small" />} label={m.label} />
        ))}
      </RadioGroup>
      <ErrorBanner error={form.banner} />
      <method.Fields draft={draft} set={set} env={env} field={form.field} />
      <Stack direction="row" spacing={1} sx={{ mt: 2, justifyContent: 'flex-end' }}>
        <Button type="submit" variant="contained" disabled={busy}>
          {method.action}
        </Button>
      </Stack>
    </Box>
  );
}

export type { ClinicMoney };
