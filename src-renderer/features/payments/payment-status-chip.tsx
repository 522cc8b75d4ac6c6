import Chip from '@mui/material/Chip';
import { paymentStatusLabels, type PaymentStatusName } from '../../../src-main/contract/payments.contract.js';

const colors: Record<PaymentStatusName, 'default' | 'success' | 'warning' | 'error' | 'info' | 'secondary'> = {
  unpaid: 'warning',
  pending: 'info',
  paid: 'success',
  partly_paid: 'warning',
  partly_refunded: 'secondary',
  refunded: 'default',
  insurance_pending: 'info',
  no_charge: 'default',
};

/** A compact chip with an appointment's payment status (agenda row, history, confirmation). */
export function PaymentStatusChip({ status }: { status: PaymentStatusName }) {
  return (
    <Chip
      size="small"
      variant={status === 'paid' ? 'filled' : 'outlined'}
      color={colors[status]}
      label={paymentStatusLabels[status]}
      aria-label={`Payment: ${paymentStatusLabels[status]}`}
      sx={{ whiteSpace: 'nowrap' }}
    />
  );
}
