import { afterEach, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-harness.js';
import { LoginPage } from './pages/login.page.js';
import { MainNav } from './pages/nav.page.js';

let web: WebHarness | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

const SHOTS = process.env.SHOTS_DIR;

describe('Background work (admin)', () => {
  it('shows each task’s lag and parked changes, and a retry puts a parked change through', async () => {
    web = await startWeb({ demo: true });
    const { page, app } = web;
    const seq = app.raw.prepare('SELECT max(seq) FROM event').pluck().get() as number;
    const lastError = 'SMTP 421 service not available\nwhile sending the reminder — try later '.repeat(3);
    app.raw
      .prepare("INSERT INTO consumer_item (consumer, event_seq, entity, entity_id, state, attempts, last_error, next_at, updated_at) VALUES ('change-digest', ?, 'appointment', 'a1b2c3d4-e5f6', 'parked', 6, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
      .run(seq - 1, lastError);

    await page.goto(web.url);
    await new LoginPage(page).signIn('admin', 'demo-admin-2026');
    await new MainNav(page).open('Background work');
    await page.getByRole('heading', { name: 'Background work' }).waitFor();
    const task = page.getByRole('region', { name: 'Task change-digest' });
    await task.getByText('1 parked').waitFor();
    await task.getByText(/SMTP 421 service not available/).first().waitFor();
    if (SHOTS) {
      for (const [w, h] of [[1366, 768], [1024, 700]] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({ path: `${SHOTS}/background-${w}x${h}.png` });
      }
    }

    await task.getByRole('button', { name: `Retry change ${seq - 1}` }).click();
    await page.getByText(`Change ${seq - 1} will be tried again now.`).waitFor();
    // The runner is woken after the commit; the change goes through and the screen shows it.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && app.raw.prepare('SELECT count(*) FROM consumer_item').pluck().get() !== 0) await new Promise((r) => setTimeout(r, 50));
    expect(app.raw.prepare('SELECT count(*) FROM consumer_item').pluck().get()).toBe(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await task.getByText('0 parked').waitFor();
    await task.getByText('Up to date').waitFor();
    const audited = app.raw.prepare("SELECT outcome, record_id FROM audit_log WHERE handler = 'background/retry'").all();
    expect(audited).toEqual([{ outcome: 'ok', record_id: `change-digest:${seq - 1}` }]);

    // The desk's name is in Settings, editable.
    await new MainNav(page).open('Settings');
    const deskForm = page.getByRole('form', { name: 'This desk' });
    await deskForm.getByLabel('Desk name').fill('Reception 1');
    await deskForm.getByRole('button', { name: 'Save desk name' }).click();
    await page.getByText('Desk name saved.').waitFor();
    expect(app.raw.prepare('SELECT name FROM desk').pluck().get()).toBe('Reception 1');
    if (SHOTS) {
      await deskForm.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/settings-desk-1024x700.png` });
    }
  });

  it('is not offered to a receptionist, and its handlers refuse one', async () => {
    web = await startWeb({ demo: true });
    const { page } = web;
    await page.goto(web.url);
    await new LoginPage(page).signIn('reception', 'demo-desk-2026');
    await page.getByRole('heading', { name: /^Agenda — / }).waitFor();
    expect(await new MainNav(page).adminMenuItems()).not.toContain('Background work');
    const refused = await page.evaluate(async () => {
      const r = await fetch('/api/rpc/background/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return (await r.json()) as { ok: boolean; error?: { code: string } };
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth/forbidden' } });
  });
});
