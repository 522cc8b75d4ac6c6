/**
 * One open app for a whole scenario, with a signed-in staff caller.
 *
 * Scenarios that keep one app open for all their iterations sign in once, through the
 * app's own dispatcher ('auth/login': scrypt check, staff row update, audit row), before
 * anything is timed; every timed call then carries that session token exactly as the
 * renderer would. The app's clock is fixed at the fixture's "now", so the session never
 * idles into the lock and every run sees the same "today".
 */
import { openApp, type App } from '../../src-main/app.js';
import type { Clock } from '../../src-main/core/context.js';
import type { Caller } from '../../src-main/dispatch.js';
import type { Fixture } from './fixtures.js';

export interface OpenedApp {
  app: App;
  caller: Caller;
  clock: Clock;
  nowMs: number;
}

export async function openSignedIn(fixture: Fixture, dataDir: string, log: (line: string) => void): Promise<OpenedApp> {
  const nowMs = Date.parse(fixture.now);
  const clock: Clock = { now: () => new Date(nowMs) };
  // Background consumers stay off: scenarios measure the request path, and the baselines use
  // raw BEGIN on the same connection, which the runner's own transactions would interleave with.
  const app = await openApp({ dataDir, lock: true, clock, log, backgroundWork: false });
  try {
    const { username, password } = fixture.staff;
    const out = await app.dispatch('auth/login', { username, password }, {});
    if (!out.result.ok || !out.session?.set) {
      throw new Error(`bench: staff login failed: ${out.result.ok ? 'no session' : `${out.result.error.code} ${out.result.error.message}`}`);
    }
    return { app, caller: { sessionToken: out.session.set }, clock, nowMs };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** The data of a successful dispatch, or an error naming the handler and the failure. */
export function okData<T>(name: string, out: Awaited<ReturnType<App['dispatch']>>): T {
  if (!out.result.ok) {
    const { code, message, fieldErrors } = out.result.error;
    throw new Error(`${name} failed: ${code} ${message}${fieldErrors ? ` ${JSON.stringify(fieldErrors)}` : ''}`);
  }
  return out.result.data as T;
}
