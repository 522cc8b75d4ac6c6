/**
 * Saving a print view as a PDF in the desktop app (`clinicDesk.savePdf`): the page the window
 * shows is printed with its print stylesheet (`@page` size and margins, page numbers) by
 * webContents.printToPDF and written where the user picks in a save dialog. Printing on paper
 * needs nothing here: `window.print()` opens the system print dialog in Electron as in a browser.
 */
import { writeFile } from 'node:fs/promises';
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../contract/index.js';
import { pdfFileName, SAVE_PDF_CHANNEL } from './bridge.js';
import { isAllowedSenderUrl } from './security.js';

const refused = (code: string, message: string): Result<{ saved: boolean }> => ({ ok: false, error: { code, message } });

export function registerPrinting(appUrl: string): () => void {
  ipcMain.handle(SAVE_PDF_CHANNEL, async (event: IpcMainInvokeEvent, fileName: unknown): Promise<Result<{ saved: boolean }>> => {
    const frame = event.senderFrame;
    // Only the app's own top frame may save itself; never a sub-frame or another origin.
    if (!frame || frame.parent !== null || !isAllowedSenderUrl(frame.url, appUrl)) return refused('ipc/forbidden', 'This page may not save files.');
    const contents = event.sender;
    try {
      const pdf = await contents.printToPDF({ preferCSSPageSize: true, printBackground: false });
      const owner = BrowserWindow.fromWebContents(contents);
      const options = { defaultPath: pdfFileName(fileName), filters: [{ name: 'PDF', extensions: ['pdf'] }] };
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { ok: true, data: { saved: false } };
      await writeFile(choice.filePath, pdf);
      return { ok: true, data: { saved: true } };
    } catch (err) {
      return refused('print/pdf-failed', `The PDF could not be saved: ${(err as Error).message}`);
    }
  });
  return () => ipcMain.removeHandler(SAVE_PDF_CHANNEL);
}
