import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { expectNoSeriousAxe, PHONE, shootBookPage } from './pages/book.page.js';

/**
 * The health questions on the patient page (issue 14: "the medical-history questionnaire can be
 * completed after booking from a link"), on a phone: after a first booking the confirmation
 * offers "Answer the health questions (2 minutes)"; the patient adds rows (focus goes to the new
 * row's first field), meets a field error in the contract's words, saves, is taken back to the
 * booking with "answered on <date> — change", and the clinic's staff record shows the answers.
 * axe-core on the form: nothing serious or critical.
 */
let web: WebHarness;
let adminToken: string;

beforeAll(async () => {
  web = await startWeb({ demo: true });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  adminToken = login.session!.set!;
});
afterAll(async () => {
  await web?.close();
});



const check = async (page: Page, step: string) => {
  await expectNoSeriousAxe(page, step);
  await shootBookPage(page, step, { fullPageOnPhone: true });
};

/** What has the keyboard focus: its accessible label or text (the test's tsconfig has no DOM types). */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const el = document.activeElement; if (!el) return ''; if (el.labels && el.labels[0]) return el.labels[0].innerText; return el.getAttribute('aria-label') || el.innerText || ''; })()`,
  ) as Promise<string>;

describe('the health questions on the patient page', () => {
  it('after a first booking the patient answers them on a phone, sees them saved, and the clinic sees the answers', async () => {
    const page = await web.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${web.url}book`);
    await page.getByRole('button', { name: 'Book for the first time' }).click();
    await page.getByLabel(/^First name/).fill('Lucía');
    await page.getByLabel(/^Last name/).fill('Healthform');
    await page.getByLabel(/^Date of birth/).fill('1988-04-05');
    await page.getByLabel(/^Mobile phone/).fill('+1 202 555 0166');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Skip — I know what I need' }).click();
    await page.locator('.choice').first().click();
    const times = page.getByRole('group', { name: /^Free times on / }).getByRole('button');
    await times.first().click();
    await page.getByRole('button', { name: 'Book and pay at the desk' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();

    // The entry on the confirmation, one tap from the form.
    const entry = page.getByTestId('health-entry');
    await entry.getByRole('button', { name: 'Answer the health questions (2 minutes)' }).waitFor();
    await check(page, 'h01-confirmation-entry');
    await entry.getByRole('button', { name: 'Answer the health questions (2 minutes)' }).click();

    await page.getByRole('heading', { name: 'Health questions' }).waitFor();
    // The form's first field has the focus (no rows yet: "Add an allergy").
    await expect.poll(() => focused(page)).toMatch(/Add an allergy/);
    await check(page, 'h02-form-empty');

    // A new row's first field takes the focus; the patient types without reaching for it.
    await page.getByRole('button', { name: '+ Add an allergy' }).click();
    await expect.poll(() => focused(page)).toMatch(/^What are you allergic to\?/);
    await page.keyboard.type('Penicillin');
    await page.getByLabel('What happens?').fill('Rash and swelling');
    await page.getByLabel('How bad is it?').selectOption({ label: 'Severe' });
    await page.getByRole('button', { name: '+ Add an allergy' }).click();
    await expect.poll(() => focused(page)).toMatch(/^What are you allergic to\?/);
    await page.keyboard.type('Cats');
    await page.getByRole('button', { name: '+ Add a medicine' }).click();
    await expect.poll(() => focused(page)).toMatch(/^Name of the medicine/);
    await page.keyboard.type('Metformin');
    await page.getByLabel(/^How much/).fill('500 mg');
    await page.getByLabel(/^How often/).fill('Twice a day');
    // A row added by mistake is removed; the focus goes back to its section's "Add" button.
    await page.getByRole('button', { name: '+ Add a health problem' }).click();
    await page.getByRole('button', { name: 'Remove Health problem 1' }).click();
    await expect.poll(() => focused(page)).toMatch(/Add a health problem/);
    // A family illness with "who" but not "which illness": the contract's own message, at the field.
    await page.getByRole('button', { name: '+ Add a family illness' }).click();
    await page.keyboard.type('Mother');
    await check(page, 'h03-form-filled');
    await page.getByRole('button', { name: 'Save my answers' }).click();
    const illness = page.getByLabel(/^Which illness\?/);
    await page.getByText('Condition is required.').waitFor();
    expect(await illness.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focused(page)).toMatch(/^Which illness\?/);
    await check(page, 'h04-form-error');
    await illness.fill('Heart disease');
    // The second allergy row, emptied again, is dropped rather than refused.
    await page.getByLabel(/^What are you allergic to\?/).nth(1).fill('');
    await page.getByRole('button', { name: 'Save my answers' }).click();

    // Saved: back on the confirmation, with the thanks and the done state.
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    await page.getByText('Thank you. Your answers are saved; the clinic will see them before your visit.').waitFor();
    // The thanks has the focus (and is scrolled into view), whatever the screen's height.
    await expect.poll(() => focused(page)).toMatch(/^Thank you\. Your answers are saved/);
    await entry.getByText(/Health questions answered on .*\d{4}/).waitFor();
    await check(page, 'h05-confirmation-answered');

    // The clinic's record (the staff handler) shows the patient's answers.
    const row = web.app.raw.prepare(`SELECT id FROM patient WHERE family_name = 'Healthform'`).get() as { id: string };
    const profile = await web.app.dispatch('patient/get', { patientId: row.id }, { sessionToken: adminToken });
    expect(profile.result.ok).toBe(true);
    const history = (profile.result as { ok: true; data: { medicalHistory: { data: unknown; meta: { updatedBy: string | null } } } }).data.medicalHistory;
    expect(history.data).toEqual({
      allergies: [{ substance: 'Penicillin', reaction: 'Rash and swelling', severity: 'severe' }],
      medications: [{ name: 'Metformin', dose: '500 mg', frequency: 'Twice a day' }],
      chronicConditions: [],
      previousConsultations: [],
      familyHistory: [{ relative: 'Mother', condition: 'Heart disease' }],
    });
    expect(history.meta.updatedBy).toBeNull(); // "by the patient" on the staff screen

    // Manage my booking: the done state, and "change" opens the saved answers.
    await page.getByRole('button', { name: 'Manage my booking' }).click();
    await page.getByRole('heading', { name: 'My appointments' }).waitFor();
    await entry.getByText(/Health questions answered on/).waitFor();
    await entry.getByRole('button', { name: 'Change your answers to the health questions' }).click();
    await page.getByRole('heading', { name: 'Health questions' }).waitFor();
    expect(await page.getByLabel(/^What are you allergic to\?/).inputValue()).toBe('Penicillin');
    await expect.poll(() => focused(page)).toMatch(/^What are you allergic to\?/);
    // In Spanish too.
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Preguntas de salud' }).waitFor();
    await check(page, 'h06-form-es');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByRole('heading', { name: 'My appointments' }).waitFor();
    await page.close();
  });

  it('the signed-in start screen (where a mailed link lands) and #/health reach the form in one tap', async () => {
    const context = await web.browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${web.url}book`);
    await page.getByRole('button', { name: 'Book for the first time' }).click();
    await page.getByLabel(/^First name/).fill('Pedro');
    await page.getByLabel(/^Last name/).fill('Linkland');
    await page.getByLabel(/^Date of birth/).fill('1979-09-10');
    await page.getByLabel(/^Mobile phone/).fill('+1 202 555 0167');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'What is the visit about?' }).waitFor();
    // Back to the start, signed in (as after the confirmation e-mail's link): the entry is there.
    await page.goto(`${web.url}book`);
    await page.getByText('Signed in as Pedro').waitFor();
    await page.getByTestId('health-entry').getByRole('button', { name: 'Answer the health questions (2 minutes)' }).click();
    await page.getByRole('heading', { name: 'Health questions' }).waitFor();
    // Nothing to declare is an answer too.
    await page.getByRole('button', { name: 'Save my answers' }).click();
    await page.getByText('Signed in as Pedro').waitFor();
    await page.getByTestId('health-entry').getByText(/Health questions answered on/).waitFor();
    // A direct #/health address opens the form.
    await page.goto(`${web.url}book#/health`);
    await page.getByRole('heading', { name: 'Health questions' }).waitFor();
    await context.close();
  });
});
