import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { RegisterPage } from './pages/register.page.js';

/**
 * Words a receptionist would use (issue 12, item 8): languages and countries chosen by name (the
 * code is stored), map coordinates under "Advanced", date messages that fit the date box, and an
 * audit log that says who did what to whom, with filters.
 */
let web: WebHarness;
const SHOTS = process.env.SHOTS_DIR ?? path.resolve('..', 'shots', 'words-a11y');

beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.setViewportSize({ width: 1366, height: 768 });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => web?.close());

describe('words a receptionist would use', () => {
  it('registers a patient with country and language chosen by name; coordinates wait under Advanced', async () => {
    const { page } = web;
    const register = new RegisterPage(page);
    await register.open();
    await register.next();
    // The date message fits a date box of any locale.
    await page.getByText('Enter a whole date that exists: day, month and year.').waitFor();
    expect(await page.getByText(/YYYY|e\.g\./).count()).toBe(0);

    await register.fillBasic({ givenName: 'Ana', familyName: 'Ruiz-Okoro', dateOfBirth: '1979-05-02', sex: 'Female', phone: '(202) 555-0144' });
    expect(await page.getByLabel('Latitude (optional)').count()).toBe(0);
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByLabel('Latitude (optional)').waitFor();

    await page.getByLabel('Country').fill('united k');
    await page.getByRole('option', { name: 'United Kingdom', exact: true }).click();
    expect(await page.getByLabel('Preferred language').inputValue()).toBe('English');
    await page.getByLabel('Preferred language').fill('span');
    await page.getByRole('option', { name: 'Spanish (Mexico)' }).waitFor();
    await page.getByRole('option', { name: 'Spanish', exact: true }).click();
    // The code is searchable too.
    await page.screenshot({ path: path.join(SHOTS, 'register-pickers-1366x768.png') });
    await register.next();
    await register.stepHeading('Medical history');
    await register.next();
    await register.stepHeading('Emergency contact');
    await register.next();
    await register.stepHeading('Insurance');
    await register.next();
    await register.stepHeading('Review');
    await page.getByText(/United Kingdom/).waitFor();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Ana Ruiz-Okoro', level: 1 }).waitFor();
    await page.getByText(/Spanish/).first().waitFor();
    const row = web.app.raw.prepare("SELECT country, preferred_language FROM patient WHERE family_name = 'Ruiz-Okoro'").get();
    expect(row).toEqual({ country: 'GB', preferred_language: 'es' });
  });

  it('a location keeps its coordinates under Advanced, and the list no longer shows them', async () => {
    const { page } = web;
    await page.evaluate(() => (window.location.hash = '#/roster/locations'));
    await page.getByRole('tab', { name: 'Locations', selected: true }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Coordinates' }).count()).toBe(0);
    const form = page.getByRole('form', { name: 'New location' });
    await form.waitFor();
    expect(await form.getByLabel('Latitude (optional)').count()).toBe(0);
    await form.getByRole('button', { name: 'Advanced' }).click();
    await form.getByLabel('Latitude (optional)').fill('north');
    await form.getByLabel('Location name').fill('Harbour Annex');
    await form.getByRole('button', { name: /save|add/i }).first().click();
    await form.getByText('Enter the latitude as a number, such as 40.7128, or leave it empty.').waitFor();
  });

  it('the audit log says who did what to whom, and filters by who, kind, patient and dates', async () => {
    const { page } = web;
    await page.keyboard.press('Alt+u');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByText('Alex Admin registered Ana Ruiz-Okoro').first().waitFor();
    expect(await table.getByText(/\b[a-z]+\/[a-z-]+\b/).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'audit-words-1366x768.png') });

    await page.getByRole('combobox', { name: 'What kind' }).click();
    await page.getByRole('option', { name: 'Sign-in and locking' }).click();
    await table.getByText('Alex Admin signed in').first().waitFor();
    expect(await table.getByText('registered Ana Ruiz-Okoro').count()).toBe(0);

    await page.getByRole('combobox', { name: 'What kind' }).click();
    await page.getByRole('option', { name: 'Everything' }).click();
    await page.getByLabel('Patient').fill('Ruiz-Okoro');
    await page.getByRole('option', { name: /Ana Ruiz-Okoro/ }).click();
    await table.getByText('Alex Admin registered Ana Ruiz-Okoro').waitFor();
    const rows = await table.getByRole('row').allTextContents();
    expect(rows.slice(1).every((r) => r.includes('Ana Ruiz-Okoro'))).toBe(true);

    await page.getByLabel('From').fill('2001-01-02');
    await page.getByLabel('To').fill('2001-01-01');
    await page.getByText('The last day is before the first day.').waitFor();
    await page.getByLabel('To').fill('2001-01-03');
    await table.getByText('Nothing matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await table.getByText('Alex Admin registered Ana Ruiz-Okoro').waitFor();
  });
});
