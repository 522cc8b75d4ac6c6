import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { codeInput } from '../helpers/referrals.js';
import { expectNoSeriousAxe as axe, PHONE, shootBookPage } from './pages/book.page.js';

/**
 * The patient page's referral code, checked as it is typed (issues 10 item 2 and 14), on a
 * phone: a code that cannot be used is named at its field; a good one shows the discount and
 * the new total in the price table and on "Pay now" before booking; the confirmation shows
 * the same total.
 */
let web: WebHarness;

beforeAll(async () => {
  web = await startWeb({ demo: true });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  const admin = { sessionToken: login.session!.set! };
  for (const overrides of [
    { code: 'WELCOME-10', discount: { kind: 'percent', bp: 1000, capMinor: null } },
    { code: 'OLD-ONE', validUntil: '2020-01-31' },
  ]) {
    const saved = await web.app.dispatch('referral/save', codeInput(overrides), admin);
    expect(saved.result.ok).toBe(true);
  }
});
afterAll(async () => {
  await web?.close();
});



/** "$54.00" → 5400 */
const minor = (text: string): number => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

describe('the referral code on the patient page', () => {
  it('is checked as typed: a bad code is named at its field, a good one lowers the price and "Pay now" before booking; the confirmation shows the same total', async () => {
    const page = await web.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${web.url}book`);
    await page.getByRole('button', { name: 'Book for the first time' }).click();
    await page.getByLabel(/^First name/).fill('Rosa');
    await page.getByLabel(/^Last name/).fill('Códigos');
    await page.getByLabel(/^Date of birth/).fill('1988-04-05');
    await page.getByLabel(/^Mobile phone/).fill('+1 202 555 0177');
    await page.getByLabel(/^E-mail/).fill('rosa@example.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Skip — I know what I need' }).click();
    await page.locator('.choice').first().click();
    const times = page.getByRole('group', { name: /^Free times on / }).getByRole('button');
    await times.first().waitFor();
    await times.first().click();
    await page.getByRole('heading', { name: 'Check and book' }).waitFor();

    const table = page.locator('dl.price');
    const base = minor(await table.locator('.price-total dd').innerText());
    expect(base).toBeGreaterThan(0);
    const payNow = page.getByRole('button', { name: /^Pay now by card · / });
    expect(minor(await payNow.innerText())).toBe(base);

    // A code that cannot be used: the reason at the field, the price unchanged.
    const field = page.getByLabel('Referral code (optional)');
    await field.pressSequentially('old-one', { delay: 30 });
    await page.locator('.field-error').getByText('The code OLD-ONE expired on 31 January 2020.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await table.getByText(/^Discount/).count()).toBe(0);
    expect(minor(await payNow.innerText())).toBe(base);
    await axe(page, 'review with a refused code');
    await shootBookPage(page, 'book-code-01-refused', { scrollToEnd: true });

    // An unknown one.
    await field.fill('NO-SUCH');
    await page.locator('.field-error').getByText('There is no referral code “NO-SUCH”. Check the spelling.').waitFor();

    // A good code: the discount and the new total, before booking.
    await field.fill('welcome-10');
    const discount = Math.round(base / 10);
    await page.getByTestId('code-status').getByText(/^Code WELCOME-10: .+ off\.$/).waitFor();
    await table.getByText('Discount (WELCOME-10)').waitFor();
    expect(await page.locator('.field-error').count()).toBe(0);
    expect(minor(await table.locator('.price-total dd').innerText())).toBe(base - discount);
    expect(minor(await payNow.innerText())).toBe(base - discount);
    await axe(page, 'review with a good code');
    await shootBookPage(page, 'book-code-02-discount', { scrollToEnd: true });

    // Booking charges what was shown.
    await page.getByRole('button', { name: 'Book and pay at the desk' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    const done = page.locator('dl.price');
    await done.getByText('Discount (WELCOME-10)').waitFor();
    expect(minor(await done.locator('.price-total dd').innerText())).toBe(base - discount);
    await shootBookPage(page, 'book-code-03-confirmation', { scrollToEnd: true });
    await page.close();
  });
});
