import { sha256Hex } from './core/util/hash.js';
import { contract, isHandlerName, type HandlerName, type Result } from './contract/index.js';
import type { HandlerDef, StaffRole } from './contract/common.js';
import type { ClinicSettings } from './contract/settings.contract.js';
import { newUuid, type Actor, type Clock, type Ctx, type SessionEffects, type SessionPort } from './core/context.js';
import type { Db } from './core/db/database.js';
import { withImmediateTransaction } from './core/db/transaction.js';
import { DomainError, type AppError } from './core/errors.js';
import { fieldErrorsFrom } from './contract/errors.js';
import { writeAudit } from './core/audit/audit.service.js';
import { endedReasons, type SessionStore } from './core/staff/session-store.js';
import type { RefusalLog } from './core/audit/refusal-log.js';
import { finishers, implementations, prechecks, replays } from './handlers.js';
import type { ChangeHub, ChangeNotice } from './core/events/change-hub.js';
import type { ChangeLog } from './core/events/change-log.js';
import type { EventRunner } from './core/events/runner.js';
import {
  PATIENT_TOKEN_INVALID,
  PATIENT_TOKEN_INVALID_MESSAGE,
  PATIENT_TOKEN_MISSING,
  PATIENT_TOKEN_MISSING_MESSAGE,
  resolvePatientToken,
} from './core/patients/patient-token.service.js';

export type ActorKind = Actor['kind'];

/** A transport's rate limit, asked once the caller is known (web mode; the local desk has none). */
export interface CallerGate {
  /** 0 to go on, else the seconds the caller must wait (the call is refused with a 429). */
  admit(actorKind: ActorKind, handler: string, input?: unknown, tokenId?: string): number;
}

/** What a transport knows about its caller. */
export interface Caller {
  sessionToken?: string | null;
  patientToken?: string | null;
  /** The caller's network address (web mode). None means the local desk (Electron IPC, tests). */
  address?: string;
  gate?: CallerGate;
}

export interface DispatchOutcome {
  result: Result<unknown>;
  /** For the transport to apply: a new session token to remember, or to forget it. */
  session?: SessionEffects;
  /** HTTP-ish status for transports that have one. */
  status: number;
  /** With a 429: seconds until the caller may try again (HTTP sends it as Retry-After). */
  retryAfterSeconds?: number;
}

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  sessions: SessionStore;
  settings(): ClinicSettings;
  reloadSettings(): Promise<void>;
  newId?: () => string;
  log?: (line: string) => void;
  /** Receives the change notices of each committed transaction. */
  changes?: ChangeHub;
  /** Counts refused attempts from the network instead of committing one row each (see RefusalLog). */
  refusals?: RefusalLog;
  /** Writes the change envelopes of each transaction before it commits. */
  changeLog?: ChangeLog;
  /** The consumers' runner: woken after every commit that wrote change envelopes. */
  background?: EventRunner;
  secrets?: Ctx['secrets'];
  /** The Stripe follow-up loop, woken after commit by Stripe payments and refunds. */
  stripeFollowUp?: Ctx['stripeFollowUp'];
  /** The patient page's base address (the setting, else the web server's origin), or null. */
  publicBaseUrl?: () => string | null;
  /** The notification sender, woken after commit by a queued sign-in link. */
  notifications?: Ctx['notifications'];
}

const statusFor: Record<string, number> = {
  'validation/invalid-input': 400,
  'rpc/unknown-handler': 404,
  'common/not-found': 404,
  'auth/unauthenticated': 401,
  'auth/session-ended': 401,
  'auth/invalid-credentials': 401,
  'auth/locked': 423,
  'auth/forbidden': 403,
  'auth/throttled': 429,
  [PATIENT_TOKEN_MISSING]: 401,
  [PATIENT_TOKEN_INVALID]: 401,
  'http/too-many-requests': 429,
  'db/busy': 503,
  'internal/error': 500,
};
const httpStatus = (code: string): number => statusFor[code] ?? (code.startsWith('auth/') ? 403 : 409);

const fail = (error: AppError, session?: SessionEffects): DispatchOutcome => ({
  result: { ok: false, error },
  status: httpStatus(error.code),
  session,
});

const DEACTIVATED = endedReasons.deactivated;
const ACCOUNT_CHANGED = endedReasons.changed;

/**
 * The one way in. Every transport (Electron IPC, HTTP, the sync server) calls this:
 * parse → role check → transaction → service → audit row → data or a typed error.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const newId = deps.newId ?? newUuid;
  const log = deps.log ?? ((line: string) => console.error(line));

  // Compiled once: the per-request account read costs one cached prepared statement.
  const staffNowQuery = deps.db
    .selectFrom('staff')
    .select(['id', 'username', 'display_name', 'role', 'active', 'session_epoch'])
    .where('id', '=', '?')
    .compile();
  type StaffNow = { id: string; username: string; display_name: string; role: StaffRole; active: number; session_epoch: number };

  async function resolveActor(caller: Caller): Promise<{ actor: Actor; locked: boolean; ended: string | null }> {
    const settings = deps.settings();
    let ended: string | null = null;
    if (caller.sessionToken) {
      const s = deps.sessions.resolve(caller.sessionToken, deps.clock.now().getTime(), settings.lockMinutes, settings.sessionMaxHours);
      if (s.kind === 'ended') ended = s.reason;
      if (s.kind === 'live') {
        // The session names a person, never their rights: role and active flag are read on
        // every request (a primary-key read through a cached prepared statement), so a
        // demotion or deactivation — even by another process on the same file — counts at once.
        const { rows } = await deps.db.executeQuery<StaffNow>({ ...staffNowQuery, parameters: [s.staffId] });
        const row = rows[0];
        ended = !row || row.active !== 1 ? DEACTIVATED : row.session_epoch !== s.epoch ? ACCOUNT_CHANGED : null;
        if (ended) deps.sessions.refuse(caller.sessionToken, ended);
        else if (row) {
          const actor: Actor = { kind: 'staff', id: row.id, username: row.username, displayName: row.display_name, role: row.role };
          return { actor, locked: s.locked, ended: null };
        }
      }
    }
    if (caller.patientToken) {
      // Only live device tokens count (patient_token: not expired, not revoked or replaced).
      const found = await resolvePatientToken(deps.db, caller.patientToken, deps.clock.now());
      if (found) return { actor: { kind: 'patient', patientId: found.patientId, tokenId: found.tokenId }, locked: false, ended };
    }
    return { actor: { kind: 'anonymous' }, locked: false, ended };
  }

  function accessError(def: HandlerDef, actor: Actor, locked: boolean, caller: Caller): AppError | null {
    const { access } = def;
    if (actor.kind === 'staff') {
      if (!access.staff) {
        return { code: 'auth/forbidden', message: 'Staff cannot call this operation.' };
      }
      if (!access.staff.includes(actor.role)) {
        return {
          code: 'auth/forbidden',
          message: `Only ${access.staff.join(' or ')} staff may do this; you are signed in as ${actor.role}.`,
        };
      }
      if (locked && !access.allowLocked) {
        return { code: 'auth/locked', message: 'The session is locked after inactivity. Enter your password to continue.' };
      }
      return null;
    }
    if (actor.kind === 'patient') {
      return access.patient ? null : { code: 'auth/forbidden', message: 'This operation is for clinic staff.' };
    }
    // A dead patient token is never quietly read as nobody (the symptom checker would answer without saving).
    if (access.anonymous) return access.patient && caller.patientToken ? patientAccessError(access, caller) : null;
    return patientAccessError(access, caller) ?? { code: 'auth/unauthenticated', message: 'Please sign in.' };
  }

  /**
   * A refused, invalid or failed call. From the network and not signed in as staff, it is
   * counted (one row per address, handler and minute, written every few seconds); from the
   * local desk or a staff member, it is written at once, naming them.
   */
  async function refused(
    name: string,
    actor: Actor,
    caller: Caller,
    outcome: 'denied' | 'invalid' | 'error',
    record: { type?: string; id?: string },
    detail?: string,
  ) {
    if (caller.address && deps.refusals && actor.kind !== 'staff') {
      deps.refusals.record({
        at: deps.clock.now().toISOString(),
        source: caller.address,
        actor,
        handler: name,
        outcome,
        detail,
        recordType: record.type,
        recordId: record.id,
      });
      return;
    }
    await audit(name, actor, outcome, record, detail, caller.address);
  }

  async function audit(name: string, actor: Actor, outcome: 'ok' | 'denied' | 'invalid' | 'error', record: { type?: string; id?: string }, detail?: string, source?: string) {
    try {
      await withImmediateTransaction(deps.db, (trx) =>
        writeAudit(trx, {
          at: deps.clock.now().toISOString(),
          actor,
          handler: name,
          recordType: record.type,
          recordId: record.id,
          outcome,
          detail,
          source,
        }),
      );
    } catch (err) {
      log(`audit write failed for ${name}: ${(err as Error).message}`);
    }
  }

  return async function dispatch(name: string, rawInput: unknown, caller: Caller = {}): Promise<DispatchOutcome> {
    if (!isHandlerName(name)) {
      return fail({ code: 'rpc/unknown-handler', message: `There is no operation named “${name.slice(0, 80)}”.` });
    }
    const def = contract[name] as HandlerDef;
    const { actor, locked, ended } = await resolveActor(caller);

    const waitSeconds = caller.gate?.admit(actor.kind, name, rawInput, actor.kind === 'patient' ? actor.tokenId : undefined) ?? 0;
    if (waitSeconds > 0) {
      await refused(name, actor, caller, 'denied', {}, 'http/too-many-requests');
      return {
        ...fail({
          code: 'http/too-many-requests',
          message: `Too many attempts${actor.kind === 'patient' ? '' : ' from this address'}. Wait ${waitSeconds} second${waitSeconds === 1 ? '' : 's'} and try again.`,
        }),
        retryAfterSeconds: waitSeconds,
      };
    }

    // A refused staff session says why (signed out after N hours, account deactivated…) to
    // anything that needs a signed-in caller; sign-in and the session query still work.
    const denied =
      ended && actor.kind === 'anonymous' && !def.access.anonymous
        ? { code: 'auth/session-ended', message: ended }
        : accessError(def, actor, locked, caller);
    if (denied) {
      // Every refused attempt is audited, reads included.
      await refused(name, actor, caller, 'denied', {}, denied.code);
      return fail(denied);
    }

    const parsed = def.input.safeParse(rawInput ?? {}, { reportInput: true });
    if (!parsed.success) {
      const fieldErrors = fieldErrorsFrom(parsed.error);
      if (def.mutates) await refused(name, actor, caller, 'invalid', {}, `fields: ${Object.keys(fieldErrors).join(', ')}`.slice(0, 500));
      return fail({ code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors });
    }
    const input = parsed.data as Record<string, unknown>;
    const weakKey = weakAnonymousKey(actor, input);
    if (weakKey) {
      if (def.mutates) await audit(name, actor, 'invalid', {}, 'fields: idempotencyKey');
      return fail(weakKey);
    }

    const effects: SessionEffects = {};
    const record: { type?: string; id?: string; detail?: string } = {};
    let settingsChanged = false;
    let notices: ChangeNotice[] = [];
    const afterCommit: Array<() => unknown> = [];
    const nowMs = () => deps.clock.now().getTime();
    const session: SessionPort = {
      start(staffId, epoch) {
        if (caller.sessionToken) deps.sessions.end(caller.sessionToken);
        effects.set = deps.sessions.create({ id: staffId, epoch }, nowMs(), deps.settings().sessionMaxHours);
      },
      renew(staffId, epoch) {
        const renewed = caller.sessionToken ? deps.sessions.renew(caller.sessionToken, { id: staffId, epoch }, nowMs(), deps.settings().sessionMaxHours) : null;
        if (renewed) effects.set = renewed;
        else this.start(staffId, epoch);
      },
      end() {
        if (caller.sessionToken) deps.sessions.end(caller.sessionToken);
        effects.clear = true;
      },
      lock() {
        if (caller.sessionToken) deps.sessions.lock(caller.sessionToken);
      },
      unlock() {
        if (caller.sessionToken) deps.sessions.unlock(caller.sessionToken, nowMs());
      },
      endOthersOf(staffId, reason) {
        afterCommit.push(() => deps.sessions.endOthersOf(staffId, reason, effects.set ?? caller.sessionToken));
      },
      locked,
      endedReason: ended,
    };
    let pre: unknown;
    const makeCtx = (db: Db): Ctx => ({
      db,
      clock: deps.clock,
      newId,
      actor,
      sessionId: sessionIdOf(actor, caller, deps.sessions),
      settings: deps.settings(),
      auditRecord(type, id, detail) {
        record.type = type;
        record.id = id;
        if (detail !== undefined) record.detail = detail;
      },
      afterCommit(job) {
        afterCommit.push(job);
      },
      session,
      pre,
      background: deps.background,
      stripeFollowUp: deps.stripeFollowUp,
      notifications: deps.notifications,
      secrets: deps.secrets,
      publicBaseUrl: deps.publicBaseUrl?.() ?? null,
      settingsChanged() {
        settingsChanged = true;
      },
    });

    const impl = implementations[name] as (ctx: Ctx, input: unknown) => Promise<unknown>;
    // Scoped to the caller: one caller's key never returns another caller's response.
    const idempotencyKey =
      typeof input.idempotencyKey === 'string'
        ? `${actor.kind}:${actor.kind === 'staff' ? actor.id : actor.kind === 'patient' ? actor.patientId : ''}:${input.idempotencyKey}`
        : null;
    const requestHash = idempotencyKey ? sha256Hex(canonicalJson(input)) : '';
    try {
      const precheck = prechecks[name] as ((ctx: Ctx, input: unknown) => Promise<unknown>) | undefined;
      if (precheck) pre = await precheck(makeCtx(deps.db), input);
      let data: unknown;
      // What the service returned, before the output schema trimmed it (for a finisher).
      let produced: unknown;
      if (def.mutates || def.auditRead) {
        data = await withImmediateTransaction(deps.db, async (trx) => {
          deps.changeLog?.begin();
          if (idempotencyKey) {
            const seen = await trx
              .selectFrom('idempotency_key')
              .select(['response', 'request_hash'])
              .where('handler', '=', name)
              .where('key', '=', idempotencyKey)
              .executeTakeFirst();
            if (seen) {
              // The same key with another request is a client bug, never a replay of someone else's answer.
              if (seen.request_hash !== requestHash) {
                throw new DomainError('idempotency/key-reused', 'This idempotency key was already used for a different request.');
              }
              await writeAudit(trx, { at: deps.clock.now().toISOString(), actor, handler: name, outcome: 'ok', detail: 'idempotent replay' });
              // Secrets are never stored, and a replay never issues new ones: a replay hook says
              // what the caller gets instead (a replayed registration: the id, no token).
              const stored = JSON.parse(seen.response) as unknown;
              const replay = replays[name] as ((ctx: Ctx, stored: unknown) => Promise<unknown>) | undefined;
              return def.output.parse(replay ? await replay(makeCtx(trx), stored) : stored);
            }
          }
          produced = await impl(makeCtx(trx), input);
          const out = def.output.parse(produced);
          await writeAudit(trx, {
            at: deps.clock.now().toISOString(),
            actor: effects.set && actor.kind === 'anonymous' ? actorAfterLogin(out) ?? actor : actor,
            handler: name,
            recordType: record.type,
            recordId: record.id,
            outcome: 'ok',
            detail: record.detail,
          });
          if (deps.changeLog) notices = deps.changeLog.flush(actor, deps.clock.now().toISOString());
          if (idempotencyKey) {
            await trx
              .insertInto('idempotency_key')
              .values({ key: idempotencyKey, handler: name, request_hash: requestHash, response: JSON.stringify(withoutSecrets(out)), created_at: deps.clock.now().toISOString() })
              .execute();
          }
          return out;
        });
      } else {
        produced = await impl(makeCtx(deps.db), input);
        data = def.output.parse(produced);
      }
      if (caller.sessionToken && name !== 'auth/session' && !locked) deps.sessions.touch(caller.sessionToken, nowMs());
      if (settingsChanged) await deps.reloadSettings();
      // Only after COMMIT: a rolled-back call throws above and publishes nothing.
      deps.changes?.publish(notices);
      if (notices.length > 0) deps.background?.wake();
      for (const job of afterCommit) {
        try {
          await job();
        } catch (err) {
          log(`after-commit work of ${name} failed: ${(err as Error)?.message ?? String(err)}`);
        }
      }
      // A finisher completes the answer after commit, outside the transaction (a Stripe page's address).
      const finish = finishers[name] as ((ctx: Ctx, produced: unknown) => Promise<unknown>) | undefined;
      if (finish && produced !== undefined) data = def.output.parse(await finish(makeCtx(deps.db), produced));
      return { result: { ok: true, data }, status: 200, session: effects.set || effects.clear ? effects : undefined };
    } catch (err) {
      if (err instanceof DomainError) {
        // A busy database cannot take an audit row either; the caller is told to try again.
        if (err.code === 'db/busy') return fail(err.toAppError());
        if (def.mutates || def.auditRead || err.code.startsWith('auth/')) {
          const outcome = err.code.startsWith('auth/') ? 'denied' : 'error';
          await refused(name, actor, caller, outcome, record, err.code);
        }
        return fail(err.toAppError());
      }
      const message = (err as Error)?.message ?? String(err);
      if (message === 'booking/slot-taken') {
        return fail({ code: 'booking/slot-taken', message: 'That time was just taken. Choose another slot.' });
      }
      log(`handler ${name} failed: ${(err as Error)?.name ?? 'Error'}: ${message}`);
      if (def.mutates) await refused(name, actor, caller, 'error', record, 'internal/error');
      return fail({ code: 'internal/error', message: 'Something went wrong; nothing was saved. Try again.' });
    }
  };
}

/**
 * A caller who is nobody on a handler patients may call, in a patient's words: a token that
 * did not resolve (unknown, expired, revoked, replaced) or none at all. A stale staff session
 * keeps the staff wording (the desk's screen signs in again on it).
 */
function patientAccessError(access: HandlerDef['access'], caller: Caller): AppError | null {
  if (!access.patient) return null;
  if (caller.patientToken) return { code: PATIENT_TOKEN_INVALID, message: PATIENT_TOKEN_INVALID_MESSAGE };
  if (caller.sessionToken && access.staff) return null;
  return { code: PATIENT_TOKEN_MISSING, message: PATIENT_TOKEN_MISSING_MESSAGE };
}

/**
 * Anonymous callers (kiosks, web forms) share one idempotency-key space: a short key could be
 * guessed or collide with someone else's. Theirs must be long enough to be random (a UUID).
 * (A replay never hands out a credential anyway; see handlers.ts `replays`.)
 */
export const MIN_ANONYMOUS_KEY_LENGTH = 32;
function weakAnonymousKey(actor: Actor, input: Record<string, unknown>): AppError | null {
  if (actor.kind !== 'anonymous' || typeof input.idempotencyKey !== 'string') return null;
  if (input.idempotencyKey.length >= MIN_ANONYMOUS_KEY_LENGTH) return null;
  return {
    code: 'validation/invalid-input',
    message: 'Some fields need attention.',
    fieldErrors: {
      idempotencyKey: [`Without signing in, use a random key of at least ${MIN_ANONYMOUS_KEY_LENGTH} characters (for example a UUID).`],
    },
  };
}

/**
 * The caller's session identity for core services (ctx.sessionId): a domain-separated hash of
 * the session or patient token, so it can be stored (e.g. as a hold's owner) without ever
 * being usable as a credential or matching the session store's own key.
 */
function sessionIdOf(actor: Actor, caller: Caller, sessions: SessionStore): string | null {
  // A staff session's random id survives a token renewal (own password or role change).
  const sid = actor.kind === 'staff' && caller.sessionToken ? sessions.sidOf(caller.sessionToken) : null;
  if (sid) return sid;
  const token = actor.kind === 'staff' ? caller.sessionToken : actor.kind === 'patient' ? caller.patientToken : null;
  return token ? sha256Hex(`clinic-desk session id\0${token}`).slice(0, 32) : null;
}

/** Fields that must never be written to disk in clear (idempotent responses are stored). */
const SECRET_FIELDS = new Set(['accessToken']);
function withoutSecrets(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_FIELDS.has(k)));
}

/** JSON with sorted keys, so that the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** After a successful login the audit row names the staff member who signed in. */
function actorAfterLogin(out: unknown): Actor | null {
  const staff = (out as { staff?: { id: string; role: 'admin' | 'receptionist'; username: string; displayName: string } })
    .staff;
  return staff ? { kind: 'staff', ...staff } : null;
}

export type Dispatch = ReturnType<typeof createDispatcher>;
export type { HandlerName };
