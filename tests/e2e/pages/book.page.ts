/**
 * What the patient page's e2e tests share: the phone viewport, axe-core with no serious or
 * critical findings, and screenshots at the phone and both desk sizes (only when
 * CLINIC_DESK_SHOTS names a folder).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const PHONE = { width: 390, height: 844 };
const SIZES = [
  [390, 844],
  [1366, 768],
  [1024, 700],
] as const;

/** axe-core on the page as it is: no serious or critical findings (named by step). */
export async function expectNoSeriousAxe(page: Page, step: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${step}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Screenshots `<name>-<w>x<h>.png` at 390×844, 1366×768 and 1024×700, then back to the phone.
 * `scrollToEnd`: the bottom of the page in view; `fullPageOnPhone`: the whole page on the phone.
 */
export async function shootBookPage(page: Page, name: string, options: { scrollToEnd?: boolean; fullPageOnPhone?: boolean } = {}): Promise<void> {
  const folder = process.env.CLINIC_DESK_SHOTS ?? '';
  if (!folder) return;
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    if (options.scrollToEnd) await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.screenshot({ path: `${folder}/${name}-${w}x${h}.png`, fullPage: Boolean(options.fullPageOnPhone) && w === PHONE.width });
  }
  await page.setViewportSize(PHONE);
}
