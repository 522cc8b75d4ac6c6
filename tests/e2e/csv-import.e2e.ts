/**
 * Importing a patient list from CSV (issue 12 item 14), in Chromium: a semicolon file with a
 * BOM, CRLF line ends, a quoted line break, good, bad and duplicate rows; columns mapped (one by
 * hand), previewed, checked with a progress bar, the failures downloaded (formula cells
 * neutralised), a duplicate chosen, imported with a progress bar, and the patient found.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';

const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/csv-import';
const SIZES = [
  [1366, 768],
  [1024, 700],
] as const;

let web: WebHarness;
const count = (sql: string) => (web.app.raw.prepare(sql).get() as { n: number }).n;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

async function shoot(name: string) {
  for (const [width, height] of SIZES) {
    await web.page.setViewportSize({ width, height });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png`, fullPage: true });
  }
  await web.page.setViewportSize({ width: 1366, height: 768 });
}

describe('importing a patient list', () => {
  it('uploads, maps, previews, checks, downloads the failures, imports with progress and finds the patient', async () => {
    const { page } = web;
    const known = web.app.raw.prepare('SELECT given_name AS g, family_name AS f, date_of_birth AS d FROM patient ORDER BY number LIMIT 1').get() as { g: string; f: string; d: string };
    const header = ['Prénom', 'Nom', 'Date de naissance', 'Sexe', 'Tel. mobile', 'Courriel', 'Adresse'];
    const rows = [
      ['Émilie', 'Importée-Test', '1984-07-21', 'F', '(303) 555-0142', 'emilie@mail.example', '12 Rue Haute\nAppartement 3'],
      ['=HYPERLINK("http://evil.example","Click")', 'Formula', '31/12/1980', 'M', '(303) 555-0143', '', ''],
      [known.g, known.f, known.d, 'M', '(303) 555-0144', '', ''],
      ['Twin', 'Sameline', '1990-01-01', 'X', '(303) 555-0142', '', ''],
      ['Nadia', 'Bad-Phone', '1975-03-03', 'F', '12', 'nadia@', ''],
    ];
    // 1,200 more good rows: the check runs in two chunks, so its progress is seen between them.
    for (let i = 0; i < 1200; i++) rows.push([`Bulk${i}`, `Family${i}`, new Date(Date.UTC(1930, 0, 1 + i * 7)).toISOString().slice(0, 10), '', `+1720555${String(1000 + i).padStart(4, '0')}`, '', '']);
    const csv = `\uFEFF${Papa.unparse({ fields: header, data: rows }, { delimiter: ';', newline: '\r\n' })}\r\n`;

    await new MainNav(page).open('Import patients');
    await page.getByRole('heading', { name: 'Import patients', level: 1 }).waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: 'old-list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByText('1,205 patient rows, columns separated by semicolons.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'The first row names the columns' }).isChecked()).toBe(true);

    // Guessed from the names; the phone column is chosen by hand.
    await expect.poll(() => page.getByRole('combobox', { name: 'Given name *' }).innerText()).toContain('Prénom (column 1)');
    await expect.poll(() => page.getByRole('combobox', { name: 'Date of birth *' }).innerText()).toContain('Date de naissance');
    await page.getByText('Choose the column for: Phone. Every row needs it.').waitFor();
    expect(await page.getByRole('button', { name: /^Check all/ }).isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: 'Phone *' }).click();
    await page.getByRole('option', { name: 'Tel. mobile (column 5)' }).click();
    const preview = page.getByRole('table', { name: 'Preview of the first rows as patients' });
    await preview.getByText('Importée-Test').waitFor();
    expect(await preview.getByRole('row').count()).toBe(6);
    await preview.getByText('12 Rue Haute').waitFor();
    await shoot('import-map');
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // The second chunk waits until the progress bar has been seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stages = 0;
    await page.route('**/api/rpc/import/stage', async (route) => {
      if (++stages === 2) await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Check all 1,205 rows' }).click();
    // Chunks hold at most 1,000 rows and 200 KB (web mode's body limit is 256 KB).
    // The bar starts at "0 of 1,205"; the first chunk's answer moves it, and the held second chunk keeps it there.
    const progress = page.getByRole('progressbar', { name: /^Checking rows: [1-9][\d,]* of 1,205$/ });
    await progress.waitFor();
    const done = Number((await progress.getAttribute('aria-labelledby').then((id) => page.locator(`#${id}`).innerText())).match(/([\d,]+) of/)![1]!.replace(',', ''));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(1205);
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeCloseTo((done / 1205) * 100, 5);
    release();
    await page.getByRole('heading', { name: 'old-list.csv: every row checked' }).waitFor();
    await page.unroute('**/api/rpc/import/stage');

    await page.getByText('1,201 ready to import').waitFor();
    await page.getByText('2 look like patients you already have').waitFor();
    await page.getByText('2 cannot be imported as they are').waitFor();
    const failures = page.getByRole('table', { name: 'Rows that cannot be imported' });
    await failures.getByText('Date of birth: Write the date as year-month-day, for example 1980-04-23.').waitFor();
    await failures.getByText('E-mail: Not a valid e-mail address.').waitFor();
    expect((await failures.getByRole('row').allInnerTexts()).map((r) => r.split('\t')[0])).toEqual(['Row', '3', '6']);
    const dups = page.getByRole('table', { name: 'Likely duplicates' });
    await dups.getByText(`${known.g} ${known.f} (P`).waitFor();
    await dups.getByText('Émilie Importée-Test, row 2 of this file — same phone number').waitFor();
    await shoot('import-checked');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download these rows (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('old-list-rows-not-imported.csv');
    const file = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8').trim()).data;
    expect(file[0]!.slice(0, 3)).toEqual(['Row', 'Reasons', 'Given name']);
    expect(file[1]!.slice(0, 3)).toEqual(['3', 'Date of birth: Write the date as year-month-day, for example 1980-04-23.', `'=HYPERLINK("http://evil.example","Click")`]);

    // Row 5 (the same phone as row 2) is imported anyway; the existing patient's twin is skipped.
    await page.getByRole('checkbox', { name: 'Import row 5 anyway' }).check();
    const before = count('SELECT count(*) AS n FROM patient');
    let releaseCommit!: () => void;
    const heldCommit = new Promise<void>((resolve) => (releaseCommit = resolve));
    await page.route('**/api/rpc/import/commit', async (route) => {
      await heldCommit;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Import 1,202 patients' }).click();
    await page.getByRole('progressbar', { name: 'Importing 1,202 patients in one step — all of them or none…' }).waitFor();
    await shoot('import-importing');
    releaseCommit();
    await page.getByRole('status').getByText('Imported 1,202 patients. Skipped 1 likely duplicate. 2 rows could not be imported.').waitFor();
    await page.unroute('**/api/rpc/import/commit');
    expect(count('SELECT count(*) AS n FROM patient')).toBe(before + 1202);
    await shoot('import-done');

    await page.getByRole('button', { name: 'Find a patient' }).click();
    const box = page.getByLabel('Search patients');
    await box.fill('emilie importee');
    await page.getByRole('table', { name: 'Search results' }).getByText('Importée-Test, Émilie').waitFor();
  });

  it('says plainly when a file is not UTF-8, and reads it as Windows-1252 on request', async () => {
    const { page } = web;
    await page.goto(`${web.url}#/import`);
    await page.getByRole('heading', { name: 'Import patients', level: 1 }).waitFor();
    const latin1 = Buffer.from('First name,Last name,DOB,Phone\r\nJosé,Muñoz,1970-02-02,(303) 555-0190\r\n', 'latin1');
    await page.locator('input[type=file]').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.getByRole('alert').getByText(/This file is not UTF-8 text/).waitFor();
    await page.getByRole('button', { name: 'Read it as Western European (Windows-1252)' }).click();
    await page.getByText('1 patient row, columns separated by commas, read as Western European (Windows-1252).').waitFor();
    await page.getByRole('table', { name: 'Preview of the first rows as patients' }).getByText('Muñoz').waitFor();

    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });
    await page.getByRole('alert').getByText('This file is 10.0 MB; the limit is 10 MB. Split the list into smaller files and import them one after the other.').waitFor();
  });
});
