/**
 * Per-machine preferences (electron-store, in Electron's userData folder): the window's
 * bounds and the data directory. Clinic settings live in the clinic's database, not here.
 */
import Store from 'electron-store';
import type { WindowBounds } from './bounds.js';

export interface Prefs {
  /** Whatever was saved (checked again by restoreBounds). */
  windowBounds(): unknown;
  saveWindowBounds(bounds: WindowBounds): void;
  /** A data directory chosen on this machine, if any. */
  dataDir(): string | undefined;
  setDataDir(dir: string | undefined): void;
}

interface PrefsShape {
  windowBounds?: WindowBounds;
  dataDir?: string;
}

export function openPrefs(): Prefs {
  const store = new Store<PrefsShape>({
    name: 'preferences',
    // A hand-edited or half-written file must not stop the app: start from defaults.
    clearInvalidConfig: true,
    schema: {
      windowBounds: {
        type: 'object',
        properties: {
          x: { type: 'number' },
          y: { type: 'number' },
          width: { type: 'number', minimum: 1 },
          height: { type: 'number', minimum: 1 },
          maximized: { type: 'boolean' },
        },
        required: ['width', 'height'],
      },
      dataDir: { type: 'string', minLength: 1 },
    },
  });
  return {
    windowBounds: () => store.get('windowBounds'),
    saveWindowBounds(bounds) {
      try {
        store.set('windowBounds', bounds);
      } catch (err) {
        console.error(`Could not save the window position: ${(err as Error).message}`);
      }
    },
    dataDir: () => store.get('dataDir'),
    setDataDir(dir) {
      if (dir) store.set('dataDir', dir);
      else store.delete('dataDir');
    },
  };
}
