/**
 * Printing (issue 12 item 13) in Chromium: the day sheet, the appointment card and the patient
 * label are opened from their buttons, printed to PDF by Chromium itself (page.pdf, the print
 * stylesheet applies), and the PDF's text and page count are checked with pdf-parse. Hostile
 * text (a 100-character name, line breaks, <script>) prints as text and breaks nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../src-main/contract/index.js';
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

const SHOTS = process.env.CLINIC_DESK_SHOTS ?? '';
let web: WebHarness;
let adminToken: string;
let date: string;
let zoe: string;
let zoeVisit: string;
let hostile: string;
const dialogs: string[] = [];

const LONG_FAMILY = 'Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt';
const HOSTILE_FAMILY = '<script>alert(1)</script>';
const HOSTILE_NOTES = 'First line\nSecond line <script>alert("notes")</script>\n<img src=x onerror=alert(2)>';

async function rpc<T>(name: string, input: unknown): Promise<T> {
  const out = await web.app.dispatch(name, input, { sessionToken: adminToken });
  if (!out.result.ok) throw new Error(`${name}: ${JSON.stringify(out.result.error)}`);
  return out.result.data as T;
}

/** The PDF's text with every run of white space as one space (table cells wrap), its page count, and the text without any white space. */
async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number; flat: string; perPage: string[] }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const result = await parser.getText();
  await parser.destroy();
  return { text: result.text.replace(/\s+/g, ' '), pages: result.total, flat: result.text.replace(/\s+/g, ''), perPage: result.pages.map((p) => p.text.replace(/\s+/g, ' ')) };
}

/** The print view has no serious or critical accessibility findings (axe-core). */
async function expectAccessible(): Promise<void> {
  const { violations } = await new AxeBuilder({ page: web.page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? ''})`).join(', ')}`)).toEqual([]);
}

const shoot = async (name: string) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [
    [1366, 768],
    [1024, 700],
  ] as const) {
    await web.page.setViewportSize({ width: w, height: h });
    await web.page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png` });
  }
  await web.page.setViewportSize({ width: 1360, height: 860 });
};

beforeAll(async () => {
  web = await startWeb({ demo: true });
  web.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const login = await web.app.dispatch('auth/login', { username: 'admin', password: 'demo-admin-2026' });
  adminToken = login.session!.set!;
  await rpc('notifications/save-settings', { settings: { ...defaultNotificationSettings, clinicPhone: '+1 202 555 0100', clinicAddress: '1 Demo Way, Springfield' } });

  const options = await rpc<OutputOf<'booking/options'>>('booking/options', {});
  const doctor = (name: string) => options.doctors.find((d) => d.name.includes(name))!;
  const chen = doctor('Chen');
  const larsen = doctor('Larsen');
  const gp = options.consultationTypes.find((t) => t.specializationIds.some((s) => chen.specializationIds.includes(s)) && t.specializationIds.some((s) => larsen.specializationIds.includes(s)))!;

  const register = async (givenName: string, familyName: string, dateOfBirth: string, phone: string) =>
    (await rpc<OutputOf<'patient/register'>>('patient/register', { basic: { givenName, familyName, dateOfBirth, sex: 'female', phone }, overrideDuplicates: true })).patientId;
  zoe = await register('Zoë', 'Ångström-Núñez', '1981-04-05', '+1 202 555 0999');
  hostile = await register(HOSTILE_FAMILY, LONG_FAMILY, '1990-12-31', '+1 202 555 0998');
  const plain = await register('Ravi', 'Menon', '1975-07-14', '+1 202 555 0997');

  // Three weeks ahead: past the demo's appointments, so the day holds only these.
  const slotsOf = async (doctorId: string, preferredDate?: string) =>
    (await rpc<OutputOf<'booking/find-slots'>>('booking/find-slots', { consultationTypeId: gp.id, doctorId, preferredDate, preferredTime: '10:00', days: 1, limit: 20 })).slots;
  const ahead = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  const chenSlots = (await slotsOf(chen.id, ahead)).filter((s) => s.localDate === ahead);
  date = ahead;
  const larsenSlots = (await slotsOf(larsen.id, date)).filter((s) => s.localDate === date);
  expect(chenSlots.length).toBeGreaterThan(3);
  expect(larsenSlots.length).toBeGreaterThan(1);
  const book = async (patientId: string, slot: { doctorId: string; locationId: string; startAt: string }, requirements?: unknown) =>
    (await rpc<OutputOf<'booking/create'>>('booking/create', { patientId, doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: gp.id, startAt: slot.startAt, ...(requirements ? { requirements } : {}) })).appointment.id;
  zoeVisit = await book(zoe, chenSlots[0]!, { accessibility: ['wheelchair'], interpreterLanguage: 'es', notes: '' });
  await book(hostile, chenSlots[3]!, { accessibility: [], interpreterLanguage: '', notes: HOSTILE_NOTES });
  await book(plain, larsenSlots[0]!);

  await web.page.goto(web.url);
  await new LoginPage(web.page).signIn('reception', 'demo-desk-2026');
  await web.page.getByRole('heading', { name: /^Agenda — / }).waitFor();
});
afterAll(async () => {
  await web?.close();
});

describe('printing', () => {
  it('prints the day sheet from the agenda: a page per doctor, names with accents, the interpreter, page numbers; hostile text stays text', async () => {
    const { page } = web;
    await page.getByLabel('Date').fill(date);
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await shoot('agenda-print-button');
    await page.getByRole('button', { name: 'Print day sheet' }).click();
    await page.waitForURL(/#\/print\/day-sheet\//);
    const sheet = page.getByRole('main', { name: /^Day sheet/ });
    await sheet.getByRole('region', { name: 'Day sheet for Dr Maya Chen' }).waitFor();
    await sheet.getByRole('region', { name: 'Day sheet for Dr Henrik Larsen' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Print' }).isEnabled()).toBe(true);
    // The print button has the focus (Enter prints); the app bar is not on the page.
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Print');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await shoot('day-sheet-screen');
    await expectAccessible();

    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await pdfText(await page.pdf({ format }));
      expect(pdf.pages, format).toBe(2);
      for (const expected of ['Demo', 'Day sheet — Dr Maya Chen', 'Day sheet — Dr Henrik Larsen', 'Zoë Ångström-Núñez', 'Interpreter: Spanish (es)', 'Wheelchair access', 'Ravi Menon', 'Jul 14, 1975', 'Page 1 of 2', 'Page 2 of 2']) {
        expect(pdf.text, `${format}: ${expected}`).toContain(expected);
      }
      // Each doctor on their own page: Chen's patients on page 1, Larsen's on page 2.
      const [first = '', second = ''] = pdf.perPage;
      expect(first).toContain('Page 1 of 2');
      expect(first).toContain('Zoë Ångström-Núñez');
      expect(first).not.toContain('Ravi Menon');
      expect(second).toContain('Ravi Menon');
      // Hostile text prints as itself, whole (wrapped, never cut), and runs nothing.
      expect(pdf.flat).toContain(LONG_FAMILY);
      expect(pdf.flat).toContain('<script>alert(1)</script>');
      expect(pdf.flat).toContain('Secondline<script>alert("notes")</script>');
      expect(pdf.flat).toContain('<imgsrc=xonerror=alert(2)>');
    }
    expect(dialogs).toEqual([]);
    expect(await sheet.locator('script, img').count()).toBe(0);

    // One doctor: the agenda's doctor filter carries over, one page.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await page.getByLabel('Date').fill(date);
    await page.getByRole('combobox', { name: 'Doctor' }).click();
    await page.getByRole('option', { name: 'Dr Henrik Larsen' }).click();
    await page.getByRole('button', { name: 'Print day sheet' }).click();
    await page.getByRole('region', { name: 'Day sheet for Dr Henrik Larsen' }).waitFor();
    const one = await pdfText(await page.pdf({ format: 'A4' }));
    expect(one.pages).toBe(1);
    expect(one.text).toContain('Ravi Menon');
    expect(one.text).not.toContain('Maya Chen');
    expect(one.text).toContain('Page 1 of 1');

    // For the README: page 1 of today's sheet of the demo clinic, printed to A4 and rendered to PNG.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    await page.getByRole('button', { name: 'Today' }).click();
    await page.getByRole('combobox', { name: 'Doctor' }).click();
    await page.getByRole('option', { name: 'All doctors' }).click();
    await page.getByRole('button', { name: 'Print day sheet' }).click();
    await page.getByRole('region', { name: 'Day sheet for Dr Maya Chen' }).waitFor();
    const parser = new PDFParse({ data: new Uint8Array(await page.pdf({ format: 'A4' })) });
    const shot = await parser.getScreenshot({ first: 1, desiredWidth: 900, imageBuffer: true, imageDataUrl: false });
    await parser.destroy();
    writeFileSync('resources/screenshots/day-sheet.png', shot.pages[0]!.data);
  });

  it('prints the appointment card from the patient’s history and from the confirmation: when in words, where, the interpreter, how to cancel', async () => {
    const { page } = web;
    await page.goto(`${web.url}#/patients/${zoe}`);
    await page.getByRole('heading', { name: 'Zoë Ångström-Núñez' }).waitFor();
    const history = page.getByRole('list', { name: 'Appointments' });
    await history.getByRole('button', { name: /^Print appointment card/ }).first().waitFor();
    await shoot('patient-print-buttons');
    if (SHOTS) {
      for (const [w, h] of [
        [1366, 768],
        [1024, 700],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await history.screenshot({ path: `${SHOTS}/history-print-card-button-${w}x${h}.png` });
      }
      await page.setViewportSize({ width: 1360, height: 860 });
    }
    await history.getByRole('button', { name: /^Print appointment card/ }).first().click();
    const card = page.getByRole('article', { name: 'Appointment card' });
    await card.waitFor();
    await shoot('appointment-card-screen');
    await expectAccessible();
    const pdf = await pdfText(await page.pdf({ format: 'A4' }));
    expect(pdf.pages).toBe(1);
    const appointment = await rpc<OutputOf<'printing/appointment-card'>>('printing/appointment-card', { appointmentId: zoeVisit });
    for (const expected of [
      'Appointment for Zoë Ångström-Núñez',
      '1 Demo Way, Springfield',
      'Telephone +1 202 555 0100',
      'Dr Maya Chen',
      appointment.dateText,
      appointment.timeText,
      appointment.timeZone,
      'An interpreter: Spanish (es)',
      'Wheelchair access',
      'To cancel or change this appointment, please call us on +1 202 555 0100',
    ]) {
      expect(pdf.text, expected).toContain(expected);
    }
    expect(appointment.dateText).toMatch(/^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4}$/);

    // The confirmation screen offers the same card.
    await page.goto(`${web.url}#/confirmation/${zoeVisit}`);
    await page.getByRole('heading', { name: 'Booked: Zoë Ångström-Núñez' }).waitFor();
    await shoot('confirmation-print-button');
    await page.getByRole('button', { name: 'Print appointment card' }).click();
    await page.getByRole('article', { name: 'Appointment card' }).getByText('Appointment for Zoë Ångström-Núñez').waitFor();
  });

  it('prints a patient label on a label-sized page, one label even for a 100-character name', async () => {
    const { page } = web;
    for (const [patientId, name] of [
      [zoe, 'Zoë Ångström-Núñez'],
      [hostile, `${HOSTILE_FAMILY} ${LONG_FAMILY}`],
    ] as const) {
      await page.goto(`${web.url}#/patients/${patientId}`);
      await page.getByRole('heading', { name }).waitFor();
      await page.getByRole('button', { name: 'Print label' }).click();
      const label = page.getByLabel('Patient label');
      await label.waitFor();
      if (patientId === zoe) {
        await shoot('label-screen');
        await expectAccessible();
      }
      const bytes = await page.pdf({ preferCSSPageSize: true });
      const pdf = await pdfText(bytes);
      expect(pdf.pages, name).toBe(1);
      // 89 mm × 36 mm = 252.3 × 102 points.
      const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(bytes.toString('latin1'));
      expect(Math.round(Number(box?.[1]))).toBe(252);
      expect(Math.round(Number(box?.[2]))).toBe(102);
      expect(pdf.text).toMatch(/Patient No\. \S+/);
      if (patientId === zoe) {
        for (const expected of ['Zoë Ångström-Núñez', 'Born Apr 5, 1981 (1981-04-05)', 'Tel. +1 202 555 0999']) expect(pdf.text).toContain(expected);
      } else {
        expect(pdf.flat).toContain('<script>alert(1)</script>');
        expect(pdf.text).toContain('Born Dec 31, 1990');
      }
    }
    expect(dialogs).toEqual([]);
  });
});
