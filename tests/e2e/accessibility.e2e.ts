/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';

/**
 * Accessibility and layout of every staff screen, as an admin with the demo clinic: axe-core finds no
 * serious or critical problem on any route, and at 1024×700 no screen scrolls sideways and the app bar
 * stays one line. Screenshots of every screen at both sizes go to SHOTS_DIR (outside the repo).
 */
let web: WebHarness;
let page: Page;
const SHOTS = process.env.SHOTS_DIR ?? path.resolve('..', 'shots', 'words-a11y');

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 700 },
] as const;

/** Every route of the staff app (src-renderer/app/app.tsx and the roster's tabs); ids filled in from demo data. */
function routes(ids: { patientId: string; appointmentId: string; doctorId: string }): Array<{ name: string; hash: string; ready: RegExp }> {
  return [
    { name: 'agenda', hash: '#/agenda', ready: /^Agenda/ },
    { name: 'patients', hash: '#/patients', ready: /Patients|Find a patient/i },
    { name: 'register', hash: '#/patients/new', ready: /Register/i },
    { name: 'profile', hash: `#/patients/${ids.patientId}`, ready: /./ },
    { name: 'book', hash: '#/book', ready: /Book/i },
    { name: 'book-patient', hash: `#/book/${ids.patientId}`, ready: /Book/i },
    { name: 'symptoms', hash: '#/symptoms', ready: /Symptom/i },
    { name: 'messages', hash: '#/messages', ready: /Messages/i },
    { name: 'confirmation', hash: `#/confirmation/${ids.appointmentId}`, ready: /./ },
    { name: 'attention', hash: '#/attention', ready: /./ },
    { name: 'cash-up', hash: '#/cash-up', ready: /Cash-up|Cash up/i },
    { name: 'roster-doctors', hash: '#/roster/doctors', ready: /Roster/ },
    { name: 'roster-doctor', hash: `#/roster/doctors/${ids.doctorId}`, ready: /Roster/ },
    { name: 'roster-new-doctor', hash: '#/roster/doctors/new', ready: /Roster/ },
    { name: 'roster-locations', hash: '#/roster/locations', ready: /Roster/ },
    { name: 'roster-specializations', hash: '#/roster/specializations', ready: /Roster/ },
    { name: 'roster-types', hash: '#/roster/types', ready: /Roster/ },
    { name: 'referrals', hash: '#/referrals', ready: /Referral/i },
    { name: 'commissions', hash: '#/commissions', ready: /Commission/i },
    { name: 'staff', hash: '#/staff', ready: /Staff/i },
    { name: 'audit', hash: '#/audit', ready: /Audit/i },
    { name: 'background', hash: '#/background', ready: /Background/i },
    { name: 'settings', hash: '#/settings', ready: /Settings/i },
  ];
}

async function rpc<T>(name: string, input: unknown): Promise<T> {
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

/** Opens a route and waits until its heading is shown and nothing is loading any more. */
async function open(hash: string, ready: RegExp) {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await page.getByRole('heading', { level: 1, name: ready }).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role="progressbar"]'), undefined, { timeout: 15_000 }).catch(() => {});
}

/** Serious and critical axe findings on the page, one readable line each. */
async function axeFindings(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} — ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ').slice(0, 300) ?? ''}`));
}

let ids: { patientId: string; appointmentId: string; doctorId: string };

beforeAll(async () => {
  web = await startWeb({ demo: true });
  page = web.page;
  await page.setViewportSize(SIZES[0]);
  await page.goto(web.url);
  await new LoginPage(page).signIn('admin', 'demo-admin-2026');
  await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
  const agenda = await rpc<{ items: Array<{ id: string; patientId: string; doctorId: string }> }>('agenda/day', {});
  const roster = await rpc<{ doctors: Array<{ id: string }> }>('roster/list', {});
  const patients = await rpc<{ results: Array<{ id: string }> }>('patient/search', { query: 'a', limit: 1 });
  const first = agenda.items[0];
  ids = {
    patientId: first?.patientId ?? patients.results[0]!.id,
    appointmentId: first?.id ?? '00000000-0000-4000-8000-000000000000',
    doctorId: roster.doctors[0]!.id,
  };
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await web?.close();
});

/** Routes are known only after the demo is loaded; the tests walk the same list, built from placeholder ids first. */
const ROUTE_NAMES = routes({ patientId: '', appointmentId: '', doctorId: '' }).map((r) => r.name);
const routeByName = (name: string) => routes(ids).find((r) => r.name === name)!;
/** Screens whose layout changes most at 1024×700: axe runs there at that size too. */
const NARROW_AXE = new Set(['agenda', 'register', 'book', 'roster-doctor', 'roster-locations', 'audit', 'settings']);

describe('accessibility of every staff screen', () => {
  for (const name of ROUTE_NAMES) {
    it(`${name}: axe-core finds no serious or critical problem (admin, demo data)`, async () => {
      const r = routeByName(name);
      const findings: string[] = [];
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await open(r.hash, r.ready);
        await page.screenshot({ path: path.join(SHOTS, `${r.name}-${size.width}x${size.height}.png`) });
        if (size.width === 1366 || NARROW_AXE.has(name)) {
          for (const f of await axeFindings()) findings.push(`${name} @${size.width}: ${f}`);
        }
      }
      expect(findings, findings.join('\n')).toEqual([]);
    }, 300_000); // axe over a long agenda takes a while on a shared machine
  }

  it('the open Admin menu has no serious or critical problem either', async () => {
    await page.setViewportSize(SIZES[1]);
    await open('#/agenda', /^Agenda/);
    await page.getByRole('button', { name: /^Admin/ }).click();
    await page.getByRole('menu').waitFor();
    // Once faded in (axe would read colours half-way).
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[role="menu"]')!.closest('.MuiPaper-root')!).opacity === '1');
    await page.screenshot({ path: path.join(SHOTS, 'admin-menu-1024x700.png') });
    const findings = await axeFindings();
    await page.keyboard.press('Escape');
    expect(findings, findings.join('\n')).toEqual([]);
  });

  it('at 1024×700 no screen scrolls sideways and the app bar fits on one line', async () => {
    await page.setViewportSize(SIZES[1]);
    const problems: string[] = [];
    for (const r of routes(ids)) {
      await open(r.hash, r.ready);
      const m = await page.evaluate(() => {
        const bar = document.querySelector('header')!;
        const toolbar = bar.querySelector('.MuiToolbar-root')!;
        const nav = bar.querySelector('nav');
        const items = [...toolbar.querySelectorAll('button, h6, [role="button"]')].filter((e) => (e as HTMLElement).offsetParent);
        const boxes = items.map((e) => e.getBoundingClientRect());
        // On one line, every item overlaps every other vertically.
        const oneLine = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          barHeight: bar.getBoundingClientRect().height,
          navOverflow: nav ? nav.scrollWidth - nav.clientWidth : 0,
          oneLine,
        };
      });
      if (m.scrollWidth > m.clientWidth) problems.push(`${r.name}: the page scrolls sideways (${m.scrollWidth} > ${m.clientWidth})`);
      if (m.barHeight > 56) problems.push(`${r.name}: the app bar is ${m.barHeight}px high`);
      if (m.navOverflow > 0) problems.push(`${r.name}: the navigation scrolls sideways by ${m.navOverflow}px`);
      if (!m.oneLine) problems.push(`${r.name}: the app bar's items sit on more than one line`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the Admin menu works from the keyboard (Alt+G, arrows, Enter) and the old Alt shortcuts still work', async () => {
    await page.setViewportSize(SIZES[1]);
    await open('#/agenda', /^Agenda/);
    await page.keyboard.press('Alt+g');
    const menu = page.getByRole('menu', { name: /Admin/ });
    await menu.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    expect(focused.length).toBeGreaterThan(0);
    // The screen chosen from the menu is open.
    await page.getByRole('heading', { level: 1, name: new RegExp(focused.replace(/Alt\+\w/, '').trim().split(' ')[0]!, 'i') }).first().waitFor();
    // Alt shortcuts of admin screens keep working without the menu.
    await page.keyboard.press('Alt+u');
    await page.getByRole('heading', { level: 1, name: /Audit/ }).waitFor();
    await page.keyboard.press('Alt+r');
    await page.getByRole('heading', { level: 1, name: /Roster/ }).waitFor();
    await page.keyboard.press('Alt+a');
    await page.getByRole('heading', { level: 1, name: /^Agenda/ }).waitFor();
  });

  it('a control reached with Tab shows a clearly visible outline, on the app bar and on the page', async () => {
    await page.setViewportSize(SIZES[0]);
    await open('#/roster/locations', /Roster/);
    const ring = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return { text: el.textContent?.slice(0, 30), style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, inBar: !!el.closest('header') };
      });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    const bar = await ring();
    expect(bar.inBar, JSON.stringify(bar)).toBe(true);
    expect(bar.style, JSON.stringify(bar)).toBe('solid');
    expect(bar.width).toBeGreaterThanOrEqual(3);
    expect(bar.color).toBe('rgb(255, 255, 255)');
    await page.getByRole('tab', { name: 'Locations' }).focus();
    await page.keyboard.press('ArrowRight');
    const tab = await ring();
    expect(tab.inBar, JSON.stringify(tab)).toBe(false);
    expect(tab.style, JSON.stringify(tab)).toBe('solid');
    expect(tab.width).toBeGreaterThanOrEqual(3);
    expect(tab.color).toBe('rgb(26, 58, 143)');
  });
});
