import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, CONTENT_SECURITY_POLICY } from '../../src-main/http/server.js';
import { openTestApp, type TestApp } from '../helpers/test-app.js';

/** Web mode serves the patient booking page at /book from its own HTML, and pre-compressed assets. */
let app: TestApp;
let server: FastifyInstance;
let base: string;
let dir: string;
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-desk-static-'));
  mkdirSync(path.join(dir, 'book'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>staff</title>');
  writeFileSync(path.join(dir, 'book', 'index.html'), '<!doctype html><title>patient booking page</title>');
  writeFileSync(path.join(dir, 'assets', 'book-1.js'), script);
  writeFileSync(path.join(dir, 'assets', 'book-1.js.br'), brotliCompressSync(script));
  writeFileSync(path.join(dir, 'assets', 'plain-1.js'), script);
  app = await openTestApp();
  server = await buildServer(app, { staticDir: dir });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await server.close();
  await app.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the /book page in web mode', () => {
  it('answers /book and /book/ with the booking page at once (no redirect: a round trip less on a slow phone), with the CSP', async () => {
    for (const url of ['/book', '/book/', '/book?kiosk=1']) {
      const res = await fetch(`${base}${url}`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('patient booking page');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    const staff = await fetch(`${base}/somewhere`);
    expect(await staff.text()).toContain('staff');
  });

  it('sends the .br beside a script to a browser that accepts it, and the plain file otherwise', async () => {
    const br = await fetch(`${base}/assets/book-1.js`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(script); // fetch decompresses it
    const identity = await fetch(`${base}/assets/book-1.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(await identity.text()).toBe(script);
    // No pre-compressed copy: the plain file, whatever the browser accepts.
    const plain = await fetch(`${base}/assets/plain-1.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(script);
  });
});
