import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/**
 * The agenda's money button on a cancelled visit (issue 12): a visit cancelled before anything
 * was paid, with no fee, offers no "Pay"; one cancelled late by the patient, when the clinic
 * keeps a fee, offers "Take the fee" (and the dialog asks for the fee, not the price).
 * Now (fake, on the server and in the browser) is Wednesday 2 December 2026, 09:00 in New York.
 */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/book-code';
const NOW = '2026-12-02T14:00:00.000Z';
const clock = new FakeClock(NOW);
let web: WebHarness;

interface Visit {
  id: string;
  start_at: string;
  given_name: string;
  family_name: string;
}
const laterToday = (): Visit[] =>
  web.app.raw
    .prepare(
      `SELECT a.id, a.start_at, p.given_name, p.family_name FROM appointment a JOIN patient p ON p.id = a.patient_id
        WHERE a.status = 'booked' AND a.payment_status = 'unpaid' AND a.start_at >= ? AND a.start_at < ? ORDER BY a.start_at`,
    )
    .all(new Date(Date.parse(NOW) + 3_600_000).toISOString(), new Date(Date.parse(NOW) + 10 * 3_600_000).toISOString()) as Visit[];

beforeAll(async () => {
  web = await startWeb({ demo: true, clock });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  const policy = await web.app.dispatch('settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 1500 }, { sessionToken: login.session!.set! });
  expect(policy.result.ok).toBe(true);
  await web.page.clock.install({ time: new Date(NOW) });
  await web.page.setViewportSize({ width: 1366, height: 768 });
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — Wednesday, December 2, 2026/ }).waitFor();
});
afterAll(async () => web?.close());

async function cancel(v: Visit, party: 'The patient' | 'The clinic') {
  const { page } = web;
  const local = new Date(v.start_at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' });
  const r = page.getByRole('table', { name: 'Appointments' }).getByRole('row').filter({ hasText: `${v.given_name} ${v.family_name}` }).filter({ hasText: `${local}–` });
  // Unpaid and booked: "Pay" is offered.
  await r.getByRole('button', { name: /^Pay / }).waitFor();
  await r.getByRole('button', { name: /^More actions for / }).click();
  await page.getByRole('menuitem', { name: /^Cancel / }).click();
  const dialog = page.getByRole('dialog').filter({ has: page.getByRole('form', { name: 'Cancel appointment' }) });
  await dialog.getByLabel('Cancelled by').click();
  await page.getByRole('option', { name: party }).click();
  await dialog.getByLabel('Reason').fill('Test');
  await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.getByRole('row', { name: `Cancelled: ${v.given_name} ${v.family_name} ${local}` });
  if (party === 'The patient') {
    // A fee is kept: the "what happened" dialog says it is still due.
    const outcome = page.getByRole('dialog', { name: `Cancelled: ${v.given_name} ${v.family_name}` });
    await outcome.getByText(/Still due: \$15\.00/).waitFor();
    await outcome.getByRole('button', { name: 'Done' }).click();
    await outcome.waitFor({ state: 'detached' });
  }
  await row.waitFor();
  return row;
}

describe('a cancelled visit in the agenda', () => {
  it('cancelled unpaid without a fee: no Pay; cancelled late by the patient with a fee: "Take the fee" for the fee only', async () => {
    const { page } = web;
    const [first, second] = laterToday();
    expect(second).toBeDefined();

    const free = await cancel(first!, 'The clinic');
    await free.getByText('Unpaid').waitFor();
    expect(await free.getByRole('button', { name: /^Pay / }).count()).toBe(0);
    expect(await free.getByRole('button', { name: /^Take the fee / }).count()).toBe(0);
    expect(await free.getByRole('button', { name: /^Payment / }).count()).toBe(0);

    const late = await cancel(second!, 'The patient');
    expect(await late.getByRole('button', { name: /^Pay / }).count()).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    for (const [w, h] of [
      [1366, 768],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await late.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/agenda-cancelled-${w}x${h}.png` });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await late.getByRole('button', { name: /^Take the fee / }).click();
    const dialog = page.getByRole('dialog', { name: /^Payment — / });
    await expect.poll(() => dialog.getByTestId('due').textContent()).toBe('$15.00');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
