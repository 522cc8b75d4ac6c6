import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the end-to-end tests find a browser, written once for `npm test` (which checks first,
 * so a machine without one stops at once instead of after minutes of other tests) and for the
 * e2e harness: `CHROMIUM_PATH`, then `chromium`, `chromium-browser`, Google Chrome on PATH,
 * then the usual install locations.
 */
export interface BrowserLookupEnv {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** True when `file` exists, is a file and may be executed. */
  isExecutable(file: string): boolean;
}

export type BrowserLookup = { ok: true; path: string; source: string } | { ok: false; message: string };

export const BROWSER_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'] as const;

const WELL_KNOWN: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/opt/google/chrome/chrome'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

export const INSTALL_HINT =
  'No Chromium or Google Chrome found for the end-to-end tests: install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to its executable.';

export function findBrowser(lookup: BrowserLookupEnv = systemLookup()): BrowserLookup {
  const configured = lookup.env.CHROMIUM_PATH?.trim();
  if (configured) {
    return lookup.isExecutable(configured)
      ? { ok: true, path: configured, source: 'CHROMIUM_PATH' }
      : { ok: false, message: `CHROMIUM_PATH is set to ${configured}, which is not an executable file: fix it or unset it.` };
  }
  const windows = lookup.platform === 'win32';
  const pathApi = windows ? path.win32 : path.posix;
  const dirs = (lookup.env.PATH ?? lookup.env.Path ?? '').split(windows ? ';' : ':').filter(Boolean);
  const suffixes = windows ? ['.exe', ''] : [''];
  for (const command of BROWSER_COMMANDS) {
    for (const dir of dirs) {
      for (const suffix of suffixes) {
        const candidate = pathApi.join(dir, command + suffix);
        if (lookup.isExecutable(candidate)) return { ok: true, path: candidate, source: `${command} on PATH` };
      }
    }
  }
  for (const candidate of WELL_KNOWN[lookup.platform] ?? []) {
    if (lookup.isExecutable(candidate)) return { ok: true, path: candidate, source: 'installed' };
  }
  return { ok: false, message: INSTALL_HINT };
}

export function systemLookup(): BrowserLookupEnv {
  return {
    env: process.env,
    platform: process.platform,
    isExecutable(file) {
      try {
        if (!statSync(file).isFile()) return false;
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The browser's path, or throws with the one-line install hint (the e2e harness uses this). */
export function browserPathOrThrow(): string {
  const found = findBrowser();
  if (!found.ok) throw new Error(found.message);
  return found.path;
}
