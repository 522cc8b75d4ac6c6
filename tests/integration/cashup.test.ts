import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import { neutraliseCell } from '../../src-main/core/payments/commission-report.service.js';

/**
 * The day's cash-up and the commission report. The clinic of tests/helpers/booking.ts: now is
 * Monday 1 June 2026, 08:00 New York; a general consultation costs $60.00.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

let n = 0;
const key = () => `cashup-${++n}-${Math.random().toString(36).slice(2)}`;
const q = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).get(...args) as T;
const ledgerDays = () => q<{ business_day: string; kind: string; n: number }>('SELECT business_day, kind, count(*) AS n FROM ledger_entry GROUP BY business_day, kind ORDER BY business_day, kind');
const cashOn = (day: string) => one<{ n: number | null }>("SELECT sum(amount_minor) AS n FROM ledger_entry WHERE account = 'cash' AND business_day = ?", day).n ?? 0;

const book = (date: string, time: string, patient = 0) => clinic.book('deskA', { patient, doctorId: IDS.grey, date, time });
const payCash = (appointmentId: string, amountMinor = 6000, tenderedMinor = amountMinor) =>
  clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId, amountMinor, tenderedMinor, idempotencyKey: key() });

async function withCode(appointmentId: string, overrides: Record<string, unknown>) {
  const existing = one<{ id: string; code: string } | undefined>('SELECT id, code FROM referral_code WHERE code = ?', String(overrides.code ?? 'SUMMER-10').toUpperCase());
  const code = existing ?? (await clinic.ok('admin', 'referral/save', codeInput(overrides))).code;
  const a = one<{ patient_id: string; consultation_type_id: string; price_minor: number }>('SELECT * FROM appointment WHERE id = ?', appointmentId);
  await inTransaction(clinic.app, clinic.clock, async (ctx) => {
    const r = await reserveRedemption(ctx, { code: code.code, patientId: a.patient_id, consultationTypeId: a.consultation_type_id, baseAmount: { minor: a.price_minor, currency: 'USD' } });
    await confirmRedemption(ctx, r.redemptionId, appointmentId);
  });
  return code;
}

describe('the day’s cash-up', () => {
  it('totals per method come from the ledger: cash in and out, expected in the till, card, insurance, fees, refunds', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 2000 });
    const a = await book('2026-06-02', '10:00', 0);
    const b = await book('2026-06-02', '11:00', 1);
    const c = await book('2026-06-01', '15:00', 2); // inside the window
    const cash = await payCash(a.id, 6000, 10000);
    await clinic.ok('deskB', 'payment/record', { method: 'card_terminal', appointmentId: b.id, amountMinor: 2500, reference: 'TRM-1', idempotencyKey: key() });
    const claim = await clinic.ok('deskB', 'payment/record', { method: 'insurance', appointmentId: b.id, amountMinor: 3500, insurer: 'Acme', reference: 'CLM-1', idempotencyKey: key() });
    await clinic.ok('deskA', 'payment/settle-insurance', { paymentId: claim.payment.id, outcome: 'paid', note: '' });
    await payCash(c.id);
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: c.id, party: 'patient', reason: 'Ill' }); // $20 fee kept, $40 back in cash
    await clinic.ok('deskA', 'payment/refund', { paymentId: cash.payment.id, amountMinor: 1000, reason: 'Goodwill', idempotencyKey: key() });

    const day = await clinic.ok('deskA', 'cashup/preview', {});
    expect(day.businessDay).toBe('2026-06-01');
    expect(day.currentDay).toBe('2026-06-01');
    expect(day.closed).toBeNull();
    expect(day.totals).toMatchObject({
      currency: 'USD',
      cash: { inMinor: 12000, refundedMinor: 5000, correctionsMinor: 0, expectedMinor: 7000 },
      cardTerminal: { inMinor: 2500, outMinor: 0, netMinor: 2500 },
      insuranceReceived: { inMinor: 3500, outMinor: 0, netMinor: 3500 },
      stripe: { inMinor: 0, outMinor: 0, netMinor: 0 },
      refundsMinor: 5000,
      feesKeptMinor: 2000,
      netTotalMinor: 13000,
      paymentCount: 4,
      refundCount: 2,
    });
    // The till equals the ledger's cash account for the day.
    expect(day.totals.cash.expectedMinor).toBe(cashOn('2026-06-01'));
    expect(day.lines.filter((l) => l.kind === 'payment').map((l) => [l.method, l.amountMinor, l.byName])).toEqual(
      expect.arrayContaining([
        ['cash', 6000, 'Desk A'],
        ['card_terminal', 2500, 'Desk B'],
        ['insurance', 3500, 'Desk B'],
      ]),
    );
    expect(day.lines.filter((l) => l.kind === 'refund').map((l) => l.amountMinor).sort((x, y) => x - y)).toEqual([-4000, -1000]);
    expect(day.lines.find((l) => l.method === 'card_terminal')?.patientName).toMatch(/Booker1/);
  });

  it('closing records counted, expected and the difference; a second close is refused in plain words; closed days are listed', async () => {
    const a = await book('2026-06-02', '10:00');
    await payCash(a.id);
    const before = clinic.dataCounts();
    const short = await clinic.call('deskA', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 5500, note: '' });
    expect(short.result.ok).toBe(false);
    if (!short.result.ok) expect(short.result.error.fieldErrors?.note?.[0]).toBe('The till is short by $5.00: say why in the note before closing.');
    for (const bad of [{ countedCashMinor: -1 }, { countedCashMinor: 10.5 }, { countedCashMinor: '60' }, { businessDay: '2026-02-30' }]) {
      const out = await clinic.call('deskA', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 6000, note: '', ...bad });
      expect(out.result.ok, JSON.stringify(bad)).toBe(false);
      if (!out.result.ok) expect(Object.keys(out.result.error.fieldErrors ?? {}), JSON.stringify(bad)).toEqual([Object.keys(bad)[0]]);
    }
    const future = await clinic.call('deskA', 'cashup/close', { businessDay: '2026-06-03', countedCashMinor: 0, note: '' });
    expect(future.result.ok || future.result.error.fieldErrors?.businessDay?.[0]).toBe('Wednesday 3 June 2026 has not started yet at this desk: the day to close now is Monday 1 June 2026.');
    expect(clinic.dataCounts()).toEqual(before);

    const closed = await clinic.ok('deskA', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 5500, note: 'A $5 note missing' });
    expect(closed.closed).toMatchObject({ countedCashMinor: 5500, expectedCashMinor: 6000, differenceMinor: -500, note: 'A $5 note missing', closedByName: 'Desk A' });
    const row = one<{ totals: string; expected_cash_minor: number; counted_cash_minor: number }>('SELECT * FROM cash_up');
    expect(row).toMatchObject({ expected_cash_minor: 6000, counted_cash_minor: 5500 });
    expect(JSON.parse(row.totals)).toMatchObject({ differenceMinor: -500, countedCashMinor: 5500, netTotalMinor: 6000 });

    const again = await clinic.err('deskB', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 6000, note: '' }, 'cashup/already-closed');
    expect(again.message).toBe('The cash-up for Monday 1 June 2026 was closed already by Desk A at 08:00. A closed day cannot be closed again; correct its money with a new entry on an open day.');

    const list = await clinic.ok('deskB', 'cashup/list', {});
    expect(list.items).toEqual([expect.objectContaining({ businessDay: '2026-06-01', differenceMinor: -500, netTotalMinor: 6000, paymentCount: 1, closedByName: 'Desk A' })]);
    // The desk's current day moves on: a closed till takes nothing more.
    expect((await clinic.ok('deskA', 'cashup/preview', {})).currentDay).toBe('2026-06-02');
    expect((await clinic.ok('deskA', 'cashup/preview', { businessDay: '2026-06-01' })).closed?.differenceMinor).toBe(-500);
    // Audited, with who closed.
    expect(q<{ record_type: string }>("SELECT record_type, actor_id FROM audit_log WHERE handler = 'cashup/close' AND outcome = 'ok'")).toEqual([
      { record_type: 'cash_up', actor_id: clinic.staffIds.deskA },
    ]);
  });

  it('after closing, the day’s payments cannot change: later refunds and corrections go onto the next open day as new rows', async () => {
    const a = await book('2026-06-02', '10:00');
    const paid = await payCash(a.id);
    const card = await book('2026-06-02', '11:00', 1);
    const cardPaid = await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: card.id, amountMinor: 6000, reference: 'T-9', idempotencyKey: key() });
    await clinic.ok('deskA', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 6000, note: '' });
    const closedView = await clinic.ok('deskA', 'cashup/preview', { businessDay: '2026-06-01' });

    // The database itself refuses edits of the closed day's payment and new ledger rows for that day.
    expect(() => clinic.app.raw.prepare("UPDATE payment SET reference = 'edited' WHERE id = ?").run(paid.payment.id)).toThrow(/payment\/day-closed/);
    expect(() =>
      clinic.app.raw
        .prepare("INSERT INTO ledger_entry (id, txn_id, at, business_day, desk_id, kind, account, amount_minor, currency, memo) SELECT 'x', 't', 'now', '2026-06-01', desk_id, 'correction', 'cash', 1, 'USD', 'm' FROM cash_up")
        .run(),
    ).toThrow(/payment\/day-closed/);

    // Next morning: refunds of Monday's payments and a correction land on Tuesday.
    await clinic.setNow(clinic.at('2026-06-02', '09:00'));
    await clinic.ok('deskA', 'payment/refund', { paymentId: paid.payment.id, amountMinor: 1500, reason: 'Goodwill', idempotencyKey: key() });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: card.id, party: 'clinic', reason: 'Doctor ill' });
    const pending = await clinic.ok('deskA', 'payment/summary', { appointmentId: card.id });
    await clinic.ok('deskA', 'payment/confirm-refund', { refundId: pending.refunds[0]!.id, reference: 'T-R-1' });
    const fix = await clinic.ok('admin', 'ledger/correct', { amountMinor: 100, fromAccount: 'suspense', toAccount: 'cash', memo: 'Found a dollar', idempotencyKey: key() });
    expect(fix.businessDay).toBe('2026-06-02');

    expect(ledgerDays()).toEqual([
      { business_day: '2026-06-01', kind: 'charge', n: 4 },
      { business_day: '2026-06-02', kind: 'correction', n: 2 },
      { business_day: '2026-06-02', kind: 'refund', n: 4 },
    ]);
    expect(await clinic.ok('deskA', 'cashup/preview', { businessDay: '2026-06-01' })).toEqual(closedView);
    const tuesday = await clinic.ok('deskA', 'cashup/preview', {});
    expect(tuesday.businessDay).toBe('2026-06-02');
    expect(tuesday.totals).toMatchObject({ cash: { inMinor: 0, refundedMinor: 1500, correctionsMinor: 100, expectedMinor: -1400 }, cardTerminal: { outMinor: 6000, netMinor: -6000 }, refundsMinor: 7500, correctionsMinor: 100 });
    expect(tuesday.lines.map((l) => [l.kind, l.method, l.amountMinor])).toEqual(
      expect.arrayContaining([
        ['refund', 'cash', -1500],
        ['refund', 'card_terminal', -6000],
      ]),
    );
    expect(cardPaid.payment.businessDay).toBe('2026-06-01');
    // A day with more paid out than taken closes with what is counted (never negative).
    await clinic.ok('deskA', 'cashup/close', { businessDay: '2026-06-02', countedCashMinor: 0, note: 'Refunds paid from Monday’s float' });
  });

  it('closing the day early moves the rest of today’s money onto the next day', async () => {
    await clinic.ok('deskA', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 0, note: '' });
    const a = await book('2026-06-02', '10:00');
    const paid = await payCash(a.id);
    expect(paid.payment.businessDay).toBe('2026-06-02');
    expect((await clinic.ok('deskA', 'cashup/preview', {})).totals.cash.expectedMinor).toBe(6000);
    expect((await clinic.ok('deskA', 'cashup/preview', { businessDay: '2026-06-01' })).totals.cash.expectedMinor).toBe(0);
  });

  it('staff of any role close; patients cannot see or close a cash-up', async () => {
    const me = clinic.patients[0]!;
    await clinic.err({ patientToken: me.accessToken }, 'cashup/preview', {}, 'auth/forbidden');
    await clinic.err({ patientToken: me.accessToken }, 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 0, note: '' }, 'auth/forbidden');
    await clinic.err({ patientToken: me.accessToken }, 'commission/report', { from: '2026-06-01', to: '2026-06-30' }, 'auth/forbidden');
    await clinic.err('deskA', 'commission/report', { from: '2026-06-01', to: '2026-06-30' }, 'auth/forbidden');
    await clinic.err('deskA', 'commission/report-csv', { from: '2026-06-01', to: '2026-06-30' }, 'auth/forbidden');
    const closed = await clinic.ok('deskB', 'cashup/close', { businessDay: '2026-06-01', countedCashMinor: 0, note: 'Quiet day \u{1F600}' });
    expect(closed.closed?.note).toBe('Quiet day \u{1F600}');
    const broken = await clinic.call('deskB', 'cashup/close', { businessDay: '2026-06-02', countedCashMinor: 0, note: 'bad \uD800' });
    expect(broken.result.ok).toBe(false);
  });
});

describe('agent commissions report', () => {
  it('per agent and code: uses, net paid, accrued, reversed, net commission, for a period', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'fee', lateCancelFeeMinor: 2000 });
    const a = await book('2026-06-02', '10:00', 0);
    const b = await book('2026-06-02', '11:00', 1);
    const c = await book('2026-06-01', '15:00', 2);
    await withCode(a.id, { code: 'AG-10', agentName: 'Ann Agent', commission: { kind: 'percent', bp: 1000 }, discount: { kind: 'percent', bp: 1, capMinor: null } });
    await withCode(b.id, { code: 'AG-10' });
    await withCode(c.id, { code: 'FIX-5', agentName: 'Bob Broker', commission: { kind: 'fixed', amountMinor: 500, currency: 'USD' }, discount: { kind: 'percent', bp: 1, capMinor: null } });
    const pa = await payCash(a.id);
    await payCash(b.id, 3000);
    await payCash(c.id);
    await clinic.ok('deskA', 'payment/refund', { paymentId: pa.payment.id, amountMinor: 1000, reason: 'Goodwill', idempotencyKey: key() });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: c.id, party: 'patient', reason: 'Ill' }); // keeps $20: fixed commission stays

    const report = await clinic.ok('admin', 'commission/report', { from: '2026-06-01', to: '2026-06-01' });
    expect(report.agents.map((x) => x.agentName)).toEqual(['Ann Agent', 'Bob Broker']);
    expect(report.agents[0]!.codes).toEqual([
      expect.objectContaining({ code: 'AG-10', uses: 2, netPaidMinor: 8000, accruedMinor: 900, reversedMinor: 100, netCommissionMinor: 800 }),
    ]);
    expect(report.agents[1]!.totals).toMatchObject({ uses: 1, netPaidMinor: 2000, accruedMinor: 500, reversedMinor: 0, netCommissionMinor: 500 });
    expect(report.totals).toMatchObject({ uses: 3, netPaidMinor: 10000, netCommissionMinor: 1300 });
    // The net commission equals the payable balance per code.
    const payable = one<{ n: number }>("SELECT -sum(amount_minor) AS n FROM ledger_entry WHERE account = 'commission_payable'").n;
    expect(payable).toBe(report.totals.netCommissionMinor);

    // Filters: one code, an agent by part of the name; another period is empty.
    expect((await clinic.ok('admin', 'commission/report', { from: '2026-06-01', to: '2026-06-30', code: 'fix-5' })).agents.map((x) => x.agentName)).toEqual(['Bob Broker']);
    expect((await clinic.ok('admin', 'commission/report', { from: '2026-06-01', to: '2026-06-30', agent: 'ann' })).totals.netCommissionMinor).toBe(800);
    expect((await clinic.ok('admin', 'commission/report', { from: '2026-06-02', to: '2026-06-30' })).agents).toEqual([]);
    const backwards = await clinic.call('admin', 'commission/report', { from: '2026-06-30', to: '2026-06-01' });
    expect(backwards.result.ok || backwards.result.error.fieldErrors?.to?.[0]).toBe('The first day must not be after the last day.');

    // A reversal in a later period shows there, as a negative net.
    await clinic.setNow(clinic.at('2026-06-03', '09:00'));
    await clinic.ok('deskA', 'payment/refund', { paymentId: pa.payment.id, amountMinor: 5000, reason: 'Complaint', idempotencyKey: key() });
    const later = await clinic.ok('admin', 'commission/report', { from: '2026-06-03', to: '2026-06-03' });
    expect(later.agents[0]!.codes[0]).toMatchObject({ code: 'AG-10', uses: 0, netPaidMinor: -5000, accruedMinor: 0, reversedMinor: 500, netCommissionMinor: -500 });
  });

  it('the CSV neutralises cells a spreadsheet would run as formulas', async () => {
    // Agent names are trimmed when saved, so a leading tab or CR is checked on the cell function below.
    const hostile = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '=1+2', '-cmd|\' /C calc\'!A0'];
    const appointments = [];
    for (let i = 0; i < hostile.length; i++) {
      const a = await book('2026-06-02', `${10 + Math.floor(i / 4)}:${String((i % 4) * 15).padStart(2, '0')}`, i % 6);
      await withCode(a.id, { code: `H-${i}`, agentName: hostile[i], commission: { kind: 'percent', bp: 1250 }, discount: { kind: 'percent', bp: 1, capMinor: null } });
      appointments.push(a);
      await payCash(a.id, 1001);
    }
    const out = await clinic.ok('admin', 'commission/report-csv', { from: '2026-06-01', to: '2026-06-01' });
    expect(out.filename).toBe('commissions-2026-06-01-to-2026-06-01.csv');
    const parsed = Papa.parse<string[]>(out.csv, { skipEmptyLines: true });
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(['Agent', 'Code', 'Uses', 'Net paid (USD)', 'Commission accrued (USD)', 'Commission reversed (USD)', 'Net commission (USD)']);
    const agents = rows.map((r) => r[0]!);
    for (const name of hostile) expect(agents).toContain(`'${name}`);
    for (const row of rows) {
      expect(row[0], row.join(',')).not.toMatch(/^[=+\-@\t\r]/);
      // Amounts: decimal strings in the currency's exponent (12.5 % of $10.01 = $1.25125 → $1.25 half-up).
      for (const cell of row.slice(3)) expect(cell).toMatch(/^-?\d+\.\d{2}$/);
    }
    expect(rows.find((r) => r[0] === "'+1")).toEqual(["'+1", 'H-1', '1', '10.01', '1.25', '0.00', '1.25']);
    expect(rows.at(-1)).toEqual(['Total', '', '6', '60.06', '7.50', '0.00', '7.50']);
    for (const [cell, safe] of [['\tTab', "'\tTab"], ['\rCR', "'\rCR"], ['plain', 'plain'], ['a=b', 'a=b'], ['', ''], [' =1+1', "' =1+1"], ['\u00a0@x', "'\u00a0@x"], ['x -1', 'x -1']]) expect(neutraliseCell(cell!)).toBe(safe);
    // Every cell is quoted, so a comma or a line break inside a name cannot shift columns.
    expect(out.csv.split('\r\n')[0]).toBe('"Agent","Code","Uses","Net paid (USD)","Commission accrued (USD)","Commission reversed (USD)","Net commission (USD)"');
  });
});
