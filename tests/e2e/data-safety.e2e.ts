import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../src-main/app.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';
import { startWeb, type WebHarness } from './web-harness.js';

const SHOTS = process.env.CLINIC_DESK_SHOTS_DIR;

let web: WebHarness | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

/** Screenshots at the two sizes we check by eye (only when CLINIC_DESK_SHOTS_DIR is set). */
async function shoot(name: string) {
  if (!SHOTS || !web) return;
  for (const [width, height] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await web.page.setViewportSize({ width, height });
    await web.page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`) });
  }
}

describe('data safety on screen', () => {
  it('an empty database file: the setup screen says it was moved aside and to restore a backup', async () => {
    web = await startWeb({ prepareDataDir: (dir) => writeFileSync(path.join(dir, DB_FILE_NAME), '') });
    const { page } = web;
    await page.goto(web.url);
    await page.getByRole('heading', { name: 'Welcome to Clinic Desk' }).waitFor();
    const warning = page.getByRole('alert').filter({ hasText: 'Your earlier database file was empty' });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/was empty \(0 bytes\) and was moved aside to clinic-desk\.sqlite\.empty-.*restore a backup/);
    await shoot('setup-empty-database');
  });

  it('an invalid stored time zone: Settings warns about that key only, and the other settings stay', async () => {
    web = await startWeb({ demo: true });
    web.app.raw.prepare("UPDATE setting SET value = ? WHERE key = 'timeZone'").run(JSON.stringify('Mars/Olympus_Mons'));
    const { page } = web;
    await page.goto(web.url);
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await new MainNav(page).open('Settings');
    await page.getByRole('heading', { name: 'Clinic settings' }).waitFor();
    const warnings = page.getByRole('alert').filter({ hasText: 'cannot be used' });
    await warnings.first().waitFor();
    expect(await warnings.count()).toBe(1);
    expect(await warnings.textContent()).toMatch(/Time zone: the stored value “Mars\/Olympus_Mons” cannot be used \(Unknown time zone.*\)\. Using UTC instead/);
    expect(await page.getByLabel('Clinic name').inputValue()).toBe('Riverside Family Clinic');
    await shoot('settings-invalid-time-zone');

    // Saving a valid zone clears the warning.
    await page.getByLabel(/^Time zone/).fill('America/New_York');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Clinic settings' }).waitFor();
    await page.getByLabel('Clinic name').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'cannot be used' }).count()).toBe(0);
  });
});

describe('counted refusals on the Audit screen', () => {
  it('shows one row per address, handler and minute with how many attempts it stands for', async () => {
    web = await startWeb({ demo: true, refusalFlushMs: 3_600_000 });
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${web.url}api/rpc/staff/list`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(401);
    }
    await web.app.flushAudit();
    const { page } = web;
    await page.goto(web.url);
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await new MainNav(page).open('Audit log');
    const row = page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'tried to look at the staff list' });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/Someone not signed in \(from 127\.0\.0\.1\) tried to look at the staff list, and was refused \(12 attempts\) \(why: not signed in\)Refused/);
    await shoot('audit-counted-refusals');
  });
});
