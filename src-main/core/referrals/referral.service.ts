/** Referral codes: the admin's list, create/edit and (de)activation. Codes are never deleted. */
import type { z } from 'zod';
import type { referralCodeInput, ReferralCodeView } from '../../contract/referral.contract.js';
import type { ReferralCodeTable } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound, type FieldErrors } from '../errors.js';
import { localeForCountry } from '../money/money.js';

type CodeInput = z.output<typeof referralCodeInput>;

export function codeView(row: ReferralCodeTable, used: number, reserved: number): ReferralCodeView {
  return {
    id: row.id,
    code: row.code,
    agentName: row.agent_name,
    agentContact: row.agent_contact,
    agentPayout: row.agent_payout,
    commission:
      row.commission_kind === 'percent'
        ? { kind: 'percent', bp: row.commission_bp! }
        : row.commission_kind === 'fixed'
          ? { kind: 'fixed', amountMinor: row.commission_minor!, currency: row.currency }
          : { kind: 'none' },
    discount:
      row.discount_kind === 'percent'
        ? { kind: 'percent', bp: row.discount_bp!, capMinor: row.discount_cap_minor }
        : { kind: 'fixed', amountMinor: row.discount_minor!, currency: row.currency },
    currency: row.currency,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    usageLimit: row.usage_limit,
    perPatientLimit: row.per_patient_limit,
    minAmountMinor: row.min_amount_minor,
    consultationTypeIds: JSON.parse(row.consultation_type_ids) as string[],
    active: row.active === 1,
    version: row.version,
    used,
    reserved,
  };
}

/** Uses per code: confirmed, and reservations that have not expired at `now`. */
async function usage(ctx: Ctx, codeIds: string[] | null): Promise<Map<string, { used: number; reserved: number }>> {
  const now = nowIso(ctx);
  let q = ctx.db
    .selectFrom('referral_redemption')
    .select((eb) => [
      'code_id',
      eb.fn.sum<number>(eb.case().when('status', '=', 'confirmed').then(1).else(0).end()).as('used'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'reserved').then(1).else(0).end()).as('reserved'),
    ])
    .where((eb) => eb.or([eb('status', '=', 'confirmed'), eb.and([eb('status', '=', 'reserved'), eb('expires_at', '>', now)])]))
    .groupBy('code_id');
  if (codeIds) q = q.where('code_id', 'in', codeIds);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.code_id, { used: Number(r.used), reserved: Number(r.reserved) }]));
}

export async function listCodes(ctx: Ctx): Promise<{ codes: ReferralCodeView[]; currency: string; locale: string }> {
  const rows = await ctx.db.selectFrom('referral_code').selectAll().orderBy('active', 'desc').orderBy('code').execute();
  const uses = await usage(ctx, null);
  return {
    codes: rows.map((r) => codeView(r, uses.get(r.id)?.used ?? 0, uses.get(r.id)?.reserved ?? 0)),
    currency: ctx.settings.currency,
    locale: localeForCountry(ctx.settings.defaultCountry),
  };
}

async function viewOf(ctx: Ctx, id: string): Promise<ReferralCodeView> {
  const row = await ctx.db.selectFrom('referral_code').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const u = (await usage(ctx, [id])).get(id);
  return codeView(row, u?.used ?? 0, u?.reserved ?? 0);
}

/** Checks that need the database or the clinic's settings; zod checked the rest. */
async function fieldProblems(ctx: Ctx, input: CodeInput): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const clinic = ctx.settings.currency;
  const other = (c: string) => `Use the clinic’s currency, ${clinic}; this code cannot be in ${c}.`;
  if (input.discount.kind === 'fixed' && input.discount.currency !== clinic) errors['discount.currency'] = [other(input.discount.currency)];
  if (input.commission.kind === 'fixed' && input.commission.currency !== clinic) errors['commission.currency'] = [other(input.commission.currency)];
  if (input.discount.kind === 'fixed' && input.discount.amountMinor === 0) errors['discount.amountMinor'] = ['A discount must be more than zero.'];
  const ids = [...new Set(input.consultationTypeIds)];
  if (ids.length > 0) {
    const found = await ctx.db.selectFrom('consultation_type').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length) errors.consultationTypeIds = ['One of the chosen consultation types does not exist.'];
  }
  const taken = await ctx.db
    .selectFrom('referral_code')
    .select('id')
    .where('code', '=', input.code)
    .$if(Boolean(input.id), (q) => q.where('id', '<>', input.id!))
    .executeTakeFirst();
  if (taken) errors.code = ['Another referral code is already called this (codes ignore upper and lower case).'];
  return errors;
}

export async function saveCode(ctx: Ctx, input: CodeInput): Promise<{ code: ReferralCodeView }> {
  const existing = input.id ? await ctx.db.selectFrom('referral_code').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
  if (input.id && !existing) throw notFound('The referral code');
  if (existing && existing.version !== input.version) {
    throw new DomainError('referral/stale', 'Someone changed this code since you opened it. Reload it and make your change again.', {
      fieldErrors: { version: ['This code was changed meanwhile.'] },
    });
  }
  const errors = await fieldProblems(ctx, input);
  if (Object.keys(errors).length > 0) throw new DomainError('validation/invalid-input', 'Some fields need attention.', { fieldErrors: errors });
  const at = nowIso(ctx);
  const by = ctx.actor.kind === 'staff' ? ctx.actor.id : null;
  const row = {
    code: input.code,
    agent_name: input.agentName,
    agent_contact: input.agentContact,
    agent_payout: input.agentPayout,
    commission_kind: input.commission.kind,
    commission_bp: input.commission.kind === 'percent' ? input.commission.bp : null,
    commission_minor: input.commission.kind === 'fixed' ? input.commission.amountMinor : null,
    discount_kind: input.discount.kind,
    discount_bp: input.discount.kind === 'percent' ? input.discount.bp : null,
    discount_cap_minor: input.discount.kind === 'percent' ? input.discount.capMinor : null,
    discount_minor: input.discount.kind === 'fixed' ? input.discount.amountMinor : null,
    currency: ctx.settings.currency,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
    usage_limit: input.usageLimit,
    per_patient_limit: input.perPatientLimit,
    min_amount_minor: input.minAmountMinor,
    consultation_type_ids: JSON.stringify([...new Set(input.consultationTypeIds)]),
    active: input.active ? 1 : 0,
    updated_at: at,
    updated_by: by,
  };
  const id = existing?.id ?? ctx.newId();
  if (existing) {
    const done = await ctx.db
      .updateTable('referral_code')
      .set({ ...row, version: existing.version + 1 })
      .where('id', '=', id)
      .where('version', '=', existing.version)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new DomainError('referral/stale', 'Someone changed this code since you opened it. Reload it and make your change again.');
  } else {
    await ctx.db.insertInto('referral_code').values({ id, ...row, version: 1, created_at: at, created_by: by }).execute();
  }
  ctx.auditRecord('referral_code', id);
  const view = await viewOf(ctx, id);
  return { code: view };
}

export async function setCodeActive(ctx: Ctx, input: { id: string; version: number; active: boolean }): Promise<{ code: ReferralCodeView }> {
  const existing = await ctx.db.selectFrom('referral_code').select(['id', 'version', 'active']).where('id', '=', input.id).executeTakeFirst();
  if (!existing) throw notFound('The referral code');
  if (existing.version !== input.version) {
    throw new DomainError('referral/stale', 'Someone changed this code since you opened it. Reload it and make your change again.');
  }
  if ((existing.active === 1) !== input.active) {
    await ctx.db
      .updateTable('referral_code')
      .set({ active: input.active ? 1 : 0, version: existing.version + 1, updated_at: nowIso(ctx), updated_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null })
      .where('id', '=', input.id)
      .where('version', '=', existing.version)
      .execute();
  }
  ctx.auditRecord('referral_code', input.id);
  const view = await viewOf(ctx, input.id);
  return { code: view };
}
