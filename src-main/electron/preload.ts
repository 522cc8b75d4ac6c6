/**
 * The sandboxed preload (built as CommonJS): exposes `window.clinicDesk.invoke(name, input)`,
 * `window.clinicDesk.onChange(listener)` and `window.clinicDesk.savePdf(fileName)` and nothing else. Staff session tokens stay in main; the page never sees them.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

export type { ClinicDeskBridge } from './bridge.js';

contextBridge.exposeInMainWorld(
  'clinicDesk',
  createBridge(
    (channel, name, input) => ipcRenderer.invoke(channel, name, input),
    undefined,
    (channel, handler) => {
      const listener = (_event: unknown, payload: unknown) => handler(payload);
      ipcRenderer.on(channel, listener);
      return () => void ipcRenderer.removeListener(channel, listener);
    },
  ),
);
