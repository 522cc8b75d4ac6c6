import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { expectNoSeriousAxe, PHONE, shootBookPage } from './pages/book.page.js';
import { LoginPage } from './pages/login.page.js';
import { MailServer } from '../helpers/mail-server.js';
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';

/**
 * The patient booking page (/book) on a phone: a first booking from nothing to the
 * confirmation in at most 15 interactions, cancelled from "Manage my booking"; kiosk mode; a
 * returning patient through the link in the mail; axe-core on every step.
 */
let web: WebHarness;
let smtp: MailServer;
let adminToken: string;

beforeAll(async () => {
  smtp = new MailServer();
  await smtp.start();
  web = await startWeb({ demo: true });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  const saved = await web.app.dispatch(
    'notifications/save-settings',
    {
      settings: {
        ...defaultNotificationSettings,
        email: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: 'none', user: '', fromAddress: 'desk@clinic.test', fromName: 'Demo Clinic', replyTo: '' },
        clinicPhone: '+1 202 555 0100',
        clinicAddress: '1 Demo Way',
      },
    },
    { sessionToken: login.session!.set! },
  );
  expect(saved.result.ok).toBe(true);
  adminToken = login.session!.set!;
});
afterAll(async () => {
  await web?.close();
  await smtp?.stop();
});

/** The keys the page keeps in localStorage (the test's tsconfig has no DOM types). */
const storedKeys = (page: Page) => page.evaluate('Object.keys(window.localStorage)') as Promise<string[]>;



/** Every step gets its accessibility check and, when asked, its screenshots. */
const check = async (page: Page, step: string) => {
  await expectNoSeriousAxe(page, step);
  await shootBookPage(page, step);
};

describe('the patient booking page', () => {
  it('books a first appointment from nothing to the confirmation in at most 15 interactions, then cancels it from the manage page', async () => {
    const page = await web.context.newPage();
    await page.setViewportSize(PHONE);
    let interactions = 0;
    /** One interaction of the patient: a click, a fill or a key press. */
    const act = async (what: Promise<unknown>) => {
      interactions++;
      await what;
    };

    await page.goto(`${web.url}book`);
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByRole('button', { name: 'Book for the first time' }).waitFor();
    await check(page, '01-start');

    await act(page.getByRole('button', { name: 'Book for the first time' }).click());
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await act(page.getByLabel(/^First name/).fill('Ana'));
    await act(page.getByLabel(/^Last name/).fill('García Núñez'));
    await act(page.getByLabel(/^Date of birth/).fill('1990-02-03'));
    await act(page.getByLabel(/^Mobile phone/).fill('+1 202 555 0142'));
    await act(page.getByLabel(/^E-mail/).fill('ana@example.test'));
    await act(page.getByLabel(/^By e-mail/).check());
    await check(page, '02-about-you');
    await act(page.getByRole('button', { name: 'Continue' }).click());

    await page.getByRole('heading', { name: 'What is the visit about?' }).waitFor();
    await check(page, '03-symptoms');
    await act(page.getByRole('button', { name: 'Skip — I know what I need' }).click());

    await page.getByRole('heading', { name: 'Choose the type of appointment' }).waitFor();
    await check(page, '04-type');
    await act(page.locator('.choice').first().click());

    await page.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
    await page.locator('.zone').getByText(/Times are in .+ time\./).waitFor();
    const times = page.getByRole('group', { name: /^Free times on / }).getByRole('button');
    await times.first().waitFor();
    await check(page, '05-slot');
    const chosenTime = (await times.first().locator('.time-label').innerText()).trim();
    await act(times.first().click());

    await page.getByRole('heading', { name: 'Check and book' }).waitFor();
    await page.getByText(/We keep this time for you until/).waitFor();
    await check(page, '06-review');
    await act(page.getByRole('button', { name: 'Book and pay at the desk' }).click());

    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    const summary = page.locator('dl.summary');
    await summary.getByText(chosenTime, { exact: false }).waitFor();
    await page.getByText('We sent an e-mail with a calendar invite to ana@example.test.').waitFor();
    await page.getByTestId('payment-status').getByText('To pay at the desk').waitFor();
    await check(page, '07-confirmation');

    expect(interactions).toBeLessThanOrEqual(15);
    console.log(`book-page: first booking in ${interactions} interactions`);
    // The session stays on this device (not in kiosk mode).
    expect(await storedKeys(page)).toEqual(['clinic-desk.book.session']);

    // Manage my booking: the fee is shown before the patient confirms the cancellation.
    await page.getByRole('button', { name: 'Manage my booking' }).click();
    await page.getByRole('heading', { name: 'My appointments' }).waitFor();
    const card = page.locator('li.card').first();
    await card.getByRole('button', { name: 'Cancel appointment' }).waitFor();
    await check(page, '08-manage');
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await card.getByRole('heading', { name: 'Cancel this appointment?' }).waitFor();
    await card.getByText('Cancellation fee').waitFor();
    await check(page, '09-cancel-preview');
    await card.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText(/^Your appointment on .+ is cancelled\.$/).waitFor();
    await page.getByText('No upcoming appointments.').waitFor();
    await check(page, '10-cancelled');
    await page.close();
  });

  it('kiosk mode keeps no session, shows the countdown, and starts over after 2 minutes without use', async () => {
    const context = await web.browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${web.url}book?kiosk=1`);
    await page.getByRole('button', { name: 'Start over' }).waitFor();
    await page.getByRole('button', { name: 'Book for the first time' }).click();
    await page.getByLabel(/^First name/).fill('Kiosk');
    await page.getByLabel(/^Last name/).fill('Visitor');
    await page.getByLabel(/^Date of birth/).fill('1975-06-07');
    await page.getByLabel(/^Mobile phone/).fill('+1 202 555 0177');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'What is the visit about?' }).waitFor();
    expect(await storedKeys(page)).toEqual([]);
    await page.getByTestId('kiosk-countdown').getByText(/^Starts over after \d+ s without use$/).waitFor();
    await check(page, '11-kiosk');

    await page.clock.fastForward(95_000);
    await page.getByRole('alert').getByText(/Starting over in 30 seconds/).waitFor();
    await check(page, '12-kiosk-warning');
    await page.clock.fastForward(30_000);
    await page.getByRole('button', { name: 'Book for the first time' }).waitFor();
    await expect.poll(() => page.getByText(/Signed in as/).count()).toBe(0);
    expect(await storedKeys(page)).toEqual([]);
    // What the last person typed is gone.
    await page.getByRole('button', { name: 'Book for the first time' }).click();
    expect(await page.getByLabel(/^First name/).inputValue()).toBe('');
    // "Start over" at any time.
    await page.getByLabel(/^First name/).fill('Someone');
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('button', { name: 'I have booked before' }).waitFor();
    await context.close();
  });

  it('a returning patient signs in through the link in the mail, books and moves the appointment; the link works once', async () => {
    const registered = await web.app.dispatch(
      'patient/register',
      {
        basic: { givenName: 'Tomás', familyName: 'Reyes', dateOfBirth: '1968-11-30', sex: 'male', phone: '+1 202 555 0188', email: 'tomas@example.test', consentEmail: true, consentSms: false },
        overrideDuplicates: true,
      },
      { sessionToken: adminToken },
    );
    expect(registered.result.ok).toBe(true);
    const context = await web.browser.newContext({ viewport: PHONE, locale: 'es-ES', timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${web.url}book`);
    // A Spanish browser gets the page in Spanish; the patient switches to English.
    await page.getByRole('button', { name: 'Ya he reservado antes' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await page.getByLabel(/^E-mail or mobile phone/).fill('tomas@example.test');
    await page.getByLabel(/^Date of birth/).fill('1968-11-30');
    await check(page, '13-returning');
    const before = smtp.mails.length;
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail or text messages' }).waitFor();
    await check(page, '14-link-sent');

    const linkPattern = /(http:\/\/[^\s"<>]+\/book#\/signin\/[A-Za-z0-9_-]+)/;
    await expect.poll(() => smtp.mails.slice(before).some((m) => m.envelopeTo.includes('tomas@example.test') && linkPattern.test(m.parsed.text ?? '')), { timeout: 30_000 }).toBe(true);
    const mail = smtp.mails.slice(before).find((m) => m.envelopeTo.includes('tomas@example.test') && linkPattern.test(m.parsed.text ?? ''))!;
    const link = linkPattern.exec(mail.parsed.text ?? '')![1]!;

    await page.goto(link);
    await page.getByText('Signed in as Tomás').waitFor();
    expect(page.url()).not.toContain('signin');
    await check(page, '15-signed-in');
    await page.getByRole('button', { name: 'Book an appointment' }).click();
    await page.getByRole('button', { name: 'Skip — I know what I need' }).click();
    await page.locator('.choice').first().click();
    // The third day with free times (two days ahead at least): outside the cancellation window, so it may still be moved.
    await page.getByRole('group', { name: 'Days' }).locator('button:not([disabled])').nth(2).click();
    await page.getByRole('group', { name: /^Free times on / }).getByRole('button').first().click();
    // Stripe is not set up here: booked all the same, and told plainly to pay at the desk.
    await page.getByRole('button', { name: /^Pay now by card/ }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    await page.getByText('Paying online is not available; pay at the desk.').waitFor();

    await page.getByRole('button', { name: 'Manage my booking' }).click();
    const card = page.locator('li.card').first();
    await card.getByRole('button', { name: 'Change time' }).click();
    const times = card.getByRole('group', { name: /^Free times on / }).getByRole('button');
    await card.getByRole('group', { name: 'Days' }).locator('button:not([disabled])').nth(3).click();
    await times.nth(1).waitFor();
    await check(page, '16-reschedule');
    await times.nth(1).click();
    await card.getByRole('button', { name: /^Move it to / }).click();
    await page.getByText(/^Moved to .+\.$/).waitFor();
    await check(page, '17-moved');

    // The link was used: a second visit says so in words and offers a new one.
    const other = await web.browser.newContext({ viewport: PHONE });
    const again = await other.newPage();
    await again.goto(link);
    await again.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await again.getByRole('button', { name: 'Get a new link' }).waitFor();
    await check(again, '18-link-used');
    await other.close();
    await context.close();
  });

  it('a receptionist opens the page in kiosk mode from the staff app', async () => {
    const page = await web.context.newPage();
    await page.goto(web.url);
    await new LoginPage(page).signIn('reception', 'demo-desk-2026');
    // In the More menu (Admin for an admin), so that the app bar fits one line at 1024 px.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^(Admin|More)\b/ }).click();
    const link = page.getByRole('menuitem', { name: 'Patient kiosk' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/book?kiosk=1');
    expect(await link.getAttribute('target')).toBe('_blank');
    await page.close();
  });

  it('loads no staff code: every script of the page is its own', async () => {
    const context = await web.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script') scripts.push(await res.text());
    });
    await page.goto(`${web.url}book`);
    await page.getByRole('button', { name: 'Book for the first time' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(/Mui[A-Z]/.test(s)).toBe(false);
    await context.close();
  });
});
