/**
 * The ledger: append-only double entry. A movement is one `txn_id` with two or more rows whose
 * amounts sum to zero (debits positive, credits negative); rows are never changed or deleted
 * (the database refuses), and none is written into a day its desk has closed. Corrections are
 * new movements.
 */
import type { LedgerAccount, LedgerKind } from '../db/schema.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { addDays, todayIn } from '../time/time.js';
import { readDesk } from '../desk/desk.service.js';

export interface LedgerLine {
  account: LedgerAccount;
  /** Debit positive, credit negative. */
  amountMinor: number;
}

export interface Movement {
  kind: LedgerKind;
  currency: string;
  lines: readonly LedgerLine[];
  memo: string;
  paymentId?: string | null;
  refundId?: string | null;
  appointmentId?: string | null;
  referralCodeId?: string | null;
}

/** Debit `to`, credit `from`: the usual two-line movement. */
export const move = (from: LedgerAccount, to: LedgerAccount, amountMinor: number): LedgerLine[] => [
  { account: to, amountMinor },
  { account: from, amountMinor: -amountMinor },
];

export async function deskId(ctx: Ctx): Promise<string> {
  return (await readDesk(ctx.db)).id;
}

/**
 * The day this desk's money counts on now: today in the clinic's zone, or — once today's
 * cash-up is closed — the next day not yet closed (like a till after its end-of-day report).
 */
export async function businessDay(ctx: Ctx, desk: string): Promise<string> {
  let day = todayIn(ctx.settings.timeZone, ctx.clock.now());
  const closed = new Set(
    (await ctx.db.selectFrom('cash_up').select('business_day').where('desk_id', '=', desk).where('business_day', '>=', day).execute()).map((r) => r.business_day),
  );
  while (closed.has(day)) day = addDays(day, 1);
  return day;
}

/** Writes one balanced movement; returns its txn id. Zero lines are dropped; an unbalanced one is a bug. */
export async function post(ctx: Ctx, m: Movement, where?: { desk: string; day: string }): Promise<string | null> {
  const lines = m.lines.filter((l) => l.amountMinor !== 0);
  if (lines.length === 0) return null;
  const sum = lines.reduce((s, l) => s + l.amountMinor, 0);
  if (sum !== 0 || lines.some((l) => !Number.isSafeInteger(l.amountMinor))) {
    throw new Error(`ledger: unbalanced movement (${m.kind}: ${lines.map((l) => `${l.account} ${l.amountMinor}`).join(', ')})`);
  }
  const desk = where?.desk ?? (await deskId(ctx));
  const day = where?.day ?? (await businessDay(ctx, desk));
  const txnId = ctx.newId();
  const at = nowIso(ctx);
  try {
    await ctx.db
      .insertInto('ledger_entry')
      .values(
        lines.map((l) => ({
          id: ctx.newId(),
          txn_id: txnId,
          at,
          business_day: day,
          desk_id: desk,
          kind: m.kind,
          account: l.account,
          amount_minor: l.amountMinor,
          currency: m.currency,
          payment_id: m.paymentId ?? null,
          refund_id: m.refundId ?? null,
          appointment_id: m.appointmentId ?? null,
          referral_code_id: m.referralCodeId ?? null,
          memo: m.memo.slice(0, 300),
          created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
        })),
      )
      .execute();
  } catch (err) {
    if ((err as Error).message === 'payment/day-closed') {
      throw new DomainError('payment/day-closed', `The cash-up for ${day} is closed on this desk: its payments cannot change. Correct them with a new entry today.`);
    }
    throw err;
  }
  return txnId;
}

/** Movements whose rows do not sum to zero (always 0; the property tests and the balance screen check it). */
export async function unbalancedTxns(ctx: Ctx): Promise<number> {
  const rows = await ctx.db
    .selectFrom('ledger_entry')
    .select(['txn_id', 'currency'])
    .groupBy(['txn_id', 'currency'])
    .having((eb) => eb.fn.sum<number>('amount_minor'), '<>', 0)
    .execute();
  return rows.length;
}
