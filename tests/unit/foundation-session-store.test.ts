import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src-main/core/staff/session-store.js';

const alice = { id: 's-1', epoch: 0 };
const bob = { id: 's-2', epoch: 3 };
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_000_000;

const locked = (store: SessionStore, token: string, now: number, lockMinutes: number) => {
  const s = store.resolve(token, now, lockMinutes);
  return s.kind === 'live' ? s.locked : s.kind;
};

describe('SessionStore', () => {
  it('creates unguessable, distinct tokens that name their staff member and epoch, never a role', () => {
    const store = new SessionStore();
    const a = store.create(alice, T0);
    const b = store.create(bob, T0);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(store.resolve(a, T0, 10)).toEqual({ kind: 'live', staffId: 's-1', epoch: 0, locked: false });
    expect(store.resolve(b, T0, 10)).toEqual({ kind: 'live', staffId: 's-2', epoch: 3, locked: false });
    expect(store.resolve('forged', T0, 10)).toEqual({ kind: 'none' });
  });

  it('locks a session idle for longer than lockMinutes, not at exactly lockMinutes', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    expect(locked(store, t, T0 + 10 * MIN, 10)).toBe(false);
    expect(locked(store, t, T0 + 10 * MIN + 1, 10)).toBe(true);
  });

  it('stays locked once locked, even if the clock or the timeout changes', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.resolve(t, T0 + 11 * MIN, 10);
    expect(locked(store, t, T0 + 11 * MIN, 60)).toBe(true);
    store.touch(t, T0 + 12 * MIN);
    expect(locked(store, t, T0 + 12 * MIN, 60)).toBe(true);
  });

  it('touch() moves the inactivity window forward', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.touch(t, T0 + 9 * MIN);
    expect(locked(store, t, T0 + 18 * MIN, 10)).toBe(false);
    expect(locked(store, t, T0 + 19 * MIN + 1, 10)).toBe(true);
  });

  it('lock() locks at once and unlock() restarts the window', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    store.lock(t);
    expect(locked(store, t, T0, 10)).toBe(true);
    store.unlock(t, T0 + 30 * MIN);
    expect(locked(store, t, T0 + 40 * MIN, 10)).toBe(false);
  });

  it('ends a session maxHours after sign-in however busy, and says so from then on', () => {
    const store = new SessionStore();
    const t = store.create(alice, T0);
    for (let at = T0; at < T0 + 12 * HOUR; at += 5 * MIN) store.touch(t, at);
    expect(store.resolve(t, T0 + 12 * HOUR - 1, 10, 12).kind).toBe('live');
    const ended = store.resolve(t, T0 + 12 * HOUR, 10, 12);
    expect(ended).toEqual({ kind: 'ended', reason: expect.stringMatching(/at most 12 hours/) });
    // Unlock cannot revive it, and a longer lifetime set later does not either.
    store.unlock(t, T0 + 12 * HOUR);
    expect(store.resolve(t, T0 + 12 * HOUR, 10, 24).kind).toBe('ended');
  });

  it('end() forgets one session; endOthersOf() ends every session of one person but the one kept', () => {
    const store = new SessionStore();
    const a1 = store.create(alice, T0);
    const a2 = store.create(alice, T0);
    const a3 = store.create(alice, T0);
    const b = store.create(bob, T0);
    store.end(a1);
    expect(store.resolve(a1, T0, 10).kind).toBe('none');
    store.endOthersOf(alice.id, 'Your password was changed.', a3);
    expect(store.resolve(a2, T0, 10)).toEqual({ kind: 'ended', reason: 'Your password was changed.' });
    expect(store.resolve(a3, T0, 10).kind).toBe('live');
    expect(store.resolve(b, T0, 10).kind).toBe('live');
    store.refuse(a3, 'Deactivated.');
    expect(store.resolve(a3, T0, 10)).toEqual({ kind: 'ended', reason: 'Deactivated.' });
  });

  it('forgets sessions a day past their lifetime when new ones are made', () => {
    const store = new SessionStore();
    store.create(alice, T0);
    store.create(bob, T0);
    store.create(alice, T0 + 36 * HOUR - 1, 12);
    expect(store.size).toBe(3);
    store.create(alice, T0 + 36 * HOUR + 1, 12);
    expect(store.size).toBe(2);
  });
});
