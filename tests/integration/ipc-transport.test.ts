import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvokeHandler } from '../../src-main/electron/ipc-handler.js';
import { openTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await openTestApp();
  await app.dispatch('setup/load-demo', {});
});
afterAll(async () => app.dispose());

const sender = { contentsId: 1, frameUrl: 'app://clinic-desk/index.html', isMainFrame: true };

describe('the Electron IPC transport over the real dispatcher', () => {
  it('keeps the session in main: sign-in works and the token never reaches the renderer', async () => {
    const ipc = createInvokeHandler({ dispatch: app.dispatch, isAllowedSender: (url) => url.startsWith('app://clinic-desk/'), log: () => {} });
    const login = await ipc.invoke(sender, 'auth/login', { username: 'reception', password: 'demo-desk-2026' });
    expect(login.ok).toBe(true);
    expect(JSON.stringify(login)).not.toMatch(/token/i);
    expect(ipc.hasSession(1)).toBe(true);
    const agenda = await ipc.invoke(sender, 'agenda/day', {});
    expect(agenda.ok).toBe(true);
    // Another window has no session.
    const other = await ipc.invoke({ ...sender, contentsId: 2 }, 'agenda/day', {});
    expect(other).toMatchObject({ ok: false, error: { code: 'auth/unauthenticated' } });
  });

  it('refuses inputs over 256 KiB before they reach the dispatcher, like web mode', async () => {
    const ipc = createInvokeHandler({ dispatch: app.dispatch, isAllowedSender: () => true, log: () => {} });
    const before = app.raw.prepare('SELECT count(*) AS n FROM audit_log').get();
    const result = await ipc.invoke(sender, 'auth/login', { username: 'x', password: 'y'.repeat(300 * 1024) });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation/too-large' } });
    expect(app.raw.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(before);
  });
});
