import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../util/hash.js';
import type { StaffInfo } from '../../contract/common.js';

interface StaffSession {
  staff: StaffInfo;
  lastSeenMs: number;
  locked: boolean;
}

const hash = sha256Hex;

/**
 * Staff sessions live in the process's memory: a restart signs everyone out. A session
 * idle for longer than the clinic's lock timeout becomes locked: only unlock (with the
 * same password), logout and session queries get through until then.
 */
export class SessionStore {
  private readonly sessions = new Map<string, StaffSession>();

  create(staff: StaffInfo, nowMs: number): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(hash(token), { staff, lastSeenMs: nowMs, locked: false });
    return token;
  }

  /** The session for a token, locking it first when it has been idle too long. */
  resolve(token: string, nowMs: number, lockMinutes: number): { staff: StaffInfo; locked: boolean } | null {
    const session = this.sessions.get(hash(token));
    if (!session) return null;
    if (!session.locked && nowMs - session.lastSeenMs > lockMinutes * 60_000) session.locked = true;
    return { staff: session.staff, locked: session.locked };
  }

  touch(token: string, nowMs: number): void {
    const session = this.sessions.get(hash(token));
    if (session && !session.locked) session.lastSeenMs = nowMs;
  }

  lock(token: string): void {
    const session = this.sessions.get(hash(token));
    if (session) session.locked = true;
  }

  unlock(token: string, nowMs: number): void {
    const session = this.sessions.get(hash(token));
    if (session) {
      session.locked = false;
      session.lastSeenMs = nowMs;
    }
  }

  end(token: string): void {
    this.sessions.delete(hash(token));
  }

  /** Signs out every session of one staff member (account disabled, password changed). */
  endAllFor(staffId: string): void {
    for (const [key, session] of this.sessions) if (session.staff.id === staffId) this.sessions.delete(key);
  }
}
