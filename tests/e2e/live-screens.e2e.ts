import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/**
 * Live screens in web mode: two signed-in staff in two browser contexts (two cookies, two
 * event streams). What one desk (or the REST API) changes appears on the other's open screen
 * without any navigation. The query cache neither polls nor refetches on focus, so only the
 * change notice can cause the refresh; each page carries a marker that a reload would wipe.
 */
let web: WebHarness;
let other: BrowserContext;
let deskA: Page;
let deskB: Page;

const SHOTS = process.env.SHOTS_DIR ?? path.resolve('..', 'shots', 'h7-live-screens');

beforeAll(async () => {
  web = await startWeb({ demo: true });
  deskA = web.page;
  other = await web.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
  deskB = await other.newPage();
  await deskA.setViewportSize({ width: 1366, height: 768 });
  for (const [page, user, password] of [
    [deskA, 'reception', 'demo-desk-2026'],
    [deskB, 'admin', 'demo-admin-2026'],
  ] as const) {
    await page.goto(web.url);
    await new LoginPage(page).signIn(user, password);
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
  }
});
afterAll(async () => {
  await other?.close();
  await web?.close();
});

/** A call through the page's own web transport (its session cookie), as the screens make it. */
async function rpc<T>(page: Page, name: string, input: unknown): Promise<T> {
  const body = await page.evaluate(
    async ([n, i]) => {
      const res = await fetch(`/api/rpc/${n}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) });
      return res.json() as Promise<{ ok: boolean; data?: unknown; error?: unknown }>;
    },
    [name, input] as const,
  );
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.data as T;
}

/** Marks the page; a navigation or reload would lose the mark. */
const mark = (page: Page) => page.evaluate(() => ((globalThis as unknown as { __live: number }).__live = 42));
const marked = (page: Page) => page.evaluate(() => (globalThis as unknown as { __live?: number }).__live === 42);

async function shoot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    for (const [who, page] of [
      ['desk-a', deskA],
      ['desk-b', deskB],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${who}-${w}x${h}.png`) });
    }
  }
  await deskA.setViewportSize({ width: 1366, height: 768 });
  await deskB.setViewportSize({ width: 1366, height: 768 });
}

describe('two desks', () => {
  it('a booking made at one desk appears on the other desk’s open agenda, without navigation', async () => {
    // Desk B registers a patient and finds a free slot.
    const patient = await rpc<{ patientId: string }>(deskB, 'patient/register', {
      basic: { givenName: 'Livia', familyName: 'Quennell-Ashby', dateOfBirth: '1981-04-05', sex: 'female', phone: '+1 202 555 0199' },
      overrideDuplicates: true,
    });
    const options = await rpc<{ consultationTypes: Array<{ id: string; kind: string }> }>(deskB, 'booking/options', {});
    const type = options.consultationTypes.find((t) => t.kind === 'general') ?? options.consultationTypes[0]!;
    const found = await rpc<{ slots: Array<{ doctorId: string; locationId: string; startAt: string; localDate: string; localTime: string }> }>(
      deskB,
      'booking/find-slots',
      { consultationTypeId: type.id, limit: 1, days: 14 },
    );
    const slot = found.slots[0]!;

    // Desk A shows that day's agenda; the patient is not on it.
    await deskA.getByLabel('Date').fill(slot.localDate);
    const agendaA = deskA.getByRole('table', { name: 'Appointments' });
    await deskA.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await expect.poll(() => deskA.getByLabel('Date').inputValue()).toBe(slot.localDate);
    await expect.poll(() => agendaA.getByText('Quennell-Ashby').count()).toBe(0);
    await mark(deskA);

    await rpc(deskB, 'booking/create', { patientId: patient.patientId, doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: type.id, startAt: slot.startAt });

    // Deadline, not a measurement: the notice-driven refetch lands well within it.
    await agendaA.getByText(/Quennell-Ashby/).waitFor({ timeout: 5000 });
    expect(await marked(deskA)).toBe(true);
    await deskB.getByLabel('Date').fill(slot.localDate);
    await deskB.getByRole('table', { name: 'Appointments' }).getByText(/Quennell-Ashby/).waitFor();
    await shoot('agenda-after-booking');
  });

  it('a patient who registers through POST /api/patients/register appears in an open search result', async () => {
    await deskA.keyboard.press('Alt+p');
    await deskA.getByLabel('Search patients').fill('Thornquist');
    const results = deskA.getByRole('table', { name: 'Search results' });
    await results.getByText(/No patient matches/).waitFor();
    await expect.poll(() => deskA.getByText('Thornquist, Odalys').count()).toBe(0);
    await mark(deskA);

    const res = await fetch(`${web.url}api/patients/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ basic: { givenName: 'Odalys', familyName: 'Thornquist', dateOfBirth: '1990-10-11', sex: 'female', phone: '+1 202 555 0142' } }),
    });
    expect(res.status).toBe(200);

    await deskA.getByText('Thornquist, Odalys').waitFor({ timeout: 5000 });
    expect(await marked(deskA)).toBe(true);
    await deskB.keyboard.press('Alt+p');
    await deskB.getByLabel('Search patients').fill('Thornquist');
    await deskB.getByText('Thornquist, Odalys').waitFor();
    await shoot('search-after-registration');
  });

  it('a cancellation at desk A updates desk B’s agenda', async () => {
    await deskA.keyboard.press('Alt+a');
    await deskB.keyboard.press('Alt+a');
    const row = await web.app.raw
      .prepare("SELECT a.id, a.start_at FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE p.family_name = 'Quennell-Ashby'")
      .get() as { id: string; start_at: string };
    const day = await rpc<{ appointment: { localDate: string } }>(deskB, 'appointment/get', { appointmentId: row.id });
    await deskB.getByLabel('Date').fill(day.appointment.localDate);
    const rowB = deskB.getByRole('table', { name: 'Appointments' }).getByRole('row').filter({ hasText: 'Quennell-Ashby' });
    await rowB.getByText('Booked').waitFor();
    await mark(deskB);
    await rpc(deskA, 'appointment/cancel', { appointmentId: row.id, party: 'clinic', reason: 'Doctor unavailable' });
    // The row stays, struck through and marked cancelled, without anyone reloading desk B.
    await rowB.getByText('Cancelled', { exact: true }).waitFor({ timeout: 5000 });
    expect(await marked(deskB)).toBe(true);
  });
});
