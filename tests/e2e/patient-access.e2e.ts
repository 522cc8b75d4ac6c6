import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/** Screenshots for a person to look at go here when SHOTS_DIR is set (never into the repo). */
const SHOTS = process.env.SHOTS_DIR;

let web: WebHarness;
let patient: { patientId: string; accessToken: string };

beforeAll(async () => {
  web = await startWeb({ demo: true });
  // A patient registers at the kiosk (no sign-in) and uses the token once.
  const registered = await web.app.dispatch('patient/register', {
    basic: { givenName: 'Tomasz', familyName: 'Kiosk-Wójcik', dateOfBirth: '1979-03-03', sex: 'male', phone: '(202) 555-0191' },
    idempotencyKey: crypto.randomUUID(),
  });
  if (!registered.result.ok) throw new Error(JSON.stringify(registered.result));
  patient = registered.result.data as typeof patient;
  expect((await web.app.dispatch('appointment/history', {}, { patientToken: patient.accessToken })).result.ok).toBe(true);

  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => web?.close());

async function shoot(name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const [width, height] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await web.page.setViewportSize({ width, height });
    await web.page.locator('section[aria-label="Online access"]').scrollIntoViewIfNeeded();
    await web.page.waitForTimeout(500); // let the dialog's fade-in finish (pictures only; nothing is asserted on time)
    await web.page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`) });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
}

describe('revoking a patient’s online access from the record', () => {
  it('shows the active tokens, asks before revoking, and the patient’s token stops working', async () => {
    const { page } = web;
    await page.goto(`${web.url}#/patients/${patient.patientId}`);
    await page.getByRole('heading', { name: 'Tomasz Kiosk-Wójcik', level: 1 }).waitFor();
    const access = page.getByRole('region', { name: 'Online access' });
    await access.getByText('1 active access token — one per phone, browser or link.').waitFor();
    await access.getByText(/^Last used /).waitFor();
    await access.scrollIntoViewIfNeeded();
    await shoot('record-online-access');

    // Changing one's mind keeps the access.
    await access.getByRole('button', { name: 'Revoke all access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke all online access?' });
    await dialog.getByText(/The access token of Tomasz Kiosk-Wójcik stops working at once/).waitFor();
    await shoot('revoke-confirmation');
    await dialog.getByRole('button', { name: 'Keep access' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await web.app.dispatch('appointment/history', {}, { patientToken: patient.accessToken })).result.ok).toBe(true);

    await access.getByRole('button', { name: 'Revoke all access' }).click();
    await dialog.getByRole('button', { name: 'Revoke all' }).click();
    await access.getByText('Revoked 1 access token. The patient needs a new link to use the online pages.').waitFor();
    await access.getByText('No active access tokens: the patient cannot use the online pages until they get a new link.').waitFor();
    expect(await access.getByRole('button', { name: 'Revoke all access' }).isDisabled()).toBe(true);
    await shoot('record-access-revoked');

    const after = await web.app.dispatch('appointment/history', {}, { patientToken: patient.accessToken });
    expect(after.result).toMatchObject({ ok: false, error: { code: 'auth/patient-token-invalid' } });
    const audit = web.app.raw
      .prepare("SELECT actor_kind, record_id, outcome FROM audit_log WHERE handler = 'patient/revoke-access'")
      .all();
    expect(audit).toEqual([{ actor_kind: 'staff', record_id: patient.patientId, outcome: 'ok' }]);
  });
});
