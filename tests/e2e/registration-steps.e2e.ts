/**
 * Issue 12, items 2 and 7: each step's Next runs the server's rules (so the last step never
 * sends anyone back), focus lands in the first field of each step and of each new row, Enter
 * moves on, and a half-filled registration survives opening a suspected duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { RegisterPage } from './pages/register.page.js';

const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/desk-polish';
const SIZES = [
  [1366, 768],
  [1024, 700],
] as const;

let web: WebHarness;
beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const count = (sql: string): number => (web.app.raw.prepare(sql).get() as { n: number }).n;
/** The accessible name (label or text) of the focused element. */
const focused = (): Promise<string> =>
  web.page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const labelled = (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : null) ?? el.closest('label')?.textContent;
    return (labelled ?? el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).replace(/\\s*\\*$/, '').trim();
  })()`);

async function shots(name: string) {
  for (const [w, h] of SIZES) {
    await web.page.setViewportSize({ width: w, height: h });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png` });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
}

describe('registration: every step checks what the server will, the keyboard flows', () => {
  it('refuses a bad phone and a future birth date on step 1, a bad contact phone on step 3, and never sends anyone back from the review', async () => {
    const { page } = web;
    const register = new RegisterPage(page);
    await register.open();
    expect(await focused()).toBe('Given name');

    await register.fillBasic({ givenName: 'Tomasz', familyName: 'Wójcik', dateOfBirth: '2099-05-01', sex: 'Male', phone: '12345' });
    await page.getByLabel('Phone').press('Enter');
    await page.getByText('Not a valid phone number (numbers without +country are read as US).').waitFor();
    await page.getByText('The date of birth is in the future.').waitFor();
    await register.stepHeading('Basic information');
    await shots('register-step1-errors');

    await page.getByLabel('Date of birth').fill('1979-11-30');
    await page.getByLabel('Phone').fill('(415) 555-0134');
    await page.getByLabel('Phone').press('Enter');
    await register.stepHeading('Medical history');
    // The first thing on the step has the focus, so Enter and typing work at once.
    expect(await focused()).toBe('+ Add medication');

    await page.getByRole('button', { name: '+ Add allergy' }).click();
    expect(await focused()).toBe('Substance 1');
    await page.keyboard.type('Latex');
    expect(await page.getByLabel('Substance 1').inputValue()).toBe('Latex');
    await page.keyboard.press('Enter');
    await register.stepHeading('Emergency contact');
    expect(await focused()).toBe('Contact name');

    await page.keyboard.type('Anna Wójcik');
    await page.getByLabel('Relationship').fill('Wife');
    await page.getByLabel('Contact phone').fill('not a phone');
    await page.getByLabel('Contact phone').press('Enter');
    await page.getByText('Not a valid phone number (numbers without +country are read as US).').waitFor();
    await register.stepHeading('Emergency contact');
    await page.getByLabel('Contact phone').fill('+48 601 234 567');
    await page.getByLabel('Contact phone').press('Enter');

    await register.stepHeading('Insurance');
    expect(await focused()).toBe('The patient has insurance');
    await page.keyboard.press('Enter'); // Enter on the checkbox moves on too
    await register.stepHeading('Review');
    expect(await focused()).toBe('Register patient');
    await page.getByText('Latex (unknown)').waitFor();
    const before = count('SELECT count(*) AS n FROM patient');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tomasz Wójcik', level: 1 }).waitFor();
    expect(count('SELECT count(*) AS n FROM patient')).toBe(before + 1);
    expect(web.app.raw.prepare("SELECT phone_e164 FROM patient WHERE given_name = 'Tomasz'").get()).toEqual({ phone_e164: '+14155550134' });
  });

  it('keeps a half-filled registration when a suspected duplicate is opened, and restores it on return', async () => {
    const { page } = web;
    const existing = web.app.raw.prepare('SELECT id, number, given_name AS given, family_name AS family, date_of_birth AS dob FROM patient ORDER BY number LIMIT 1').get() as {
      id: string;
      number: string;
      given: string;
      family: string;
      dob: string;
    };
    await page.goto(`${web.url}#/agenda`);
    const register = new RegisterPage(page);
    await register.open();
    expect(await page.getByLabel('Given name').inputValue()).toBe(''); // the last one was registered: nothing to restore
    await register.fillBasic({ givenName: existing.given, familyName: existing.family, dateOfBirth: existing.dob, sex: 'Not stated', phone: '(415) 555-0199' });
    await register.next();
    await register.stepHeading('Medical history');
    const panel = page.getByLabel('Possible duplicates');
    await panel.getByText(/Opening a record keeps this registration/).waitFor();
    await page.getByRole('button', { name: '+ Add medication' }).click();
    await page.keyboard.type('Aspirin');
    await shots('register-duplicate-keeps-draft');

    await panel.getByRole('button', { name: /^Open / }).first().click();
    await page.waitForURL(new RegExp(`#/patients/${existing.id}$`));
    await page.getByRole('heading', { level: 1, name: new RegExp(existing.family) }).waitFor();

    // Back to the registration: everything is there, on the step it was left on.
    await page.goBack();
    await register.stepHeading('Medical history');
    await page.getByText(`Restored the registration you had started (${existing.given} ${existing.family}). Nothing was lost.`).waitFor();
    expect(await page.getByLabel('Medication 1').inputValue()).toBe('Aspirin');
    await page.getByRole('button', { name: 'Back' }).click();
    expect(await page.getByLabel('Phone').inputValue()).toBe('(415) 555-0199');
    await shots('register-restored');

    // Alt+N from elsewhere restores it too; "Start over" empties it.
    await page.keyboard.press('Alt+a');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await register.open();
    await page.getByText(/Restored the registration you had started/).waitFor();
    await page.getByRole('button', { name: 'Start over' }).click();
    expect(await page.getByLabel('Given name').inputValue()).toBe('');
    await page.keyboard.press('Alt+a');
    await register.open();
    expect(await page.getByText(/Restored the registration/).count()).toBe(0);
  });
});
