import { sha256Hex } from '../util/hash.js';
import type { StaffInfo, StaffRole } from '../../contract/common.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import type { StaffTable } from '../db/schema.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';

/** Failures allowed before each further attempt must wait; the wait doubles up to MAX. */
const FREE_FAILURES = 3;
const MAX_WAIT_SECONDS = 300;

export const waitSecondsAfter = (failures: number): number =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_WAIT_SECONDS, 2 ** (failures - FREE_FAILURES + 1));

const toInfo = (row: Pick<StaffTable, 'id' | 'username' | 'display_name' | 'role'>): StaffInfo => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
});

export async function createStaff(
  ctx: Ctx,
  input: { username: string; displayName: string; role: StaffRole; password: string },
  /** Hashed before the write transaction (the handler's precheck), else here. */
  passwordHash?: string,
): Promise<StaffInfo> {
  const existing = await ctx.db.selectFrom('staff').select('id').where('username', '=', input.username).executeTakeFirst();
  if (existing) {
    throw new DomainError('staff/username-taken', 'That username is already in use.', {
      fieldErrors: { username: ['That username is already in use.'] },
    });
  }
  const at = nowIso(ctx);
  const row = {
    id: ctx.newId(),
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    password_hash: passwordHash ?? (await hashPassword(input.password)),
    active: 1,
    failed_logins: 0,
    throttled_until: null,
    last_login_at: null,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.insertInto('staff').values(row).execute();
  ctx.auditRecord('staff', row.id);
  return toInfo(row);
}

export const toListItem = (r: Pick<StaffTable, 'id' | 'username' | 'display_name' | 'role' | 'active' | 'last_login_at'>) => ({
  ...toInfo(r),
  active: r.active === 1,
  lastLoginAt: r.last_login_at,
});

export async function listStaff(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('staff').selectAll().orderBy('display_name').execute();
  return { staff: rows.map(toListItem) };
}

/** The result of the slow password check, made before the write transaction begins. */
export interface PasswordCheck {
  staffId: string | null;
  ok: boolean;
}

export const isThrottled = (row: { throttled_until: string | null }, at: Date) =>
  row.throttled_until !== null && row.throttled_until > at.toISOString();

/**
 * Outside the transaction (the dispatcher's precheck): scrypt takes tens of milliseconds and
 * 32 MiB, and must never hold the database's write lock — else a stream of wrong passwords
 * would stall every desk. A throttled account is not even checked.
 */
export async function passwordPrecheck(ctx: Ctx, input: { username?: string; password: string }): Promise<PasswordCheck> {
  const query = ctx.db.selectFrom('staff').selectAll();
  const row =
    input.username !== undefined
      ? await query.where('username', '=', input.username).executeTakeFirst()
      : ctx.actor.kind === 'staff'
        ? await query.where('id', '=', ctx.actor.id).executeTakeFirst()
        : undefined;
  if (!row || row.active !== 1) {
    const unknown = input.username !== undefined ? await unknownLogin(ctx, input.username) : undefined;
    if (!unknown || !isThrottled(unknown, ctx.clock.now())) await verifyPassword(input.password, await dummyPasswordHash());
    return { staffId: null, ok: false };
  }
  if (isThrottled(row, ctx.clock.now())) return { staffId: row.id, ok: false };
  return { staffId: row.id, ok: await verifyPassword(input.password, row.password_hash) };
}

export async function login(ctx: Ctx, input: { username: string; password: string }) {
  const check = (ctx.pre as PasswordCheck | undefined) ?? (await passwordPrecheck(ctx, input));
  const row = await ctx.db.selectFrom('staff').selectAll().where('username', '=', input.username).executeTakeFirst();
  const at = ctx.clock.now();
  if (!row || row.active !== 1 || check.staffId !== row.id) {
    // The typed name is not recorded (people type passwords into the username field), only a
    // hash of it, so that unknown names are throttled exactly like real ones.
    const unknown = await unknownLogin(ctx, input.username);
    if (unknown && isThrottled(unknown, at)) throw throttled(unknown.throttled_until!, at);
    const failures = (unknown?.failed_logins ?? 0) + 1;
    const wait = waitSecondsAfter(failures);
    const values = {
      failed_logins: failures,
      throttled_until: wait > 0 ? new Date(at.getTime() + wait * 1000).toISOString() : null,
      updated_at: at.toISOString(),
    };
    await ctx.db
      .insertInto('unknown_login')
      .values({ name_hash: nameHash(input.username), ...values })
      .onConflict((oc) => oc.column('name_hash').doUpdateSet(values))
      .execute();
    throw new DomainError('auth/invalid-credentials', 'Wrong username or password.', {
      keepChanges: true,
      details: wait > 0 ? { retryAfterSeconds: wait } : undefined,
    });
  }
  ctx.auditRecord('staff', row.id);
  if (isThrottled(row, at)) throw throttled(row.throttled_until!, at);
  if (!check.ok) {
    const wait = await recordFailure(ctx, row.id, row.failed_logins + 1, at);
    throw new DomainError('auth/invalid-credentials', 'Wrong username or password.', {
      keepChanges: true,
      details: wait > 0 ? { retryAfterSeconds: wait } : undefined,
    });
  }
  await ctx.db
    .updateTable('staff')
    .set({ failed_logins: 0, throttled_until: null, last_login_at: at.toISOString(), updated_at: at.toISOString() })
    .where('id', '=', row.id)
    .execute();
  ctx.session.start(row.id, row.session_epoch);
  return { staff: toInfo(row), lockMinutes: ctx.settings.lockMinutes };
}

const nameHash = (username: string): string => sha256Hex(username.trim().toLowerCase());

const unknownLogin = (ctx: Ctx, username: string) =>
  ctx.db.selectFrom('unknown_login').selectAll().where('name_hash', '=', nameHash(username)).executeTakeFirst();

export function throttled(until: string, at: Date): DomainError {
  const retryAfterSeconds = Math.ceil((Date.parse(until) - at.getTime()) / 1000);
  return new DomainError(
    'auth/throttled',
    `Too many failed attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    { details: { retryAfterSeconds } },
  );
}

/** Counts a failed password (login or unlock) and sets the wait before the next attempt. */
export async function recordFailure(ctx: Ctx, staffId: string, failures: number, at: Date): Promise<number> {
  const wait = waitSecondsAfter(failures);
  await ctx.db
    .updateTable('staff')
    .set({
      failed_logins: failures,
      throttled_until: wait > 0 ? new Date(at.getTime() + wait * 1000).toISOString() : null,
      updated_at: at.toISOString(),
    })
    .where('id', '=', staffId)
    .execute();
  return wait;
}

export async function unlock(ctx: Ctx, input: { password: string }) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('auth/unauthenticated', 'Please sign in.');
  const check = (ctx.pre as PasswordCheck | undefined) ?? (await passwordPrecheck(ctx, input));
  const row = await ctx.db.selectFrom('staff').selectAll().where('id', '=', ctx.actor.id).executeTakeFirstOrThrow();
  ctx.auditRecord('staff', row.id);
  const at = ctx.clock.now();
  if (isThrottled(row, at)) {
    const retryAfterSeconds = Math.ceil((Date.parse(row.throttled_until!) - at.getTime()) / 1000);
    throw new DomainError('auth/throttled', `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds },
    });
  }
  if (!check.ok || check.staffId !== row.id) {
    const wait = await recordFailure(ctx, row.id, row.failed_logins + 1, at);
    throw new DomainError('auth/invalid-credentials', 'Wrong password.', {
      fieldErrors: { password: ['Wrong password.'] },
      keepChanges: true,
      details: wait > 0 ? { retryAfterSeconds: wait } : undefined,
    });
  }
  await ctx.db.updateTable('staff').set({ failed_logins: 0, throttled_until: null }).where('id', '=', row.id).execute();
  ctx.session.unlock();
  return { staff: toInfo(row) };
}

export async function sessionInfo(ctx: Ctx) {
  const staff =
    ctx.actor.kind === 'staff'
      ? { id: ctx.actor.id, username: ctx.actor.username, displayName: ctx.actor.displayName, role: ctx.actor.role }
      : null;
  return {
    staff,
    locked: staff !== null && ctx.session.locked,
    lockMinutes: ctx.settings.lockMinutes,
    clinicName: ctx.settings.clinicName,
    signedOutReason: staff === null ? ctx.session.endedReason : null,
  };
}
