/**
 * Using a referral code: checking it (why it fails, in plain words, or the price with its
 * discount), and the redemption rows that hold a use while a booking waits.
 *
 * For booking, inside its own transaction (the dispatcher's BEGIN IMMEDIATE):
 *   reserveRedemption(ctx, { code, patientId, consultationTypeId, baseAmount, holdId? })
 *     → { redemptionId, breakdown, expiresAt }   (the reservation expires with the hold)
 *   confirmRedemption(ctx, redemptionId, appointmentId) → { breakdown }
 *   releaseRedemption(ctx, redemptionId, reason)   (hold expired, payment failed, cancelled)
 * The limits are enforced by the database's triggers (migration 0012); the checks here only
 * explain a refusal before it happens.
 */
import type { z } from 'zod';
import type { ReferralCheck, referralCheckInput, ReferralRefusal } from '../../contract/referral.contract.js';
import type { ReferralCodeTable } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { todayIn } from '../time/time.js';
import { formatMoney, localeForCountry, priceBreakdown, type DiscountRule, type Money, type PriceBreakdown } from '../money/money.js';

export type Evaluation =
  | { ok: true; row: ReferralCodeTable; breakdown: PriceBreakdown }
  | { ok: false; reason: ReferralRefusal; message: string; row: ReferralCodeTable | null };

const CODE_SHAPE = /^[A-Z0-9-]{3,32}$/;

export const normaliseCode = (typed: string): string => typed.trim().toUpperCase();

const longDate = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function discountOf(row: ReferralCodeTable): DiscountRule {
  return row.discount_kind === 'percent'
    ? { kind: 'percent', bp: row.discount_bp!, capMinor: row.discount_cap_minor }
    : { kind: 'fixed', minor: row.discount_minor!, currency: row.currency };
}

/** Uses that count at `now`: confirmed ones and reservations not yet expired. */
async function countingUses(ctx: Ctx, codeId: string, patientId?: string): Promise<number> {
  const now = nowIso(ctx);
  const row = await ctx.db
    .selectFrom('referral_redemption')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code_id', '=', codeId)
    .$if(Boolean(patientId), (q) => q.where('patient_id', '=', patientId!))
    .where((eb) => eb.or([eb('status', '=', 'confirmed'), eb.and([eb('status', '=', 'reserved'), eb('expires_at', '>', now)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Checks a code for one consultation and (optionally) one patient, in a fixed order: unknown,
 * deactivated, not yet valid, expired, not for this consultation, below the minimum, used up,
 * already used by this patient. `who` only changes the wording of the last reason.
 */
export async function evaluateCode(
  ctx: Ctx,
  input: { code: string; consultationTypeId: string; patientId?: string | null; baseAmount: Money; who?: 'patient' | 'staff' },
): Promise<Evaluation> {
  const code = normaliseCode(input.code);
  const fail = (reason: ReferralRefusal, message: string, row: ReferralCodeTable | null = null): Evaluation => ({ ok: false, reason, message, row });
  if (!CODE_SHAPE.test(code)) return fail('unknown', 'There is no referral code like this. Check the spelling.');
  const row = await ctx.db.selectFrom('referral_code').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) return fail('unknown', `There is no referral code “${code}”. Check the spelling.`);
  if (row.active !== 1) return fail('deactivated', `The code ${code} has been deactivated.`, row);
  const today = todayIn(ctx.settings.timeZone, ctx.clock.now());
  if (row.valid_from && today < row.valid_from) return fail('not-yet-valid', `The code ${code} can be used from ${longDate(row.valid_from)}.`, row);
  if (row.valid_until && today > row.valid_until) return fail('expired', `The code ${code} expired on ${longDate(row.valid_until)}.`, row);
  const types = JSON.parse(row.consultation_type_ids) as string[];
  if (types.length > 0 && !types.includes(input.consultationTypeId)) {
    return fail('not-for-consultation', `The code ${code} is not for this consultation.`, row);
  }
  const locale = localeForCountry(ctx.settings.defaultCountry);
  if (input.baseAmount.currency !== row.currency) {
    return fail('not-for-consultation', `The code ${code} is in ${row.currency}; this consultation is priced in ${input.baseAmount.currency}.`, row);
  }
  if (input.baseAmount.minor < row.min_amount_minor) {
    return fail('below-minimum', `The code ${code} needs a price of at least ${formatMoney(row.min_amount_minor, row.currency, locale)}.`, row);
  }
  if (row.usage_limit !== null && (await countingUses(ctx, row.id)) >= row.usage_limit) {
    return fail('used-up', `The code ${code} has been used up.`, row);
  }
  if (input.patientId && row.per_patient_limit !== null && (await countingUses(ctx, row.id, input.patientId)) >= row.per_patient_limit) {
    return fail('patient-limit', input.who === 'patient' ? `You have already used the code ${code}.` : `This patient has already used the code ${code}.`, row);
  }
  return { ok: true, row, breakdown: priceBreakdown(input.baseAmount, discountOf(row)) };
}

async function consultationPrice(ctx: Ctx, consultationTypeId: string): Promise<Money> {
  const type = await ctx.db.selectFrom('consultation_type').select(['price_minor', 'currency']).where('id', '=', consultationTypeId).executeTakeFirst();
  if (!type) throw new DomainError('validation/invalid-input', 'Choose a consultation type.', { fieldErrors: { consultationTypeId: ['This consultation type does not exist.'] } });
  return { minor: type.price_minor, currency: type.currency };
}

/** `referral/check`: staff for any patient (or none), a patient for themselves only. */
export async function checkReferral(ctx: Ctx, input: z.output<typeof referralCheckInput>): Promise<ReferralCheck> {
  let patientId = input.patientId ?? null;
  if (ctx.actor.kind === 'patient') {
    if (patientId && patientId !== ctx.actor.patientId) throw new DomainError('auth/forbidden', 'You can check a code only for yourself.');
    patientId = ctx.actor.patientId;
  } else if (patientId) {
    const exists = await ctx.db.selectFrom('patient').select('id').where('id', '=', patientId).executeTakeFirst();
    if (!exists) throw new DomainError('validation/invalid-input', 'Choose a patient.', { fieldErrors: { patientId: ['This patient does not exist.'] } });
  }
  const base = await consultationPrice(ctx, input.consultationTypeId);
  const plain = priceBreakdown(base, null);
  if (input.code.trim() === '') return { valid: false, reason: null, message: '', breakdown: plain };
  const result = await evaluateCode(ctx, { code: input.code, consultationTypeId: input.consultationTypeId, patientId, baseAmount: base, who: ctx.actor.kind === 'patient' ? 'patient' : 'staff' });
  if (!result.ok) return { valid: false, reason: result.reason, message: result.message, breakdown: plain };
  const locale = localeForCountry(ctx.settings.defaultCountry);
  return {
    valid: true,
    reason: null,
    message: `Code ${result.row.code}: ${formatMoney(result.breakdown.discountMinor, base.currency, locale)} off.`,
    breakdown: result.breakdown,
  };
}

const TRIGGER_REFUSALS: Record<string, { reason: ReferralRefusal; message: string }> = {
  'referral/used-up': { reason: 'used-up', message: 'This code has just been used up.' },
  'referral/patient-limit': { reason: 'patient-limit', message: 'This patient has already used this code.' },
  'referral/deactivated': { reason: 'deactivated', message: 'This code has been deactivated.' },
};

const refusal = (reason: ReferralRefusal, message: string) =>
  new DomainError(`referral/${reason}`, message, { fieldErrors: { referralCode: [message] }, details: { reason } });

/** The database's verdict (a trigger's RAISE) as the same refusal the checks give. */
async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const known = TRIGGER_REFUSALS[(err as Error)?.message ?? ''];
    if (known) throw refusal(known.reason, known.message);
    throw err;
  }
}

const canonical = (iso: string): string => new Date(iso).toISOString();

/**
 * Holds one use of a code for a booking that waits (for its slot hold, for payment). Call it
 * inside the booking's transaction. The reservation expires with the hold (`holdId`), or at
 * `expiresAt`, or after the clinic's hold length; an expired reservation no longer counts.
 */
export async function reserveRedemption(
  ctx: Ctx,
  input: { code: string; patientId: string; consultationTypeId: string; baseAmount: Money; holdId?: string | null; expiresAt?: string },
): Promise<{ redemptionId: string; breakdown: PriceBreakdown; expiresAt: string }> {
  const result = await evaluateCode(ctx, { ...input, who: ctx.actor.kind === 'patient' ? 'patient' : 'staff' });
  if (!result.ok) throw refusal(result.reason, result.message);
  let expiresAt = input.expiresAt ? canonical(input.expiresAt) : null;
  if (!expiresAt && input.holdId) {
    const hold = await ctx.db.selectFrom('appointment_hold').select('expires_at').where('id', '=', input.holdId).executeTakeFirst();
    if (!hold) throw new DomainError('booking/hold-expired', 'The held slot has expired. Choose a slot again.');
    expiresAt = canonical(hold.expires_at);
  }
  expiresAt ??= new Date(ctx.clock.now().getTime() + ctx.settings.holdMinutes * 60_000).toISOString();
  const id = ctx.newId();
  const at = nowIso(ctx);
  await guarded(() =>
    ctx.db
      .insertInto('referral_redemption')
      .values({
        id,
        code_id: result.row.id,
        patient_id: input.patientId,
        consultation_type_id: input.consultationTypeId,
        hold_id: input.holdId ?? null,
        appointment_id: null,
        status: 'reserved',
        currency: result.breakdown.currency,
        base_minor: result.breakdown.baseMinor,
        discount_minor: result.breakdown.discountMinor,
        total_minor: result.breakdown.totalMinor,
        expires_at: expiresAt,
        released_reason: null,
        version: 1,
        created_at: at,
        updated_at: at,
      })
      .execute(),
  );
  return { redemptionId: id, breakdown: result.breakdown, expiresAt };
}

async function redemption(ctx: Ctx, id: string) {
  const row = await ctx.db.selectFrom('referral_redemption').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The referral code reservation');
  return row;
}

const breakdownOf = (row: { currency: string; base_minor: number; discount_minor: number; total_minor: number }): PriceBreakdown => ({
  currency: row.currency,
  baseMinor: row.base_minor,
  discountMinor: row.discount_minor,
  totalMinor: row.total_minor,
});

/**
 * Turns a reservation into a use of the code by `appointmentId` (call it in the transaction
 * that creates the appointment). Idempotent for the same appointment. A reservation that
 * expired meanwhile is confirmed only if the code still has a use left (the database checks).
 */
export async function confirmRedemption(ctx: Ctx, redemptionId: string, appointmentId: string): Promise<{ breakdown: PriceBreakdown }> {
  const row = await redemption(ctx, redemptionId);
  if (row.status === 'confirmed') {
    if (row.appointment_id === appointmentId) return { breakdown: breakdownOf(row) };
    throw new DomainError('referral/redemption-closed', 'This code was already used for another appointment.');
  }
  if (row.status === 'released') throw new DomainError('referral/redemption-closed', 'This code’s reservation was released. Enter the code again.');
  await guarded(() =>
    ctx.db
      .updateTable('referral_redemption')
      .set({ status: 'confirmed', appointment_id: appointmentId, version: row.version + 1, updated_at: nowIso(ctx) })
      .where('id', '=', redemptionId)
      .where('version', '=', row.version)
      .execute(),
  );
  return { breakdown: breakdownOf(row) };
}

/** Gives the use back (hold expired, payment failed, booking cancelled before payment). Idempotent. */
export async function releaseRedemption(ctx: Ctx, redemptionId: string, reason: string): Promise<void> {
  const row = await redemption(ctx, redemptionId);
  if (row.status === 'released') return;
  await ctx.db
    .updateTable('referral_redemption')
    .set({ status: 'released', released_reason: reason.slice(0, 200), version: row.version + 1, updated_at: nowIso(ctx) })
    .where('id', '=', redemptionId)
    .where('version', '=', row.version)
    .execute();
}

/** Releases every reservation made with a hold (when the hold is released or replaced). */
export async function releaseRedemptionsOfHold(ctx: Ctx, holdId: string, reason: string): Promise<number> {
  const rows = await ctx.db.selectFrom('referral_redemption').select('id').where('hold_id', '=', holdId).where('status', '=', 'reserved').execute();
  for (const r of rows) await releaseRedemption(ctx, r.id, reason);
  return rows.length;
}

/** Keeps a reservation alive while its payment is in progress (the hold was extended). */
export async function extendRedemption(ctx: Ctx, redemptionId: string, expiresAt: string): Promise<void> {
  const row = await redemption(ctx, redemptionId);
  if (row.status !== 'reserved') throw new DomainError('referral/redemption-closed', 'This code’s reservation is no longer open.');
  await guarded(() =>
    ctx.db
      .updateTable('referral_redemption')
      .set({ expires_at: canonical(expiresAt), version: row.version + 1, updated_at: nowIso(ctx) })
      .where('id', '=', redemptionId)
      .where('version', '=', row.version)
      .execute(),
  );
}
