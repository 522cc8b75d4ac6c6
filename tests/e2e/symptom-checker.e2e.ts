import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

const SHOTS = process.env.CLINIC_DESK_SHOTS_DIR;

let web: WebHarness;
beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const row = <T>(sql: string, ...args: unknown[]): T => web.app.raw.prepare(sql).get(...args) as T;

/** Screenshots at the two sizes the desk is used at (only when CLINIC_DESK_SHOTS_DIR is set). */
async function shots(name: string) {
  if (!SHOTS) return;
  for (const [width, height] of [[1366, 768], [1024, 700]] as const) {
    await web.page.setViewportSize({ width, height });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png`, fullPage: true });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
}

describe('the symptom checker', () => {
  it('goes from symptoms to a booked slot: the result preselects specialization and consultation, the check is saved on the record', async () => {
    const { page } = web;
    const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
    const registered = await web.app.dispatch(
      'patient/register',
      { basic: { givenName: 'Harold', familyName: 'Checkley', dateOfBirth: '1961-06-15', sex: 'male', phone: '+1 202 555 0931' } },
      { sessionToken: login.session!.set! },
    );
    expect(registered.result.ok).toBe(true);
    const patientId = (registered.result as { data: { patientId: string } }).data.patientId;

    // From the patient's record.
    await page.goto(`${web.url}#/patients/${patientId}`);
    await page.getByRole('heading', { name: 'Harold Checkley', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Check symptoms' }).click();
    await page.getByRole('heading', { name: 'Symptom checker' }).waitFor();
    await expect.poll(() => page.getByLabel('Patient').inputValue()).toContain('Harold Checkley');
    await page.getByLabel('This checker does not diagnose').getByText(/does not diagnose and does not replace/).waitFor();

    // Everyday words find the symptom; so does a body area.
    await page.getByLabel('Search symptoms').fill('pressure in chest');
    await page.getByRole('group', { name: 'Matching symptoms' }).getByRole('button', { name: '+ Chest pain' }).click();
    const chest = page.getByRole('group', { name: 'Chest pain', exact: true });
    await chest.getByRole('button', { name: 'Moderate' }).click();
    await chest.getByRole('button', { name: 'Less than a day' }).click();
    const questions = page.getByLabel('Follow-up questions');
    const answer = (question: string, value: 'Yes' | 'No') => questions.getByRole('group', { name: question }).getByRole('button', { name: value, exact: true }).click();
    await answer('Are you also short of breath?', 'No');
    await answer('Are you sweating, cold and clammy, or feeling sick with the pain?', 'No');
    await answer('Does the pain spread to your arm, jaw, neck or back?', 'No');
    await answer('Does the pain come when you walk or climb stairs, and ease when you rest?', 'Yes');
    await shots('symptoms-form');
    await page.getByRole('button', { name: 'See who can help' }).click();

    const result = page.getByRole('region', { name: 'Symptom check result' });
    await result.getByText('See a doctor today').waitFor();
    await expect.poll(() => result.getByLabel('Suggested specializations').locator('li').first().textContent()).toMatch(/^A heart doctor \(Cardiology\)/);
    await result.getByText(/From 40 years on, chest pain/).first().waitFor();
    await page.getByText(/does not diagnose/).first().waitFor();
    await shots('symptoms-result');
    await page.screenshot({ path: 'resources/screenshots/symptom-check.png' });
    const saved = row<{ version: number; data: string }>("SELECT version, data FROM patient_section WHERE patient_id = ? AND section = 'symptom_check'", patientId);
    expect(saved.version).toBe(1);
    expect(JSON.parse(saved.data)).toMatchObject({ result: { urgency: 'same_day', booking: { specializationName: 'Cardiology' } } });

    // Book from this result: Cardiology and the specialist consultation preselected, earliest slots first.
    await result.getByRole('button', { name: 'Book from this result' }).click();
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByText(/From the symptom check: Cardiology, see a doctor today — earliest slots across doctors first/).waitFor();
    await expect.poll(() => page.getByLabel('Consultation').textContent()).toContain('Specialist consultation');
    await expect.poll(() => page.getByLabel('Specialization').textContent()).toContain('Cardiology');
    await expect.poll(() => page.getByLabel('Patient').inputValue()).toContain('Harold Checkley');
    const slots = page.getByRole('group', { name: 'Free slots' }).getByRole('button');
    await slots.first().waitFor();
    await shots('symptoms-booking');
    await slots.first().click();
    await page.getByText(/held for you until/).waitFor();
    await page.getByRole('button', { name: 'Book appointment' }).click();
    await page.getByRole('heading', { name: 'Booked: Harold Checkley' }).waitFor();
    const booked = row<{ doctor: string; type: string }>(
      `SELECT d.family_name AS doctor, t.name AS type FROM appointment a JOIN doctor d ON d.id = a.doctor_id JOIN consultation_type t ON t.id = a.consultation_type_id WHERE a.patient_id = ?`,
      patientId,
    );
    expect(booked).toEqual({ doctor: 'Adeyemi', type: 'Specialist consultation' });

    // The record shows the check.
    await page.goto(`${web.url}#/patients/${patientId}`);
    await page.getByRole('region', { name: 'Symptom check' }).getByText('See a doctor today').waitFor();
    await shots('symptoms-record');
  });

  it('puts a red flag first: the emergency number, no booking, and the desk notes the case', async () => {
    const { page } = web;
    const patientId = row<{ id: string }>("SELECT id FROM patient WHERE family_name = 'Checkley'").id;
    await page.goto(`${web.url}#/symptoms/${patientId}`);
    await page.getByRole('heading', { name: 'Symptom checker' }).waitFor();
    await page.getByRole('group', { name: 'Body areas' }).getByRole('button', { name: 'Head and brain' }).click();
    await page.getByRole('group', { name: 'Matching symptoms' }).getByRole('button', { name: '+ Face drooping on one side' }).click();
    const face = page.getByRole('group', { name: 'Face drooping on one side' });
    // Without severity and duration the checker asks for them first.
    await page.getByRole('button', { name: 'See who can help' }).click();
    await page.getByText('Say how bad it is and how long it has lasted.').waitFor();
    await face.getByRole('button', { name: 'Mild' }).click();
    await face.getByRole('button', { name: 'Less than a day' }).click();
    await page.getByRole('button', { name: 'See who can help' }).click();
    await page.getByRole('alert').getByText('Call 911 now').waitFor();
    await page.getByText(/Signs of a stroke\./).waitFor();
    expect(await page.getByRole('button', { name: 'Book from this result' }).count()).toBe(0);
    await page.getByLabel(/What the desk did/).fill('Called 911 at the desk; ambulance on its way.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Noted on the record.').waitFor();
    await shots('symptoms-emergency');
    const saved = row<{ version: number; data: string }>("SELECT version, data FROM patient_section WHERE patient_id = ? AND section = 'symptom_check'", patientId);
    expect(JSON.parse(saved.data)).toMatchObject({ note: 'Called 911 at the desk; ambulance on its way.', result: { urgency: 'emergency', booking: null } });
  });

  it('lets an admin set the emergency number in Settings (empty: the usual one for the clinic’s country)', async () => {
    const admin = await web.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
    const page = await admin.newPage();
    try {
      await page.goto(web.url);
      await new LoginPage(page).signIn('admin', 'demo-admin-2026');
      await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
      await page.goto(`${web.url}#/settings`);
      const field = page.getByLabel('Emergency number for the symptom checker (empty: 911 in United States)');
      await field.fill('call 911');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText(/Use digits only, such as 911 or 112/).waitFor();
      await field.fill('999');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      expect(row<{ value: string }>("SELECT value FROM setting WHERE key = 'emergencyNumber'").value).toBe('"999"');
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/symptoms-settings-1366x768.png` });
        await page.setViewportSize({ width: 1024, height: 700 });
        await page.screenshot({ path: `${SHOTS}/symptoms-settings-1024x700.png` });
      }
      await field.fill('');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => row<{ value: string }>("SELECT value FROM setting WHERE key = 'emergencyNumber'").value).toBe('""');
    } finally {
      await admin.close();
    }
  });

  it('works at a kiosk without signing in: plain words, big buttons, nothing saved', async () => {
    const kiosk = await web.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
    const page = await kiosk.newPage();
    try {
      const before = row<{ n: number }>("SELECT count(*) AS n FROM patient_section WHERE section = 'symptom_check'").n;
      await page.goto(`${web.url}#/kiosk`);
      await page.getByRole('heading', { name: 'What is bothering you today?' }).waitFor();
      await page.getByLabel('Search symptoms').fill('tummy');
      await page.getByRole('button', { name: '+ Belly pain' }).click();
      await page.getByLabel('Age (years)').fill('34');
      const belly = page.getByRole('group', { name: 'Belly pain' });
      await belly.getByRole('button', { name: 'Mild' }).click();
      await belly.getByRole('button', { name: '1 to 6 days' }).click();
      const box = await belly.getByRole('button', { name: 'Mild' }).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(48);
      await page.getByRole('button', { name: 'See who can help' }).click();
      await page.getByText('Show this screen to the front desk: they will book it for you.').waitFor();
      await page.getByText(/does not diagnose/).first().waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/symptoms-kiosk-1366x768.png`, fullPage: true });
      expect(row<{ n: number }>("SELECT count(*) AS n FROM patient_section WHERE section = 'symptom_check'").n).toBe(before);
    } finally {
      await kiosk.close();
    }
  });
});
