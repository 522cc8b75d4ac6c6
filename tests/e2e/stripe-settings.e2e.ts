import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';

/** Screenshots a person looks at (outside the repository). */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/stripe';

let web: WebHarness;
let fake: FakeStripe;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fake = await startFakeStripe();
  // The webhook secret comes from the environment (web mode); the secret key is pasted on screen.
  web = await startWeb({ demo: true, env: { CLINIC_DESK_STRIPE_API: fake.url, STRIPE_WEBHOOK_SECRET: 'whsec_fromTheEnvironment9876' } });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => {
  await web?.close();
  await fake?.close();
});

async function shots(page: Page, name: string) {
  for (const [width, height] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    const section = page.getByRole('region', { name: 'Stripe payments' });
    // The section's top just below the sticky app bar, then its end at the bottom of the window.
    await section.evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      const bar = el.ownerDocument.querySelector('header')?.getBoundingClientRect().height ?? 64;
      el.ownerDocument.defaultView?.scrollBy(0, -(bar + 8));
    });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}-top.png` });
    await section.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}-end.png` });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

describe('Settings → Stripe payments', () => {
  it('sets the key (never shown again), adds readers, checks the currency and tests the connection', async () => {
    const { page } = web;
    await new MainNav(page).open('Settings');
    const stripe = page.getByRole('region', { name: 'Stripe payments' });
    await stripe.waitFor();
    await stripe.getByText('Stripe can take payments in USD, the clinic’s currency.').waitFor();
    // The webhook secret is given by the environment: its hint only.
    await stripe.getByText('Set by the environment (STRIPE_WEBHOOK_SECRET), ending …9876. It wins over a value stored here.').waitFor();

    // No key yet: the test says so.
    await stripe.getByRole('button', { name: 'Test connection' }).click();
    await stripe.getByText(/No Stripe secret key is set yet/).waitFor();

    // A wrong key: stored, shown only by its last four characters; the test explains, without the key.
    const keyForm = stripe.getByRole('form', { name: 'Stripe secret key' });
    // The publishable key by mistake: refused next to the field, nothing stored.
    await keyForm.getByLabel('Paste the secret key').fill('pk_test_publishableKey0000');
    await keyForm.getByRole('button', { name: 'Save' }).click();
    await keyForm.getByText('This is the publishable key (pk_…). Paste the secret key (sk_… or rk_…).').waitFor();
    await keyForm.getByText('Not set.').waitFor();
    await keyForm.getByLabel('Paste the secret key').fill('sk_test_wrongWrongWrong1111');
    await keyForm.getByRole('button', { name: 'Save' }).click();
    await keyForm.getByText('Stripe secret key saved (ending …1111).').waitFor();
    await keyForm.getByText(/^Set, ending …1111/).waitFor();
    expect(await keyForm.getByLabel('New secret key').inputValue()).toBe('');
    await stripe.getByRole('button', { name: 'Test connection' }).click();
    await stripe.getByText(/Stripe did not accept the secret key/).waitFor();
    expect(await page.content()).not.toContain('wrongWrongWrong');
    await shots(page, 'stripe-settings-bad-key');

    // The right key.
    await keyForm.getByLabel('New secret key').fill(fake.apiKey);
    await keyForm.getByRole('button', { name: 'Save' }).click();
    await keyForm.getByText(`Stripe secret key saved (ending …${fake.apiKey.slice(-4)}).`).waitFor();
    expect(await page.content()).not.toContain(fake.apiKey);

    // Readers: a bad id is refused next to its field; two good ones are listed.
    const add = stripe.getByRole('form', { name: 'Add a card reader' });
    await add.getByLabel('Reader id').fill('reader-1');
    await add.getByLabel('Reader name').fill('Front desk');
    await add.getByRole('button', { name: 'Add reader' }).click();
    await add.getByText(/A reader id looks like tmr_/).waitFor();
    await add.getByLabel('Reader id').fill('tmr_FakeReader1');
    await add.getByRole('button', { name: 'Add reader' }).click();
    const list = stripe.getByRole('list', { name: 'Card readers' });
    await list.getByText('tmr_FakeReader1').waitFor();
    await add.getByLabel('Reader id').fill('tmr_Room2Reader');
    await add.getByLabel('Reader name').fill('Room 2');
    await add.getByLabel('Reader name').press('Enter');
    await list.getByText('tmr_Room2Reader').waitFor();
    await add.getByLabel('Reader id').fill('tmr_Room2Reader');
    await add.getByLabel('Reader name').fill('Again');
    await add.getByRole('button', { name: 'Add reader' }).click();
    await add.getByText('This reader is already listed.').waitFor();
    expect(web.app.settings().stripeReaders).toEqual([
      { id: 'tmr_FakeReader1', label: 'Front desk' },
      { id: 'tmr_Room2Reader', label: 'Room 2' },
    ]);

    await stripe.getByRole('button', { name: 'Test connection' }).click();
    await stripe.getByText('Connected to Stripe account “Fake Clinic (Stripe test)” (acct_1FakeClinicDesk) in test mode.').waitFor();
    await stripe.getByText('Test mode: no real money').waitFor();
    await shots(page, 'stripe-settings-connected');

    // The other clinic settings still save (the readers list is not a text field of that form).
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(web.app.settings().stripeReaders).toHaveLength(2);

    // Removing a reader; clearing the stored key.
    await list.getByRole('button', { name: 'Remove Room 2' }).click();
    await list.getByText('tmr_Room2Reader').waitFor({ state: 'detached' });
    await keyForm.getByRole('button', { name: 'Clear' }).click();
    await keyForm.getByText('Stripe secret key cleared.').waitFor();
    await keyForm.getByText('Not set.').waitFor();
  });

  it('warns when Stripe cannot charge in the clinic’s currency', async () => {
    const { page } = web;
    const currency = page.getByRole('form', { name: 'Clinic settings' }).getByLabel('Currency (ISO code)');
    await currency.fill('IQD');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const stripe = page.getByRole('region', { name: 'Stripe payments' });
    await stripe.getByText(/Stripe cannot take payments in IQD/).waitFor();
    await shots(page, 'stripe-settings-currency-warning');
  });
});
