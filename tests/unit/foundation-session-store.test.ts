import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src-main/core/staff/session-store.js';
import type { StaffInfo } from '../../src-main/contract/index.js';

const alice: StaffInfo = { id: 's-1', username: 'alice', displayName: 'Alice', role: 'admin' };
const bob: StaffInfo = { id: 's-2', username: 'bob', displayName: 'Bob', role: 'receptionist' };
const MIN = 60_000;
const T0 = 1_000_000;

describe('SessionStore', () => {
  it('creates unguessable, distinct tokens that resolve to their staff member', () => {
    const store = new SessionStore();
    const a = store.create(alice, T0);
    const b = store.create(bob, T0);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(store.resolve(a, T0, 10)).toEqual({ staff: alice, locked: false });
    expect(store.resolve(b, T0, 10)).toEqual({ staff: bob, locked: false });
    expect(store.resolve('forged', T0, 10)).toBeNull();
  });

  it('locks a session idle for longer than lockMinutes, not at exactly lockMinutes', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    expect(store.resolve(t, T0 + 10 * MIN, 10)?.locked).toBe(false);
    expect(store.resolve(t, T0 + 10 * MIN + 1, 10)?.locked).toBe(true);
  });

  it('stays locked once locked, even if the clock or the timeout changes', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.resolve(t, T0 + 11 * MIN, 10);
    expect(store.resolve(t, T0 + 11 * MIN, 60)?.locked).toBe(true);
    store.touch(t, T0 + 12 * MIN);
    expect(store.resolve(t, T0 + 12 * MIN, 60)?.locked).toBe(true);
  });

  it('touch() moves the inactivity window forward', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.touch(t, T0 + 9 * MIN);
    expect(store.resolve(t, T0 + 18 * MIN, 10)?.locked).toBe(false);
    expect(store.resolve(t, T0 + 19 * MIN + 1, 10)?.locked).toBe(true);
  });

  it('lock() locks at once and unlock() restarts the window', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.lock(t);
    expect(store.resolve(t, T0, 10)?.locked).toBe(true);
    store.unlock(t, T0 + 30 * MIN);
    expect(store.resolve(t, T0 + 40 * MIN, 10)?.locked).toBe(false);
  });

  it('end() forgets one session; endAllFor() forgets every session of one person', () => {
    const store = new SessionStore();
    const a1 = store.create(alice, T0);
    const a2 = store.create(alice, T0);
    const b = store.create(bob, T0);
    store.end(a1);
    expect(store.resolve(a1, T0, 10)).toBeNull();
    expect(store.resolve(a2, T0, 10)).not.toBeNull();
    store.endAllFor(alice.id);
    expect(store.resolve(a2, T0, 10)).toBeNull();
    expect(store.resolve(b, T0, 10)?.staff).toEqual(bob);
  });
});
