import { useState } from 'react';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { AppointmentView } from '../../../src-main/contract/index.js';
import { useRead } from '../../api/queries.js';
import { PaymentDialog } from './payment-dialog.js';
import { PaymentStatusChip } from './payment-status-chip.js';

/** On the booking confirmation: the payment status, live, and "Take payment" right away. */
export function BookedPayment({ appointment }: { appointment: AppointmentView }) {
  const summary = useRead('payment/summary', { appointmentId: appointment.id });
  const [open, setOpen] = useState(false);
  const status = summary.data?.status ?? appointment.paymentStatus;
  const owing = status === 'unpaid' || status === 'partly_paid';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <PaymentStatusChip status={status} />
      <Button className="no-print" variant={owing ? 'contained' : 'outlined'} color="secondary" onClick={() => setOpen(true)}>
        {owing ? 'Take payment' : 'Payment'}
      </Button>
      {open && <PaymentDialog appointmentId={appointment.id} title={`${appointment.patientName} ${appointment.localStart}`} onClose={() => setOpen(false)} />}
    </Stack>
  );
}
