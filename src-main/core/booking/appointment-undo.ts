/**
 * Undo of the last action on an appointment: a check-in, a no-show or a cancellation, for a
 * few minutes, by the staff member who did it (issue 12, item 3).
 *
 * The action writes an `appointment_undo` row in its own transaction saying what it changed —
 * the status before and after and, for a cancellation or a no-show, what the cancellation
 * policy did to money: the refunds it created, the payments in progress it withdrew, the ledger
 * movements it posted (the fee kept), the referral use it gave back and the fee it set. Undo
 * reverses exactly that in one transaction, or refuses in plain words and changes nothing:
 *
 * - the slot must still be free (no other appointment of the doctor, no other desk's hold, no
 *   other visit of the patient at that time) and, for a cancellation, not yet begun;
 * - a refund whose money has gone (cash paid out, a card terminal or insurer refund already
 *   recorded, any refund through Stripe, which the follow-up may be making right now) and a
 *   payment in progress that was withdrawn cannot be taken back: undo refuses and says so;
 *   a refund still waiting for staff (card terminal, insurer) is withdrawn;
 * - the fee kept is reversed in the ledger with a correcting movement (the ledger is append
 *   only), the commission is brought back to what is paid, the fee on the appointment restored;
 * - a referral use given back is taken again if the code still has one (a new confirmed use:
 *   a released use stays released); if the last use went to someone else meanwhile, undo refuses.
 *
 * The row is marked undone in the same transaction, so a replay (a double press, a retried
 * request) changes nothing and answers with the appointment as it is.
 */
import { sql } from 'kysely';
import type { AppointmentStatus, AppointmentUndoTable } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import { formatMoney, localeForCountry } from '../money/money.js';
import { businessDay, deskId, post } from '../payments/ledger.js';
import { moneyState, refreshStatus, syncCommission } from '../payments/payment-state.js';
import { paymentMethodLabels, type PaymentMethodName } from '../../contract/payments.contract.js';
import { loadAppointment } from './appointment-view.js';
import { patientClashes } from './patient-overlap.js';

/** How long an action can be undone. */
export const UNDO_WINDOW_MINUTES = 10;

export type UndoAction = AppointmentUndoTable['action'];

interface Effects {
  refundIds: string[];
  withdrawnPaymentIds: string[];
  ledgerTxnIds: string[];
  releasedRedemptionId: string | null;
  feeBefore: number;
}

/** What the money looked like before an action (taken inside the action's transaction). */
export interface MoneyMark {
  refundRowid: number;
  ledgerSeq: number;
  pendingPaymentIds: string[];
  confirmedRedemptionId: string | null;
  feeBefore: number;
}

export async function markMoney(ctx: Ctx, appointmentId: string): Promise<MoneyMark> {
  const s = await moneyState(ctx, appointmentId);
  const refund = await sql<{ n: number | null }>`SELECT max(rowid) AS n FROM refund`.execute(ctx.db);
  const ledger = await sql<{ n: number | null }>`SELECT max(seq) AS n FROM ledger_entry`.execute(ctx.db);
  const redemption = await ctx.db
    .selectFrom('referral_redemption')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return {
    refundRowid: Number(refund.rows[0]?.n ?? 0),
    ledgerSeq: Number(ledger.rows[0]?.n ?? 0),
    pendingPaymentIds: s.payments.filter((p) => p.status === 'pending').map((p) => p.id),
    confirmedRedemptionId: redemption?.id ?? null,
    feeBefore: s.appointment.fee_minor,
  };
}

/**
 * Records what an action did, after it did it, in its transaction. Only staff actions can be
 * undone (a patient cancelling online gets no undo). Returns the offer the desk shows.
 */
export async function recordUndo(
  ctx: Ctx,
  q: { appointmentId: string; action: UndoAction; from: AppointmentStatus; to: AppointmentStatus; mark?: MoneyMark },
): Promise<{ id: string; action: UndoAction; expiresAt: string } | null> {
  if (ctx.actor.kind !== 'staff') return null;
  const effects: Effects = { refundIds: [], withdrawnPaymentIds: [], ledgerTxnIds: [], releasedRedemptionId: null, feeBefore: 0 };
  if (q.mark) {
    const m = q.mark;
    const refunds = await sql<{ id: string }>`SELECT id FROM refund WHERE rowid > ${m.refundRowid} ORDER BY rowid`.execute(ctx.db);
    const txns = await sql<{ txn_id: string }>`SELECT txn_id FROM ledger_entry WHERE seq > ${m.ledgerSeq} GROUP BY txn_id ORDER BY min(seq)`.execute(ctx.db);
    const withdrawn = m.pendingPaymentIds.length
      ? await ctx.db.selectFrom('payment').select('id').where('id', 'in', m.pendingPaymentIds).where('status', '<>', 'pending').execute()
      : [];
    let released: string | null = null;
    if (m.confirmedRedemptionId) {
      const r = await ctx.db.selectFrom('referral_redemption').select('status').where('id', '=', m.confirmedRedemptionId).executeTakeFirst();
      if (r?.status === 'released') released = m.confirmedRedemptionId;
    }
    effects.refundIds = refunds.rows.map((r) => r.id);
    effects.ledgerTxnIds = txns.rows.map((r) => r.txn_id);
    effects.withdrawnPaymentIds = withdrawn.map((p) => p.id);
    effects.releasedRedemptionId = released;
    effects.feeBefore = m.feeBefore;
  }
  const at = await ctx.db.selectFrom('appointment').select('status_changed_at').where('id', '=', q.appointmentId).executeTakeFirstOrThrow();
  const atIso = at.status_changed_at ?? nowIso(ctx);
  const row = {
    id: ctx.newId(),
    appointment_id: q.appointmentId,
    action: q.action,
    from_status: q.from,
    to_status: q.to,
    staff_id: ctx.actor.id,
    at: atIso,
    expires_at: new Date(Date.parse(atIso) + UNDO_WINDOW_MINUTES * 60_000).toISOString(),
    effects: JSON.stringify(effects),
    undone_at: null,
  };
  await ctx.db.insertInto('appointment_undo').values(row).execute();
  return { id: row.id, action: q.action, expiresAt: row.expires_at };
}

const statusWords: Record<AppointmentStatus, string> = {
  booked: 'booked',
  checked_in: 'checked in',
  completed: 'completed',
  no_show: 'a no-show',
  cancelled: 'cancelled',
};
const actionWords: Record<UndoAction, string> = { check_in: 'check-in', no_show: 'no-show', cancel: 'cancellation' };

function refuse(code: string, message: string): never {
  throw new DomainError(code, message);
}

export async function undoAction(ctx: Ctx, input: { undoId: string }) {
  const undo = await ctx.db.selectFrom('appointment_undo').selectAll().where('id', '=', input.undoId).executeTakeFirst();
  // Someone else's undo is as unknown as one that does not exist.
  if (!undo || ctx.actor.kind !== 'staff') throw notFound('That action');
  ctx.auditRecord('appointment', undo.appointment_id);
  const what = actionWords[undo.action];
  if (undo.staff_id !== ctx.actor.id) {
    refuse('appointment/undo-not-yours', `Only the person who recorded this ${what} can undo it.`);
  }
  if (undo.undone_at) {
    // A replay: done once already, nothing more to do.
    return { appointment: await loadAppointment(ctx.db, undo.appointment_id), alreadyUndone: true, summary: `The ${what} was undone already.` };
  }
  const now = ctx.clock.now().getTime();
  if (now >= Date.parse(undo.expires_at)) {
    refuse(
      'appointment/undo-expired',
      undo.action === 'cancel'
        ? `A cancellation can be undone for ${UNDO_WINDOW_MINUTES} minutes only. Book the patient again instead.`
        : `A ${what} can be undone for ${UNDO_WINDOW_MINUTES} minutes only.`,
    );
  }
  const row = await ctx.db.selectFrom('appointment').selectAll().where('id', '=', undo.appointment_id).executeTakeFirstOrThrow();
  if (row.status !== undo.to_status || row.status_changed_at !== undo.at) {
    refuse('appointment/undo-stale', `This appointment has changed since (it is now ${statusWords[row.status]}): there is nothing to undo.`);
  }
  const restore = undo.action === 'cancel' ? 'booked' : undo.from_status;
  if (undo.action === 'cancel' && Date.parse(row.start_at) <= now) {
    refuse('appointment/undo-started', 'The appointment time has passed, so the cancellation cannot be undone.');
  }

  // The slot: another appointment of the doctor, another desk's hold, another visit of the patient.
  if (undo.action === 'cancel') {
    const taken = await ctx.db
      .selectFrom('appointment')
      .select('id')
      .where('doctor_id', '=', row.doctor_id)
      .where('id', '<>', row.id)
      .where('status', '<>', 'cancelled')
      .where('start_at', '>=', new Date(Date.parse(row.start_at) - 10 * 3_600_000).toISOString())
      .where('start_at', '<', row.block_end_at)
      .where('block_end_at', '>', row.start_at)
      .executeTakeFirst();
    const held = await ctx.db
      .selectFrom('appointment_hold')
      .select('id')
      .where('doctor_id', '=', row.doctor_id)
      .where('expires_at', '>', nowIso(ctx))
      .where('start_at', '<', row.block_end_at)
      .where('block_end_at', '>', row.start_at)
      .executeTakeFirst();
    if (taken || held) {
      refuse('appointment/undo-slot-taken', `This time has been ${taken ? 'booked' : 'held'} for someone else since, so the cancellation cannot be undone. Book the patient at another time.`);
    }
    if (!row.overlap_acknowledged_at) {
      const clashes = await patientClashes(ctx, row.patient_id, Date.parse(row.start_at), Date.parse(row.end_at));
      const c = clashes[0];
      if (c) {
        refuse('appointment/undo-patient-busy', `The patient has been booked with ${c.doctorName} at ${c.localStart} since, so the cancellation cannot be undone. Book another time if both visits are needed.`);
      }
    }
  }

  // Money: refuse plainly what cannot be taken back, before writing anything.
  const effects = JSON.parse(undo.effects) as Effects;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, localeForCountry(ctx.settings.defaultCountry));
  if (effects.withdrawnPaymentIds.length) {
    refuse('appointment/undo-money', `A payment that was in progress was withdrawn by the ${what} and cannot be restored. Book the patient again and take the payment again.`);
  }
  const refunds = effects.refundIds.length
    ? await ctx.db
        .selectFrom('refund as r')
        .innerJoin('payment as p', 'p.id', 'r.payment_id')
        .select(['r.id', 'r.status', 'r.amount_minor', 'r.currency', 'r.version', 'p.method'])
        .where('r.id', 'in', effects.refundIds)
        .execute()
    : [];
  for (const r of refunds) {
    const how = paymentMethodLabels[r.method as PaymentMethodName].toLowerCase();
    if (r.method === 'stripe_terminal' || r.method === 'stripe_checkout') {
      refuse('appointment/undo-money', `${money(r.amount_minor, r.currency)} is being refunded through Stripe and cannot be stopped, so the ${what} cannot be undone. Book the patient again and take the payment again.`);
    }
    if (r.status === 'succeeded') {
      refuse('appointment/undo-money', `${money(r.amount_minor, r.currency)} has already been refunded (${how}), so the ${what} cannot be undone. Book the patient again and take the payment again.`);
    }
  }

  const at = nowIso(ctx);
  const desk = await deskId(ctx);
  const day = await businessDay(ctx, desk);
  // Refunds still waiting for staff (terminal, insurer) are withdrawn with their to-do items.
  for (const r of refunds.filter((x) => x.status === 'pending')) {
    await ctx.db
      .updateTable('refund')
      .set({ status: 'failed', failure_reason: `Withdrawn: the ${what} was undone`, business_day: day, next_check_at: null, updated_at: at, version: r.version + 1 })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .execute();
    await ctx.db
      .updateTable('payment_attention')
      .set({ resolved_at: at, resolved_by: ctx.actor.id, resolution: `Not needed: the ${what} was undone`, version: sql`version + 1` })
      .where('refund_id', '=', r.id)
      .where('resolved_at', 'is', null)
      .execute();
  }
  // The fee kept goes back out of fee income (commission movements are redone below from what is paid).
  if (effects.ledgerTxnIds.length) {
    const entries = await ctx.db
      .selectFrom('ledger_entry')
      .select(['txn_id', 'kind', 'account', 'amount_minor', 'currency'])
      .where('txn_id', 'in', effects.ledgerTxnIds)
      .where('kind', '=', 'fee')
      .orderBy('seq')
      .execute();
    const byTxn = new Map<string, typeof entries>();
    for (const e of entries) byTxn.set(e.txn_id, [...(byTxn.get(e.txn_id) ?? []), e]);
    for (const lines of byTxn.values()) {
      await post(
        ctx,
        {
          kind: 'correction',
          currency: lines[0]!.currency,
          lines: lines.map((l) => ({ account: l.account, amountMinor: -l.amount_minor })),
          memo: `Fee reversed: the ${what} was undone`,
          appointmentId: row.id,
        },
        { desk, day },
      );
    }
  }
  // The referral use given back is taken again (a released use stays released: a new one is confirmed).
  if (effects.releasedRedemptionId) {
    const old = await ctx.db.selectFrom('referral_redemption').selectAll().where('id', '=', effects.releasedRedemptionId).executeTakeFirstOrThrow();
    const id = ctx.newId();
    try {
      await ctx.db
        .insertInto('referral_redemption')
        .values({ ...old, id, hold_id: null, appointment_id: row.id, status: 'confirmed', released_reason: null, version: 1, created_at: at, updated_at: at })
        .execute();
    } catch (err) {
      const reason = (err as Error).message;
      if (reason.startsWith('referral/')) {
        refuse(
          'appointment/undo-referral',
          `The referral code ${row.referral_code ?? ''} ${reason === 'referral/deactivated' ? 'has been deactivated' : 'has no use left'} since, so the cancellation cannot be undone at the same price. Book the patient again.`.replace('  ', ' '),
        );
      }
      throw err;
    }
    await ctx.db.updateTable('appointment').set({ referral_redemption_id: id }).where('id', '=', row.id).execute();
  }
  if (effects.feeBefore !== row.fee_minor) await ctx.db.updateTable('appointment').set({ fee_minor: effects.feeBefore }).where('id', '=', row.id).execute();

  try {
    await ctx.db
      .updateTable('appointment')
      .set({
        status: restore,
        cancelled_by_party: null,
        cancel_reason: null,
        cancelled_within_policy_window: null,
        status_changed_at: at,
        status_changed_by: ctx.actor.id,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('status', '=', undo.to_status)
      .execute();
  } catch (err) {
    if ((err as Error).message === 'booking/slot-taken') {
      refuse('appointment/undo-slot-taken', 'This time has been booked for someone else since, so the cancellation cannot be undone. Book the patient at another time.');
    }
    throw err;
  }
  if (undo.action !== 'check_in') {
    const s = await refreshStatus(ctx, row.id);
    await syncCommission(ctx, s);
  }
  await ctx.db.updateTable('appointment_undo').set({ undone_at: at }).where('id', '=', undo.id).where('undone_at', 'is', null).execute();
  return {
    appointment: await loadAppointment(ctx.db, row.id),
    alreadyUndone: false,
    summary: `The ${what} is undone: the appointment is ${statusWords[restore]} again.`,
  };
}
