/**
 * Receipts (issue 10 item 9): the data of one payment's receipt, read in one place for the
 * print view and the PDF. A patient reads only receipts of their own payments; for anyone
 * else's payment they get the same "not found" as for a payment that does not exist.
 */
import type { ReceiptView } from '../../contract/receipts.contract.js';
import type { Ctx } from '../context.js';
import { notFound } from '../errors.js';
import { localeForCountry } from '../money/money.js';
import { appointmentQuery, toView } from '../booking/appointment-view.js';
import { paymentViewOf, refundView } from './payment-state.js';
import { localDateOf, localTime } from '../time/time.js';
import { buildReceiptPdf } from './receipt-pdf.js';

/** The receipt number: the payment id's first 8 characters, upper case, without dashes. */
export const receiptNumber = (paymentId: string): string => paymentId.replace(/-/g, '').slice(0, 8).toUpperCase();

/** Base, discount (a confirmed referral-code use carries it, with the code) and total. */
export async function priceOf(ctx: Ctx, appointmentId: string) {
  const a = await ctx.db.selectFrom('appointment').select(['id', 'patient_id', 'price_minor', 'currency']).where('id', '=', appointmentId).executeTakeFirst();
  if (!a || (ctx.actor.kind === 'patient' && a.patient_id !== ctx.actor.patientId)) throw notFound('The appointment');
  const redemption = await ctx.db
    .selectFrom('referral_redemption as r')
    .innerJoin('referral_code as c', 'c.id', 'r.code_id')
    .select(['r.base_minor', 'r.discount_minor', 'r.total_minor', 'c.code'])
    .where('r.appointment_id', '=', a.id)
    .where('r.status', '=', 'confirmed')
    .executeTakeFirst();
  return redemption
    ? { currency: a.currency, baseMinor: redemption.base_minor, discountMinor: redemption.discount_minor, code: redemption.code, totalMinor: redemption.total_minor }
    : { currency: a.currency, baseMinor: a.price_minor, discountMinor: 0, code: null, totalMinor: a.price_minor };
}

export async function receiptOf(ctx: Ctx, input: { paymentId: string }): Promise<{ receipt: ReceiptView }> {
  const p = await ctx.db.selectFrom('payment').selectAll().where('id', '=', input.paymentId).executeTakeFirst();
  const foreign = ctx.actor.kind === 'patient' && p?.patient_id !== ctx.actor.patientId;
  if (!p || !p.appointment_id || foreign) throw notFound('The payment');
  const row = await appointmentQuery(ctx.db).where('a.id', '=', p.appointment_id).executeTakeFirst();
  if (!row) throw notFound('The payment');
  const a = toView(row);
  const location = await ctx.db.selectFrom('location').select(['name', 'address']).where('id', '=', a.locationId).executeTakeFirstOrThrow();
  const refunds = await ctx.db.selectFrom('refund').selectAll().where('payment_id', '=', p.id).orderBy('created_at').execute();
  const taker = p.created_by ? await ctx.db.selectFrom('staff').select(['id', 'display_name']).where('id', '=', p.created_by).executeTakeFirst() : undefined;
  const view = paymentViewOf(p, refunds, new Map(taker ? [[taker.id, taker.display_name]] : []));
  const { currency: _currency, ...price } = await priceOf(ctx, a.id);
  const paidAt = p.settled_at ?? p.created_at;
  return {
    receipt: {
      number: receiptNumber(p.id),
      paymentId: p.id,
      clinic: { name: ctx.settings.clinicName, locationName: location.name, address: location.address },
      patient: { id: a.patientId, name: a.patientName, number: a.patientNumber },
      appointment: {
        id: a.id,
        localDate: a.localDate,
        localStart: a.localStart,
        localEnd: a.localEnd,
        timeZone: a.timeZone,
        doctorName: a.doctorName,
        consultationType: a.consultationType,
        status: a.status,
      },
      currency: p.currency,
      locale: localeForCountry(ctx.settings.defaultCountry),
      price,
      method: p.method,
      status: p.status,
      amountMinor: p.amount_minor,
      tenderedMinor: p.tendered_minor,
      changeMinor: p.change_minor,
      reference: p.reference,
      insurer: p.insurer,
      refunds: refunds.map((r) => refundView(r, p.method)),
      refundedMinor: view.refundedMinor,
      takenByName: view.createdByName,
      businessDay: p.business_day,
      paidAt,
      paidAtLocal: `${localDateOf(paidAt, ctx.settings.timeZone)} ${localTime(paidAt, ctx.settings.timeZone)}`,
    },
  };
}

export async function receiptPdf(ctx: Ctx, input: { paymentId: string }) {
  const { receipt } = await receiptOf(ctx, input);
  const pdf = await buildReceiptPdf(receipt);
  return { fileName: `receipt-${receipt.number}.pdf`, contentType: 'application/pdf' as const, base64: pdf.toString('base64') };
}
