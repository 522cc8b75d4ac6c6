import { mkdirSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { RosterPage } from './pages/roster.page.js';

/**
 * Issue 12 items 9 and 10 on the roster: weekly-hours time fields fit at 1024×700, "Copy Monday
 * to all weekdays", and the week view crosses out working hours on a day of all-day time off.
 */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/desk-booking';
mkdirSync(SHOTS, { recursive: true });
const NY = 'America/New_York';
const DOCTOR = { givenName: 'Ines', familyName: 'Vidal-Moreau', specializations: ['General Practice', 'Dermatology'] };
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
/** 'Wed 25 Nov', as the week view labels its days. */
const dayLabel = (date: DateTime) => date.setLocale('en-GB').toFormat('ccc d LLL');
const today = DateTime.now().setZone(NY).startOf('day');

let web: WebHarness;
const one = <T>(sql: string, ...params: unknown[]): T => web.app.raw.prepare(sql).get(...params) as T;

async function shots(name: string, show?: Locator): Promise<void> {
  const { page } = web;
  for (const [width, height] of [[1366, 768], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    if (show) await show.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

/** True when the element's content is wider than its box (text cut off). */
type Box = { scrollWidth: number; clientWidth: number };
const cutOff = (field: Locator) => field.evaluate((el) => (el as unknown as Box).scrollWidth > (el as unknown as Box).clientWidth + 1);
/** The element's computed text-decoration-line (the e2e tests compile without the DOM library). */
const decoration = (target: Locator) =>
  target.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textDecorationLine: string } }).getComputedStyle(el).textDecorationLine);

beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

describe('weekly hours and the week view', () => {
  it('copies Monday to all weekdays, and the time fields are not cut off at 1024×700', async () => {
    const { page } = web;
    const roster = new RosterPage(page);
    await roster.open();
    await roster.addDoctor(DOCTOR);
    await roster.addHours('Monday', 1, 'Riverside Main', '08:30', '12:30');
    await roster.addHours('Monday', 2, 'Riverside Main', '13:30', '17:45');
    await roster.weeklyHours.getByRole('button', { name: 'Copy Monday to all weekdays' }).click();
    for (const day of WEEKDAYS) {
      expect(await roster.weeklyHours.getByLabel(`${day} from 1`).inputValue()).toBe('08:30');
      expect(await roster.weeklyHours.getByLabel(`${day} to 2`).inputValue()).toBe('17:45');
    }
    expect(await roster.weeklyHours.getByLabel('Saturday from 1').count()).toBe(0);
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const field of ['Tuesday from 1', 'Tuesday to 1', 'Friday from 2', 'Friday to 2']) {
      const input = roster.weeklyHours.getByLabel(field);
      await input.scrollIntoViewIfNeeded();
      expect(await cutOff(input), `${field} shows its whole time`).toBe(false);
      const box = (await input.boundingBox())!;
      expect(box.width).toBeGreaterThan(44);
    }
    await page.setViewportSize({ width: 1360, height: 860 });
    await shots('weekly-hours-copied', roster.weeklyHours.getByLabel('Tuesday from 1'));
    await roster.saveHours();
    await roster.weeklyHours.getByText('Weekly hours saved.').waitFor();
    expect(one<{ n: number }>("SELECT count(*) AS n FROM working_hours w JOIN doctor d ON d.id = w.doctor_id WHERE d.family_name = 'Vidal-Moreau'").n).toBe(10);
  });

  it('crosses out the working hours of a day with all-day time off', async () => {
    const { page } = web;
    const roster = new RosterPage(page);
    // A weekday of this week from today on (the doctor works Monday to Friday).
    const day = today.weekday <= 5 ? today : today.plus({ days: 8 - today.weekday });
    await roster.addTimeOff(day.toISODate()!, 'Training day');
    await page.getByText('Time off added.').waitFor();
    if (!day.hasSame(today, 'week')) await page.getByRole('button', { name: 'Next week →' }).click();
    const column = roster.day(dayLabel(day));
    await column.getByText('Time off all day · Training day').waitFor();
    const hours = column.getByText('08:30–12:30 · Riverside Main');
    await hours.waitFor();
    expect(await decoration(hours)).toContain('line-through');
    expect(await column.getByText('not working: time off').count()).toBeGreaterThan(0);
    // Another day keeps its hours as they are.
    const other = day.weekday === 1 ? day.plus({ days: 1 }) : day.minus({ days: 1 });
    const plain = roster.day(dayLabel(other)).getByText('08:30–12:30 · Riverside Main');
    await plain.waitFor();
    expect(await decoration(plain)).not.toContain('line-through');
    await shots('week-view-time-off', page.getByRole('list', { name: 'Week' }));
  });
});

describe('a patient’s record as an admin sees it', () => {
  it('labels ending an assignment with whose it is, and shows every date in the clinic’s one format', async () => {
    const { page } = web;
    const patient = one<{ patient_id: string; doctor: string }>(
      `SELECT a.patient_id, 'Dr ' || d.given_name || ' ' || d.family_name AS doctor FROM patient_doctor_assignment a JOIN doctor d ON d.id = a.doctor_id
       WHERE a.kind = 'primary' AND a.ended_at IS NULL ORDER BY a.patient_id LIMIT 1`,
    );
    // A clinic in the United Kingdom: dates read "3 Feb 1975", whatever the browser's own locale (en-US).
    const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
    const updated = await web.app.dispatch('settings/update', { defaultCountry: 'GB' }, { sessionToken: login.session!.set! });
    expect(updated.result.ok).toBe(true);
    await page.goto(`${web.url}#/patients/${patient.patient_id}`);
    const main = page.getByRole('main');
    await main.getByText(/^born /).waitFor();
    const card = page.getByLabel('Assigned doctors list');
    const end = card.getByRole('button', { name: `End assignment of ${patient.doctor}` });
    await end.waitFor();
    expect((await end.textContent())?.trim().toLowerCase()).toBe('end assignment');
    await page.getByRole('list', { name: 'Appointments' }).getByRole('listitem').first().waitFor();
    await card.getByText(/Next available /).first().waitFor();
    await shots('patient-record-dates', card);

    const text = await main.innerText();
    const months = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec';
    expect(text, 'no YYYY-MM-DD on the record').not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    expect(text, 'no month-first (US) dates on a UK record').not.toMatch(new RegExp(`\\b(${months}) \\d{1,2}\\b`));
    expect(text, 'no date without its year').not.toMatch(new RegExp(`\\b\\d{1,2} (${months})\\b(?! \\d{4})`));
    expect(text).toMatch(new RegExp(`born \\d{1,2} (${months}) \\d{4}`));
    // The assignment history dialog too.
    await card.getByRole('button', { name: 'Assignment history' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assignment history' });
    await dialog.getByRole('table').getByRole('row').nth(1).waitFor();
    const history = await dialog.innerText();
    expect(history).toMatch(new RegExp(`\\b\\d{1,2} (${months}) \\d{4}, \\d{2}:\\d{2}`));
    expect(history).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/);
  });
});
