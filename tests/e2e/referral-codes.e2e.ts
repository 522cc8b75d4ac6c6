import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/** Screenshots a person looks at (outside the repository). */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/h8-money-referrals';

let web: WebHarness;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const count = (sql: string): number => (web.app.raw.prepare(sql).get() as { n: number }).n;

describe('referral codes', () => {
  it('creates a code on the admin screen (a discount over 100 % is refused next to its field) and checks it as it is typed', async () => {
    const { page } = web;
    // Keyboard first: Alt+C opens the screen.
    await page.keyboard.press('Alt+c');
    await page.getByRole('heading', { name: 'Referral codes' }).waitFor();
    await page.getByText('No referral codes yet.').waitFor();

    const form = page.getByRole('form', { name: 'New referral code' });
    await form.getByLabel('Code').fill('welcome-15');
    await form.getByLabel('Agent’s name').fill('Jordan Agent');
    await form.getByLabel('Agent’s contact').fill('+1 202 555 0100');
    await form.getByLabel('Discount (%)').fill('150');
    await form.getByLabel('At most (USD)').fill('20');
    await form.getByLabel('Uses in total').fill('10');
    await form.getByRole('button', { name: 'Create referral code' }).click();
    await page.screenshot({ path: `${SHOTS}/referral-codes-field-error.png`, fullPage: true });
    await form.getByText('At most 100 %.').waitFor();
    expect(count('SELECT count(*) AS n FROM referral_code')).toBe(0);

    // Fixed, and sent with Enter from the keyboard.
    await form.getByLabel('Discount (%)').fill('15');
    await form.getByLabel('Discount (%)').press('Enter');
    const table = page.getByRole('table', { name: 'Referral codes' });
    await table.getByText('WELCOME-15').waitFor();
    await table.getByText('15 % off, at most $20.00').waitFor();
    expect(count("SELECT count(*) AS n FROM referral_code WHERE code = 'WELCOME-15' AND discount_bp = 1500 AND discount_cap_minor = 2000 AND usage_limit = 10")).toBe(1);

    // Checking as it is typed: the general consultation costs $60.00 in the demo clinic.
    const tryBox = page.getByRole('region', { name: 'Try a code' });
    await tryBox.getByLabel('Consultation').click();
    await page.getByRole('option', { name: 'General consultation' }).click();
    await tryBox.getByLabel('Referral code to try').fill('nope');
    await tryBox.getByText('There is no referral code “NOPE”. Check the spelling.').waitFor();
    await tryBox.getByLabel('Referral code to try').fill('welcome-15');
    await tryBox.getByText('Code WELCOME-15: $9.00 off.').waitFor();
    const price = tryBox.getByRole('table', { name: 'Price' });
    await price.getByText('$51.00').waitFor();
    await price.getByText('− $9.00').waitFor();

    for (const [width, height] of [
      [1366, 768],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${SHOTS}/referral-codes-${width}x${height}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1360, height: 860 });

    // Deactivated: the check says so in plain words; the row stays (never deleted).
    await table.getByRole('button', { name: 'Deactivate WELCOME-15' }).click();
    await table.getByText('Deactivated').waitFor();
    await tryBox.getByLabel('Referral code to try').fill('WELCOME-15 ');
    await tryBox.getByText('The code WELCOME-15 has been deactivated.').waitFor();

    // Editing keeps the version: reactivate through the form.
    await table.getByRole('button', { name: 'Edit WELCOME-15' }).click();
    const editForm = page.getByRole('form', { name: 'Edit WELCOME-15' });
    await editForm.getByLabel('Active (can be used)').check();
    await editForm.getByLabel('Discount (%)').fill('12,5');
    await editForm.getByRole('button', { name: 'Save referral code' }).click();
    await editForm.getByText('Use “.” for the decimals, as in 12.50.').waitFor();
    await editForm.getByLabel('Discount (%)').fill('12.5');
    await editForm.getByRole('button', { name: 'Save referral code' }).click();
    await table.getByText('12.5 % off, at most $20.00').waitFor();
    await tryBox.getByLabel('Referral code to try').fill('welcome-15');
    await tryBox.getByText('Code WELCOME-15: $7.50 off.').waitFor();
    await page.screenshot({ path: `${SHOTS}/referral-codes-edited.png`, fullPage: true });
  });

  it('the consultation-type form shows the clinic’s currency and reads the price with the money rules', async () => {
    const { page } = web;
    await page.goto(`${web.url}#/roster/types`);
    const form = page.getByRole('form', { name: 'New consultation type' });
    await form.getByLabel('Price (USD)').waitFor();
    await form.getByText('In the clinic’s currency, USD.').waitFor();
    await form.getByLabel('Consultation name').fill('Travel advice');
    await form.getByLabel('Price (USD)').fill('45.505');
    await form.getByRole('button', { name: 'Add consultation type' }).click();
    await form.getByText('USD has at most 2 decimals.').waitFor();
    await form.getByLabel('Price (USD)').fill('-4');
    await form.getByRole('button', { name: 'Add consultation type' }).click();
    await form.getByText('The amount cannot be negative.').waitFor();
    expect(count("SELECT count(*) AS n FROM consultation_type WHERE name = 'Travel advice'")).toBe(0);
    await page.screenshot({ path: `${SHOTS}/consultation-type-price-1366.png`, fullPage: true });
  });
});
