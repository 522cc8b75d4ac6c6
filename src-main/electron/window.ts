/** The one window factory: secure options, bounds restored from and saved to the prefs. */
import { BrowserWindow, screen } from 'electron';
import { restoreBounds } from './bounds.js';
import type { Prefs } from './prefs.js';
import { browserWindowOptions } from './security.js';

export interface MainWindowOptions {
  preloadPath: string;
  icon?: string;
  devTools?: boolean;
}

export function createMainWindow(prefs: Prefs, options: MainWindowOptions): BrowserWindow {
  const bounds = restoreBounds(
    prefs.windowBounds(),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow(browserWindowOptions({ ...options, bounds }));
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    if (win.isDestroyed()) return;
    prefs.saveWindowBounds({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  });
  return win;
}
