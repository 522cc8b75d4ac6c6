/**
 * Issue 12, items 5, 6 and 10: a new clinic's admin goes from first run to a first booking by
 * following the checklist; setup asks for the phone country; forms default to the clinic's
 * currency and zone (not this browser's); empty states say what to do next; the lock screen
 * tells a manual lock from an inactivity lock; the admin signed in is never "Last sign-in: never".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { RosterPage } from './pages/roster.page.js';

const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/desk-polish';
const SIZES = [
  [1366, 768],
  [1024, 700],
] as const;

let web: WebHarness;
beforeAll(async () => {
  web = await startWeb(); // a new, empty clinic; the browser's zone is UTC
  await web.page.goto(web.url);
});
afterAll(async () => web?.close());

async function shots(name: string) {
  for (const [w, h] of SIZES) {
    await web.page.setViewportSize({ width: w, height: h });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png` });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
}

async function pick(label: string, typed: string, option: string) {
  const box = web.page.getByRole('combobox', { name: label });
  await box.click();
  await box.fill(typed);
  await web.page.getByRole('option', { name: option, exact: true }).click();
}

const checklist = () => web.page.getByRole('region', { name: 'Set-up checklist' });

describe('a new clinic, from first run to a first booking', () => {
  it('setup asks for the phone country, and the admin lands on the agenda with a checklist', async () => {
    const { page } = web;
    await page.getByRole('heading', { name: 'Welcome to Clinic Desk' }).waitFor();
    await page.getByLabel('Clinic name').fill('Thameside Practice');
    await pick('Time zone', 'Europe/Lon', 'Europe/London');
    await pick('Currency', 'GBP', 'GBP');
    await pick('Country for phone numbers', 'United King', 'United Kingdom');
    await page.getByLabel('Admin username').fill('harriet');
    await page.getByLabel('Admin full name').fill('Harriet Vane');
    await page.getByLabel('Admin password').fill('a-long-enough-password');
    await shots('setup');
    await page.getByRole('button', { name: 'Create clinic' }).click();

    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await checklist().getByText('Set up your clinic (0 of 6 done)').waitFor();
    const settings = web.app.raw.prepare("SELECT key, value FROM setting WHERE key IN ('defaultCountry', 'currency', 'timeZone') ORDER BY key").all();
    expect(settings).toEqual([
      { key: 'currency', value: '"GBP"' },
      { key: 'defaultCountry', value: '"GB"' },
      { key: 'timeZone', value: '"Europe/London"' },
    ]);
    await shots('checklist-new-clinic');
  });

  it('the admin signed in now is not "never"; Alt+L says the screen was locked, not that it was idle', async () => {
    const { page } = web;
    await page.keyboard.press('Alt+s');
    const row = page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: /Harriet Vane/ });
    await row.waitFor();
    expect(await row.innerText()).not.toMatch(/never/);
    await page.keyboard.press('Alt+l');
    await page.getByRole('heading', { name: 'Session locked' }).waitFor();
    await page.getByText('You locked the screen. Harriet Vane, enter your password to continue.').waitFor();
    expect(await page.getByText(/inactivity/).count()).toBe(0);
    await shots('lock-manual');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
  });

  it('follows the checklist: each link opens the screen, empty states say what comes next, forms use the clinic’s zone and currency', async () => {
    const { page } = web;
    const roster = new RosterPage(page);
    await page.keyboard.press('Alt+a');
    await checklist().getByRole('button', { name: 'Open locations' }).click();
    await page.getByText(/No locations yet\. Add the clinic’s first location below/).waitFor();
    // The clinic's zone (Europe/London), not this browser's (UTC).
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London');
    await shots('roster-locations-empty');
    await page.getByLabel('Location name').fill('High Street');
    await page.getByRole('button', { name: 'Add location' }).click();
    await page.getByRole('table', { name: 'Locations' }).getByText('High Street').waitFor();

    await page.keyboard.press('Alt+a');
    await checklist().getByText('Set up your clinic (1 of 6 done)').waitFor();
    await checklist().getByText('1 location').waitFor();

    await page.getByRole('tab', { name: 'Consultation types' }).waitFor({ state: 'detached' });
    await checklist().getByRole('button', { name: 'Open specializations' }).click();
    await page.getByText(/No specializations yet/).waitFor();
    await page.getByLabel('Specialization name').fill('General practice');
    await page.getByRole('button', { name: 'Add specialization' }).click();
    await page.getByRole('table', { name: 'Specializations' }).getByText('General practice').waitFor();

    await page.getByRole('tab', { name: 'Consultation types' }).click();
    await page.getByText(/No consultation types yet\. Add what patients book below/).waitFor();
    const price = page.getByLabel('Price (GBP)');
    await price.waitFor();
    await page.getByLabel('Consultation name').fill('GP appointment');
    await price.fill('45.50');
    await roster.choose('Offered by', 'General practice');
    await page.keyboard.press('Escape'); // a multiple choice stays open
    await shots('roster-type-gbp');
    await page.getByRole('button', { name: 'Add consultation type' }).click();
    await page.getByRole('table', { name: 'Consultation types' }).getByText('GP appointment').waitFor();
    expect(web.app.raw.prepare("SELECT price_minor, currency FROM consultation_type WHERE name = 'GP appointment'").get()).toEqual({ price_minor: 4550, currency: 'GBP' });

    await page.getByRole('tab', { name: 'Doctors' }).click();
    await page.getByText(/No doctors yet\. Add a doctor, then open them to set their weekly hours/).waitFor();
    await page.getByRole('button', { name: 'Add doctor' }).click();
    await page.getByRole('heading', { name: 'New doctor' }).waitFor();
    await page.getByLabel('Given name').fill('Ada');
    await page.getByLabel('Family name').fill('Okafor');
    await roster.choose('Specializations', 'General practice');
    await page.keyboard.press('Escape'); // a multiple choice stays open
    await page.getByRole('form', { name: 'Doctor details' }).getByRole('button', { name: 'Add doctor' }).click();
    await page.getByRole('heading', { name: 'Dr Ada Okafor', level: 2 }).waitFor();
    await roster.addHours('Monday', 1, 'High Street', '09:00', '17:00');
    await roster.addHours('Tuesday', 1, 'High Street', '09:00', '17:00');
    await roster.saveHours();
    await page.getByText('Weekly hours saved.').waitFor();

    await page.keyboard.press('Alt+a');
    await checklist().getByText('Set up your clinic (5 of 6 done)').waitFor();
    await checklist().getByRole('button', { name: 'Book an appointment' }).waitFor();
    await shots('checklist-five-of-six');

    // The first booking, as the booking screen makes it (same handlers).
    const booked = await page.evaluate(async () => {
      const rpc = async (name: string, input: unknown) => {
        const r = await fetch(`/api/rpc/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
        const body = (await r.json()) as { ok: boolean; data: Record<string, unknown> };
        if (!body.ok) throw new Error(JSON.stringify(body));
        return body.data as Record<string, unknown>;
      };
      const patient = await rpc('patient/register', {
        basic: { givenName: 'Peter', familyName: 'Wimsey', dateOfBirth: '1970-05-04', sex: 'male', phone: '07911 123456' },
        idempotencyKey: crypto.randomUUID(),
      });
      const options = await rpc('roster/list', {});
      const type = (options.consultationTypes as Array<{ id: string }>)[0]!.id;
      const doctor = (options.doctors as Array<{ id: string }>)[0]!.id;
      const { slots } = (await rpc('booking/find-slots', { consultationTypeId: type, doctorId: doctor, days: 14 })) as { slots: Array<{ startAt: string }> };
      await rpc('booking/create', { patientId: patient.patientId, doctorId: doctor, consultationTypeId: type, startAt: slots[0]!.startAt });
      return true;
    });
    expect(booked).toBe(true);
    // A UK number typed without +44 was read as British: the setup's phone country is used.
    expect(web.app.raw.prepare("SELECT phone_e164 FROM patient WHERE family_name = 'Wimsey'").get()).toEqual({ phone_e164: '+447911123456' });

    // Live: the checklist ticks itself, then can be dismissed for good.
    const done = page.getByRole('alert').filter({ hasText: 'Your clinic is set up' });
    await done.waitFor();
    await shots('checklist-done');
    await done.getByRole('button', { name: 'Dismiss' }).click();
    await page.reload();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    expect(await page.getByText('Your clinic is set up').count()).toBe(0);
  });
});
