/**
 * book-page-first-render: how long a phone takes to show the /book page's first screen, usable
 * (issue 14: under one second on a throttled mid-range phone profile in Chromium).
 *
 * The real web-mode server (buildServer over a demo clinic, the built renderer from
 * dist/renderer — built first when missing) on 127.0.0.1, Debian's Chromium headless. Each
 * sample is a fresh browser context (empty cache, new connections) at 390×844 with, over
 * CDP, CPU throttling 4× (Emulation.setCPUThrottlingRate) and a "fast 3G"-like network
 * (Network.emulateNetworkConditions: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up — the
 * mobile profile Lighthouse uses). Timed in the page, from navigation start:
 * - `p50_ms`, `p95_ms`: the first screen painted (first contentful paint). The page's HTML
 *   carries the start screen (heading, lead, both buttons as working links), so it paints
 *   once the HTML and the stylesheet have arrived, before the script.
 * - `p50_ms_interactive`: the script has drawn the same screen (React mounted, the buttons
 *   are the app's own, in the patient's language) — the page marks it (`book-first-screen`,
 *   performance.mark in StartStep).
 *
 * Baseline: the same first screen as a static HTML page with the same stylesheet and no
 * JavaScript (what the page could at best do), served by the same server under the same
 * throttling, timed as its first contentful paint; app and baseline samples alternate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { openApp } from '../../src-main/app.js';
import { buildServer } from '../../src-main/http/server.js';
import { browserPathOrThrow } from '../../scripts/find-browser.js';
import { CHROMIUM_ARGS } from '../../tests/e2e/web-harness.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const PHONE_NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
export const PHONE_CPU_SLOWDOWN = 4;

async function sample(browser: Browser, url: string, waitFor: 'mark' | 'fcp'): Promise<{ ms: number; fcp: number }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'en-GB', isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: 'commit' });
    const read = () =>
      page.evaluate(() => ({
        mark: performance.getEntriesByName('book-first-screen')[0]?.startTime ?? null,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      }));
    for (let i = 0; i < 600; i++) {
      const got = await read().catch(() => ({ mark: null, fcp: null }));
      const ms = waitFor === 'mark' ? got.mark : got.fcp;
      if (ms !== null && got.fcp !== null) return { ms, fcp: got.fcp };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`book-page-first-render: ${url} never showed its first screen`);
  } finally {
    await context.close();
  }
}

export const bookPageFirstRender: Scenario = {
  name: 'book-page-first-render',
  summary: 'the /book first screen in Chromium, CPU 4× slower, fast-3G-like network (p50 < 1000 ms; painted, and drawn by the script) vs the same screen as static HTML',
  async run({ quick, log }) {
    const dist = path.join(ROOT, 'dist', 'renderer');
    if (!existsSync(path.join(dist, 'book', 'index.html'))) {
      log('book-page-first-render: building the renderer (vite build)');
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    }
    const css = /href="\.\.\/assets\/(book-[^"]+\.css)"/.exec(readFileSync(path.join(dist, 'book', 'index.html'), 'utf8'))?.[1];
    if (!css) throw new Error('book-page-first-render: no stylesheet in dist/renderer/book/index.html');
    const scratch = scratchDir('book-page-first-render');
    const app = await openApp({ dataDir: scratch.dir, log: () => {} });
    const demo = await app.dispatch('setup/load-demo', {});
    if (!demo.result.ok) throw new Error('book-page-first-render: the demo clinic did not load');
    const server = await buildServer(app, { staticDir: dist, anonymousPerMinute: 100_000 });
    // The baseline page: the first screen's markup and stylesheet, no script.
    server.get('/bench/book-static', (_req, reply) =>
      reply
        .type('text/html')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Book an appointment</title><link rel="stylesheet" href="/assets/${css}"></head><body><div id="root"><header class="top"><p class="clinic-name">Demo Clinic</p></header><main id="main"><section><h1 class="step-heading">Book an appointment</h1><p class="lead">Book a visit in a couple of minutes.</p><div class="stack"><button class="btn btn-primary">Book for the first time</button><button class="btn btn-secondary">I have booked before</button></div></section></main></div></body></html>`,
        ),
    );
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await chromium.launch({ executablePath: browserPathOrThrow(), args: CHROMIUM_ARGS });
    try {
      const iterations = quick ? 5 : 15;
      const warmup = 1;
      const appMs: number[] = [];
      const baseMs: number[] = [];
      const interactive: number[] = [];
      for (let i = -warmup; i < iterations; i++) {
        const runApp = async () => {
          const s = await sample(browser, `http://127.0.0.1:${port}/book`, 'mark');
          if (i >= 0) {
            appMs.push(s.fcp);
            interactive.push(s.ms);
          }
        };
        const runBase = async () => {
          const s = await sample(browser, `http://127.0.0.1:${port}/bench/book-static`, 'fcp');
          if (i >= 0) baseMs.push(s.ms);
        };
        if (i % 2 === 0) {
          await runApp();
          await runBase();
        } else {
          await runBase();
          await runApp();
        }
      }
      const a = summarize(appMs);
      const b = summarize(baseMs);
      const r = summarize(interactive);
      log(`book-page-first-render: first screen painted p50 ${roundValue(a.p50)} ms (p95 ${roundValue(a.p95)}), drawn by the script p50 ${roundValue(r.p50)} ms (p95 ${roundValue(r.p95)}); static HTML p50 ${roundValue(b.p50)} ms, over ${a.n} loads`);
      return {
        rows: [
          row('book-page-first-render', 'p50_ms', a.p50, 'ms', b.p50),
          row('book-page-first-render', 'p95_ms', a.p95, 'ms', b.p95),
          row('book-page-first-render', 'p50_ms_interactive', r.p50, 'ms', b.p50),
          row('book-page-first-render', 'p95_ms_interactive', r.p95, 'ms', b.p95),
        ],
        notes: {
          goal: 'p50_ms < 1000',
          iterations,
          network: PHONE_NETWORK,
          cpuSlowdown: PHONE_CPU_SLOWDOWN,
          viewport: '390x844',
          samples: { painted: appMs.map(roundValue), interactive: interactive.map(roundValue), baseline: baseMs.map(roundValue) },
        },
      };
    } finally {
      await browser.close();
      await server.close();
      await app.close();
      scratch.remove();
    }
  },
};
