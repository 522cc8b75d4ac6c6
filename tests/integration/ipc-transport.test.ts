import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvokeHandler } from '../../src-main/electron/ipc-handler.js';
import { CHANGE_CHANNEL } from '../../src-main/electron/bridge.js';
import { forwardChanges } from '../../src-main/electron/change-forwarder.js';
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

describe('change notices over IPC', () => {
  it('go only to signed-in, unlocked windows, as ids only; stopping leaves no listener', async () => {
    const ipc = createInvokeHandler({ dispatch: app.dispatch, isAllowedSender: () => true, log: () => {} });
    const received = new Map<number, Array<[string, unknown]>>([[11, []], [12, []], [13, []]]);
    const before = app.changes.size;
    const stop = forwardChanges(app.changes, {
      isSignedIn: (id) => ipc.isSignedIn(id),
      targets: () => [...received.keys()].map((id) => ({ id, send: (channel: string, payload: unknown) => received.get(id)!.push([channel, payload]) })),
    });
    expect(app.changes.size).toBe(before + 1);
    // Window 11 signed in; window 12 signed in and then locked; window 13 never signed in.
    expect((await ipc.invoke({ ...sender, contentsId: 11 }, 'auth/login', { username: 'reception', password: 'demo-desk-2026' })).ok).toBe(true);
    expect((await ipc.invoke({ ...sender, contentsId: 12 }, 'auth/login', { username: 'admin', password: 'demo-admin-2026' })).ok).toBe(true);
    expect((await ipc.invoke({ ...sender, contentsId: 12 }, 'auth/lock', {})).ok).toBe(true);

    const registered = await ipc.invoke({ ...sender, contentsId: 11 }, 'patient/register', {
      basic: { givenName: 'Wilhelmina', familyName: 'Ostrowska', dateOfBirth: '1970-01-02', sex: 'female', phone: '+1 202 555 0123' },
      overrideDuplicates: true,
    });
    expect(registered.ok).toBe(true);
    const patientId = (registered as { data: { patientId: string } }).data.patientId;
    for (let i = 0; i < 100 && received.get(11)!.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

    // One message for the transaction: the patient and each of its sections, ids only.
    const messages = received.get(11)!;
    expect(messages).toHaveLength(1);
    const [channel, notices] = messages[0]! as [string, Array<{ entity: string; id: string; op: string; refs: { patientId?: string } }>];
    expect(channel).toBe(CHANGE_CHANNEL);
    expect(notices).toContainEqual({ entity: 'patient', id: patientId, op: 'upsert', refs: { patientId } });
    for (const n of notices) {
      expect(Object.keys(n).sort()).toEqual(['entity', 'id', 'op', 'refs']);
      expect(n.refs).toEqual({ patientId });
    }
    expect(received.get(12)).toEqual([]);
    expect(received.get(13)).toEqual([]);
    expect(JSON.stringify(received.get(11))).not.toMatch(/Wilhelmina|Ostrowska|0123/);

    stop();
    expect(app.changes.size).toBe(before);
  });
});
