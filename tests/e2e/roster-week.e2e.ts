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
const cutOff = (field: Locator) => field.evaluate((el) => (el as HTMLInputElement).scrollWidth > (el as HTMLInputElement).clientWidth + 1);

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
    expect(await hours.evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('line-through');
    expect(await column.getByText('not working: time off').count()).toBeGreaterThan(0);
    // Another day keeps its hours as they are.
    const other = day.weekday === 1 ? day.plus({ days: 1 }) : day.minus({ days: 1 });
    const plain = roster.day(dayLabel(other)).getByText('08:30–12:30 · Riverside Main');
    await plain.waitFor();
    expect(await plain.evaluate((el) => getComputedStyle(el).textDecorationLine)).not.toContain('line-through');
    await shots('week-view-time-off', page.getByRole('list', { name: 'Week' }));
  });
});
