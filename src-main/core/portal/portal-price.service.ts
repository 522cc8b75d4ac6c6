/**
 * The patient page's price preview (issues 10 item 2 and 14): what the patient's own hold would
 * cost with a referral code, checked as the code is typed — the same checks and the same
 * price as booking (`checkReferral` → `evaluateCode`, the consultation type's price), so the
 * page never promises what booking then refuses. It writes and reserves nothing: the code's
 * use is taken by the booking itself (`priceForBooking`).
 */
import type { Ctx } from '../context.js';
import { nowIso } from '../context.js';
import { DomainError } from '../errors.js';
import { HOLD_GONE, holderOf } from '../booking/holds.service.js';
import { checkReferral, normaliseCode } from '../referrals/redemption.service.js';
import type { ReferralRefusal } from '../../contract/referral.contract.js';
import type { AppointmentPrice } from '../../contract/booking.contract.js';

export async function portalPricePreview(
  ctx: Ctx,
  input: { holdId: string; referralCode: string },
): Promise<{ valid: boolean; reason: ReferralRefusal | null; message: string; price: AppointmentPrice }> {
  if (ctx.actor.kind !== 'patient') throw new DomainError('auth/forbidden', 'This is for patients signed in on the booking page.');
  const hold = await ctx.db
    .selectFrom('appointment_hold')
    .select(['holder', 'consultation_type_id', 'expires_at'])
    .where('id', '=', input.holdId)
    .executeTakeFirst();
  // Another patient's hold, an expired one and an unknown id all read the same.
  if (!hold || hold.holder !== holderOf(ctx) || hold.expires_at <= nowIso(ctx)) {
    throw new DomainError('booking/hold-expired', HOLD_GONE, { fieldErrors: { holdId: [HOLD_GONE] } });
  }
  const check = await checkReferral(ctx, { code: input.referralCode, consultationTypeId: hold.consultation_type_id });
  return {
    valid: check.valid,
    reason: check.reason,
    message: check.message,
    price: { ...check.breakdown, referralCode: check.valid ? normaliseCode(input.referralCode) : null },
  };
}
