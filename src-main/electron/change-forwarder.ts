/**
 * Electron's live screens: forwards the change notices of committed writes to each window
 * whose staff session is signed in and unlocked, as contract-shaped notices (ids only) on
 * CHANGE_CHANNEL. Pure (no electron import): ipc.ts gives it the windows.
 */
import type { ChangeHub } from '../core/events/change-hub.js';
import { toWireNotices } from '../core/events/wire-notice.js';
import { CHANGE_CHANNEL } from './bridge.js';

export interface ChangeTarget {
  /** webContents id (sessions are kept per web contents). */
  id: number;
  send(channel: string, payload: unknown): void;
}

export function forwardChanges(changes: ChangeHub, deps: { isSignedIn(id: number): Promise<boolean>; targets(): ChangeTarget[] }): () => void {
  return changes.subscribe((notices) => {
    const wire = toWireNotices(notices);
    if (wire.length === 0) return;
    for (const target of deps.targets()) {
      void deps.isSignedIn(target.id).then(
        (yes) => {
          if (!yes) return;
          try {
            target.send(CHANGE_CHANNEL, wire);
          } catch {
            // the window is closing
          }
        },
        () => {},
      );
    }
  });
}
