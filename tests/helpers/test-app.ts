import { expect } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import type { AppError, HandlerName, OutputOf } from '../../src-main/contract/index.js';
import type { DispatchOutcome } from '../../src-main/dispatch.js';
import type { AuditLogTable } from '../../src-main/core/db/schema.js';
import { FakeClock } from './fake-clock.js';
import { removeDir, tempDataDir } from './temp-dir.js';

export interface TestApp extends App {
  clock: FakeClock;
  /** Closes the app and deletes its data directory. */
  dispose(): Promise<void>;
}

/** A real app over a real SQLite file in a new temp directory, with a fake clock. */
export async function openTestApp(
  options: { clock?: FakeClock; dataDir?: string; busyTimeoutMs?: number; refusalFlushMs?: number; log?: (line: string) => void; backgroundWork?: boolean; env?: Record<string, string | undefined>; smtpTimeoutMs?: number } = {},
): Promise<TestApp> {
  const clock = options.clock ?? new FakeClock();
  const dataDir = options.dataDir ?? tempDataDir();
  // Background work stays off unless a test asks: tests drive the runner with runOnce().
  const app = await openApp({ dataDir, clock, log: options.log ?? (() => {}), busyTimeoutMs: options.busyTimeoutMs, refusalFlushMs: options.refusalFlushMs, backgroundWork: options.backgroundWork ?? false, env: options.env ?? {}, smtpTimeoutMs: options.smtpTimeoutMs });
  return Object.assign(app, {
    clock,
    async dispose() {
      await app.close();
      removeDir(dataDir);
    },
  });
}

/** Calls the real dispatcher, optionally with a staff session token. */
export function call(app: App, name: string, input: unknown = {}, token?: string | null): Promise<DispatchOutcome> {
  return app.dispatch(name, input, { sessionToken: token ?? null });
}

/** Calls a handler and asserts it succeeds; returns its data. */
export async function callOk<K extends HandlerName>(app: App, name: K, input: unknown = {}, token?: string | null): Promise<OutputOf<K>> {
  const outcome = await call(app, name, input, token);
  if (!outcome.result.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.result.error)}`);
  return outcome.result.data as OutputOf<K>;
}

/** Calls a handler and asserts it fails with `code`; returns the error. */
export async function callErr(app: App, name: string, input: unknown, token: string | null | undefined, code: string): Promise<AppError> {
  const outcome = await call(app, name, input, token);
  expect(outcome.result.ok).toBe(false);
  if (outcome.result.ok) throw new Error('unreachable');
  expect(outcome.result.error.code).toBe(code);
  return outcome.result.error;
}

/** Signs a staff member in through the dispatcher; returns the session token. */
export async function loginAs(app: App, username: string, password: string): Promise<string> {
  const outcome = await call(app, 'auth/login', { username, password });
  if (!outcome.result.ok) throw new Error(`login as ${username} failed: ${outcome.result.error.code}`);
  const token = outcome.session?.set;
  if (!token) throw new Error('login did not set a session');
  return token;
}

export const DEMO = {
  admin: { username: 'admin', password: 'demo-admin-2026' },
  reception: { username: 'reception', password: 'demo-desk-2026' },
} as const;

/** A test app holding the demo clinic (loaded through the dispatcher, as the first-run screen does). */
export async function demoApp(options: { clock?: FakeClock; refusalFlushMs?: number; env?: Record<string, string | undefined> } = {}): Promise<TestApp> {
  const app = await openTestApp(options);
  await callOk(app, 'setup/load-demo', {});
  return app;
}

export type AuditRow = AuditLogTable & { seq: number };

/** Every audit row, oldest first. */
export function auditRows(app: App): AuditRow[] {
  return app.raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
}

/** Audit rows written after `afterSeq`. */
export function auditRowsAfter(app: App, afterSeq: number): AuditRow[] {
  return app.raw.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(afterSeq) as AuditRow[];
}

export function lastAuditSeq(app: App): number {
  return (app.raw.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
}

export function count(app: App, table: string): number {
  return (app.raw.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

/** Row counts of every table of the clinic schema, to show that a call wrote nothing. */
export function tableCounts(app: App): Record<string, number> {
  const tables = app.raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  return Object.fromEntries(tables.map((t) => [t.name, count(app, t.name)]));
}
