import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../src-main/contract/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/**
 * Issue 12 item 11, the day view, through the UI in Chromium: a column per doctor; a click on
 * free time opens the booking screen with doctor, type, date and time filled in; a visit moved
 * with the keyboard and one dragged with the mouse are confirmed (old and new time and doctor
 * named) and rescheduled in the database; a refused move is shown in plain words and nothing moves.
 * The demo clinic (New York); now (fake) is Monday 2 November 2026, 07:00. The day shown is Tuesday 3 November.
 */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/day-view';
const DATE = '2026-11-03';
const MIN = 60_000;
let web: WebHarness;
let admin: string;
const clock = new FakeClock('2026-11-02T12:00:00.000Z');

type Grid = OutputOf<'agenda/day-grid'>;
type Col = Grid['doctors'][number];
const row = <T>(sql: string, ...args: unknown[]): T => web.app.raw.prepare(sql).get(...args) as T;
async function asAdmin<T>(name: string, input: unknown): Promise<T> {
  const out = await web.app.dispatch(name, input, { sessionToken: admin });
  if (!out.result.ok) throw new Error(`${name}: ${JSON.stringify(out.result.error)}`);
  return out.result.data as T;
}
const grid = () => asAdmin<Grid>('agenda/day-grid', { date: DATE });
const column = (g: Grid, family: string): Col => g.doctors.find((d) => d.name.endsWith(` ${family}`))!;
const local = (iso: string | number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

async function shots(name: string) {
  const { page } = web;
  for (const [w, h] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

async function openDay() {
  const { page } = web;
  await page.goto(`${web.url}#/day/${DATE}`);
  await page.getByRole('heading', { name: /^Day view — Tuesday, November 3, 2026/ }).waitFor();
  await page.getByRole('application', { name: /^Day view:/ }).waitFor();
}

/** A booked visit of a doctor with a free slot of the same length some steps away in another (or the same) column. */
function pickMove(g: Grid, from: string, to: string, exclude: string[] = []) {
  const source = column(g, from);
  const target = column(g, to);
  const taken = new Set(target.appointments.map((a) => a.startAt));
  for (const a of source.appointments) {
    if (a.status !== 'booked' || exclude.includes(a.id)) continue;
    const start = Date.parse(a.startAt);
    // In the target's hours at the same time (so the ghost keeps its time), and a free slot near it.
    if (!target.hours.some((h) => Date.parse(h.start) <= start && start < Date.parse(h.end))) continue;
    const free = target.free
      .map((f) => Date.parse(f.startAt))
      .filter((t) => t !== start && !taken.has(new Date(t).toISOString()) && Math.abs(t - start) <= 90 * MIN)
      .sort((x, y) => Math.abs(x - start) - Math.abs(y - start))[0];
    if (free !== undefined) return { appointment: a, source, target, to: free };
  }
  throw new Error(`no movable visit from ${from} to ${to}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true, clock });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  admin = login.session!.set!;
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

describe('the day view', () => {
  it('opens with Alt+D: a column per doctor working that day, visits with patient, type, status and payment', async () => {
    const { page } = web;
    await page.keyboard.press('Alt+d');
    await page.getByRole('heading', { name: /^Day view — / }).waitFor();
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('heading', { name: /^Day view — Tuesday, November 3, 2026/ }).waitFor();
    const g = await grid();
    // Tuesday: Dr Fernández does not work.
    expect(g.doctors.map((d) => d.name)).toEqual(['Dr Samuel Adeyemi', 'Dr Maya Chen', 'Dr Henrik Larsen', 'Dr Aisha Rahman']);
    const app = page.getByRole('application', { name: /^Day view:/ });
    for (const d of g.doctors) await app.getByRole('group', { name: d.name }).waitFor();
    await page.getByText('Not working this day: Dr Lucía Fernández.').waitFor();
    const a = column(g, 'Chen').appointments[0]!;
    await app.getByRole('button', { name: `${a.localStart} ${a.patientName} Booked · Unpaid · ${a.consultationType} , until ${a.localEnd}. Enter to move` }).waitFor();
    const results = await new AxeBuilder({ page }).include('main').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
    await shots('day-view');
  });

  it('a click on free time opens the booking screen with doctor, type, date and time filled in', async () => {
    const { page } = web;
    await openDay();
    const chen = column(await grid(), 'Chen');
    const free = chen.free.find((f) => f.localTime >= '10:00')!;
    await page.getByRole('button', { name: `${free.localTime} free with Dr Maya Chen: book` }).click();
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByText(`From the day view: Dr Maya Chen at ${free.localTime}.`).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Doctor' }).textContent()).toContain('Dr Maya Chen');
    await expect.poll(() => page.getByRole('combobox', { name: 'Consultation' }).textContent()).toContain('General consultation');
    expect(await page.getByLabel('Preferred date').inputValue()).toBe(DATE);
    expect(await page.getByLabel('Preferred time').inputValue()).toBe(free.localTime);
    // The clicked time is among the slots offered, with that doctor.
    await page.getByRole('group', { name: 'Free slots' }).getByRole('button', { name: new RegExp(`${free.localTime} with Dr Maya Chen`) }).waitFor();
    await shots('day-view-book');
  });

  it('moves a visit with the keyboard to another doctor and time after a confirmation naming both', async () => {
    const { page } = web;
    await openDay();
    const g = await grid();
    const move = pickMove(g, 'Chen', 'Larsen');
    const a = move.appointment;
    const block = page.getByRole('button', { name: new RegExp(`^${a.localStart} ${a.patientName} .*, until ${a.localEnd}`) });
    await block.focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Moving ${a.patientName} to ${a.localStart} with Dr Maya Chen`).waitFor();
    await page.keyboard.press('ArrowRight');
    const steps = Math.round((move.to - Date.parse(a.startAt)) / (15 * MIN));
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
    await page.getByText(`Moving ${a.patientName} to ${local(move.to)} with Dr Henrik Larsen`).waitFor();
    await shots('day-view-keyboard-ghost');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Move ${a.patientName}’s appointment?` });
    await dialog.waitFor();
    await dialog.getByText(new RegExp(`From: .*${a.localStart}–${a.localEnd} with Dr Maya Chen at Riverside Main`)).waitFor();
    await dialog.getByText(new RegExp(`To: .*${local(move.to)} with Dr Henrik Larsen at Hillcrest Branch`)).waitFor();
    await shots('day-view-confirm');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`Moved ${a.patientName} to ${local(move.to)} with Dr Henrik Larsen.`).waitFor();
    const old = row<{ status: string; rescheduled_to_id: string }>('SELECT status, rescheduled_to_id FROM appointment WHERE id = ?', a.id);
    expect(old.status).toBe('cancelled');
    const moved = row<{ doctor_id: string; start_at: string; status: string }>('SELECT doctor_id, start_at, status FROM appointment WHERE id = ?', old.rescheduled_to_id);
    expect(moved).toEqual({ doctor_id: move.target.id, start_at: new Date(move.to).toISOString(), status: 'booked' });
    // The grid shows it in its new place.
    await page.getByRole('group', { name: 'Dr Henrik Larsen' }).getByRole('button', { name: new RegExp(`^${local(move.to)} ${a.patientName} `) }).waitFor();
  });

  it('moves a visit by dragging it, after the confirmation', async () => {
    const { page } = web;
    await openDay();
    const g = await grid();
    const move = pickMove(g, 'Chen', 'Chen');
    const a = move.appointment;
    const block = page.getByRole('button', { name: new RegExp(`^${a.localStart} ${a.patientName} .*, until ${a.localEnd}`) });
    await block.scrollIntoViewIfNeeded();
    const box = (await block.boundingBox())!;
    const dy = ((move.to - Date.parse(a.startAt)) / MIN) * 2.4; // PX_PER_MINUTE
    await page.mouse.move(box.x + box.width / 2, box.y + 4);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + box.width / 2, box.y + 4 + (dy * i) / 5);
    await page.getByTestId('move-ghost').getByText(`${local(move.to)} → Dr Maya Chen`).waitFor();
    await page.mouse.up();
    const dialog = page.getByRole('dialog', { name: `Move ${a.patientName}’s appointment?` });
    await dialog.getByText(new RegExp(`To: .*${local(move.to)} with Dr Maya Chen at Riverside Main`)).waitFor();
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await page.getByText(`Moved ${a.patientName} to ${local(move.to)} with Dr Maya Chen.`).waitFor();
    const old = row<{ status: string; rescheduled_to_id: string }>('SELECT status, rescheduled_to_id FROM appointment WHERE id = ?', a.id);
    expect(old.status).toBe('cancelled');
    expect(row<{ start_at: string }>('SELECT start_at FROM appointment WHERE id = ?', old.rescheduled_to_id).start_at).toBe(new Date(move.to).toISOString());
  });

  it('a move onto a taken time is refused in plain words and nothing moves', async () => {
    const { page } = web;
    await openDay();
    const chen = column(await grid(), 'Chen');
    // Two booked visits; move the first onto the second's time.
    const booked = chen.appointments.filter((x) => x.status === 'booked');
    const [a, b] = [booked[0]!, booked.find((x) => Math.abs(Date.parse(x.startAt) - Date.parse(booked[0]!.startAt)) <= 3 * 3_600_000 && x.id !== booked[0]!.id)!];
    const before = row<{ n: number }>("SELECT count(*) AS n FROM appointment WHERE status = 'booked'").n;
    await page.getByRole('button', { name: new RegExp(`^${a.localStart} ${a.patientName} .*, until ${a.localEnd}`) }).focus();
    await page.keyboard.press('Enter');
    const steps = Math.round((Date.parse(b.startAt) - Date.parse(a.startAt)) / (15 * MIN));
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Move ${a.patientName}’s appointment?` });
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Not moved: That time is already taken\./);
    await shots('day-view-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(row<{ status: string }>('SELECT status FROM appointment WHERE id = ?', a.id).status).toBe('booked');
    expect(row<{ n: number }>("SELECT count(*) AS n FROM appointment WHERE status = 'booked'").n).toBe(before);
  });
});
