import type { AffectedBooking } from '../../contract/roster.contract.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound, type FieldErrors } from '../errors.js';
import { recordKept, requireAcknowledged } from './affected-bookings.service.js';

/**
 * A checked roster change: which bookings it would affect, and how to save it. The preview
 * handler only reads `affected`; the save handlers call `applyPlan`.
 */
export interface Plan<T extends { id: string }> {
  affected: AffectedBooking[];
  recordType: string;
  commit(): Promise<T>;
}

export async function applyPlan<T extends { id: string }>(ctx: Ctx, handler: string, plan: Plan<T>, acknowledged: string[] | undefined) {
  requireAcknowledged(plan.affected, acknowledged);
  const out = await plan.commit();
  await recordKept(ctx, handler, { type: plan.recordType, id: out.id }, plan.affected);
  return { ...out, affected: plan.affected };
}

export const invalid = (fieldErrors: FieldErrors): DomainError =>
  new DomainError('validation/invalid-input', 'Some fields need attention.', { fieldErrors });

export const throwIfAny = (errors: FieldErrors): void => {
  if (Object.keys(errors).length > 0) throw invalid(errors);
};

export async function requireDoctor(db: Db, doctorId: string) {
  const doctor = await db.selectFrom('doctor').selectAll().where('id', '=', doctorId).executeTakeFirst();
  if (!doctor) throw notFound('The doctor');
  return doctor;
}

export async function locationMap(db: Db) {
  const rows = await db.selectFrom('location').select(['id', 'name', 'timezone', 'active']).execute();
  return new Map(rows.map((l) => [l.id, { name: l.name, zone: l.timezone, active: l.active === 1 }]));
}

/** Field errors for ids that name no specialization. */
export async function unknownSpecializations(db: Db, ids: readonly string[], key: string): Promise<FieldErrors> {
  if (ids.length === 0) return {};
  const found = new Set((await db.selectFrom('specialization').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  return missing.length > 0 ? { [key]: [`Unknown specialization${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`] } : {};
}

/** Is `name` taken by another row of a table with a unique NOCASE name? */
export async function nameTaken(db: Db, table: 'location' | 'specialization' | 'consultation_type', name: string, exceptId?: string) {
  let q = db.selectFrom(table).select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
