/**
 * The Electron shell's security defaults, as pure functions over Electron's objects.
 * Type-only imports from 'electron': this module loads in plain Node (unit tests).
 *
 * - Every window: context isolation, sandbox, no Node in the renderer, web security on.
 * - Every web contents: no navigation away from the app, no new windows, no <webview>.
 * - Every session: every permission request and check denied; the app's CSP header.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { MIN_WINDOW_SIZE, type WindowBounds } from './bounds.js';

/** The built renderer is served from this privileged custom scheme (not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'clinic-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY };

/** The renderer's web preferences: nothing of Node or Electron reaches the page. */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    disableBlinkFeatures: 'Auxclick',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Chromium's spellchecker downloads dictionaries from Google's servers on Windows and
    // Linux; a clinic's screens should not make network calls nobody asked for.
    spellcheck: false,
    devTools: options.devTools ?? false,
  };
}

export interface WindowOptionsInput {
  preloadPath: string;
  bounds: WindowBounds;
  icon?: string;
  devTools?: boolean;
}

/** The one set of BrowserWindow options (window.ts is the one window factory). */
export function browserWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { x, y, width, height } = input.bounds;
  return {
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    width,
    height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Clinic Desk',
    show: false,
    backgroundColor: '#f5f7fa',
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: secureWebPreferences(input.preloadPath, { devTools: input.devTools }),
  };
}

const parse = (url: string): URL | null => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

/**
 * True when `url` is a page of the app itself: same scheme and host (and port) as the app's
 * URL (`app://clinic-desk/…` when built, the electron-vite dev server in development).
 * Node's URL gives custom schemes the origin "null", so scheme and host are compared directly.
 */
export function isAllowedSenderUrl(url: string | null | undefined, appUrl: string): boolean {
  if (!url) return false;
  const sender = parse(url);
  const app = parse(appUrl);
  if (!sender || !app) return false;
  if (!['app:', 'http:', 'https:', 'file:'].includes(app.protocol)) return false;
  if (sender.protocol !== app.protocol) return false;
  if (sender.username || sender.password) return false;
  if (app.protocol === 'file:') return sender.host === app.host && sender.pathname === app.pathname;
  return sender.host !== '' && sender.host === app.host;
}

export interface HardenOptions {
  /** Called for https links the page tries to open in a new window (e.g. shell.openExternal). */
  openExternal?: (url: string) => void;
}

/** Only https links leave the app, and only to the system browser. */
export const isExternalLink = (url: string): boolean => parse(url)?.protocol === 'https:';

/**
 * Denies navigation away from the app (in any frame, and by redirect), every new window
 * (https links may go to the system browser instead) and <webview> attachment.
 */
export function hardenWebContents(contents: WebContents, appUrl: string, options: HardenOptions = {}): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedSenderUrl(event.url, appUrl)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => guard(event));
  contents.on('will-frame-navigate', (event) => guard(event));
  contents.on('will-redirect', (event) => guard(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isExternalLink(url)) options.openExternal(url);
    return { action: 'deny' };
  });
}

/** Response headers with the app's Content-Security-Policy, replacing any the response had. */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
  policy: string = CONTENT_SECURITY_POLICY,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

export interface SessionHardening {
  /** Add this Content-Security-Policy header to every response (omit in development). */
  contentSecurityPolicy?: string;
}

/** Denies every permission request and permission check; sets the CSP header on responses. */
export function hardenSession(session: Session, options: SessionHardening = {}): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const policy = options.contentSecurityPolicy;
  if (policy) {
    session.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) }),
    );
  }
}
