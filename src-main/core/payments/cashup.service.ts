/**
 * The day's cash-up of one desk: what the ledger says the desk took and gave back on a business
 * day, per method, with the cash that should be in the till; closing it records the cash
 * counted and the difference. Once a day is closed the database refuses ledger rows for it and
 * changes to its settled payments and refunds (migration 0015's triggers): later money — a
 * refund of a payment taken that day, a correction — goes onto the desk's next open day as new
 * rows, and the closed day's report never changes.
 *
 * Who may close: any staff member. Closing the till is the receptionist's end-of-day job (an
 * admin is often not there at six o'clock), closing only takes the power to edit away, and it
 * records who closed, what they counted and why it differs; corrections afterwards stay with
 * admins (`ledger/correct`).
 */
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { CashUpLine, CashUpListItem, CashUpTotals, CashUpView } from '../../contract/cashup.contract.js';
import { cashUpTotals } from '../../contract/cashup.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { formatMoney, localeForCountry } from '../money/money.js';
import { localTime } from '../time/time.js';
import { readDesk } from '../desk/desk.service.js';
import { businessDay } from './ledger.js';

/** The accounts that hold money the clinic has (as opposed to revenue, fees, commissions). */
const MONEY_ACCOUNTS = ['cash', 'card_terminal', 'stripe', 'insurance_received'] as const;

const money = (ctx: Ctx, minor: number, currency: string) => formatMoney(minor, currency, localeForCountry(ctx.settings.defaultCountry));
const dayName = (day: string) => DateTime.fromISO(day).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
const refuse = (code: string, field: string, message: string) => new DomainError(code, message, { fieldErrors: { [field]: [message] } });

/** Totals of one desk's day, read from its ledger rows (in the clinic's currency). */
export async function dayTotals(ctx: Ctx, desk: string, day: string): Promise<CashUpTotals> {
  const currency = ctx.settings.currency;
  const rows = await ctx.db
    .selectFrom('ledger_entry')
    .select([
      'account',
      'kind',
      (eb) => eb.fn.sum<number>('amount_minor').as('n'),
    ])
    .where('desk_id', '=', desk)
    .where('business_day', '=', day)
    .where('currency', '=', currency)
    .groupBy(['account', 'kind'])
    .execute();
  const sum = (accounts: readonly string[], kinds?: readonly string[]) =>
    rows.filter((r) => accounts.includes(r.account) && (!kinds || kinds.includes(r.kind))).reduce((t, r) => t + Number(r.n), 0);
  const method = (account: string) => ({
    inMinor: sum([account], ['charge']),
    outMinor: 0 - sum([account], ['refund']),
    netMinor: sum([account]),
  });
  const cashIn = sum(['cash'], ['charge']);
  const cashRefunded = 0 - sum(['cash'], ['refund']);
  const cashCorrections = sum(['cash'], ['correction']);
  const paymentIds = await ctx.db
    .selectFrom('ledger_entry')
    .select(sql<number>`count(DISTINCT payment_id)`.as('n'))
    .where('desk_id', '=', desk)
    .where('business_day', '=', day)
    .where('currency', '=', currency)
    .where('kind', '=', 'charge')
    .executeTakeFirstOrThrow();
  const refundIds = await ctx.db
    .selectFrom('ledger_entry')
    .select(sql<number>`count(DISTINCT refund_id)`.as('n'))
    .where('desk_id', '=', desk)
    .where('business_day', '=', day)
    .where('currency', '=', currency)
    .where('kind', '=', 'refund')
    .executeTakeFirstOrThrow();
  return {
    currency,
    cash: { inMinor: cashIn, refundedMinor: cashRefunded, correctionsMinor: cashCorrections, expectedMinor: sum(['cash']) },
    cardTerminal: method('card_terminal'),
    stripe: method('stripe'),
    insuranceReceived: method('insurance_received'),
    refundsMinor: 0 - sum(MONEY_ACCOUNTS, ['refund']),
    feesKeptMinor: 0 - sum(['fee_income']),
    correctionsMinor: sum(MONEY_ACCOUNTS, ['correction']),
    netTotalMinor: sum(MONEY_ACCOUNTS),
    paymentCount: Number(paymentIds.n),
    refundCount: Number(refundIds.n),
  };
}

/** The day's payments and refunds of this desk, with the patient and who took or paid them. */
async function dayLines(ctx: Ctx, desk: string, day: string): Promise<CashUpLine[]> {
  const payments = await ctx.db
    .selectFrom('payment as p')
    .leftJoin('patient as pt', 'pt.id', 'p.patient_id')
    .leftJoin('staff as s', 's.id', 'p.created_by')
    .select(['p.id', 'p.settled_at', 'p.created_at', 'p.method', 'p.status', 'p.currency', 'p.amount_minor', 'p.reference', 'p.appointment_id', 'pt.given_name', 'pt.family_name', 's.display_name'])
    .where('p.desk_id', '=', desk)
    .where('p.business_day', '=', day)
    .execute();
  const refunds = await ctx.db
    .selectFrom('refund as r')
    .innerJoin('payment as p', 'p.id', 'r.payment_id')
    .leftJoin('patient as pt', 'pt.id', 'p.patient_id')
    .leftJoin('staff as s', 's.id', 'r.created_by')
    .select(['r.id', 'r.settled_at', 'r.created_at', 'p.method', 'r.status', 'r.currency', 'r.amount_minor', 'r.reference', 'r.reason', 'r.appointment_id', 'pt.given_name', 'pt.family_name', 's.display_name'])
    .where('r.desk_id', '=', desk)
    .where('r.business_day', '=', day)
    .execute();
  const name = (r: { given_name: string | null; family_name: string | null }) => (r.given_name === null ? null : `${r.given_name} ${r.family_name ?? ''}`.trim());
  const lines: CashUpLine[] = [
    ...payments.map((p) => ({
      kind: 'payment' as const,
      id: p.id,
      at: p.settled_at ?? p.created_at,
      method: p.method,
      status: p.status,
      currency: p.currency,
      amountMinor: p.amount_minor,
      reference: p.reference,
      patientName: name(p),
      appointmentId: p.appointment_id,
      byName: p.display_name,
    })),
    ...refunds.map((r) => ({
      kind: 'refund' as const,
      id: r.id,
      at: r.settled_at ?? r.created_at,
      method: r.method,
      status: r.status,
      currency: r.currency,
      amountMinor: -r.amount_minor,
      reference: r.reference ?? r.reason,
      patientName: name(r),
      appointmentId: r.appointment_id,
      byName: r.display_name,
    })),
  ];
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

async function closedRow(ctx: Ctx, desk: string, day: string) {
  return ctx.db
    .selectFrom('cash_up as c')
    .leftJoin('staff as s', 's.id', 'c.closed_by')
    .select(['c.id', 'c.totals', 'c.expected_cash_minor', 'c.counted_cash_minor', 'c.note', 'c.closed_at', 's.display_name'])
    .where('c.desk_id', '=', desk)
    .where('c.business_day', '=', day)
    .executeTakeFirst();
}

export async function previewCashUp(ctx: Ctx, input: { businessDay?: string }): Promise<CashUpView> {
  const desk = await readDesk(ctx.db);
  const currentDay = await businessDay(ctx, desk.id);
  const day = input.businessDay ?? currentDay;
  const closed = await closedRow(ctx, desk.id, day);
  // A closed day shows what was closed (the ledger cannot change for it anyway).
  const stored = closed ? cashUpTotals.safeParse(JSON.parse(closed.totals)) : null;
  const totals = stored?.success ? stored.data : await dayTotals(ctx, desk.id, day);
  return {
    businessDay: day,
    deskName: desk.name,
    locale: localeForCountry(ctx.settings.defaultCountry),
    timeZone: ctx.settings.timeZone,
    currentDay,
    totals,
    lines: await dayLines(ctx, desk.id, day),
    closed: closed
      ? {
          id: closed.id,
          countedCashMinor: closed.counted_cash_minor,
          expectedCashMinor: closed.expected_cash_minor,
          differenceMinor: closed.counted_cash_minor - closed.expected_cash_minor,
          note: closed.note,
          closedAt: closed.closed_at,
          closedByName: closed.display_name,
        }
      : null,
  };
}

export async function closeCashUp(ctx: Ctx, input: { businessDay: string; countedCashMinor: number; note: string }): Promise<CashUpView> {
  const desk = await readDesk(ctx.db);
  const day = input.businessDay;
  ctx.auditRecord('cash_up', `${desk.id}:${day}`, `close ${day}`);
  const already = await closedRow(ctx, desk.id, day);
  if (already) {
    throw new DomainError(
      'cashup/already-closed',
      `The cash-up for ${dayName(day)} was closed already${already.display_name ? ` by ${already.display_name}` : ''} at ${localTime(already.closed_at, ctx.settings.timeZone)}. A closed day cannot be closed again; correct its money with a new entry on an open day.`,
    );
  }
  const current = await businessDay(ctx, desk.id);
  if (day > current) {
    throw refuse('cashup/day-not-started', 'businessDay', `${dayName(day)} has not started yet at this desk: the day to close now is ${dayName(current)}.`);
  }
  const totals = await dayTotals(ctx, desk.id, day);
  const difference = input.countedCashMinor - totals.cash.expectedMinor;
  if (difference !== 0 && input.note.trim() === '') {
    const what = difference > 0 ? `over by ${money(ctx, difference, totals.currency)}` : `short by ${money(ctx, -difference, totals.currency)}`;
    throw refuse('cashup/note-required', 'note', `The till is ${what}: say why in the note before closing.`);
  }
  const id = ctx.newId();
  try {
    await ctx.db
      .insertInto('cash_up')
      .values({
        id,
        desk_id: desk.id,
        business_day: day,
        currency: totals.currency,
        totals: JSON.stringify({ ...totals, countedCashMinor: input.countedCashMinor, differenceMinor: difference }),
        expected_cash_minor: totals.cash.expectedMinor,
        counted_cash_minor: input.countedCashMinor,
        note: input.note.trim(),
        closed_at: nowIso(ctx),
        closed_by: ctx.actor.kind === 'staff' ? ctx.actor.id : 'system',
      })
      .execute();
  } catch (err) {
    if (/UNIQUE constraint failed/.test((err as Error).message)) {
      throw new DomainError('cashup/already-closed', `The cash-up for ${dayName(day)} was closed already. A closed day cannot be closed again.`);
    }
    throw err;
  }
  ctx.auditRecord('cash_up', id, `closed ${day}: counted ${input.countedCashMinor}, expected ${totals.cash.expectedMinor}`);
  return previewCashUp(ctx, { businessDay: day });
}

export async function listCashUps(ctx: Ctx, input: { limit: number }): Promise<{ items: CashUpListItem[] }> {
  const desk = await readDesk(ctx.db);
  const rows = await ctx.db
    .selectFrom('cash_up as c')
    .leftJoin('staff as s', 's.id', 'c.closed_by')
    .select(['c.id', 'c.business_day', 'c.currency', 'c.totals', 'c.expected_cash_minor', 'c.counted_cash_minor', 'c.note', 'c.closed_at', 's.display_name'])
    .where('c.desk_id', '=', desk.id)
    .orderBy('c.business_day', 'desc')
    .limit(input.limit)
    .execute();
  return {
    items: rows.map((r) => {
      const t = cashUpTotals.safeParse(JSON.parse(r.totals));
      return {
        id: r.id,
        businessDay: r.business_day,
        currency: r.currency,
        expectedCashMinor: r.expected_cash_minor,
        countedCashMinor: r.counted_cash_minor,
        differenceMinor: r.counted_cash_minor - r.expected_cash_minor,
        netTotalMinor: t.success ? t.data.netTotalMinor : 0,
        paymentCount: t.success ? t.data.paymentCount : 0,
        note: r.note,
        closedAt: r.closed_at,
        closedByName: r.display_name,
      };
    }),
  };
}
