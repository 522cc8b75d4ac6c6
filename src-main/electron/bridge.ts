/**
 * What the preload exposes to the page as `window.clinicDesk`: `invoke`, for the contract's
 * operation names only, `onChange`, for change notices (ids only) of committed writes, and
 * `savePdf`, which saves the page being shown (a print view) as a PDF file the user picks.
 * Pure (no electron import) so tests can check it.
 */
import { handlerNames, type Result } from '../contract/index.js';
import type { ChangeNotice } from '../contract/changes.js';
import { toWireNotices } from '../core/events/wire-notice.js';

/** The one IPC channel for calls from the renderer to main. */
export const INVOKE_CHANNEL = 'clinic-desk:invoke';
/** Main → renderer: change notices, sent only to signed-in windows. */
export const CHANGE_CHANNEL = 'clinic-desk:change';
/** Renderer → main: save the window's page as a PDF (webContents.printToPDF, then a save dialog). */
export const SAVE_PDF_CHANNEL = 'clinic-desk:save-pdf';

/** A file name safe on every system: letters, digits, spaces, dots, dashes; at most 80 characters; ends in .pdf. */
export function pdfFileName(name: unknown): string {
  const base = (typeof name === 'string' ? name : '')
    .normalize('NFC')
    .replace(/\.pdf$/i, '')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/^[ .-]+|[ .-]+$/g, '')
    .slice(0, 80);
  return `${base || 'Clinic Desk'}.pdf`;
}

/** The renderer declares `window.clinicDesk?: ClinicDeskBridge` with this same shape. */
export interface ClinicDeskBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Calls `listener` with each batch of change notices; returns the unsubscribe function. */
  onChange(listener: (notices: ChangeNotice[]) => void): () => void;
  /** Saves the page as a PDF where the user chooses; `saved` is false when they cancel. */
  savePdf(fileName: string): Promise<Result<{ saved: boolean }>>;
}

export type IpcInvoke = (channel: string, name: string, input: unknown) => Promise<unknown>;
/** Listens on a main → renderer channel (the IPC event object never reaches the page). */
export type IpcListen = (channel: string, handler: (payload: unknown) => void) => () => void;

const failure = (code: string, message: string): Result<unknown> => ({ ok: false, error: { code, message } });

export function createBridge(ipcInvoke: IpcInvoke, names: readonly string[] = handlerNames, ipcListen?: IpcListen): ClinicDeskBridge {
  const allowed = new Set(names);
  const bridge: ClinicDeskBridge = {
    async invoke(name: string, input: unknown): Promise<Result<unknown>> {
      if (typeof name !== 'string' || !allowed.has(name)) {
        return failure('rpc/unknown-handler', `There is no operation named “${String(name).slice(0, 80)}”.`);
      }
      try {
        return (await ipcInvoke(INVOKE_CHANNEL, name, input)) as Result<unknown>;
      } catch {
        // Electron keeps only an error's message across IPC; main never throws, so this is
        // a broken channel (the window is closing, or the input could not be cloned).
        return failure('ipc/failed', 'The request could not reach Clinic Desk. Try again.');
      }
    },
    onChange(listener) {
      if (!ipcListen || typeof listener !== 'function') return () => {};
      // Only contract-shaped notices (entity, id, op, refs ids) reach the page.
      return ipcListen(CHANGE_CHANNEL, (payload) => {
        const notices = Array.isArray(payload) ? toWireNotices(payload as ChangeNotice[]) : [];
        if (notices.length > 0) listener(notices);
      });
    },
    async savePdf(fileName: string): Promise<Result<{ saved: boolean }>> {
      try {
        return (await ipcInvoke(SAVE_PDF_CHANNEL, pdfFileName(fileName), undefined)) as Result<{ saved: boolean }>;
      } catch {
        return failure('ipc/failed', 'The PDF could not be saved. Try again, or print and choose “Save as PDF”.') as Result<{ saved: boolean }>;
      }
    },
  };
  return Object.freeze(bridge);
}
