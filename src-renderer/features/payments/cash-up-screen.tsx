import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import GlobalStyles from '@mui/material/GlobalStyles';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CashUpView } from '../../../src-main/contract/index.js';
import { paymentMethodLabels } from '../../../src-main/contract/payments.contract.js';
import { formatMoney, parseMoney } from '../../../src-main/contract/money.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { clockIn } from '../../components/format.js';

/** Printing shows the report only: no app bar, no buttons, no form, no list of other days. */
export const printStyles = (
  <GlobalStyles
    styles={{
      '@media print': {
        '.MuiAppBar-root, .no-print, [aria-label="Loading"]': { display: 'none !important' },
        body: { background: '#fff' },
        '.MuiPaper-root': { boxShadow: 'none !important', border: '1px solid #ccc' },
        '.print-only': { display: 'block !important' },
      },
      '.print-only': { display: 'none' },
    }}
  />
);

const longDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The day's cash-up of this desk (Alt+T): totals per method from the ledger, the till, closing. */
export function CashUpScreen() {
  const [day, setDay] = useState<string | null>(null);
  const view = useRead('cashup/preview', day ? { businessDay: day } : {});
  const closedDays = useRead('cashup/list', {});
  const v = view.data;
  return (
    <Box component="main">
      {printStyles}
      <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Cash-up{v ? ` — ${v.deskName}` : ''}
        </Typography>
        <TextField
          className="no-print"
          size="small"
          type="date"
          label="Business day"
          sx={{ width: 190 }}
          value={day ?? v?.businessDay ?? ''}
          onChange={(e) => setDay(e.target.value || null)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Button className="no-print" onClick={() => setDay(null)} disabled={!day}>
          Current day
        </Button>
        <Button className="no-print" variant="outlined" onClick={() => window.print()}>
          Print
        </Button>
      </Stack>
      <ErrorBanner error={view.error} />
      {v && <DayReport v={v} onClosed={setDay} />}
      <Paper className="no-print" sx={{ p: 2, mt: 2 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          Closed days
        </Typography>
        <ErrorBanner error={closedDays.error} />
        {closedDays.data && closedDays.data.items.length === 0 && <Typography>No day has been closed at this desk yet.</Typography>}
        {closedDays.data && closedDays.data.items.length > 0 && (
          <Table size="small" aria-label="Closed days">
            <TableHead>
              <TableRow>
                <TableCell>Day</TableCell>
                <TableCell align="right">Net total</TableCell>
                <TableCell align="right">Expected cash</TableCell>
                <TableCell align="right">Counted</TableCell>
                <TableCell align="right">Difference</TableCell>
                <TableCell>Closed by</TableCell>
                <TableCell>Note</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {closedDays.data.items.map((c) => (
                <TableRow key={c.id} hover sx={{ cursor: 'pointer' }} onClick={() => setDay(c.businessDay)}>
                  <TableCell>{longDay(c.businessDay)}</TableCell>
                  <TableCell align="right">{formatMoney(c.netTotalMinor, c.currency, v?.locale)}</TableCell>
                  <TableCell align="right">{formatMoney(c.expectedCashMinor, c.currency, v?.locale)}</TableCell>
                  <TableCell align="right">{formatMoney(c.countedCashMinor, c.currency, v?.locale)}</TableCell>
                  <TableCell align="right">{differenceText(c.differenceMinor, c.currency, v?.locale)}</TableCell>
                  <TableCell>{c.closedByName ?? '—'}</TableCell>
                  <TableCell sx={{ maxWidth: 260, overflowWrap: 'anywhere' }}>{c.note}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Paper>
    </Box>
  );
}

function differenceText(diff: number, currency: string, locale?: string): string {
  if (diff === 0) return 'None';
  return diff > 0 ? `Over by ${formatMoney(diff, currency, locale)}` : `Short by ${formatMoney(-diff, currency, locale)}`;
}

function DayReport({ v, onClosed }: { v: CashUpView; onClosed: (day: string) => void }) {
  const t = v.totals;
  const m = (minor: number) => formatMoney(minor, t.currency, v.locale);
  const methods = [
    { label: 'Cash', ...{ inMinor: t.cash.inMinor, outMinor: t.cash.refundedMinor, netMinor: t.cash.expectedMinor } },
    { label: 'Card (desk terminal)', ...t.cardTerminal },
    { label: 'Stripe', ...t.stripe },
    { label: 'Insurance received', ...t.insuranceReceived },
  ];
  const future = v.businessDay > v.currentDay;
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle1" component="p">
          {longDay(v.businessDay)}
        </Typography>
        {v.closed ? (
          <Chip color="default" label={`Closed${v.closed.closedByName ? ` by ${v.closed.closedByName}` : ''} at ${clockIn(v.closed.closedAt, v.timeZone)}`} />
        ) : future ? (
          <Chip color="info" label="Not started" />
        ) : (
          <Chip color="success" label="Open" />
        )}
      </Stack>
      <Typography className="print-only" variant="body2" sx={{ mb: 1 }}>
        Printed {new Date().toLocaleString('en-GB')}. Amounts in {t.currency}.
      </Typography>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'stretch' }}>
        <Paper sx={{ p: 2, flex: 3, overflowX: 'auto' }}>
          <Table size="small" aria-label="Totals per method">
            <TableHead>
              <TableRow>
                <TableCell>Method</TableCell>
                <TableCell align="right">Taken</TableCell>
                <TableCell align="right">Refunded / paid out</TableCell>
                <TableCell align="right">Net</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {methods.map((x) => (
                <TableRow key={x.label}>
                  <TableCell>{x.label}</TableCell>
                  <TableCell align="right">{m(x.inMinor)}</TableCell>
                  <TableCell align="right">{m(x.outMinor)}</TableCell>
                  <TableCell align="right">{m(x.netMinor)}</TableCell>
                </TableRow>
              ))}
              <TableRow>
                <TableCell>
                  <strong>Net total</strong>
                </TableCell>
                <TableCell colSpan={3} align="right">
                  <strong>{m(t.netTotalMinor)}</strong>
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
          <Stack direction="row" spacing={3} sx={{ mt: 1, flexWrap: 'wrap' }}>
            <Typography variant="body2">Payments: {t.paymentCount}</Typography>
            <Typography variant="body2">Refunds: {m(t.refundsMinor)} ({t.refundCount})</Typography>
            <Typography variant="body2">Fees kept: {m(t.feesKeptMinor)}</Typography>
            <Typography variant="body2">Corrections: {m(t.correctionsMinor)}</Typography>
          </Stack>
        </Paper>
        <Paper sx={{ p: 2, flex: 2 }}>
          <Typography variant="h6" component="h2">
            Cash in the till
          </Typography>
          <Typography variant="body2">
            Taken {m(t.cash.inMinor)} − paid out {m(t.cash.refundedMinor)}
            {t.cash.correctionsMinor !== 0 ? ` + corrections ${m(t.cash.correctionsMinor)}` : ''}
          </Typography>
          <Typography variant="h5" component="p" aria-label="Expected cash" sx={{ my: 1 }}>
            Expected {m(t.cash.expectedMinor)}
          </Typography>
          {v.closed ? (
            <Box aria-label="Closing">
              <Typography>Counted {m(v.closed.countedCashMinor)}</Typography>
              <Typography sx={{ fontWeight: 700 }}>Difference: {differenceText(v.closed.differenceMinor, t.currency, v.locale)}</Typography>
              {v.closed.note && <Typography sx={{ overflowWrap: 'anywhere' }}>Note: {v.closed.note}</Typography>}
              <Typography variant="body2" color="text.secondary" className="no-print" sx={{ mt: 1 }}>
                This day is closed: its payments cannot change. Refunds and corrections go onto the current day.
              </Typography>
            </Box>
          ) : future ? (
            <Typography>This day has not started yet at this desk.</Typography>
          ) : (
            <CloseForm v={v} onClosed={onClosed} />
          )}
        </Paper>
      </Stack>
      <Paper sx={{ p: 2, mt: 2, overflowX: 'auto' }}>
        <Typography variant="h6" component="h2" gutterBottom>
          Payments and refunds
        </Typography>
        {v.lines.length === 0 ? (
          <Typography>No payments or refunds on this day.</Typography>
        ) : (
          <Table size="small" aria-label="Payments and refunds of the day">
            <TableHead>
              <TableRow>
                <TableCell>Time</TableCell>
                <TableCell>What</TableCell>
                <TableCell>Method</TableCell>
                <TableCell>Patient</TableCell>
                <TableCell align="right">Amount</TableCell>
                <TableCell>Reference</TableCell>
                <TableCell>Taken by</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {v.lines.map((l) => (
                <TableRow key={`${l.kind}-${l.id}`}>
                  <TableCell>{clockIn(l.at, v.timeZone)}</TableCell>
                  <TableCell>
                    {l.kind === 'payment' ? 'Payment' : 'Refund'}
                    {l.status !== 'succeeded' ? ` (${l.status})` : ''}
                  </TableCell>
                  <TableCell>{paymentMethodLabels[l.method]}</TableCell>
                  <TableCell>{l.patientName ?? '—'}</TableCell>
                  <TableCell align="right">{formatMoney(l.amountMinor, l.currency, v.locale)}</TableCell>
                  <TableCell sx={{ maxWidth: 220, overflowWrap: 'anywhere' }}>{l.reference ?? ''}</TableCell>
                  <TableCell>{l.byName ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Paper>
    </>
  );
}

function CloseForm({ v, onClosed }: { v: CashUpView; onClosed: (day: string) => void }) {
  const t = v.totals;
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFieldErrors();
  const parsed = counted.trim() === '' ? null : parseMoney(counted, t.currency, v.locale);
  const difference = parsed?.ok ? parsed.minor - t.cash.expectedMinor : null;
  const countedError = parsed && !parsed.ok ? { error: true, helperText: parsed.message } : form.field('countedCashMinor');

  const close = async () => {
    if (!parsed?.ok) return;
    setBusy(true);
    const result = await call('cashup/close', { businessDay: v.businessDay, countedCashMinor: parsed.minor, note });
    setBusy(false);
    setConfirming(false);
    if (!result.ok) {
      form.fromError(result.error);
      // A refusal about one field (the note, the day) shows next to that field only.
      if (result.error.fieldErrors?.note || result.error.fieldErrors?.countedCashMinor) form.setBanner(null);
    } else {
      form.clear();
      // Stay on the day just closed (the desk's current day has moved on to the next one).
      onClosed(v.businessDay);
    }
  };

  return (
    <Box component="form" className="no-print" onSubmit={(e) => (e.preventDefault(), parsed?.ok && setConfirming(true))} aria-label="Close the day">
      <ErrorBanner error={form.banner} />
      <TextField
        fullWidth
        size="small"
        label={`Cash counted in the till (${t.currency})`}
        value={counted}
        onChange={(e) => {
          setCounted(e.target.value);
          form.clear();
        }}
        sx={{ mt: 1 }}
        slotProps={{ htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
        {...countedError}
      />
      {difference !== null && (
        <Alert severity={difference === 0 ? 'success' : 'warning'} sx={{ mt: 1 }} role="status">
          {difference === 0 ? 'The till matches.' : differenceText(difference, t.currency, v.locale)}
        </Alert>
      )}
      <TextField
        fullWidth
        size="small"
        multiline
        minRows={2}
        label={difference ? 'Note (required: why is the till over or short?)' : 'Note'}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        sx={{ mt: 1 }}
        slotProps={{ htmlInput: { maxLength: 500 } }}
        {...form.field('note')}
      />
      <Button type="submit" variant="contained" sx={{ mt: 1 }} disabled={!parsed?.ok || busy}>
        Close the day…
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>Close {longDay(v.businessDay)}?</DialogTitle>
        <DialogContent>
          <Typography>
            Counted {parsed?.ok ? formatMoney(parsed.minor, t.currency, v.locale) : ''}, expected {formatMoney(t.cash.expectedMinor, t.currency, v.locale)}
            {difference ? ` (${differenceText(difference, t.currency, v.locale).toLowerCase()})` : ''}.
          </Typography>
          <Typography sx={{ mt: 1 }}>After closing, this day’s payments cannot be changed. Later refunds and corrections go onto the next open day.</Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button variant="contained" onClick={() => void close()} disabled={busy}>
            Close the day
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
