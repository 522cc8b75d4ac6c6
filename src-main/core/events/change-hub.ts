import type { ChangeNotice, EntityType } from '../../contract/changes.js';

export type { ChangeNotice, EntityType };

/**
 * Change notices: what changed, never the record itself — one per change envelope of the
 * committed transaction. The dispatcher publishes them after a transaction commits (never on rollback); live transports (SSE in web mode, IPC in
 * Electron) forward them to signed-in staff so open screens refresh.
 */
export type ChangeListener = (notices: readonly ChangeNotice[]) => void;

/** In-process fan-out of committed change notices. A failing listener never affects others. */
export class ChangeHub {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notices: readonly ChangeNotice[]): void {
    if (notices.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(notices);
      } catch {
        // a broken subscriber (a closed stream) must not stop the others
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
