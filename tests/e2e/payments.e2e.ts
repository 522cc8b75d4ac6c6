import { readFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import type { Page } from 'playwright-core';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { codeInput } from '../helpers/referrals.js';

/**
 * Issue 10 end to end, as the desk does it: the policy set in Settings, a booking with a
 * referral code, cash with change (a dropped answer and a double press take the money once),
 * the receipt printed and downloaded as PDF, a late cancellation by the patient (fee kept,
 * cash refunded, commission reversed), and a card-terminal refund finished from Needs attention.
 */
const SHOTS = '/work/wt/shots/pay-ui';
let web: WebHarness;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWeb({ demo: true });
  await web.page.goto(web.url);
});
afterAll(async () => web?.close());

const row = <T>(sql: string, ...args: unknown[]): T => web.app.raw.prepare(sql).get(...args) as T;
const count = (sql: string, ...args: unknown[]): number => (web.app.raw.prepare(sql).get(...args) as { n: number }).n;

async function shots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [[1366, 768], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

async function adminToken(): Promise<string> {
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  return login.session!.set!;
}

/**
 * Test-only seeding: the referral code is attached through the core, as booking will do it.
 * TODO(booking-code merge): type the code in the booking screen's code field instead.
 */
/** The agent's code the receptionist types at booking: 10 % off, 10 % commission. */
async function createCode(): Promise<void> {
  const token = await adminToken();
  const saved = await web.app.dispatch('referral/save', codeInput({ code: 'AGENT-10', commission: { kind: 'percent', bp: 1000 }, discount: { kind: 'percent', bp: 1000, capMinor: null } }), { sessionToken: token });
  if (!saved.result.ok) throw new Error(JSON.stringify(saved.result));
}

describe('payments at the desk', () => {
  it('sets the policy, books, pays cash with change once, prints the receipt, cancels late as the patient and finishes a terminal refund', async () => {
    const { page } = web;
    await page.setViewportSize({ width: 1366, height: 768 });

    // --- The administrator sets the policy: a 30-day window (so this booking is inside it), a $20.00 fee.
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await page.keyboard.press('Alt+e');
    await page.getByLabel('Cancellation policy window (hours)').fill('720');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const policy = page.getByRole('form', { name: 'Cancellation policy' });
    await policy.getByLabel('Late cancellation').click();
    await page.getByRole('option', { name: 'Keep a fixed fee' }).click();
    await policy.getByLabel('Fee kept (USD)').fill('20,00');
    await policy.getByRole('button', { name: 'Save cancellation policy' }).click();
    await policy.getByText(/Use “\.” for the decimals/).waitFor();
    await policy.getByLabel('Fee kept (USD)').fill('20.00');
    await policy.getByRole('button', { name: 'Save cancellation policy' }).click();
    await page.getByText('Cancellation policy saved.').waitFor();
    await shots(page, 'settings-policy');
    const setting = (key: string) => JSON.parse(row<{ value: string }>('SELECT value FROM setting WHERE key = ?', key).value) as unknown;
    expect([setting('cancellationWindowHours'), setting('lateCancelKind'), setting('lateCancelFeeMinor')]).toEqual([720, 'fee', 2000]);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // --- The receptionist books a returning patient.
    await new LoginPage(page).signIn('reception', 'demo-desk-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    const registered = await web.app.dispatch(
      'patient/register',
      { basic: { givenName: 'Maja', familyName: 'Lindqvist', dateOfBirth: '1981-04-05', sex: 'female', phone: '+1 202 555 0141' } },
      { sessionToken: await adminToken() },
    );
    expect(registered.result.ok).toBe(true);
    const patient = row<{ id: string }>("SELECT id FROM patient WHERE family_name = 'Lindqvist'");
    await page.goto(`${web.url}#/book/${patient.id}`);
    await createCode();
    await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await page.getByRole('group', { name: 'Free slots' }).getByRole('button').first().waitFor();
    await page.getByLabel('Referral code').fill('AGENT-10');
    await page.getByText('Code AGENT-10: $6.00 off.').waitFor();
    await page.keyboard.press('Alt+s');
    await page.keyboard.press('Enter');
    await page.getByText(/held for you until/).waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Booked: Maja Lindqvist' }).waitFor();
    await page.getByLabel('Payment: Unpaid').waitFor();
    const booked = row<{ id: string; price_minor: number; referral_code: string }>('SELECT id, price_minor, referral_code FROM appointment WHERE patient_id = ?', patient.id);
    expect(booked).toMatchObject({ price_minor: 5400, referral_code: 'AGENT-10' });

    // --- Take payment from the confirmation: $60.00 − 10 % (AGENT-10) = $54.00; cash, $100 handed over.
    await page.getByRole('button', { name: 'Take payment' }).click();
    const dialog = page.getByRole('dialog', { name: /^Payment — / });
    await dialog.getByText('Discount (code AGENT-10)').waitFor();
    await expect.poll(() => dialog.getByTestId('due').textContent()).toBe('$54.00');
    expect(await dialog.getByLabel('Amount (USD)').inputValue()).toBe('54.00');
    // A typing mistake is refused before anything is sent.
    await dialog.getByLabel('Handed over (USD)').fill('1OO');
    await dialog.getByRole('button', { name: 'Take cash' }).click();
    await dialog.getByText('Enter digits only, such as 12.50.').waitFor();
    expect(count('SELECT count(*) AS n FROM payment')).toBe(0);
    await dialog.getByLabel('Handed over (USD)').fill('100');
    await dialog.getByText('Change to give: $46.00').waitFor();
    await shots(page, 'payment-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // From the patient's history, with the live stream cut (so nothing but the answer tells the
    // screen): the first answer is lost after the server took the money; the receptionist
    // presses again, twice. The same key is sent each time and the money is taken once.
    await page.route('**/api/events', (route) => route.abort());
    await page.goto(`${web.url}#/patients/${patient.id}`);
    await page.reload();
    await page.getByRole('list', { name: 'Appointments' }).getByLabel('Payment: Unpaid').waitFor();
    await page.getByRole('button', { name: /^Pay Maja Lindqvist/ }).click();
    await dialog.getByLabel('Handed over (USD)').fill('100');
    await dialog.getByText('Change to give: $46.00').waitFor();
    const keys: string[] = [];
    let dropped = false;
    await page.route('**/api/rpc/payment/record', async (route) => {
      keys.push((route.request().postDataJSON() as { idempotencyKey: string }).idempotencyKey);
      if (dropped) return route.continue();
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await dialog.getByRole('button', { name: 'Take cash' }).click();
    await dialog.getByText('Cannot reach Clinic Desk. Check that it is running.').waitFor();
    expect(count('SELECT count(*) AS n FROM payment')).toBe(1);
    await dialog.getByRole('button', { name: 'Take cash' }).dblclick();
    await dialog.getByText('Took $54.00 in cash; change given $46.00. Nothing more is due.').waitFor();
    await page.unroute('**/api/rpc/payment/record');
    await page.unroute('**/api/events');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(row('SELECT count(*) AS n, sum(amount_minor) AS amount, sum(tendered_minor) AS tendered, sum(change_minor) AS change FROM payment')).toEqual({ n: 1, amount: 5400, tendered: 10000, change: 4600 });
    await dialog.getByLabel('Payment: Paid').waitFor();

    // --- The receipt: printed (the app hidden) and as PDF.
    await dialog.getByRole('alert').getByRole('button', { name: 'Receipt' }).click();
    const receipt = page.getByRole('dialog', { name: 'Receipt' });
    const payment = row<{ id: string }>('SELECT id FROM payment');
    const number = payment.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    await receipt.getByText(`Receipt ${number}`).waitFor();
    const text = await receipt.locator('article').innerText();
    for (const expected of ['Riverside Family Clinic', 'Maja Lindqvist', 'P-', 'Discount (code AGENT-10)', '−$6.00', '$54.00', 'Handed over', '$100.00', 'Change given', '$46.00', 'Cash', 'Robin Reception']) {
      expect(text, expected).toContain(expected);
    }
    type Printable = { printed: number; print(): void };
    await page.evaluate(() => {
      const w = globalThis as unknown as Printable;
      w.printed = 0;
      w.print = () => void w.printed++;
    });
    await receipt.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as Printable).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#root').isVisible()).toBe(false);
    expect(await receipt.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await receipt.getByText(`Receipt ${number}`).isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/receipt-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await shots(page, 'receipt');
    const [download] = await Promise.all([page.waitForEvent('download'), receipt.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`receipt-${number}.pdf`);
    const parser = new PDFParse({ data: new Uint8Array(readFileSync((await download.path())!)) });
    const pdf = (await parser.getText()).text;
    await parser.destroy();
    for (const expected of [`Receipt ${number}`, 'Maja Lindqvist', 'AGENT-10', '$54.00', '$46.00']) expect(pdf, expected).toContain(expected);
    await receipt.getByRole('button', { name: 'Close' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.reload(); // live notices again

    // --- The patient cancels inside the window: the dialog says what will happen first.
    const list = page.getByRole('list', { name: 'Appointments' });
    await list.getByLabel('Payment: Paid').waitFor();
    await list.getByRole('button', { name: /^More actions for / }).first().click();
    await page.getByRole('menuitem', { name: /^Cancel / }).click();
    const cancel = page.getByRole('dialog').filter({ has: page.getByRole('form', { name: 'Cancel appointment' }) });
    const preview = cancel.getByLabel('Money on cancelling');
    await preview.getByText('Inside the 720-hour cancellation window.').waitFor();
    await preview.getByText(/fee of \$20\.00/).first().waitFor();
    expect(await preview.innerText()).toMatch(/Fee kept: \$20\.00[\s\S]*Refund: \$34\.00 — Cash, cash paid out from the till[\s\S]*Agent’s commission reversed: \$3\.40/);
    await cancel.getByLabel('Reason').fill('Patient is travelling');
    await shots(page, 'cancel-dialog');
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    const outcome = page.getByRole('dialog', { name: 'Cancelled: Maja Lindqvist' });
    await outcome.getByText(/Refunded: \$34\.00 — Cash/).waitFor();
    await outcome.getByLabel('Payment: Partly refunded').waitFor();
    expect(await outcome.innerText()).toMatch(/Paid and kept: \$20\.00 · Refunded: \$34\.00/);
    await shots(page, 'cancel-outcome');
    await outcome.getByRole('button', { name: 'Done' }).click();
    expect(row('SELECT amount_minor, status, kind FROM refund')).toEqual({ amount_minor: 3400, status: 'succeeded', kind: 'policy' });
    expect(count("SELECT count(*) AS n FROM ledger_entry WHERE kind = 'commission_reversal' AND account = 'commission_payable' AND amount_minor = 340")).toBe(1);
    expect(count("SELECT count(*) AS n FROM (SELECT txn_id FROM ledger_entry GROUP BY txn_id HAVING sum(amount_minor) <> 0)")).toBe(0);

    // --- Another desk cancels a card-terminal payment: the refund waits on the terminal; Needs attention shows it.
    const token = await adminToken();
    const other = row<{ id: string; price_minor: number }>("SELECT id, price_minor FROM appointment WHERE status = 'booked' AND start_at > ? AND price_minor > 0 AND patient_id <> ? ORDER BY start_at LIMIT 1", new Date().toISOString(), patient.id);
    const paid = await web.app.dispatch('payment/record', { method: 'card_terminal', appointmentId: other.id, amountMinor: other.price_minor, reference: 'TRM-5521', idempotencyKey: crypto.randomUUID() }, { sessionToken: token });
    expect(paid.result.ok).toBe(true);
    const cancelled = await web.app.dispatch('appointment/cancel', { appointmentId: other.id, party: 'clinic', reason: 'Doctor ill' }, { sessionToken: token });
    expect(cancelled.result.ok).toBe(true);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByLabel('1 need attention').waitFor();
    await page.keyboard.press('Alt+i');
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    const item = page.getByRole('list', { name: 'Items needing attention' }).getByRole('listitem').first();
    await item.getByText('Refund on the card terminal').waitFor();
    await shots(page, 'attention');
    await item.getByRole('button', { name: 'Record refund' }).click();
    await item.getByText(/reference is required/i).waitFor();
    await item.getByRole('textbox', { name: 'Refund reference' }).fill('RF-778');
    await item.getByRole('button', { name: 'Record refund' }).click();
    await page.getByText('Nothing needs attention.').waitFor();
    await expect.poll(() => nav.getByLabel('1 need attention').count()).toBe(0);
    expect(row('SELECT r.status, r.reference FROM refund r JOIN payment p ON p.id = r.payment_id WHERE p.appointment_id = ?', other.id)).toEqual({ status: 'succeeded', reference: 'RF-778' });
  });
});
