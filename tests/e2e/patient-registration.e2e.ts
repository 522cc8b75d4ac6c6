import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { RegisterPage } from './pages/register.page.js';

let web: WebHarness;
beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const count = (sql: string): number => (web.app.raw.prepare(sql).get() as { n: number }).n;

describe('patient registration through the stepper', () => {
  it('registers a patient with history, contact and insurance; nothing is lost going back', async () => {
    const { page } = web;
    const register = new RegisterPage(page);
    await register.open();

    // Next on an empty form: field-level errors, no step change.
    await register.next();
    await page.getByText('Given name is required.').waitFor();
    await register.stepHeading('Basic information');

    await register.fillBasic({
      givenName: 'Siobhán',
      familyName: "O'Connor-Lee",
      dateOfBirth: '1988-07-14',
      sex: 'Female',
      phone: '(202) 555-0187',
      email: 'siobhan@example.org',
    });
    await page.getByLabel('Given name').press('Enter'); // Enter moves on
    await register.stepHeading('Medical history');

    await page.getByRole('button', { name: '+ Add allergy' }).click();
    await page.getByLabel('Substance 1').fill('Penicillin');
    await page.getByLabel('Reaction 1').fill('Hives');
    await page.getByRole('button', { name: '+ Add medication' }).click();
    await page.getByLabel('Medication 1').fill('Metformin');
    await page.getByLabel('Dose 1').fill('500 mg');
    await register.next();
    await register.stepHeading('Emergency contact');

    // Back keeps what was typed.
    await page.getByRole('button', { name: 'Back' }).click();
    await register.stepHeading('Medical history');
    expect(await page.getByLabel('Substance 1').inputValue()).toBe('Penicillin');
    await register.next();

    await page.getByLabel('Contact name').fill('Aoife Lee');
    await page.getByLabel('Relationship').fill('Sister');
    await page.getByLabel('Contact phone').fill('+353 85 123 4567');
    await register.next();
    await register.stepHeading('Insurance');
    await page.getByLabel('The patient has insurance').check();
    await page.getByLabel('Insurance provider').fill('Blue Harbor Health');
    await page.getByLabel('Policy / member number').fill('BH-998877');
    await page.getByLabel('Policy holder').fill("Siobhán O'Connor-Lee");
    await register.next();
    await register.stepHeading('Review');
    await page.getByText('Penicillin (unknown)').waitFor();
    await page.getByRole('button', { name: 'Register patient' }).click();

    await page.getByRole('heading', { name: "Siobhán O'Connor-Lee", level: 1 }).waitFor();
    await page.getByText('Penicillin (unknown: Hives)').waitFor();
    await page.getByText('Aoife Lee · +353 85 123 4567').waitFor();
    await page.getByText('Blue Harbor Health').waitFor();
    const row = web.app.raw.prepare("SELECT phone_e164, email FROM patient WHERE family_name = 'O''Connor-Lee'").get();
    expect(row).toEqual({ phone_e164: '+12025550187', email: 'siobhan@example.org' });
  });

  it('warns about a likely duplicate, says why, and records an override', async () => {
    const { page } = web;
    const before = count('SELECT count(*) AS n FROM patient');
    const register = new RegisterPage(page);
    await register.open();
    await register.fillBasic({
      givenName: 'Siobhan',
      familyName: "O'Connor Lee",
      dateOfBirth: '1988-07-14',
      sex: 'Female',
      phone: '202-555-0187',
    });
    await register.next();
    const panel = page.getByLabel('Possible duplicates');
    await panel.waitFor();
    await panel.getByText('Same date of birth and a similar name; Same phone number').waitFor();
    for (let i = 0; i < 3; i++) await register.next();
    await register.stepHeading('Review');
    expect(await page.getByRole('button', { name: 'Register patient' }).count()).toBe(0);
    expect(count('SELECT count(*) AS n FROM patient')).toBe(before);
    await page.getByRole('button', { name: 'Register anyway' }).click();
    await page.getByText(/Registered despite a duplicate warning by Robin Reception/).waitFor();
    expect(count('SELECT count(*) AS n FROM patient')).toBe(before + 1);
  });

  it('finds the first patient by typing part of the phone number', async () => {
    const { page } = web;
    await page.keyboard.press('Alt+p');
    const box = page.getByLabel('Search patients');
    await box.waitFor();
    await box.fill('0187');
    const results = page.getByRole('table', { name: 'Search results' });
    await results.getByText("O'Connor-Lee, Siobhán").waitFor();
    await box.fill('oconnor sio');
    await results.getByText("O'Connor-Lee, Siobhán").waitFor();
    // Both Siobháns match; the list is in name order ("O'Connor Lee" first). ↓ then Enter opens the second row.
    const names = await results.getByRole('row').allInnerTexts();
    expect(names.slice(1).map((r) => r.split('\t')[0])).toEqual(["O'Connor Lee, Siobhan", "O'Connor-Lee, Siobhán"]);
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.getByRole('heading', { name: "Siobhán O'Connor-Lee", level: 1 }).waitFor();
    await page.screenshot({ path: 'resources/screenshots/patient-profile.png' });
  });
});

describe('editing a patient’s record', () => {
  it('edits the medical history with field errors first, and shows each version with who and when', async () => {
    const { page } = web;
    const id = (web.app.raw.prepare("SELECT id FROM patient WHERE family_name = 'O''Connor-Lee'").get() as { id: string }).id;
    await page.goto(`${web.url}#/patients/${id}`);
    const history = page.getByRole('region', { name: 'Medical history' });
    await history.getByText('Penicillin (unknown: Hives)').waitFor();

    await history.getByRole('button', { name: 'Edit medical history' }).click();
    await history.getByRole('button', { name: '+ Add allergy' }).click();
    await history.getByRole('button', { name: 'Save' }).click();
    await history.getByText('Substance is required.').waitFor();
    expect((web.app.raw.prepare("SELECT version FROM patient_section WHERE patient_id = ? AND section = 'medical_history'").get(id) as { version: number }).version).toBe(1);

    await history.getByLabel('Substance 2').fill('Latex');
    await history.getByLabel('Severity 2').click();
    await page.getByRole('option', { name: 'Severe' }).click();
    await history.getByRole('button', { name: 'Save' }).click();
    await history.getByText(/Latex \(severe\)/).waitFor();
    await history.getByText(/Last changed .* by Robin Reception/).waitFor();

    await history.getByRole('button', { name: 'History', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/^Version 2 · .* · Robin Reception$/).waitFor();
    await dialog.getByText(/^Version 1 · /).waitFor();
    expect((web.app.raw.prepare("SELECT count(*) AS n FROM patient_section_change WHERE patient_id = ? AND section = 'medical_history'").get(id) as { n: number }).n).toBe(2);
  });
});
