import { sha256Hex } from './core/util/hash.js';
import { contract, isHandlerName, type HandlerName, type Result } from './contract/index.js';
import type { HandlerDef } from './contract/common.js';
import type { ClinicSettings } from './contract/settings.contract.js';
import { newUuid, type Actor, type Clock, type Ctx, type SessionEffects, type SessionPort } from './core/context.js';
import type { Db } from './core/db/database.js';
import { withImmediateTransaction } from './core/db/transaction.js';
import { DomainError, type AppError } from './core/errors.js';
import { fieldErrorsFrom } from './contract/errors.js';
import { writeAudit } from './core/audit/audit.service.js';
import type { SessionStore } from './core/staff/session-store.js';
import { implementations, prechecks, replays } from './handlers.js';
import type { ChangeHub, ChangeNotice } from './core/events/change-hub.js';
import type { ChangeLog } from './core/events/change-log.js';
import type { EventRunner } from './core/events/runner.js';

/** What a transport knows about its caller. */
export interface Caller {
  sessionToken?: string | null;
  patientToken?: string | null;
}

export interface DispatchOutcome {
  result: Result<unknown>;
  /** For the transport to apply: a new session token to remember, or to forget it. */
  session?: SessionEffects;
  /** HTTP-ish status for transports that have one. */
  status: number;
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
  /** Writes the change envelopes of each transaction before it commits. */
  changeLog?: ChangeLog;
  /** The consumers' runner: woken after every commit that wrote change envelopes. */
  background?: EventRunner;
}

const statusFor: Record<string, number> = {
  'validation/invalid-input': 400,
  'rpc/unknown-handler': 404,
  'common/not-found': 404,
  'auth/unauthenticated': 401,
  'auth/invalid-credentials': 401,
  'auth/locked': 423,
  'auth/forbidden': 403,
  'auth/throttled': 429,
  'db/busy': 503,
  'internal/error': 500,
};
const httpStatus = (code: string): number => statusFor[code] ?? (code.startsWith('auth/') ? 403 : 409);

const fail = (error: AppError, session?: SessionEffects): DispatchOutcome => ({
  result: { ok: false, error },
  status: httpStatus(error.code),
  session,
});

/**
 * The one way in. Every transport (Electron IPC, HTTP, the sync server) calls this:
 * parse → role check → transaction → service → audit row → data or a typed error.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const newId = deps.newId ?? newUuid;
  const log = deps.log ?? ((line: string) => console.error(line));

  async function resolveActor(caller: Caller): Promise<{ actor: Actor; locked: boolean }> {
    const settings = deps.settings();
    if (caller.sessionToken) {
      const s = deps.sessions.resolve(caller.sessionToken, deps.clock.now().getTime(), settings.lockMinutes);
      if (s) return { actor: { kind: 'staff', ...s.staff }, locked: s.locked };
    }
    if (caller.patientToken) {
      const row = await deps.db
        .selectFrom('patient')
        .select('id')
        .where('access_token_hash', '=', sha256Hex(caller.patientToken))
        .executeTakeFirst();
      if (row) return { actor: { kind: 'patient', patientId: row.id }, locked: false };
    }
    return { actor: { kind: 'anonymous' }, locked: false };
  }

  function accessError(def: HandlerDef, actor: Actor, locked: boolean): AppError | null {
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
    if (access.anonymous) return null;
    return access.patient && !access.staff
      ? { code: 'auth/unauthenticated', message: 'A valid patient access token is required.' }
      : { code: 'auth/unauthenticated', message: 'Please sign in.' };
  }

  async function audit(name: string, actor: Actor, outcome: 'ok' | 'denied' | 'invalid' | 'error', record: { type?: string; id?: string }, detail?: string) {
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
    const { actor, locked } = await resolveActor(caller);

    const denied = accessError(def, actor, locked);
    if (denied) {
      // Every refused attempt is audited, reads included.
      await audit(name, actor, 'denied', {}, denied.code);
      return fail(denied);
    }

    const parsed = def.input.safeParse(rawInput ?? {}, { reportInput: true });
    if (!parsed.success) {
      const fieldErrors = fieldErrorsFrom(parsed.error);
      if (def.mutates) await audit(name, actor, 'invalid', {}, `fields: ${Object.keys(fieldErrors).join(', ')}`.slice(0, 500));
      return fail({ code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors });
    }
    const input = parsed.data as Record<string, unknown>;

    const effects: SessionEffects = {};
    const record: { type?: string; id?: string } = {};
    let settingsChanged = false;
    let notices: ChangeNotice[] = [];
    const afterCommit: Array<() => unknown> = [];
    const nowMs = () => deps.clock.now().getTime();
    const session: SessionPort = {
      start(staff) {
        if (caller.sessionToken) deps.sessions.end(caller.sessionToken);
        effects.set = deps.sessions.create(staff, nowMs());
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
      locked,
    };
    let pre: unknown;
    const makeCtx = (db: Db): Ctx => ({
      db,
      clock: deps.clock,
      newId,
      actor,
      settings: deps.settings(),
      auditRecord(type, id) {
        record.type = type;
        record.id = id;
      },
      async emit() {
        // Superseded: every change to a synced table is captured and written as an envelope.
      },
      afterCommit(job) {
        afterCommit.push(job);
      },
      session,
      pre,
      background: deps.background,
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
              // Secrets are never stored; a replay hook issues fresh ones (e.g. a new patient token).
              const stored = JSON.parse(seen.response) as unknown;
              const replay = replays[name] as ((ctx: Ctx, stored: unknown) => Promise<unknown>) | undefined;
              return def.output.parse(replay ? await replay(makeCtx(trx), stored) : stored);
            }
          }
          const out = def.output.parse(await impl(makeCtx(trx), input));
          await writeAudit(trx, {
            at: deps.clock.now().toISOString(),
            actor: effects.set && actor.kind === 'anonymous' ? actorAfterLogin(out) ?? actor : actor,
            handler: name,
            recordType: record.type,
            recordId: record.id,
            outcome: 'ok',
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
        data = def.output.parse(await impl(makeCtx(deps.db), input));
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
      return { result: { ok: true, data }, status: 200, session: effects.set || effects.clear ? effects : undefined };
    } catch (err) {
      if (err instanceof DomainError) {
        // A busy database cannot take an audit row either; the caller is told to try again.
        if (err.code === 'db/busy') return fail(err.toAppError());
        if (def.mutates || def.auditRead || err.code.startsWith('auth/')) {
          const outcome = err.code.startsWith('auth/') ? 'denied' : 'error';
          await audit(name, actor, outcome, record, err.code);
        }
        return fail(err.toAppError());
      }
      const message = (err as Error)?.message ?? String(err);
      if (message === 'booking/slot-taken') {
        return fail({ code: 'booking/slot-taken', message: 'That time was just taken. Choose another slot.' });
      }
      log(`handler ${name} failed: ${(err as Error)?.name ?? 'Error'}: ${message}`);
      if (def.mutates) await audit(name, actor, 'error', record, 'internal/error');
      return fail({ code: 'internal/error', message: 'Something went wrong; nothing was saved. Try again.' });
    }
  };
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
