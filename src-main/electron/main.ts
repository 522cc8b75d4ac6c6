/**
 * The Electron entry point (built to out/main/index.js by electron-vite).
 *
 * One instance per machine user; opens the clinic database with the better-sqlite3 addon
 * built for Electron (CLINIC_DESK_NATIVE_BINDING in development, the packaged rebuild
 * otherwise), registers the one IPC handler and opens the one window on app://clinic-desk/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, protocol, safeStorage, session, shell } from 'electron';
import { openApp, type App } from '../app.js';
import { registerIpc } from './ipc.js';
import { registerPrinting } from './print.js';
import { openPrefs } from './prefs.js';
import { desktopSecretBox } from './secret-box.js';
import { createRendererHandler } from './renderer-protocol.js';
import { APP_INDEX_URL, APP_SCHEME, CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents } from './security.js';
import { chooseDataDir, describeStartupError, loadDemoIfEmpty } from './startup.js';
import { createMainWindow } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const rendererDir = path.join(here, '..', 'renderer');
// electron-builder copies the icon to resources/icons (extraResources); in a checkout it is in resources/icons.
const iconPath = app.isPackaged
  ? path.join(process.resourcesPath, 'icons', 'icon.png')
  : path.join(here, '..', '..', 'resources', 'icons', 'icon.png');

// Only an unpackaged app follows electron-vite's dev server; a packaged one always shows its own files.
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appUrl = devUrl ?? APP_INDEX_URL;

// Tests and side-by-side installs can keep Chromium's profile and the prefs elsewhere.
if (process.env.CLINIC_DESK_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.CLINIC_DESK_USER_DATA_DIR));

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
]);

let clinic: App | null = null;
let mainWindow: BrowserWindow | null = null;

/** Opening failed (data directory in use, damaged or newer database…): say why, then quit. */
async function reportAndExit(err: unknown): Promise<void> {
  const problem = describeStartupError(err);
  console.error(`${problem.title}: ${problem.message}`);
  dialog.showErrorBox(problem.title, problem.message);
  const open = clinic;
  clinic = null;
  await open?.close().catch(() => undefined);
  app.exit(1);
}

function openWindow(prefs: ReturnType<typeof openPrefs>): void {
  const win = createMainWindow(prefs, {
    preloadPath,
    devTools: !app.isPackaged,
    ...(existsSync(iconPath) ? { icon: iconPath } : {}),
  });
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(appUrl);
}

async function start(): Promise<void> {
  await app.whenReady();
  const prefs = openPrefs();
  const dataDir = chooseDataDir({
    env: process.env.CLINIC_DESK_DATA_DIR,
    prefs: prefs.dataDir(),
    userData: app.getPath('userData'),
  });

  let secretBox: ReturnType<typeof desktopSecretBox> | null = null;
  try {
    secretBox = desktopSecretBox(safeStorage, dataDir);
  } catch (err) {
    console.error(`Clinic Desk: stored secrets cannot be used: ${(err as Error).message}`);
  }
  const opened = await openApp({ dataDir, nativeBinding: process.env.CLINIC_DESK_NATIVE_BINDING || undefined, secretBox });
  clinic = opened;
  if (process.argv.includes('--demo')) await loadDemoIfEmpty(opened);
  console.log(`Clinic Desk is running — data: ${opened.dbFile}`);

  // In development the Vite dev server injects inline scripts (React refresh), which the
  // strict CSP would block; the built app gets the header from the app:// handler below.
  hardenSession(session.defaultSession, devUrl ? {} : { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  protocol.handle(APP_SCHEME, createRendererHandler(rendererDir));
  registerIpc(opened.dispatch, appUrl, opened.changes);
  registerPrinting(appUrl);
  openWindow(prefs);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(prefs);
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Clinic Desk is open on this machine: it gets focus (below), this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, appUrl, { openExternal: (url) => void shell.openExternal(url) });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the database (checkpointing the WAL, releasing the data-directory lock) before exit.
  let closed = false;
  app.on('will-quit', (event) => {
    if (!clinic || closed) return;
    event.preventDefault();
    const closing = clinic;
    clinic = null;
    closing
      .close()
      .catch((err: Error) => console.error(`Could not close the database cleanly: ${err.message}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  start().catch(reportAndExit);
}
