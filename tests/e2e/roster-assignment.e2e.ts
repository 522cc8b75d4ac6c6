import { DateTime } from 'luxon';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { RosterPage } from './pages/roster.page.js';
import { AssignmentPage } from './pages/assignment.page.js';

const NY = 'America/New_York';
const DOCTOR = { givenName: 'Zara', familyName: 'Okafor-Reyes', specializations: ['Dermatology', 'General Practice'] };
const DOCTOR_NAME = `Dr ${DOCTOR.givenName} ${DOCTOR.familyName}`;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** 'Wed 25 Nov', as the week view labels its days. */
const dayLabel = (date: DateTime) => date.setLocale('en-GB').toFormat('ccc d LLL');

let web: WebHarness;
const today = DateTime.now().setZone(NY).startOf('day');
const tomorrow = today.plus({ days: 1 });

beforeAll(async () => {
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

const one = <T>(sql: string, ...params: unknown[]): T => web.app.raw.prepare(sql).get(...params) as T;

/** With E2E_SHOTS=<dir>, screenshots at the two reference sizes (for a person to look at; not in the repo). */
async function shots(name: string, show?: Locator): Promise<void> {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  const { page } = web;
  const before = page.viewportSize();
  for (const [width, height] of [[1366, 768], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    if (show) await show.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png` });
  }
  if (before) await page.setViewportSize(before);
}

describe('roster and doctor assignment', () => {
  it('adds a doctor with weekly hours and time off; bad hours get field errors', async () => {
    const { page } = web;
    const roster = new RosterPage(page);
    await roster.open();
    await roster.addDoctor(DOCTOR);

    // Mornings every day at Riverside Main, and an overlapping afternoon on Monday first.
    for (const day of WEEKDAYS) await roster.addHours(day, 1, 'Riverside Main', '08:00', '12:00');
    await roster.addHours('Monday', 2, 'Hillcrest Branch', '11:00', '15:00');
    await roster.saveHours();
    await roster.weeklyHours
      .getByText('Monday 11:00–15:00 at Hillcrest Branch (New York) overlaps Monday 08:00–12:00 at Riverside Main (New York): a doctor cannot be in two places at once.')
      .waitFor();
    await shots('weekly-hours-clash', roster.weeklyHours.getByText(/^Monday 11:00–15:00 at Hillcrest Branch/));
    expect(one<{ n: number }>("SELECT count(*) AS n FROM working_hours w JOIN doctor d ON d.id = w.doctor_id WHERE d.family_name = 'Okafor-Reyes'").n).toBe(0);

    await roster.weeklyHours.getByLabel('Monday from 2').fill('13:00');
    await roster.weeklyHours.getByLabel('Monday to 2').fill('17:00');
    await roster.saveHours();
    await roster.weeklyHours.getByText('Weekly hours saved.').waitFor();
    expect(one<{ n: number }>("SELECT count(*) AS n FROM working_hours w JOIN doctor d ON d.id = w.doctor_id WHERE d.family_name = 'Okafor-Reyes'").n).toBe(8);

    // Night hours as one interval: Friday 22:00 to 02:00 on Saturday morning.
    await roster.addHours('Friday', 2, 'Riverside Main', '22:00', '02:00');
    await roster.weeklyHours.getByText('next day').waitFor();
    await shots('weekly-hours-night', roster.weeklyHours.getByLabel('Friday to 2'));
    await roster.saveHours();
    await roster.weeklyHours.getByText('Weekly hours saved.').waitFor();
    expect(
      one<{ start_minute: number; end_minute: number }>(
        "SELECT w.start_minute, w.end_minute FROM working_hours w JOIN doctor d ON d.id = w.doctor_id WHERE d.family_name = 'Okafor-Reyes' AND w.weekday = 5 AND w.start_minute = 1320",
      ),
    ).toEqual({ start_minute: 1320, end_minute: 1560 });
    await roster.weeklyHours.getByLabel('Friday to 2').waitFor();
    expect(await roster.weeklyHours.getByLabel('Friday to 2').inputValue()).toBe('02:00');

    await roster.addTimeOff(tomorrow.toISODate()!, 'Conference');
    await page.getByText('Time off added.').waitFor();
    await page.getByRole('table', { name: 'Time off and extra hours' }).getByText('Conference').waitFor();

    // The week view: hours today, time off tomorrow (if tomorrow is in this week, else next week).
    await roster.day(dayLabel(today)).getByText('08:00–12:00 · Riverside Main').waitFor();
    if (tomorrow.weekday === 1) await page.getByRole('button', { name: 'Next week →' }).click();
    await roster.day(dayLabel(tomorrow)).getByText('Time off all day · Conference').waitFor();
    if (tomorrow.weekday === 1) await page.getByRole('button', { name: '← Previous week' }).click();
    const friday = today.plus({ days: (5 - today.weekday + 7) % 7 });
    if (friday.weekday === 5 && friday.hasSame(today, 'week')) await roster.day(dayLabel(friday)).getByText('22:00–02:00 next day · Riverside Main').waitFor();
    await page.screenshot({ path: 'resources/screenshots/roster-doctor.png', fullPage: true });
    await shots('roster-doctor-week', page.getByRole('list', { name: 'Week' }));
  });

  it('asks before time off strands bookings, and keeps them booked', async () => {
    const { page } = web;
    await page.getByRole('button', { name: '← All doctors' }).click();
    await page.getByRole('table', { name: 'Doctors' }).getByRole('button', { name: 'Dr Maya Chen' }).click();
    await page.getByRole('heading', { name: 'Dr Maya Chen', level: 2 }).waitFor();
    const booked = (): Array<{ id: string; status: string }> =>
      web.app.raw
        .prepare(
          `SELECT a.id, a.status FROM appointment a JOIN doctor d ON d.id = a.doctor_id
           WHERE d.family_name = 'Chen' AND a.status = 'booked' AND a.start_at >= ? AND a.start_at < ? ORDER BY a.id`,
        )
        .all(tomorrow.toUTC().toISO(), tomorrow.plus({ days: 1 }).toUTC().toISO()) as Array<{ id: string; status: string }>;
    const before = booked();
    expect(before.length).toBeGreaterThan(0);

    await new RosterPage(page).addTimeOff(tomorrow.toISODate()!, 'Sick');
    const dialog = page.getByRole('dialog', { name: /^This change affects \d+ booked appointments?$/ });
    await dialog.waitFor();
    await dialog.getByText(`These ${before.length} appointments stay booked; contact the patients to rebook.`).waitFor();
    expect(await dialog.getByRole('table', { name: 'Affected appointments' }).getByRole('row').count()).toBe(before.length + 1);
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText(`Time off added. ${before.length} appointment`).waitFor();
    expect(booked()).toEqual(before);
  });

  it('assigns a patient to the new doctor from the ranked list and shows it on the profile', async () => {
    const { page } = web;
    await page.keyboard.press('Alt+p');
    const box = page.getByLabel('Search patients');
    await box.fill('jurgen chen');
    await page.getByRole('table', { name: 'Search results' }).getByText('Chen, Jürgen').click();
    await page.getByRole('heading', { name: 'Jürgen Chen', level: 1 }).waitFor();

    const assignment = new AssignmentPage(page);
    await assignment.card.getByText('No doctor assigned yet.').waitFor();
    await assignment.openAssign();
    await assignment.chooseNeed('Dermatology');
    const mine = assignment.suggestion(DOCTOR_NAME);
    await mine.getByText('Dermatology — matches the need').waitFor();
    await mine.getByText(/^Next free: \w{3} \d{1,2} \w{3} \d\d:\d\d$/).waitFor();
    await mine.getByText('Load 0% over 14 days').waitFor();
    await mine.getByText(/^\d+(\.\d)? km from home \((Riverside Main|Hillcrest Branch)\)$/).waitFor();
    // The list is ranked: scores never go up.
    const scores = (await assignment.ranked.getByText(/^score \d+$/).allInnerTexts()).map((s) => Number(s.slice(6)));
    expect(scores.length).toBe(6);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.screenshot({ path: 'resources/screenshots/assign-doctor.png' });

    await mine.click();
    await assignment.dialog.getByLabel('Reason (optional)').fill('Eczema follow-up near home');
    await assignment.dialog.getByRole('button', { name: `Assign ${DOCTOR_NAME}` }).click();
    await assignment.dialog.waitFor({ state: 'detached' });

    await assignment.card.getByText(DOCTOR_NAME).waitFor();
    await assignment.card.getByText('Primary doctor:').waitFor();
    // The clinic's one date format (en-US for the demo clinic): 'Tue, Dec 1, 2026 10:15'.
    await assignment.card.getByText(/^(Riverside Main|Hillcrest Branch) · Next available \w{3}, \w{3} \d{1,2}, \d{4} \d\d:\d\d at (Riverside Main|Hillcrest Branch)$/).waitFor();
    const row = one<{ kind: string; reason: string; by: string }>(
      `SELECT x.kind, x.reason, s.display_name AS by FROM patient_doctor_assignment x
       JOIN doctor d ON d.id = x.doctor_id JOIN staff s ON s.id = x.assigned_by WHERE d.family_name = 'Okafor-Reyes' AND x.ended_at IS NULL`,
    );
    expect(row).toEqual({ kind: 'primary', reason: 'Eczema follow-up near home', by: 'Alex Admin' });

    await assignment.card.getByRole('button', { name: 'Assignment history' }).click();
    const history = page.getByRole('table', { name: 'Assignment history' });
    await history.getByText('Eczema follow-up near home').waitFor();
    await history.getByText(/by Alex Admin/).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();

    // Ending an assignment asks why, and keeps it in the history.
    await assignment.card.getByRole('button', { name: `End assignment of ${DOCTOR_NAME}` }).click();
    const end = page.getByRole('dialog');
    await end.getByRole('button', { name: 'End assignment' }).click();
    await end.getByText(/required/i).first().waitFor();
    await end.getByLabel('Why').fill('Patient moved away');
    await end.getByRole('button', { name: 'End assignment' }).click();
    await end.waitFor({ state: 'detached' });
    await expect.poll(() => assignment.card.getByText(DOCTOR_NAME).count()).toBe(0);
    expect(
      one<{ end_reason: string }>(
        `SELECT x.end_reason FROM patient_doctor_assignment x JOIN doctor d ON d.id = x.doctor_id WHERE d.family_name = 'Okafor-Reyes'`,
      ),
    ).toEqual({ end_reason: 'Patient moved away' });
  });
});
