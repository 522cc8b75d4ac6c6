import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';

/**
 * Settings: the patient page's public address (`publicBaseUrl`, used for links in e-mails and
 * texts). An admin types it with its hint in view; a wrong one is named at the field and nothing
 * is saved; a good one is saved and is still there after a reload.
 */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/book-code';
let web: WebHarness;

beforeAll(async () => {
  web = await startWeb({ demo: true });
});
afterAll(async () => web?.close());

const stored = () => web.app.raw.prepare("SELECT value FROM setting WHERE key = 'publicBaseUrl'").pluck().get() as string | undefined;

describe('the patient page’s public address in Settings', () => {
  it('is typed with its hint, refused in words when wrong, saved and read back after a reload', async () => {
    const { page } = web;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(web.url);
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await new MainNav(page).open('Settings');
    await page.getByRole('heading', { name: 'Clinic settings' }).waitFor();
    const field = page.getByRole('form', { name: 'Clinic settings' }).getByLabel('Patient page’s public address');
    expect(await field.inputValue()).toBe('');
    await page.getByText('Links in e-mails and texts open this address; leave empty if patients cannot reach this desk.').waitFor();
    const before = stored();

    await field.fill('https://admin:secret@book.clinic.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Leave out the user name and password (the part before @): patients must never see them.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(stored()).toBe(before);
    mkdirSync(SHOTS, { recursive: true });
    for (const [w, h] of [
      [1366, 768],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await field.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/settings-public-address-refused-${w}x${h}.png` });
    }
    await page.setViewportSize({ width: 1366, height: 768 });

    await field.fill('https://book.clinic.example/');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(JSON.parse(stored()!)).toBe('https://book.clinic.example');
    expect(web.app.publicBaseUrl()).toBe('https://book.clinic.example');

    await page.reload();
    await page.getByRole('heading', { name: 'Clinic settings' }).waitFor();
    const again = page.getByRole('form', { name: 'Clinic settings' }).getByLabel('Patient page’s public address');
    await expect.poll(() => again.inputValue()).toBe('https://book.clinic.example');
    for (const [w, h] of [
      [1366, 768],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await again.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/settings-public-address-saved-${w}x${h}.png` });
    }
    const axe = await new AxeBuilder({ page }).include('form[aria-label="Clinic settings"]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
