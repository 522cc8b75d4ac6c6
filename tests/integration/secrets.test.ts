import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecret } from '../../src-main/core/secrets/secrets.service.js';
import { aesBox, KEY_FILE_NAME } from '../../src-main/core/secrets/secret-box.js';
import { call, callErr, callOk, DEMO, demoApp, loginAs, openTestApp, type TestApp } from '../helpers/test-app.js';
import { tempDataDir } from '../helpers/temp-dir.js';

const KEY = 'sk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789secretTail4242';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

/** Every place a value could leak to: the database file (all tables), the WAL, audit rows, change envelopes. */
function everythingWritten(a: TestApp): string {
  a.raw.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(a.dbFile).toString('latin1');
}

describe('secrets', () => {
  it('are sealed, never returned, never audited or sent as changes; the hint shows the last four characters', async () => {
    app = await demoApp();
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const status = await callOk(app, 'secrets/set', { name: 'stripe.secretKey', value: KEY }, admin);
    expect(status).toMatchObject({ name: 'stripe.secretKey', set: true, hint: '…4242', source: 'stored' });
    expect(JSON.stringify(status)).not.toContain('secretTail');
    const all = await callOk(app, 'secrets/status', {}, admin);
    expect(all.storage).toBe('key-file');
    expect(JSON.stringify(all)).not.toContain('secretTail');
    expect(everythingWritten(app)).not.toContain('secretTail');
    const audit = app.raw.prepare("SELECT * FROM audit_log WHERE handler = 'secrets/set'").all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('secretTail');
    expect(app.raw.prepare("SELECT count(*) AS n FROM event WHERE entity_id = 'stripe.secretKey'").get()).toEqual({ n: 0 });
    // The provider adapters read it back in the main process.
    expect(await readSecret(app.secrets, 'stripe.secretKey')).toBe(KEY);
    // Cleared.
    expect(await callOk(app, 'secrets/set', { name: 'stripe.secretKey', value: null }, admin)).toMatchObject({ set: false, hint: '' });
    expect(await readSecret(app.secrets, 'stripe.secretKey')).toBeNull();
  });

  it('refuses bad values without echoing them, and receptionists altogether', async () => {
    app = await demoApp();
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const err = await callErr(app, 'secrets/set', { name: 'smtp.password', value: 'pass\nword-secretTail' }, admin, 'validation/invalid-input');
    expect(err.fieldErrors?.value?.[0]).toMatch(/one line/);
    expect(JSON.stringify(err)).not.toContain('secretTail');
    const long = await callErr(app, 'secrets/set', { name: 'smtp.password', value: `secretTail${'x'.repeat(600)}` }, admin, 'validation/invalid-input');
    expect(JSON.stringify(long)).not.toContain('secretTail');
    expect(everythingWritten(app)).not.toContain('secretTail');
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await callErr(app, 'secrets/set', { name: 'smtp.password', value: 'whatever-1234' }, desk, 'auth/forbidden');
    await callErr(app, 'secrets/status', {}, desk, 'auth/forbidden');
    expect((await call(app, 'secrets/set', { name: 'smtp.password', value: 'whatever-1234' })).result.ok).toBe(false);
    expect(app.raw.prepare('SELECT count(*) AS n FROM secret').get()).toEqual({ n: 0 });
  });

  it('takes the environment over a stored value, and says so', async () => {
    app = await demoApp({ env: { STRIPE_SECRET_KEY: 'sk_test_from_env_9876' } });
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    await callOk(app, 'secrets/set', { name: 'stripe.secretKey', value: KEY }, admin);
    const status = await callOk(app, 'secrets/status', {}, admin);
    expect(status.secrets.find((s) => s.name === 'stripe.secretKey')).toMatchObject({ source: 'environment', hint: '…9876' });
    expect(await readSecret(app.secrets, 'stripe.secretKey')).toBe('sk_test_from_env_9876');
  });

  it('keeps the key file readable by its owner only, and refuses one others may read (the desk still starts)', async () => {
    const dataDir = tempDataDir();
    app = await openTestApp({ dataDir });
    const keyFile = path.join(dataDir, KEY_FILE_NAME);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await app.close(); // keeps the directory
    chmodSync(keyFile, 0o644);
    const lines: string[] = [];
    app = await openTestApp({ dataDir, log: (l) => lines.push(l) });
    expect(app.notices.join(' ')).toMatch(/chmod 600/);
    expect(lines.join(' ')).toMatch(/may be read by other users/);
    expect(app.secrets.box).toBeUndefined();
  });

  it('seals with AES-256-GCM: a changed byte or another key cannot open it', () => {
    const box = aesBox(Buffer.alloc(32, 7));
    const sealed = box.seal('hello-secret');
    expect(box.open(sealed)).toBe('hello-secret');
    const tampered = Buffer.from(sealed);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(() => box.open(tampered)).toThrow(/cannot be opened/);
    expect(() => aesBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(/cannot be opened/);
  });
});
