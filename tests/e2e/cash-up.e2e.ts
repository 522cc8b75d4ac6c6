import { mkdirSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';

/** Screenshots a person looks at (outside the repository). */
const SHOTS = process.env.SHOTS_DIR ?? '/work/wt/shots/cashup';
const SIZES = [
  [1366, 768],
  [1024, 700],
] as const;

let web: WebHarness;
let desk: string;
let admin: string;
const clock = { now: () => new Date() };

async function as<T>(token: string, name: string, input: unknown): Promise<T> {
  const out = await web.app.dispatch(name, input, { sessionToken: token });
  if (!out.result.ok) throw new Error(`${name}: ${JSON.stringify(out.result.error)}`);
  return out.result.data as T;
}
async function login(username: string, password: string) {
  const out = await web.app.dispatch('auth/login', { username, password }, {});
  if (!out.session?.set) throw new Error('login failed');
  return out.session.set;
}
const one = <T>(sql: string, ...args: unknown[]) => web.app.raw.prepare(sql).get(...args) as T;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true });
  desk = await login('reception', 'demo-desk-2026');
  admin = await login('admin', 'demo-admin-2026');
  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('admin', 'demo-admin-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

describe('the day’s cash-up and the commissions report', () => {
  let paidMinor = 0;

  it('a cash payment with a referral code shows on the cash-up; the day closes; the closed day shows as closed and prints', async () => {
    // An unpaid booking of the demo clinic gets a referral code (as booking will attach it) and is paid in cash at the desk.
    const a = one<{ id: string; patient_id: string; consultation_type_id: string; price_minor: number }>(
      "SELECT id, patient_id, consultation_type_id, price_minor FROM appointment WHERE status = 'booked' AND payment_status = 'unpaid' AND price_minor > 0 ORDER BY start_at DESC LIMIT 1",
    );
    const saved = await as<{ code: { code: string } }>(admin, 'referral/save', codeInput({ code: 'AGENT-X', agentName: '=HYPERLINK("http://x")', commission: { kind: 'percent', bp: 1000 } }));
    await as(admin, 'referral/save', codeInput({ code: 'PLUS-1', agentName: '+1 Agent', commission: { kind: 'percent', bp: 1000 } }));
    await inTransaction(web.app, clock, async (ctx) => {
      const r = await reserveRedemption(ctx, { code: saved.code.code, patientId: a.patient_id, consultationTypeId: a.consultation_type_id, baseAmount: { minor: a.price_minor, currency: 'USD' } });
      await confirmRedemption(ctx, r.redemptionId, a.id);
    });
    await as(desk, 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: a.price_minor, tenderedMinor: a.price_minor + 1000, idempotencyKey: 'e2e-cash-1' });
    paidMinor = a.price_minor;
    const money = `$${(paidMinor / 100).toFixed(2)}`;

    const { page } = web;
    await page.keyboard.press('Alt+t');
    await page.getByRole('heading', { name: /^Cash-up — / }).waitFor();
    await page.getByText('Open', { exact: true }).waitFor();
    await page.getByLabel('Expected cash').getByText(`Expected ${money}`).waitFor();
    const lines = page.getByRole('table', { name: 'Payments and refunds of the day' });
    await lines.getByRole('cell', { name: 'Robin Reception' }).waitFor();
    await lines.getByRole('cell', { name: money }).waitFor();

    // The counted cash is read with the money rules; a difference is shown and asks for a note.
    const form = page.getByRole('form', { name: 'Close the day' });
    const counted = form.getByLabel('Cash counted in the till (USD)');
    await counted.fill('12.505');
    await form.getByText('USD has at most 2 decimals.').waitFor();
    await counted.fill(((paidMinor - 500) / 100).toFixed(2));
    await form.getByRole('status').getByText('Short by $5.00').waitFor();
    await form.getByRole('button', { name: 'Close the day…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close the day' }).click();
    await form.getByText('The till is short by $5.00: say why in the note before closing.').waitFor();
    expect(one<{ n: number }>('SELECT count(*) AS n FROM cash_up').n).toBe(0);

    await counted.fill((paidMinor / 100).toFixed(2));
    await form.getByRole('status').getByText('The till matches.').waitFor();
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${SHOTS}/cash-up-open-${width}x${height}.png`, fullPage: true });
    }
    await form.getByRole('button', { name: 'Close the day…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Counted ${money}, expected ${money}.`).waitFor();
    await dialog.getByRole('button', { name: 'Close the day' }).click();

    // The closed day stays on screen, marked closed, with the difference; it is listed.
    await page.getByText(/^Closed by Alex Admin at \d\d:\d\d$/).waitFor();
    await page.getByText('Difference: None').waitFor();
    await expect(page.getByRole('form', { name: 'Close the day' }).count()).resolves.toBe(0);
    await page.getByRole('table', { name: 'Closed days' }).getByRole('cell', { name: money }).first().waitFor();
    expect(one<{ n: number }>('SELECT counted_cash_minor AS n FROM cash_up').n).toBe(paidMinor);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${SHOTS}/cash-up-closed-${width}x${height}.png`, fullPage: true });
    }

    // Print view: the report only (no app bar, no buttons, no list of other days).
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('table', { name: 'Closed days' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('table', { name: 'Totals per method' }).isVisible()).resolves.toBe(true);
    await page.getByText(/^Printed /).waitFor();
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: `${SHOTS}/cash-up-print-1024x700.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // A second close of the day is refused in plain words (another window, same desk).
    const again = await web.app.dispatch('cashup/close', { businessDay: one<{ d: string }>('SELECT business_day AS d FROM cash_up').d, countedCashMinor: 0, note: '' }, { sessionToken: desk });
    expect(again.result.ok ? '' : again.result.error.message).toMatch(/^The cash-up for .+ was closed already by Alex Admin/);
  });

  it('the commissions screen shows the agent and downloads a CSV with formula cells neutralised', async () => {
    const { page } = web;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.keyboard.press('Alt+o');
    await page.getByRole('heading', { name: 'Agents’ commissions' }).waitFor();
    const table = page.getByRole('table', { name: 'Commissions per agent and code' });
    await table.getByRole('cell', { name: '=HYPERLINK("http://x")' }).waitFor();
    await table.getByRole('cell', { name: 'AGENT-X' }).waitFor();
    const commission = `$${(Math.round(paidMinor / 10) / 100).toFixed(2)}`;
    await table.getByRole('cell', { name: commission }).first().waitFor();
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${SHOTS}/commissions-${width}x${height}.png`, fullPage: true });
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^commissions-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    expect(rows[0]![0]).toBe('Agent');
    expect(rows[1]).toEqual(["'=HYPERLINK(\"http://x\")", 'AGENT-X', '1', (paidMinor / 100).toFixed(2), (Math.round(paidMinor / 10) / 100).toFixed(2), '0.00', (Math.round(paidMinor / 10) / 100).toFixed(2)]);
    for (const row of rows) expect(row[0]).not.toMatch(/^[=+\-@]/);

    // Bad period: refused next to its field, nothing downloaded.
    await page.getByLabel('From').fill('2030-01-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('The first day must not be after the last day.').waitFor();
  });
});
