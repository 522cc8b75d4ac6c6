/**
 * The desktop app end to end: the built Electron app (out/main/index.js, via package.json's
 * "main") opens a new data directory with --demo, reception signs in and sees the agenda.
 * Runs only where the Electron runtime is installed; elsewhere the skip names the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureElectronNativeBinding, findElectronRuntime, repoRoot } from '../../scripts/electron-runtime.js';

const runtime = findElectronRuntime();
const skipReason = runtime.available ? null : `Electron runtime not installed on this machine: ${runtime.reason}`;
if (skipReason) console.log(`Skipping the Electron e2e tests. ${skipReason}`);

const title = skipReason ? `Electron desktop app (skipped — ${skipReason})` : 'Electron desktop app';

describe.skipIf(!runtime.available)(title, () => {
  let dataDir = '';
  let userDataDir = '';
  let electronApp: ElectronApplication | undefined;
  let nativeBinding = '';

  beforeAll(() => {
    if (!runtime.available) return;
    dataDir = mkdtempSync(path.join(tmpdir(), 'clinic-desk-e2e-data-'));
    userDataDir = mkdtempSync(path.join(tmpdir(), 'clinic-desk-e2e-profile-'));
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stderr}${build.stdout}`);
    const native = ensureElectronNativeBinding(runtime, { log: () => {} });
    if (!native.ok) throw new Error(`better-sqlite3 for Electron ${runtime.version} is not available: ${native.reason}`);
    nativeBinding = native.path;
  });

  afterAll(async () => {
    await electronApp?.close();
    for (const dir of [dataDir, userDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the demo clinic, signs reception in and shows the agenda', async () => {
    if (!runtime.available) return;
    const args = [repoRoot, '--demo'];
    if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    electronApp = await _electron.launch({
      executablePath: runtime.executable,
      args,
      cwd: repoRoot,
      env: {
        ...env,
        CLINIC_DESK_DATA_DIR: dataDir,
        CLINIC_DESK_USER_DATA_DIR: userDataDir,
        CLINIC_DESK_NATIVE_BINDING: nativeBinding,
      },
      timeout: 60_000,
    });
    const page = await electronApp.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/clinic-desk\//);

    // The page sees the bridge and nothing of Node.
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { clinicDesk: object }).clinicDesk))).toEqual(['invoke']);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    await page.getByLabel('Username').fill('reception');
    await page.getByLabel('Password').fill('demo-desk-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Agenda/ });
    await heading.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await heading.textContent()).toMatch(/^Agenda/);
  });
});
