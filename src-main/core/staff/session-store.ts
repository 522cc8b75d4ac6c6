import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../util/hash.js';

interface StaffSession {
  staffId: string;
  /** A random id for this desk's session that survives a token renewal (holds belong to it). */
  sid: string;
  /** The account's session epoch when this session began (see migration 0007). */
  epoch: number;
  createdMs: number;
  lastSeenMs: number;
  locked: boolean;
  /** Set once the session was refused for good: why, in words for the person at the desk. */
  endedReason: string | null;
}

/** What a token stands for. Who the staff member is (role, active) is read afresh by the caller. */
export type SessionLookup =
  | { kind: 'none' }
  | { kind: 'ended'; reason: string }
  | { kind: 'live'; staffId: string; epoch: number; locked: boolean };

const hash = sha256Hex;
const HOUR_MS = 3_600_000;
/** An ended session is remembered this long, so every open screen learns why it was signed out. */
const ENDED_KEPT_MS = 24 * HOUR_MS;

/** What a refused staff session is told, in words for the person at the desk. */
export const endedReasons = {
  deactivated: 'This account has been deactivated, so it was signed out. Ask an administrator if you need access.',
  changed: 'You were signed out because your password, role or account was changed. Please sign in again.',
  passwordChanged: 'You were signed out because your password was changed. Please sign in again.',
  passwordReset: 'You were signed out because an administrator reset your password. Please sign in again.',
  roleChanged: (role: string) => `You were signed out because your role was changed to ${role}. Please sign in again.`,
} as const;

export const lifetimeEndedReason = (hours: number): string =>
  `You were signed out because a session lasts at most ${hours} hour${hours === 1 ? '' : 's'}. Please sign in again.`;

/**
 * Staff sessions live in the process's memory: a restart signs everyone out. A session
 * holds only who signed in and when, never their role: the dispatcher reads the account on
 * every request. A session idle for longer than the clinic's lock timeout becomes locked
 * (only unlock, logout and session queries get through); a session older than the clinic's
 * absolute lifetime ends, whatever its use.
 */
export class SessionStore {
  private readonly sessions = new Map<string, StaffSession>();

  create(staff: { id: string; epoch: number }, nowMs: number, maxHours = 24, carry?: { sid: string; createdMs: number }): string {
    this.sweep(nowMs, maxHours);
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(hash(token), {
      staffId: staff.id,
      sid: carry?.sid ?? randomBytes(16).toString('hex'),
      epoch: staff.epoch,
      createdMs: carry?.createdMs ?? nowMs,
      lastSeenMs: nowMs,
      locked: false,
      endedReason: null,
    });
    return token;
  }

  /**
   * The session for a token: ended once older than maxHours (from sign-in, whatever its
   * use), else locked first when it has been idle longer than lockMinutes.
   */
  resolve(token: string, nowMs: number, lockMinutes: number, maxHours = Infinity): SessionLookup {
    const session = this.sessions.get(hash(token));
    if (!session) return { kind: 'none' };
    if (session.endedReason === null && nowMs - session.createdMs >= maxHours * HOUR_MS) {
      session.endedReason = lifetimeEndedReason(maxHours);
    }
    if (session.endedReason !== null) return { kind: 'ended', reason: session.endedReason };
    if (!session.locked && nowMs - session.lastSeenMs > lockMinutes * 60_000) session.locked = true;
    return { kind: 'live', staffId: session.staffId, epoch: session.epoch, locked: session.locked };
  }

  /**
   * The same session under a new token (after changing one's own password or role): the old
   * token ends, the session's id and its sign-in time carry over, so neither its holds nor its
   * absolute lifetime start again. Null when the token names no live session of `staffId`.
   */
  renew(token: string, staff: { id: string; epoch: number }, nowMs: number, maxHours = 24): string | null {
    const session = this.sessions.get(hash(token));
    if (!session || session.staffId !== staff.id || session.endedReason !== null) return null;
    this.sessions.delete(hash(token));
    return this.create(staff, nowMs, maxHours, { sid: session.sid, createdMs: session.createdMs });
  }

  /** The session's stable id (see `sid`), or null for an unknown token. */
  sidOf(token: string): string | null {
    return this.sessions.get(hash(token))?.sid ?? null;
  }

  /** Refuses a session from now on, with the reason every later request is told. */
  refuse(token: string, reason: string): void {
    const session = this.sessions.get(hash(token));
    if (session) session.endedReason = reason;
  }

  touch(token: string, nowMs: number): void {
    const session = this.sessions.get(hash(token));
    if (session && !session.locked && session.endedReason === null) session.lastSeenMs = nowMs;
  }

  lock(token: string): void {
    const session = this.sessions.get(hash(token));
    if (session) session.locked = true;
  }

  unlock(token: string, nowMs: number): void {
    const session = this.sessions.get(hash(token));
    if (session && session.endedReason === null) {
      session.locked = false;
      session.lastSeenMs = nowMs;
    }
  }

  end(token: string): void {
    this.sessions.delete(hash(token));
  }

  /**
   * Ends every session of one staff member but the one named (if any): password, role or
   * active flag changed. The database's session epoch does the same across processes.
   */
  endOthersOf(staffId: string, reason: string, keepToken?: string | null): void {
    const keep = keepToken ? hash(keepToken) : null;
    for (const [key, session] of this.sessions) {
      if (session.staffId === staffId && key !== keep && session.endedReason === null) session.endedReason = reason;
    }
  }

  /** How many sessions are remembered (tests, diagnostics). */
  get size(): number {
    return this.sessions.size;
  }

  /** Forgets sessions long past their lifetime, so memory does not grow with every sign-in. */
  private sweep(nowMs: number, maxHours: number): void {
    const horizon = nowMs - maxHours * HOUR_MS - ENDED_KEPT_MS;
    for (const [key, session] of this.sessions) {
      if (session.createdMs < horizon) this.sessions.delete(key);
    }
  }
}
