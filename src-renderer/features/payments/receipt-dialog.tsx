import { useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import GlobalStyles from '@mui/material/GlobalStyles';
import type { AppError } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { ReceiptDocument } from './receipt-view.js';

/** Printing shows the receipt alone: the app, other dialogs and the buttons are hidden. */
const printStyles = (
  <GlobalStyles
    styles={{
      '@media print': {
        '#root, .MuiDialog-root:not(.receipt-print-root), .MuiBackdrop-root, .receipt-no-print': { display: 'none !important' },
        '.receipt-print-root, .receipt-print-root .MuiDialog-container': { position: 'static !important' as 'static', display: 'block !important' },
        '.receipt-print-root .MuiDialog-paper': { boxShadow: 'none !important', margin: '0 !important', maxWidth: 'none !important', width: '100% !important', maxHeight: 'none !important', overflow: 'visible !important' },
        '.receipt-print-root .MuiDialogContent-root': { overflow: 'visible !important' },
      },
    }}
  />
);

/** A payment's receipt: printable (Ctrl+P or the button) and as a PDF file. */
export function ReceiptDialog({ paymentId, onClose }: { paymentId: string; onClose: () => void }) {
  const receipt = useRead('payment/receipt', { paymentId });
  const [error, setError] = useState<AppError | null>(null);
  const downloadPdf = async () => {
    const result = await call('payment/receipt-pdf', { paymentId });
    if (!result.ok) return setError(result.error);
    const bytes = Uint8Array.from(atob(result.data.base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: result.data.contentType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = result.data.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" className="receipt-print-root" aria-labelledby="receipt-title">
      {printStyles}
      <DialogContent>
        <ErrorBanner error={receipt.error ?? error} />
        {receipt.data && <ReceiptDocument receipt={receipt.data.receipt} />}
      </DialogContent>
      <DialogActions className="receipt-no-print">
        <Button onClick={onClose}>Close</Button>
        <Button onClick={() => void downloadPdf()} disabled={!receipt.data}>
          Download PDF
        </Button>
        <Button variant="contained" onClick={() => window.print()} disabled={!receipt.data} autoFocus>
          Print
        </Button>
      </DialogActions>
    </Dialog>
  );
}
