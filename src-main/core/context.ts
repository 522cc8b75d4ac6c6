import { randomUUID } from 'node:crypto';
import type { Db } from './db/database.js';
import type { ClinicSettings } from '../contract/settings.contract.js';
import type { StaffRole } from '../contract/common.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type Actor =
  | { kind: 'staff'; id: string; role: StaffRole; username: string; displayName: string }
  | { kind: 'patient'; patientId: string }
  | { kind: 'anonymous' }
  | { kind: 'system' };

/** What a handler asks its transport to do with the caller's session. */
export interface SessionEffects {
  set?: string;
  clear?: boolean;
}

/** Signs a staff member in; implemented by the app's session store. */
export interface SessionPort {
  start(staff: { id: string; role: StaffRole; username: string; displayName: string }): void;
  end(): void;
  lock(): void;
  unlock(): void;
  /** The staff session exists but is locked by inactivity (or by `auth/lock`). */
  readonly locked: boolean;
}

/**
 * Everything a core function needs, passed first: `(ctx, input)`. Tests build one over a
 * real SQLite file; there is no container.
 */
export interface Ctx {
  db: Db;
  clock: Clock;
  newId(): string;
  actor: Actor;
  /**
   * The caller's session (one desk, one window): a one-way hash of the staff session token,
   * or of the patient's token; null for anonymous and system calls. Stable for the life of
   * that session (locking and unlocking keep it; signing in again makes a new one), so it
   * tells apart two desks signed in with the same account. Never a credential.
   */
  sessionId: string | null;
  settings: ClinicSettings;
  /** Which record the audit row of this call names, and optionally a short detail for that row. */
  auditRecord(type: string, id: string, detail?: string): void;
  /** Appends a change to the outbox in the same transaction (sync reads it later). */
  emit(topic: string, recordId: string, payload: unknown): Promise<void>;
  session: SessionPort;
  /** What the handler's precheck found before the transaction began (see handlers.ts). */
  pre?: unknown;
  /** Settings changed in this call; the app reloads its cache after commit. */
  settingsChanged(): void;
}

export const newUuid = (): string => randomUUID();

export const nowIso = (ctx: { clock: Clock }): string => ctx.clock.now().toISOString();
