import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';
import { startWeb, type WebHarness } from './web-harness.js';

let web: WebHarness | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

/** Screenshots for a person to look at, only when SHOTS_DIR is set (never into the repo). */
async function shot(page: Page, name: string) {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(dir, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

const staffRow = (page: Page, username: string) =>
  page.getByRole('table', { name: 'Staff' }).getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });

async function signedIn(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await new LoginPage(page).signIn(username, password);
  await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
}

describe('staff management and staff sessions in the browser', () => {
  it('an admin resets a password, deactivates, reactivates and promotes; the other desk is signed out with a reason', async () => {
    web = await startWeb({ demo: true });
    const { page } = web;
    const desk = await web.context.browser()!.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: 'UTC' });
    const deskPage = await desk.newPage();
    await signedIn(deskPage, web.url, 'reception', 'demo-desk-2026');
    await signedIn(page, web.url, 'admin', 'demo-admin-2026');

    await new MainNav(page).open('Staff');
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    const receptionRow = staffRow(page, 'reception');
    await receptionRow.getByText('Active').waitFor();
    const receptionName = (await receptionRow.locator('td').first().innerText()).trim();

    // The last admin cannot step down: the dialog says why, nothing changes.
    const adminRow = staffRow(page, 'admin');
    await adminRow.getByRole('button', { name: /^Change role of / }).click();
    await page.getByRole('dialog').getByText(/You lose admin rights at once/).waitFor();
    await shot(page, 'staff-confirm-self-demotion');
    await page.getByRole('dialog').getByRole('button', { name: 'Make receptionist' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: 'is the last active admin' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(web.app.raw.prepare("SELECT role FROM staff WHERE username = 'admin'").get()).toEqual({ role: 'admin' });

    // Reset a password: a weak one is refused next to the field, writing nothing.
    const hashBefore = web.app.raw.prepare("SELECT password_hash FROM staff WHERE username = 'reception'").get();
    await receptionRow.getByRole('button', { name: `Reset password of ${receptionName}` }).click();
    await page.getByRole('dialog').getByLabel('New password').fill('short');
    await page.getByRole('dialog').getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('dialog').getByText('Use at least 10 characters.').waitFor();
    expect(web.app.raw.prepare("SELECT password_hash FROM staff WHERE username = 'reception'").get()).toEqual(hashBefore);
    await shot(page, 'staff-reset-password-error');
    await page.getByRole('dialog').getByLabel('New password').fill('front-desk-reset-1');
    await page.getByRole('dialog').getByRole('button', { name: 'Set new password' }).click();
    await page.getByText(`New password set for ${receptionName}`).waitFor();

    // The desk is signed out at once (its live stream ends with the session), saying why.
    await deskPage.getByText('You were signed out because an administrator reset your password. Please sign in again.').waitFor();
    await shot(deskPage, 'login-signed-out-reason');
    await new LoginPage(deskPage).signIn('reception', 'front-desk-reset-1');
    await deskPage.getByRole('heading', { name: /^Agenda — / }).waitFor();

    // Deactivate: confirmed, shown in the table, and the desk is out at once.
    await receptionRow.getByRole('button', { name: `Deactivate ${receptionName}` }).click();
    await page.getByRole('dialog').getByText(/signed out on every desk at once/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await receptionRow.getByText('Deactivated').waitFor();
    await shot(page, 'staff-screen');
    await deskPage.getByText(/This account has been deactivated/).waitFor();

    // Reactivate and promote.
    await receptionRow.getByRole('button', { name: `Reactivate ${receptionName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
    await receptionRow.getByText('Active').waitFor();
    await receptionRow.getByRole('button', { name: `Change role of ${receptionName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Make admin' }).click();
    await page.getByText(`${receptionName} is now an admin.`).waitFor();
    expect(web.app.raw.prepare("SELECT role, active FROM staff WHERE username = 'reception'").get()).toEqual({ role: 'admin', active: 1 });

    const handlers = (web.app.raw.prepare("SELECT handler FROM audit_log WHERE handler LIKE 'staff/%' AND outcome = 'ok' ORDER BY seq").all() as Array<{ handler: string }>).map((r) => r.handler);
    expect(handlers.filter((h) => h !== 'staff/list')).toEqual(['staff/reset-password', 'staff/set-active', 'staff/set-active', 'staff/set-role']);
    await desk.close();

    // The lifetime is a clinic setting, checked with plain words.
    await new MainNav(page).open('Settings');
    const lifetime = page.getByLabel('Sign staff out after (hours since sign-in)');
    expect(await lifetime.inputValue()).toBe('12');
    await lifetime.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('At most 24 hours: a session must end at least once a day.').waitFor();
    await shot(page, 'settings-session-lifetime');
    await lifetime.fill('9');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(web.app.settings().sessionMaxHours).toBe(9);
  });

  it('any staff member changes their own password from the app bar; a session ends after its lifetime', async () => {
    const clock = new FakeClock();
    web = await startWeb({ demo: true, clock });
    const { page } = web;
    await signedIn(page, web.url, 'reception', 'demo-desk-2026');

    await page.getByRole('button', { name: /\(receptionist\)$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Current password').fill('not-my-password');
    await dialog.getByLabel('New password', { exact: true }).fill('desk-password-2027');
    await dialog.getByLabel('New password again').fill('desk-password-2027');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('Wrong password.').waitFor();
    await shot(page, 'change-password-wrong');
    await dialog.getByLabel('Current password').fill('demo-desk-2026');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText(/Password changed\. You stay signed in here/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Still signed in here (the session token was rotated).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Agenda' }).click();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();

    // Twelve hours after sign-in the session ends, whatever the activity.
    clock.advance({ minutes: 12 * 60 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Agenda' }).click();
    await page.getByText('You were signed out because a session lasts at most 12 hours. Please sign in again.').waitFor();
    await new LoginPage(page).signIn('reception', 'desk-password-2027');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
  });
});
