import { randomUUID } from 'node:crypto';
import type { Db } from './db/database.js';
import type { ClinicSettings } from '../contract/settings.contract.js';
import type { StaffRole } from '../contract/common.js';
import type { EventRunner } from './events/runner.js';
import type { SecretBox } from './secrets/secret-box.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type Actor =
  | { kind: 'staff'; id: string; role: StaffRole; username: string; displayName: string }
  | { kind: 'patient'; patientId: string; /** The patient_token row the caller presented. */ tokenId?: string }
  | { kind: 'anonymous' }
  | { kind: 'system' };

/** What a handler asks its transport to do with the caller's session. */
export interface SessionEffects {
  set?: string;
  clear?: boolean;
}

/** Signs a staff member in; implemented by the app's session store. */
export interface SessionPort {
  /** Signs a staff member in (a new token); `epoch` is the account's session epoch now. */
  start(staffId: string, epoch: number): void;
  /**
   * The caller's own session goes on under a new token (their password or role changed): its
   * id and sign-in time carry over, so holds stay theirs and the absolute lifetime does not restart.
   */
  renew(staffId: string, epoch: number): void;
  end(): void;
  lock(): void;
  unlock(): void;
  /**
   * After COMMIT, ends every session of `staffId` except the caller's own (password, role or
   * active flag changed). The raised session epoch already refuses them in every process.
   */
  endOthersOf(staffId: string, reason: string): void;
  /** The staff session exists but is locked by inactivity (or by `auth/lock`). */
  readonly locked: boolean;
  /** The caller's staff session was refused (lifetime over, account changed): why, else null. */
  readonly endedReason: string | null;
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
  /**
   * Work to do after the transaction commits (never on rollback): a network call, a message.
   * Failures are logged, not returned to the caller. Durable work belongs in a consumer.
   */
  afterCommit(job: () => unknown): void;
  session: SessionPort;
  /** What the handler's precheck found before the transaction began (see handlers.ts). */
  pre?: unknown;
  /** The runner of the change log's consumers (the Background work screen reads it). */
  background?: EventRunner;
  /** The Stripe follow-up loop (core/payments/stripe-follow-up.ts): woken after a Stripe payment or refund is written. */
  stripeFollowUp?: { wake(): void; runOnce?(): Promise<number> };
  /** The notification sender: woken after a sign-in link is queued (it also runs on a timer). */
  notifications?: { wake(): void };
  /** How this desk seals secrets, and the environment that may give them (see core/secrets). */
  secrets?: { box?: SecretBox; env?: Readonly<Record<string, string | undefined>> };
  /**
   * Where patients reach the patient page: the `publicBaseUrl` setting, else the web server's
   * own origin (null when no web server listens: the desk alone cannot make patient links).
   */
  publicBaseUrl?: string | null;
  /** Settings changed in this call; the app reloads its cache after commit. */
  settingsChanged(): void;
}

export const newUuid = (): string => randomUUID();

export const nowIso = (ctx: { clock: Clock }): string => ctx.clock.now().toISOString();
