import { afterEach, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';
import { dayBounds, todayIn } from '../../src-main/core/time/time.js';

let web: WebHarness | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

describe('web mode, first run and the demo clinic', () => {
  it('first-run setup creates the clinic and its admin, then shows an empty agenda', async () => {
    web = await startWeb();
    const { page } = web;
    await page.goto(web.url);
    await page.getByRole('heading', { name: 'Welcome to Clinic Desk' }).waitFor();

    // Bad input first: field-level errors, nothing created.
    await page.getByLabel('Clinic name').fill('Harbour Clinic');
    await page.getByLabel('Admin username').fill('ad min');
    await page.getByLabel('Admin full name').fill('Dana Admin');
    await page.getByLabel('Admin password').fill('short');
    await page.getByRole('button', { name: 'Create clinic' }).click();
    await page.getByText('Letters, digits, dot, dash and underscore only.').waitFor();
    await page.getByText('Use at least 10 characters.').waitFor();
    expect(web.app.raw.prepare('SELECT count(*) AS n FROM staff').get()).toEqual({ n: 0 });

    await page.getByLabel('Admin username').fill('dana');
    await page.getByLabel('Admin password').fill('harbour-clinic-2026');
    await page.getByRole('button', { name: 'Create clinic' }).click();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await page.getByText('No appointments on this day.').waitFor();
    expect(await new MainNav(page).adminMenuItems()).toContain('Staff');
    const row = web.app.raw.prepare('SELECT username, role FROM staff').get();
    expect(row).toEqual({ username: 'dana', role: 'admin' });
  });

  it('a receptionist signs in to the demo clinic and sees today’s agenda; lock hides it', async () => {
    web = await startWeb({ demo: true });
    const { page } = web;
    await page.goto(web.url);
    await page.getByText('Demo clinic accounts:').waitFor();

    await new LoginPage(page).signIn('reception', 'wrong-password');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await new LoginPage(page).signIn('reception', 'demo-desk-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    const rows = page.getByRole('table', { name: 'Appointments' }).getByRole('row');
    await rows.nth(1).waitFor();
    const agenda = await web.app.dispatch('agenda/day', {}, {});
    expect(agenda.result.ok).toBe(false); // staff only: nobody is signed in on this caller
    const expected = web.app.raw
      // Cancelled visits stay listed (struck through); a visit moved to another time is listed there only.
      .prepare('SELECT count(*) AS n FROM appointment WHERE rescheduled_to_id IS NULL AND start_at >= ? AND start_at < ?')
      .get(...todayBoundsNewYork()) as { n: number };
    expect(expected.n).toBeGreaterThan(0);
    expect(await rows.count()).toBe(expected.n + 1);

    // A receptionist has no admin navigation.
    expect(await new MainNav(page).adminMenuItems()).not.toContain('Staff');

    await page.screenshot({ path: 'resources/screenshots/agenda.png' });

    // One doctor's day: every row is that doctor's.
    await page.getByLabel('Doctor').click();
    await page.getByRole('option', { name: 'Dr Maya Chen' }).click();
    const chenRows = web.app.raw
      .prepare("SELECT count(*) AS n FROM appointment a JOIN doctor d ON d.id = a.doctor_id WHERE d.family_name = 'Chen' AND a.rescheduled_to_id IS NULL AND a.start_at >= ? AND a.start_at < ?")
      .get(...todayBoundsNewYork()) as { n: number };
    await expect.poll(() => rows.count()).toBe(chenRows.n + 1);
    const doctors = await page.getByRole('table', { name: 'Appointments' }).locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(new Set(doctors)).toEqual(new Set(['Dr Maya Chen']));

    // Lock with Alt+L: the agenda leaves the screen; the password brings it back.
    await page.keyboard.press('Alt+l');
    await page.getByRole('heading', { name: 'Session locked' }).waitFor();
    expect(await page.getByRole('table', { name: 'Appointments' }).count()).toBe(0);
    await page.getByLabel('Password').fill('demo-desk-2026');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
  });
});

/** The demo clinic is in America/New_York; today's bounds there, as UTC ISO strings. */
function todayBoundsNewYork(): [string, string] {
  const { start, end } = dayBounds(todayIn('America/New_York', new Date()), 'America/New_York');
  return [start, end];
}
