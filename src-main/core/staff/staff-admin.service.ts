import type { StaffRole } from '../../contract/common.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { hashPassword } from './password.js';
import { endedReasons } from './session-store.js';
import { isThrottled, passwordPrecheck, recordFailure, throttled, toListItem, type PasswordCheck } from './staff.service.js';

/**
 * Staff management: role, active flag, passwords. Each change raises the account's session
 * epoch, which ends the person's sessions everywhere (the dispatcher compares epochs on every
 * request); a person changing their own role or password keeps the session they did it from,
 * under a fresh token. Slow password hashing runs in prechecks, outside the write lock.
 */

const loadStaff = async (ctx: Ctx, staffId: string) => {
  const row = await ctx.db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirst();
  if (!row) throw notFound('That staff member');
  return row;
};

const actorId = (ctx: Ctx): string | null => (ctx.actor.kind === 'staff' ? ctx.actor.id : null);

/** Raises the session epoch (with the other changes) and returns the new row. */
async function updateAndEndSessions(ctx: Ctx, staffId: string, changes: Record<string, unknown>, reason: string) {
  await ctx.db
    .updateTable('staff')
    .set((eb) => ({ ...changes, session_epoch: eb('session_epoch', '+', 1), updated_at: nowIso(ctx) }))
    .where('id', '=', staffId)
    .execute();
  const row = await loadStaff(ctx, staffId);
  // The caller's own session goes on under a new token; every other one of this person ends.
  if (actorId(ctx) === staffId) ctx.session.renew(staffId, row.session_epoch);
  ctx.session.endOthersOf(staffId, reason);
  ctx.auditRecord('staff', staffId);
  return row;
}

/** Refuses a change that would leave the clinic without an active admin. */
async function keepAnAdmin(ctx: Ctx, row: { id: string; role: StaffRole; active: number; display_name: string }) {
  if (row.role !== 'admin' || row.active !== 1) return;
  const other = await ctx.db
    .selectFrom('staff')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', row.id)
    .limit(1)
    .executeTakeFirst();
  if (!other) {
    throw new DomainError(
      'staff/last-admin',
      `${row.display_name} is the last active admin. Make another account an admin first, so someone can still manage staff and settings.`,
    );
  }
}

export async function setRole(ctx: Ctx, input: { staffId: string; role: StaffRole }) {
  const row = await loadStaff(ctx, input.staffId);
  if (row.role === input.role) {
    ctx.auditRecord('staff', row.id);
    return { staff: toListItem(row) };
  }
  if (input.role !== 'admin') await keepAnAdmin(ctx, row);
  const next = await updateAndEndSessions(ctx, row.id, { role: input.role }, endedReasons.roleChanged(input.role));
  return { staff: toListItem(next) };
}

export async function setActive(ctx: Ctx, input: { staffId: string; active: boolean }) {
  const row = await loadStaff(ctx, input.staffId);
  if ((row.active === 1) === input.active) {
    ctx.auditRecord('staff', row.id);
    return { staff: toListItem(row) };
  }
  if (!input.active) {
    await keepAnAdmin(ctx, row);
    if (actorId(ctx) === row.id) {
      throw new DomainError('staff/self-deactivate', 'You cannot deactivate your own account. Another admin can do it.');
    }
  }
  const changes = input.active ? { active: 1, failed_logins: 0, throttled_until: null } : { active: 0 };
  const next = await updateAndEndSessions(ctx, row.id, changes, input.active ? endedReasons.changed : endedReasons.deactivated);
  return { staff: toListItem(next) };
}

/** Precheck of staff/reset-password and staff/create: the new password's hash. */
export const hashNewPassword = async (_ctx: Ctx, input: { newPassword?: string; password?: string }) => ({
  passwordHash: await hashPassword(input.newPassword ?? input.password ?? ''),
});

export async function resetPassword(ctx: Ctx, input: { staffId: string; newPassword: string }) {
  const row = await loadStaff(ctx, input.staffId);
  if (actorId(ctx) === row.id) {
    throw new DomainError(
      'staff/reset-own-password',
      'Use “Change my password” for your own account: it asks for your current password.',
    );
  }
  const passwordHash = (ctx.pre as { passwordHash?: string } | undefined)?.passwordHash ?? (await hashPassword(input.newPassword));
  await updateAndEndSessions(ctx, row.id, { password_hash: passwordHash, failed_logins: 0, throttled_until: null }, endedReasons.passwordReset);
  return { ok: true as const };
}

export interface ChangePasswordCheck {
  check: PasswordCheck;
  passwordHash: string | null;
}

/** Outside the write lock: verify the current password, and only then hash the new one. */
export async function changePasswordPrecheck(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<ChangePasswordCheck> {
  if (input.currentPassword === input.newPassword) return { check: { staffId: null, ok: false }, passwordHash: null };
  const check = await passwordPrecheck(ctx, { password: input.currentPassword });
  return { check, passwordHash: check.ok ? await hashPassword(input.newPassword) : null };
}

export async function changeOwnPassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }) {
  const id = actorId(ctx);
  if (!id) throw new DomainError('auth/unauthenticated', 'Please sign in.');
  if (input.currentPassword === input.newPassword) {
    throw new DomainError('validation/invalid-input', 'Some fields need attention.', {
      fieldErrors: { newPassword: ['Choose a password different from the current one.'] },
    });
  }
  const pre = (ctx.pre as ChangePasswordCheck | undefined) ?? (await changePasswordPrecheck(ctx, input));
  const row = await loadStaff(ctx, id);
  ctx.auditRecord('staff', id);
  const at = ctx.clock.now();
  if (isThrottled(row, at)) throw throttled(row.throttled_until!, at);
  if (!pre.check.ok || pre.check.staffId !== id || !pre.passwordHash) {
    const wait = await recordFailure(ctx, id, row.failed_logins + 1, at);
    throw new DomainError('auth/invalid-credentials', 'Your current password is not right.', {
      fieldErrors: { currentPassword: ['Wrong password.'] },
      keepChanges: true,
      details: wait > 0 ? { retryAfterSeconds: wait } : undefined,
    });
  }
  await updateAndEndSessions(ctx, id, { password_hash: pre.passwordHash, failed_logins: 0, throttled_until: null }, endedReasons.passwordChanged);
  return { ok: true as const };
}
