/**
 * The sandboxed preload (built as CommonJS): exposes `window.clinicDesk.invoke(name, input)`
 * and nothing else. Staff session tokens stay in main; the page never sees them.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

export type { ClinicDeskBridge } from './bridge.js';

contextBridge.exposeInMainWorld(
  'clinicDesk',
  createBridge((channel, name, input) => ipcRenderer.invoke(channel, name, input)),
);
