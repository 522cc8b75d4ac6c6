/**
 * The Electron shell's security defaults, checked without the Electron runtime: the window
 * options, the CSP, the sender check, the navigation / window-open / permission handlers
 * (over small fakes that record what Electron would be given), the preload bridge and the
 * IPC handler. 'electron' itself is replaced by a fake module; it is never loaded.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { handlerNames } from '../../src-main/contract/index.js';
import type { DispatchOutcome } from '../../src-main/dispatch.js';
import { CONTENT_SECURITY_POLICY } from '../../src-main/security/csp.js';
import { restoreBounds } from '../../src-main/electron/bounds.js';
import { CHANGE_CHANNEL, createBridge, INVOKE_CHANNEL, pdfFileName, SAVE_PDF_CHANNEL } from '../../src-main/electron/bridge.js';
import { createInvokeHandler, type DispatchFn } from '../../src-main/electron/ipc-handler.js';
import { createRendererHandler, resolveRendererFile } from '../../src-main/electron/renderer-protocol.js';
import {
  APP_INDEX_URL,
  browserWindowOptions,
  hardenSession,
  hardenWebContents,
  isAllowedSenderUrl,
  secureWebPreferences,
  withContentSecurityPolicy,
} from '../../src-main/electron/security.js';
import { chooseDataDir } from '../../src-main/electron/startup.js';

const fakeElectron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  ipcRendererInvoke: vi.fn(),
  ipcRendererOn: vi.fn(),
  ipcRendererRemoveListener: vi.fn(),
  ipcMainHandle: vi.fn(),
  ipcMainRemoveHandler: vi.fn(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: fakeElectron.exposeInMainWorld },
  ipcRenderer: { invoke: fakeElectron.ipcRendererInvoke, on: fakeElectron.ipcRendererOn, removeListener: fakeElectron.ipcRendererRemoveListener },
  ipcMain: { handle: fakeElectron.ipcMainHandle, removeHandler: fakeElectron.ipcMainRemoveHandler },
}));

const DEV_URL = 'http://localhost:5173/';

describe('window options', () => {
  it('isolate the page from Node and Electron', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
  });

  it('are the ones every window gets', () => {
    const options = browserWindowOptions({ preloadPath: '/p.cjs', bounds: { x: 10, y: 20, width: 1200, height: 800 } });
    expect(options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false, title: 'Clinic Desk' });
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    const centred = browserWindowOptions({ preloadPath: '/p.cjs', bounds: { width: 1200, height: 800 } });
    expect(centred).not.toHaveProperty('x');
  });

  it('restore saved bounds only when the title bar is on a screen', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreBounds({ x: 100, y: 50, width: 1400, height: 900 }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1400,
      height: 900,
      maximized: false,
    });
    // The second monitor it was on is gone: centred default position.
    expect(restoreBounds({ x: 2500, y: 100, width: 1400, height: 900 }, screen)).not.toHaveProperty('x');
    // Garbage and tiny sizes fall back to sane ones.
    expect(restoreBounds('nonsense', screen)).toMatchObject({ width: 1280, height: 820 });
    expect(restoreBounds({ width: 10, height: 10 }, screen)).toMatchObject({ width: 960, height: 600 });
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

  it('allows only the app’s own scripts, no eval, no plugins, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('is the same string the web-mode server sends', async () => {
    const server = await import('../../src-main/http/server.js');
    expect(server.CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY);
  });

  it('replaces whatever CSP a response had', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': "script-src *", 'X-Other': 'a' });
    expect(headers).toEqual({ 'X-Other': ['a'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('sender URL check', () => {
  it('accepts the app’s own pages', () => {
    expect(isAllowedSenderUrl(APP_INDEX_URL, APP_INDEX_URL)).toBe(true);
    expect(isAllowedSenderUrl('app://clinic-desk/patients/42?tab=visits#top', APP_INDEX_URL)).toBe(true);
    expect(isAllowedSenderUrl('http://localhost:5173/agenda', DEV_URL)).toBe(true);
  });

  it('rejects every other page', () => {
    for (const url of [
      'app://evil/index.html',
      'app://clinic-desk.evil.example/index.html',
      'https://clinic-desk/index.html',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'about:blank',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      '',
      'not a url',
    ]) {
      expect(isAllowedSenderUrl(url, APP_INDEX_URL), url).toBe(false);
    }
    expect(isAllowedSenderUrl(null, APP_INDEX_URL)).toBe(false);
    expect(isAllowedSenderUrl('http://localhost:5174/', DEV_URL)).toBe(false);
    expect(isAllowedSenderUrl('http://127.0.0.1:5173/', DEV_URL)).toBe(false);
    expect(isAllowedSenderUrl('https://localhost:5173/', DEV_URL)).toBe(false);
    expect(isAllowedSenderUrl('http://user:pw@localhost:5173/', DEV_URL)).toBe(false);
    expect(isAllowedSenderUrl('file:///other/index.html', 'file:///app/out/renderer/index.html')).toBe(false);
  });
});

/** Records what hardenWebContents registers on Electron's WebContents. */
function fakeContents() {
  const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(name: string, listener: (event: { url?: string; preventDefault(): void }) => void) {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    const listener = listeners.get(name);
    if (!listener) throw new Error(`no ${name} listener`);
    listener({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return {
    contents: contents as unknown as WebContents,
    fire,
    open: (url: string) => openHandler!({ url }),
    registered: () => [...listeners.keys()].sort(),
  };
}

describe('web contents hardening', () => {
  it('denies navigation away from the app, in any frame and by redirect', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, APP_INDEX_URL);
    expect(fake.registered()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fake.fire(event, 'https://evil.example/'), event).toBe(true);
      expect(fake.fire(event, 'file:///etc/passwd'), event).toBe(true);
      expect(fake.fire(event, 'app://clinic-desk/index.html'), event).toBe(false);
    }
  });

  it('denies <webview> and every new window; https links may go to the system browser', () => {
    const opened: string[] = [];
    const fake = fakeContents();
    hardenWebContents(fake.contents, APP_INDEX_URL, { openExternal: (url) => opened.push(url) });
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.open('https://example.org/help')).toEqual({ action: 'deny' });
    expect(fake.open('app://clinic-desk/index.html')).toEqual({ action: 'deny' });
    expect(fake.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(fake.open('http://example.org/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/help']);
  });
});

describe('session hardening', () => {
  function fakeSession() {
    const recorded: {
      request?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
      check?: (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
      headers?: (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;
    } = {};
    const session = {
      setPermissionRequestHandler: (h: typeof recorded.request) => (recorded.request = h),
      setPermissionCheckHandler: (h: typeof recorded.check) => (recorded.check = h),
      webRequest: { onHeadersReceived: (h: typeof recorded.headers) => (recorded.headers = h) },
    };
    return { session: session as unknown as Session, recorded };
  }

  it('denies every permission request and check', () => {
    const { session, recorded } = fakeSession();
    hardenSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const granted: boolean[] = [];
      recorded.request!({}, permission, (g) => granted.push(g), {});
      expect(granted, permission).toEqual([false]);
      expect(recorded.check!({}, permission, 'app://clinic-desk', {}), permission).toBe(false);
    }
    expect(recorded.headers).toBeUndefined();
  });

  it('adds the CSP header to responses when asked', () => {
    const { session, recorded } = fakeSession();
    hardenSession(session, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
    let out: Record<string, string[]> | undefined;
    recorded.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('app:// protocol handler', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clinic-desk-renderer-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Clinic Desk</title>');
  writeFileSync(path.join(dir, 'assets', 'index.js'), 'console.log(1)');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves only files inside the renderer folder', () => {
    expect(resolveRendererFile(dir, 'app://clinic-desk/assets/index.js')).toBe(path.join(dir, 'assets', 'index.js'));
    expect(resolveRendererFile(dir, 'app://clinic-desk/')).toBe(path.join(dir, 'index.html'));
    expect(resolveRendererFile(dir, 'app://clinic-desk/patients/42')).toBe(path.join(dir, 'index.html'));
    // The URL parser folds dot segments itself: this one cannot leave the folder either.
    expect(resolveRendererFile(dir, 'app://clinic-desk/%2e%2e/%2e%2e/etc/passwd.txt')).toBe(path.join(dir, 'etc', 'passwd.txt'));
    expect(resolveRendererFile(dir, 'app://clinic-desk/..%2f..%2fsecret.txt')).toBeNull();
    expect(resolveRendererFile(dir, 'app://clinic-desk/a%5c..%5c..%5csecret.txt')).toBeNull();
    expect(resolveRendererFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveRendererFile(dir, 'https://clinic-desk/index.html')).toBeNull();
  });

  it('answers with the CSP header and the right content type', async () => {
    const handle = createRendererHandler(dir);
    const page = await handle({ url: 'app://clinic-desk/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const script = await handle({ url: 'app://clinic-desk/assets/index.js' });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toBe('console.log(1)');
    expect((await handle({ url: 'app://clinic-desk/assets/missing.js' })).status).toBe(404);
    expect((await handle({ url: 'app://clinic-desk/../../etc/passwd.txt' })).status).not.toBe(200);
  });
});

describe('preload bridge', () => {
  beforeEach(() => {
    fakeElectron.exposeInMainWorld.mockClear();
    fakeElectron.ipcRendererInvoke.mockReset();
  });

  it('exposes exactly one global, clinicDesk, with only invoke, onChange and savePdf', async () => {
    fakeElectron.ipcRendererInvoke.mockResolvedValue({ ok: true, data: { needsSetup: false } });
    await import('../../src-main/electron/preload.js');
    expect(fakeElectron.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = fakeElectron.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(key).toBe('clinicDesk');
    expect(Object.keys(api)).toEqual(['invoke', 'onChange', 'savePdf']);
    expect(Object.isFrozen(api)).toBe(true);
    const bridge = api as unknown as { invoke(name: string, input: unknown): Promise<unknown>; onChange(l: (n: unknown) => void): () => void };
    await expect(bridge.invoke('setup/status', {})).resolves.toEqual({ ok: true, data: { needsSetup: false } });
    expect(fakeElectron.ipcRendererInvoke).toHaveBeenCalledWith(INVOKE_CHANNEL, 'setup/status', {});

    // onChange listens on the change channel only; the IPC event object never reaches the page.
    const seen: unknown[] = [];
    const off = bridge.onChange((n) => seen.push(n));
    expect(fakeElectron.ipcRendererOn).toHaveBeenCalledTimes(1);
    const [channel, listener] = fakeElectron.ipcRendererOn.mock.calls[0] as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe(CHANGE_CHANNEL);
    listener({ sender: { secret: 'ipc internals' }, ports: [] }, [{ entity: 'appointment', id: 'a1', op: 'upsert' }]);
    expect(seen).toEqual([[{ entity: 'appointment', id: 'a1', op: 'upsert' }]]);
    off();
    expect(fakeElectron.ipcRendererRemoveListener).toHaveBeenCalledWith(CHANGE_CHANNEL, listener);
  });

  it('savePdf sends only a safe file name on its own channel, and a broken channel comes back as a plain failure', async () => {
    const sent: unknown[][] = [];
    const bridge = createBridge(async (...args) => {
      sent.push(args);
      return { ok: true, data: { saved: true } };
    });
    await expect(bridge.savePdf('Day sheet 2026-06-02 Dr Zoë Núñez')).resolves.toEqual({ ok: true, data: { saved: true } });
    await bridge.savePdf('../../etc/passwd');
    await bridge.savePdf('C:\\Windows\\x.PDF');
    await bridge.savePdf('a\u0000b\nc<script>\ud800');
    await bridge.savePdf('x'.repeat(500));
    await bridge.savePdf(42 as unknown as string);
    expect(sent.map((s) => s[0])).toEqual(Array(6).fill(SAVE_PDF_CHANNEL));
    expect(sent.map((s) => s[1])).toEqual(['Day sheet 2026-06-02 Dr Zoë Núñez.pdf', 'etc-passwd.pdf', 'C-Windows-x.pdf', 'a-b-c-script.pdf', `${'x'.repeat(80)}.pdf`, 'Clinic Desk.pdf']);
    expect(pdfFileName('...')).toBe('Clinic Desk.pdf');
    const broken = createBridge(() => Promise.reject(new Error('closed')));
    await expect(broken.savePdf('x')).resolves.toMatchObject({ ok: false, error: { code: 'ipc/failed' } });
  });

  it('onChange passes only contract-typed notices: ids, never extra fields or malformed entries', () => {
    let deliver: (payload: unknown) => void = () => {};
    const bridge = createBridge(vi.fn(), undefined, (_channel, handler) => {
      deliver = handler;
      return () => {};
    });
    const seen: unknown[] = [];
    bridge.onChange((n) => seen.push(n));
    deliver([
      { entity: 'patient', id: 'p1', op: 'upsert', refs: { patientId: 'p1', doctorId: 42, name: 'Ada' }, record: { givenName: 'Ada' }, name: 'Ada' },
      { entity: 'not-an-entity', id: 'x', op: 'upsert' },
      { entity: 'appointment', id: '', op: 'upsert' },
      { entity: 'appointment', id: 'a'.repeat(500), op: 'upsert' },
      { entity: 'hold', id: 'h1', op: 'drop table' },
      null,
      'text',
    ]);
    deliver('not an array');
    deliver({ entity: 'patient', id: 'p2', op: 'upsert' });
    expect(seen).toEqual([
      [
        { entity: 'patient', id: 'p1', op: 'upsert', refs: { patientId: 'p1' } },
        { entity: 'hold', id: 'h1', op: 'upsert' },
      ],
    ]);
    expect(JSON.stringify(seen)).not.toContain('Ada');
  });

  it('refuses a name that is not in the contract without calling main', async () => {
    const ipc = vi.fn();
    const bridge = createBridge(ipc);
    for (const name of ['fs/read-file', '__proto__', 'constructor', 'setup/status/../x', '']) {
      const result = await bridge.invoke(name, {});
      expect(result, name).toMatchObject({ ok: false, error: { code: 'rpc/unknown-handler' } });
    }
    expect(await bridge.invoke(42 as unknown as string, {})).toMatchObject({ ok: false });
    expect(ipc).not.toHaveBeenCalled();
    expect(handlerNames.length).toBeGreaterThan(0);
  });

  it('turns a broken IPC channel into an error result, never a throw', async () => {
    const bridge = createBridge(() => Promise.reject(new Error('Error invoking remote method')));
    await expect(bridge.invoke('setup/status', {})).resolves.toMatchObject({ ok: false, error: { code: 'ipc/failed' } });
  });
});

describe('main-process invoke handler', () => {
  const okOutcome = (data: unknown, session?: DispatchOutcome['session']): DispatchOutcome => ({
    result: { ok: true, data },
    status: 200,
    session,
  });
  const appSender = { contentsId: 1, frameUrl: APP_INDEX_URL, isMainFrame: true };

  it('keeps the session token in main, per window', async () => {
    const calls: Array<{ name: string; token: string | null | undefined }> = [];
    const dispatch: DispatchFn = async (name, _input, caller) => {
      calls.push({ name, token: caller?.sessionToken });
      if (name === 'auth/login') return okOutcome({ staff: { username: 'reception' } }, { set: 'secret-token' });
      if (name === 'auth/logout') return okOutcome({ ok: true }, { clear: true });
      return okOutcome({});
    };
    const handler = createInvokeHandler({ dispatch, isAllowedSender: (url) => isAllowedSenderUrl(url, APP_INDEX_URL) });
    const login = await handler.invoke(appSender, 'auth/login', { username: 'reception', password: 'x' });
    expect(JSON.stringify(login)).not.toContain('secret-token');
    expect(handler.hasSession(1)).toBe(true);
    await handler.invoke(appSender, 'auth/session', {});
    await handler.invoke({ ...appSender, contentsId: 2 }, 'auth/session', {});
    await handler.invoke(appSender, 'auth/logout', {});
    await handler.invoke(appSender, 'auth/session', {});
    expect(calls.map((c) => c.token)).toEqual([null, 'secret-token', null, 'secret-token', null]);
    expect(handler.hasSession(1)).toBe(false);
  });

  it('refuses other pages, sub-frames and unknown names, and never throws', async () => {
    const dispatch = vi.fn<DispatchFn>(async () => {
      throw new Error('boom');
    });
    const handler = createInvokeHandler({
      dispatch,
      isAllowedSender: (url) => isAllowedSenderUrl(url, APP_INDEX_URL),
      log: () => {},
    });
    const refused = { ok: false, error: { code: 'ipc/forbidden-sender' } };
    expect(await handler.invoke({ ...appSender, frameUrl: 'https://evil.example/' }, 'auth/session', {})).toMatchObject(refused);
    expect(await handler.invoke({ ...appSender, isMainFrame: false }, 'auth/session', {})).toMatchObject(refused);
    expect(await handler.invoke({ ...appSender, frameUrl: null }, 'auth/session', {})).toMatchObject(refused);
    expect(await handler.invoke(appSender, 'no/such', {})).toMatchObject({ ok: false, error: { code: 'rpc/unknown-handler' } });
    expect(await handler.invoke(appSender, { toString: () => 'auth/session' }, {})).toMatchObject({ ok: false });
    expect(dispatch).not.toHaveBeenCalled();
    expect(await handler.invoke(appSender, 'auth/session', {})).toMatchObject({ ok: false, error: { code: 'internal/error' } });
  });

  it('is registered on the one channel and checks the sending frame', async () => {
    fakeElectron.ipcMainHandle.mockClear();
    const { registerIpc } = await import('../../src-main/electron/ipc.js');
    const dispatch = vi.fn<DispatchFn>(async () => okOutcome({ fine: true }));
    registerIpc(dispatch, APP_INDEX_URL);
    expect(fakeElectron.ipcMainHandle).toHaveBeenCalledTimes(1);
    const [channel, listener] = fakeElectron.ipcMainHandle.mock.calls[0] as [
      string,
      (event: unknown, name: unknown, input: unknown) => Promise<unknown>,
    ];
    expect(channel).toBe(INVOKE_CHANNEL);
    const event = (url: string, parent: unknown = null) => ({
      sender: { id: 7, once: vi.fn() },
      senderFrame: { url, parent },
    });
    await expect(listener(event(APP_INDEX_URL), 'auth/session', {})).resolves.toEqual({ ok: true, data: { fine: true } });
    await expect(listener(event('https://evil.example/'), 'auth/session', {})).resolves.toMatchObject({ ok: false });
    await expect(listener(event(APP_INDEX_URL, { url: APP_INDEX_URL }), 'auth/session', {})).resolves.toMatchObject({
      ok: false,
    });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });
});

describe('data directory', () => {
  it('comes from CLINIC_DESK_DATA_DIR, else the prefs, else userData/data', () => {
    expect(chooseDataDir({ env: '/srv/clinic', prefs: '/home/a/clinic', userData: '/home/a/.config/Clinic Desk' })).toBe(
      path.resolve('/srv/clinic'),
    );
    expect(chooseDataDir({ env: '  ', prefs: '/home/a/clinic', userData: '/u' })).toBe(path.resolve('/home/a/clinic'));
    expect(chooseDataDir({ userData: '/u' })).toBe(path.resolve('/u/data'));
  });
});

describe('start-up errors', () => {
  it('name the real problem when the SQLite addon is built for another runtime or missing', async () => {
    const { DatabaseIntegrityError } = await import('../../src-main/core/db/database.js');
    const { describeStartupError } = await import('../../src-main/electron/startup.js');
    const abi = new DatabaseIntegrityError('/d/clinic-desk.sqlite', [
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.",
    ]);
    expect(describeStartupError(abi).title).toMatch(/database engine/);
    const missing = new DatabaseIntegrityError('/d/clinic-desk.sqlite', ["Cannot find module '/nope/better_sqlite3.node'"]);
    expect(describeStartupError(missing).title).toMatch(/database engine/);
    const damaged = new DatabaseIntegrityError('/d/clinic-desk.sqlite', ['file is not a database']);
    expect(describeStartupError(damaged).title).toBe('The clinic database could not be opened');
  });
});
