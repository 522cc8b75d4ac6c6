import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReceiptView } from '../../../src-main/contract/index.js';
import { formatMoney } from '../../../src-main/contract/money.js';
import { paymentMethodLabels } from '../../../src-main/contract/payments.contract.js';
import { refundHow } from './payment-panel.js';

const refundWords = { pending: 'to do', succeeded: 'done', failed: 'failed' } as const;

/** One payment's receipt, as printed (the PDF draws the same data). */
export function ReceiptDocument({ receipt: r }: { receipt: ReceiptView }) {
  const fmt = (minor: number) => formatMoney(minor, r.currency, r.locale);
  const row = (label: string, value: string, strong = false) => (
    <Box component="tr" key={label + value}>
      <Box component="th" scope="row" sx={{ textAlign: 'left', fontWeight: 400, color: 'text.secondary', pr: 2, py: 0.25, verticalAlign: 'top', whiteSpace: 'nowrap' }}>
        {label}
      </Box>
      <Box component="td" sx={{ textAlign: 'right', py: 0.25, fontWeight: strong ? 700 : 400, overflowWrap: 'anywhere', fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Box>
    </Box>
  );
  const section = (rows: React.ReactNode[]) => (
    <Box component="table" sx={{ width: '100%', borderCollapse: 'collapse', borderTop: 1, borderColor: 'divider', mt: 1, pt: 1 }}>
      <tbody>{rows}</tbody>
    </Box>
  );
  return (
    <Box component="article" aria-label={`Receipt ${r.number}`} className="receipt-document" sx={{ maxWidth: 480, mx: 'auto', fontSize: 14 }}>
      <Typography variant="h6" component="h2" sx={{ overflowWrap: 'anywhere' }}>
        {r.clinic.name}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
        {[r.clinic.locationName, r.clinic.address].filter(Boolean).join(' · ')}
      </Typography>
      <Typography id="receipt-title" variant="subtitle1" component="h3" sx={{ mt: 1.5, fontWeight: 700 }}>
        Receipt {r.number}
      </Typography>
      {section([
        row('Patient', `${r.patient.name} (${r.patient.number})`),
        row('Appointment', `${r.appointment.localDate} ${r.appointment.localStart}–${r.appointment.localEnd}`),
        row('Doctor', r.appointment.doctorName),
        row('Consultation', r.appointment.consultationType),
      ])}
      {section([
        row('Price', fmt(r.price.baseMinor)),
        ...(r.price.discountMinor > 0 ? [row(`Discount${r.price.code ? ` (code ${r.price.code})` : ''}`, `−${fmt(r.price.discountMinor)}`)] : []),
        row('Total', fmt(r.price.totalMinor), true),
      ])}
      {section([
        row('Method', paymentMethodLabels[r.method] + (r.insurer ? ` — ${r.insurer}` : '')),
        row(r.method === 'insurance' ? 'Claimed' : r.method === 'no_charge' ? 'Amount' : 'Paid', fmt(r.amountMinor), true),
        ...(r.tenderedMinor !== null ? [row('Handed over', fmt(r.tenderedMinor))] : []),
        ...(r.changeMinor !== null ? [row('Change given', fmt(r.changeMinor))] : []),
        ...(r.reference ? [row(r.method === 'no_charge' ? 'Reason' : r.method === 'insurance' ? 'Claim reference' : 'Reference', r.reference)] : []),
        ...(r.status !== 'succeeded' ? [row('Status', r.status === 'pending' ? 'Awaiting the insurer' : r.status)] : []),
        ...r.refunds.map((f) => row(`Refund (${refundWords[f.status]})`, `−${fmt(f.amountMinor)} · ${refundHow(f.method)} · ${f.reason}${f.reference ? ` · ref. ${f.reference}` : ''}`)),
        ...(r.refunds.length > 0 ? [row('Kept', fmt(r.amountMinor - r.refundedMinor), true)] : []),
      ])}
      {section([row('Taken by', r.takenByName ?? '—'), row('Business day', r.businessDay ?? '—'), row('Date', r.paidAtLocal)])}
    </Box>
  );
}
