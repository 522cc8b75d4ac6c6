import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPatientNumber } from '../../src-main/core/desk/patient-number.js';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/** Screenshots a person looks at (outside the repository). */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/booking-code';

let web: WebHarness;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const row = <T>(sql: string, ...args: unknown[]): T => web.app.raw.prepare(sql).get(...args) as T;

describe('booking with a referral code', () => {
  it('shows why a code fails, the breakdown before booking and on the confirmation; the use is reserved with the hold and confirmed', async () => {
    const { page } = web;
    const admin = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
    const as = { sessionToken: admin.session!.set! };
    const code = await web.app.dispatch(
      'referral/save',
      {
        code: 'WELCOME-15',
        agentName: 'Jordan Agent',
        agentContact: '+1 202 555 0100',
        agentPayout: '',
        commission: { kind: 'none' },
        discount: { kind: 'percent', bp: 1500, capMinor: 2000 },
        validFrom: null,
        validUntil: null,
        usageLimit: 10,
        perPatientLimit: 1,
        minAmountMinor: 0,
        consultationTypeIds: [],
      },
      as,
    );
    expect(code.result.ok).toBe(true);
    const registered = await web.app.dispatch(
      'patient/register',
      { basic: { givenName: 'Rosa', familyName: 'Quintero', dateOfBirth: '1981-04-05', sex: 'female', phone: '+1 202 555 0711' } },
      as,
    );
    expect(registered.result.ok).toBe(true);
    const patient = row<{ id: string; number: number }>("SELECT id, number FROM patient WHERE family_name = 'Quintero'");

    // From the patient's record, Alt+B books for them.
    await page.keyboard.press('Alt+p');
    await page.getByLabel('Search patients').fill(formatPatientNumber(patient.number));
    await page.getByRole('table', { name: 'Search results' }).getByText('Quintero, Rosa').waitFor();
    await page.getByLabel('Search patients').press('Enter');
    await page.getByRole('heading', { name: 'Rosa Quintero', level: 1 }).waitFor();
    await page.keyboard.press('Alt+b');
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByRole('group', { name: 'Free slots' }).getByRole('button').first().waitFor();

    // Before any code: the plain price of the general consultation.
    const price = page.getByRole('table', { name: 'Price' });
    await price.getByText('$60.00').first().waitFor();

    // A bad code: the reason in plain words, next to the field.
    const field = page.getByLabel('Referral code');
    await field.fill('welcome-51');
    await page.getByText('There is no referral code “WELCOME-51”. Check the spelling.').waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/booking-code-unknown-1366.png` });

    // The right code: what it takes off, and the breakdown before Book.
    await field.fill('welcome-15');
    await page.getByText('Code WELCOME-15: $9.00 off.').waitFor();
    await price.getByText('− $9.00').waitFor();
    await price.getByText('$51.00').waitFor();

    // Picking a slot now holds it and reserves one use of the code with the hold.
    await page.keyboard.press('Alt+s');
    await page.keyboard.press('Enter');
    await page.getByText(/held for you until/).waitFor();
    await expect
      .poll(() => row<{ n: number }>("SELECT count(*) AS n FROM referral_redemption WHERE status = 'reserved' AND hold_id IS NOT NULL AND patient_id = ?", patient.id).n)
      .toBe(1);
    await page.getByRole('button', { name: 'Book appointment' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/booking-code-breakdown-1366.png` });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: 'Book appointment' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/booking-code-breakdown-1024.png` });

    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Booked: Rosa Quintero' }).waitFor();
    const booked = page.getByRole('table', { name: 'Booked price' });
    await booked.getByText('Discount (code WELCOME-15)').waitFor();
    await booked.getByText('− $9.00').waitFor();
    await booked.getByText('$51.00').waitFor();
    await page.screenshot({ path: `${SHOTS}/booking-code-confirmation-1024.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${SHOTS}/booking-code-confirmation-1366.png` });
    const appointment = row<{ id: string; base_minor: number; discount_minor: number; price_minor: number; referral_code: string }>(
      'SELECT id, base_minor, discount_minor, price_minor, referral_code FROM appointment WHERE patient_id = ?',
      patient.id,
    );
    expect(appointment).toMatchObject({ base_minor: 6000, discount_minor: 900, price_minor: 5100, referral_code: 'WELCOME-15' });
    expect(row('SELECT status, appointment_id FROM referral_redemption WHERE patient_id = ?', patient.id)).toEqual({ status: 'confirmed', appointment_id: appointment.id });

    // The patient's history shows the breakdown with the appointment.
    await page.getByRole('button', { name: 'Open patient' }).click();
    await page.getByRole('heading', { name: 'Rosa Quintero', level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Appointments' }).getByText('$51.00 ($60.00 − $9.00, code WELCOME-15)').waitFor();
    await page.getByRole('list', { name: 'Appointments' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/booking-code-history-1366.png` });

    // Booking again for her: the code is spent for this patient, in plain words, before Book.
    await page.keyboard.press('Alt+b');
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByLabel('Referral code').fill('WELCOME-15');
    await page.getByText('This patient has already used the code WELCOME-15.').waitFor();
  });
});
