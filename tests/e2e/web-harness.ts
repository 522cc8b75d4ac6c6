import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openApp, type App } from '../../src-main/app.js';
import { buildServer } from '../../src-main/http/server.js';
import type { Clock } from '../../src-main/core/context.js';
import { browserPathOrThrow } from '../../scripts/find-browser.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface WebHarness {
  app: App;
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Web mode as a user gets it: the real app on a temp data directory, the built renderer
 * served over HTTP on 127.0.0.1, and Debian's Chromium driven headless.
 */
export async function startWeb(
  options: { demo?: boolean; clock?: Clock; prepareDataDir?: (dir: string) => void; refusalFlushMs?: number; env?: Record<string, string | undefined> } = {},
): Promise<WebHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-desk-e2e-'));
  options.prepareDataDir?.(dataDir);
  const app = await openApp({ dataDir, clock: options.clock, log: () => {}, refusalFlushMs: options.refusalFlushMs, env: options.env });
  if (options.demo) {
    const demo = await app.dispatch('setup/load-demo', {});
    if (!demo.result.ok) throw new Error(`demo failed: ${JSON.stringify(demo.result)}`);
  }
  const server = await buildServer(app, { staticDir: path.resolve('dist', 'renderer') });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: browserPathOrThrow(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const url = `http://127.0.0.1:${port}/`;
  return {
    app,
    url,
    browser,
    context,
    page,
    dataDir,
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
