import { useSyncExternalStore } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { AppError, CancelPreview } from '../../../src-main/contract/index.js';
import { paymentMethodLabels } from '../../../src-main/contract/payments.contract.js';
import type { Loaded } from '../../api/queries.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useClinicMoney, type ClinicMoney } from './clinic-money.js';
import { refundHow } from './payment-panel.js';
import { PaymentStatusChip } from './payment-status-chip.js';

function Lines({ preview: p, money, done }: { preview: CancelPreview; money: ClinicMoney; done: boolean }) {
  const fmt = (minor: number) => money.fmt(minor, p.currency);
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5, '& li': { mb: 0.25 } }}>
      {p.paidMinor === 0 && <li>Nothing has been paid{p.feeMinor > 0 ? `; a fee of ${fmt(p.feeMinor)} ${done ? 'is now due' : 'will be due'}` : ''}.</li>}
      {p.paidMinor > 0 && p.feeMinor > 0 && (
        <li>
          Fee kept: <b>{fmt(p.feeMinor)}</b>
        </li>
      )}
      {p.refunds.map((r) => (
        <li key={r.paymentId}>
          Refund{done ? 'ed' : ''}: <b>{fmt(r.amountMinor)}</b> — {paymentMethodLabels[r.method]}, {refundHow(r.method)}
          {r.method === 'card_terminal' && ' (do it on the terminal, then record its reference)'}
        </li>
      ))}
      {p.commissionReversedMinor > 0 && <li>Agent’s commission reversed: {fmt(p.commissionReversedMinor)}</li>}
    </Box>
  );
}

/** What cancelling now does with the money, shown in the cancel dialog before confirming. */
export function CancelMoneyPreview({ preview }: { preview: Loaded<CancelPreview> }) {
  const money = useClinicMoney();
  const p = preview.data;
  if (preview.error) return <ErrorBanner error={preview.error} />;
  if (!p || !money) return null;
  return (
    <Alert severity={p.feeMinor > 0 ? 'warning' : 'info'} aria-label="Money on cancelling" icon={false}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {p.party === 'clinic' ? 'Cancelled by the clinic: everything paid is refunded.' : p.withinWindow ? `Inside the ${p.windowHours}-hour cancellation window.` : `More than ${p.windowHours} hours before: full refund.`}
      </Typography>
      <Typography variant="body2" sx={{ mb: 0.5 }}>
        {p.policyText}
      </Typography>
      <Lines preview={p} money={money} done={false} />
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        {p.summary}
      </Typography>
    </Alert>
  );
}

// ---- After cancelling: what happened (shown above the screen, which may drop the appointment) ----

interface Outcome {
  appointmentId: string;
  title: string;
  preview: CancelPreview | null;
}
let outcome: Outcome | null = null;
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const setOutcome = (next: Outcome | null) => {
  outcome = next;
  for (const l of listeners) l();
};

/** After a cancellation: shows what happened to the money. */
export const showCancelOutcome = (appointmentId: string, title: string, preview: CancelPreview | null): void => setOutcome({ appointmentId, title, preview });

/** Mounted once (app.tsx): the "what happened" dialog after a cancellation. */
export function CancelOutcomeHost() {
  const current = useSyncExternalStore(subscribe, () => outcome);
  if (!current) return null;
  return <CancelOutcomeDialog key={current.appointmentId} outcome={current} onClose={() => setOutcome(null)} />;
}

function CancelOutcomeDialog({ outcome: o, onClose }: { outcome: Outcome; onClose: () => void }) {
  const summary = useRead('payment/summary', { appointmentId: o.appointmentId });
  const money = useClinicMoney();
  const s = summary.data;
  const waiting = s?.refunds.filter((r) => r.status === 'pending') ?? [];
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="cancel-outcome-title">
      <DialogTitle id="cancel-outcome-title" sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Box component="span" sx={{ flexGrow: 1 }}>
          Cancelled: {o.title}
        </Box>
        {s && <PaymentStatusChip status={s.status} />}
      </DialogTitle>
      <DialogContent>
        <ErrorBanner error={summary.error as AppError | null} />
        {o.preview && money && (
          <>
            <Typography variant="body2" sx={{ mb: 0.5 }}>
              {o.preview.policyText}
            </Typography>
            <Lines preview={o.preview} money={money} done />
          </>
        )}
        {s && money && (
          <Box sx={{ mt: 1 }} aria-label="Money now">
            <Typography variant="body2">
              Paid and kept: <b>{money.fmt(s.paidMinor, s.currency)}</b> · Refunded: <b>{money.fmt(s.refundedMinor, s.currency)}</b>
              {s.dueMinor > 0 ? ` · Still due: ${money.fmt(s.dueMinor, s.currency)}` : ''}
            </Typography>
            {s.refunds.map((r) => (
              <Typography key={r.id} variant="body2" color="text.secondary">
                {money.fmt(r.amountMinor, r.currency)} {refundHow(r.method)}: {r.status === 'succeeded' ? 'done' : r.status === 'pending' ? 'waiting' : 'failed'}
              </Typography>
            ))}
            {waiting.length > 0 && (
              <Alert severity="warning" sx={{ mt: 1 }}>
                {waiting.length === 1 ? 'A refund is' : `${waiting.length} refunds are`} waiting: do it on the terminal, then record its reference under Needs attention.
              </Alert>
            )}
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        {waiting.length > 0 && (
          <Button
            onClick={() => {
              onClose();
              navigate('attention');
            }}
          >
            Needs attention
          </Button>
        )}
        <Button variant="contained" onClick={onClose} autoFocus>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
