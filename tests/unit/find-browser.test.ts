import { describe, expect, it } from 'vitest';
import { findBrowser, INSTALL_HINT, type BrowserLookupEnv } from '../../scripts/find-browser.js';

/** A fake machine: these files exist and are executable, nothing else. */
const machine = (files: string[], env: Record<string, string | undefined>, platform: NodeJS.Platform = 'linux'): BrowserLookupEnv => ({
  env,
  platform,
  isExecutable: (file) => files.includes(file),
});

describe('finding a browser for the end-to-end tests', () => {
  it('prefers CHROMIUM_PATH', () => {
    const found = findBrowser(machine(['/opt/my/chrome', '/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/my/chrome', PATH: '/usr/bin' }));
    expect(found).toEqual({ ok: true, path: '/opt/my/chrome', source: 'CHROMIUM_PATH' });
  });

  it('says so in one line when CHROMIUM_PATH points at nothing', () => {
    const found = findBrowser(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/nope/chrome', PATH: '/usr/bin' }));
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.message).toMatch(/^CHROMIUM_PATH is set to \/nope\/chrome, which is not an executable file/);
  });

  it('finds Debian’s chromium, then chromium-browser, then Google Chrome on PATH', () => {
    expect(findBrowser(machine(['/usr/local/bin/chromium'], { PATH: '/usr/local/bin:/usr/bin' }))).toMatchObject({ ok: true, path: '/usr/local/bin/chromium' });
    expect(findBrowser(machine(['/usr/bin/chromium-browser', '/usr/bin/google-chrome'], { PATH: '/home/x/bin:/usr/bin' }))).toMatchObject({
      ok: true,
      path: '/usr/bin/chromium-browser',
    });
    expect(findBrowser(machine(['/usr/bin/google-chrome'], { PATH: '/usr/bin' }))).toMatchObject({ ok: true, path: '/usr/bin/google-chrome' });
  });

  it('looks in the usual install locations when PATH has none', () => {
    expect(findBrowser(machine(['/usr/bin/chromium'], { PATH: '/home/x/bin' }))).toMatchObject({ ok: true, path: '/usr/bin/chromium', source: 'installed' });
    expect(
      findBrowser(machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], { PATH: '/usr/bin' }, 'darwin')),
    ).toMatchObject({ ok: true });
    expect(findBrowser(machine(['C:\\Tools\\chrome.exe'], { Path: 'C:\\Windows;C:\\Tools' }, 'win32'))).toMatchObject({ ok: true, path: 'C:\\Tools\\chrome.exe' });
  });

  it('with no browser anywhere, answers with one line saying how to install one', () => {
    const found = findBrowser(machine(['/usr/bin/firefox'], { PATH: '/usr/bin:/bin' }));
    expect(found).toEqual({ ok: false, message: INSTALL_HINT });
    expect(INSTALL_HINT).not.toContain('\n');
    expect(INSTALL_HINT).toMatch(/apt-get install chromium/);
    expect(INSTALL_HINT).toMatch(/CHROMIUM_PATH/);
  });
});
