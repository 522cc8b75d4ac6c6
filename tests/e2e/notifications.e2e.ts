import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MailServer } from '../helpers/mail-server.js';
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';

const SHOTS = process.env.CLINIC_DESK_SHOTS ?? '';
let web: WebHarness;
let smtp: MailServer;
let adminToken: string;

beforeAll(async () => {
  smtp = new MailServer();
  await smtp.start();
  web = await startWeb({ demo: true });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  adminToken = login.session!.set!;
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
    { sessionToken: adminToken },
  );
  expect(saved.result.ok).toBe(true);
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => {
  await web?.close();
  await smtp?.stop();
});

const shoot = async (name: string) => {
  if (!SHOTS) return;
  for (const [w, h] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await web.page.setViewportSize({ width: w, height: h });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png`, fullPage: false });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
};

describe('confirmation and messages', () => {
  it('books, sees the confirmation with what was sent, finds the mail in the loopback SMTP server and the message in Messages', async () => {
    const { page } = web;
    const registered = await web.app.dispatch(
      'patient/register',
      {
        basic: { givenName: 'Maren', familyName: 'Okafor', dateOfBirth: '1981-04-05', sex: 'female', phone: '+1 202 555 0999', email: 'maren@example.test', consentEmail: true, consentSms: false },
        overrideDuplicates: true,
      },
      { sessionToken: adminToken },
    );
    expect(registered.result.ok).toBe(true);
    const patientId = (registered.result as { data: { patientId: string } }).data.patientId;

    await page.goto(`${web.url}#/book/${patientId}`);
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    const slots = page.getByRole('group', { name: 'Free slots' }).getByRole('button');
    await slots.first().waitFor();
    await slots.first().click();
    await page.getByText(/held for you until/).waitFor();
    await page.getByRole('button', { name: 'Book appointment' }).click();

    // The confirmation screen: the appointment, its price, a marked place for payment, what was sent.
    await page.getByRole('heading', { name: 'Booked: Maren Okafor' }).waitFor();
    const confirmation = page.getByRole('region', { name: 'Confirmation' }).or(page.getByLabel('Confirmation'));
    await confirmation.getByText('1 Demo Way', { exact: false }).first().waitFor();
    await page.getByTestId('payment-status').waitFor();
    const sent = page.getByLabel('Messages sent');
    await sent.getByText('E-mail', { exact: true }).waitFor();
    await sent.getByText('sent', { exact: true }).waitFor({ timeout: 30_000 });
    await sent.getByText(/SMS is not set up/).waitFor();
    await shoot('confirmation');

    await expect.poll(() => smtp.mails.length, { timeout: 30_000 }).toBe(1);
    const mail = smtp.mails[0]!;
    expect(mail.envelopeTo).toEqual(['maren@example.test']);
    expect(mail.parsed.subject).toMatch(/^Your appointment at /);
    expect(mail.parsed.attachments.some((a) => /calendar|ics/.test(a.contentType))).toBe(true);

    // Send it again from the confirmation screen.
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.getByText(/^Sending again: E-mail/).waitFor();
    await expect.poll(() => smtp.mails.length, { timeout: 30_000 }).toBe(2);

    // Messages: both sent, with the server's id; filters narrow the list.
    await page.keyboard.press('Alt+m');
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    const table = page.getByRole('table', { name: 'Messages' });
    await table.getByText(/server id Q\d/).first().waitFor();
    await table.getByText(/SMS is not set up/).first().waitFor();
    await shoot('messages');
    await page.getByLabel('State').click();
    await page.getByRole('option', { name: 'skipped' }).click();
    await expect.poll(async () => (await table.getByRole('row').allTextContents()).some((t) => t.includes('server id'))).toBe(false);
    // Retry a skipped one: it is queued and skipped again with the same reason (consent still missing).
    await table.getByRole('button', { name: /^Retry / }).first().click();
    await page.getByText(/will be sent again now/).waitFor();
  });

  it('shows the notification settings to an admin, and the test e-mail reports the server’s answer', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await page.keyboard.press('Alt+e');
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByLabel('Mail server').waitFor();
    expect(await section.getByLabel('Mail server').inputValue()).toBe('127.0.0.1');
    await section.getByLabel('Send to').fill('me@clinic.test');
    await section.getByRole('button', { name: 'Send test e-mail' }).click();
    await page.getByLabel('Test e-mail result').getByText(/Sent\. The server answered: 250/).waitFor();
    await section.scrollIntoViewIfNeeded();
    await shoot('settings');
    expect(smtp.mails.at(-1)!.parsed.subject).toMatch(/test e-mail from Clinic Desk/);
  });
});
