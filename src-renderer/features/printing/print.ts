/**
 * Printing from the desk, one mechanism for every printout: a print view is a page of its own
 * (`#/print/...`, no app chrome) with a print stylesheet, printed with the browser's or
 * Electron's own print dialog (`window.print()`, which receipts and the confirmation use too).
 * In the desktop app the view can also be saved straight to a PDF file (webContents.printToPDF
 * behind `clinicDesk.savePdf`); in a browser the print dialog's "Save as PDF" does that.
 */
import type { AppError, Result } from '../../../src-main/contract/index.js';
import { navigate } from '../../app/router.js';

export type PrintTarget =
  | { view: 'day-sheet'; date: string; doctorId?: string }
  | { view: 'appointment-card'; appointmentId: string }
  | { view: 'patient-label'; patientId: string };

/** Opens a print view: a clean page with Print (and, in the desktop app, Save as PDF). */
export function openPrintView(target: PrintTarget): void {
  if (target.view === 'day-sheet') navigate('print', 'day-sheet', target.date, ...(target.doctorId ? [target.doctorId] : []));
  else if (target.view === 'appointment-card') navigate('print', 'appointment-card', target.appointmentId);
  else navigate('print', 'patient-label', target.patientId);
}

/** Prints the page being shown with its print stylesheet (the system's print dialog). */
export function printView(): void {
  window.print();
}

type PdfBridge = { savePdf?: (fileName: string) => Promise<Result<{ saved: boolean }>> };
const pdfBridge = (): PdfBridge | undefined => window.clinicDesk as PdfBridge | undefined;

/** Only the desktop app saves a PDF itself; a browser's print dialog has "Save as PDF". */
export const canSavePdf = (): boolean => typeof pdfBridge()?.savePdf === 'function';

/** Saves the page being shown as a PDF (desktop app); null when saved or cancelled. */
export async function savePdf(fileName: string): Promise<AppError | null> {
  const bridge = pdfBridge();
  if (!bridge?.savePdf) return { code: 'print/unavailable', message: 'Print, then choose “Save as PDF” as the printer.' };
  const result = await bridge.savePdf(fileName);
  return result.ok ? null : result.error;
}
