/**
 * Agents' commissions for a period, from the ledger: the commission rows carry the referral
 * code (`referral_code_id`), the money rows of the same appointments (and of the appointments
 * they were rescheduled to) give the net amount paid. Days are the clinic's business days, so a
 * period is read in the clinic's time zone, inclusive.
 *
 * The CSV is built with papaparse; every text cell a spreadsheet could run as a formula (one
 * starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe. Amounts
 * are plain decimal strings in the currency's exponent (a cell that is exactly a number, such as
 * -2.50, is a number to a spreadsheet, never a formula).
 */
import Papa from 'papaparse';
import { sql } from 'kysely';
import type { CommissionReport, CommissionRow } from '../../contract/cashup.contract.js';
import { localeForCountry, minorToDecimal } from '../../contract/money.js';
import type { Ctx } from '../context.js';

interface ReportInput {
  from: string;
  to: string;
  code?: string;
  agent?: string;
}

type Totals = Pick<CommissionRow, 'uses' | 'netPaidMinor' | 'accruedMinor' | 'reversedMinor' | 'netCommissionMinor'>;
const zero = (): Totals => ({ uses: 0, netPaidMinor: 0, accruedMinor: 0, reversedMinor: 0, netCommissionMinor: 0 });
const add = (t: Totals, r: Totals): Totals => ({
  uses: t.uses + r.uses,
  netPaidMinor: t.netPaidMinor + r.netPaidMinor,
  accruedMinor: t.accruedMinor + r.accruedMinor,
  reversedMinor: t.reversedMinor + r.reversedMinor,
  netCommissionMinor: t.netCommissionMinor + r.netCommissionMinor,
});

export async function commissionReport(ctx: Ctx, input: ReportInput): Promise<CommissionReport> {
  const currency = ctx.settings.currency;
  const codeFilter = input.code?.trim().toUpperCase() || null;
  const agentFilter = input.agent?.trim().toLowerCase() || null;
  const codes = (await ctx.db.selectFrom('referral_code').select(['id', 'code', 'agent_name']).execute()).filter(
    (c) => (!codeFilter || c.code.toUpperCase() === codeFilter) && (!agentFilter || c.agent_name.toLowerCase().includes(agentFilter)),
  );
  const locale = localeForCountry(ctx.settings.defaultCountry);
  if (codes.length === 0) return { from: input.from, to: input.to, currency, locale, agents: [], totals: zero() };
  const wanted = new Set(codes.map((c) => c.id));

  const commission = await ctx.db
    .selectFrom('ledger_entry')
    .select(['referral_code_id', 'kind', (eb) => eb.fn.sum<number>('amount_minor').as('n')])
    .where('referral_code_id', 'is not', null)
    .where('account', '=', 'commission_payable')
    .where('currency', '=', currency)
    .where('business_day', '>=', input.from)
    .where('business_day', '<=', input.to)
    .groupBy(['referral_code_id', 'kind'])
    .execute();

  // Appointments reached by each confirmed use, following reschedules forward.
  const paid = await sql<{ code_id: string; uses: number; net: number | null }>`
    WITH RECURSIVE chain(code_id, redemption_id, appointment_id, depth) AS (
      SELECT code_id, id, appointment_id, 0 FROM referral_redemption WHERE status = 'confirmed' AND appointment_id IS NOT NULL
      UNION ALL
      SELECT c.code_id, c.redemption_id, a.id, c.depth + 1 FROM appointment a JOIN chain c ON a.rescheduled_from_id = c.appointment_id
      WHERE c.depth < 100
    )
    SELECT c.code_id,
      count(DISTINCT CASE WHEN l.kind = 'charge' THEN c.redemption_id END) AS uses,
      sum(l.amount_minor) AS net
    FROM chain c
    JOIN ledger_entry l ON l.appointment_id = c.appointment_id
    WHERE l.kind IN ('charge', 'refund')
      AND l.account IN ('cash', 'card_terminal', 'stripe', 'insurance_received')
      AND l.currency = ${currency}
      AND l.business_day BETWEEN ${input.from} AND ${input.to}
    GROUP BY c.code_id`.execute(ctx.db);

  const rows = new Map<string, CommissionRow>();
  const rowOf = (codeId: string): CommissionRow | null => {
    if (!wanted.has(codeId)) return null;
    let r = rows.get(codeId);
    if (!r) {
      const c = codes.find((x) => x.id === codeId)!;
      r = { codeId, code: c.code, agentName: c.agent_name, ...zero() };
      rows.set(codeId, r);
    }
    return r;
  };
  for (const p of paid.rows) {
    const r = rowOf(p.code_id);
    if (!r) continue;
    r.uses = Number(p.uses);
    r.netPaidMinor = Number(p.net ?? 0);
  }
  for (const c of commission) {
    const r = rowOf(c.referral_code_id!);
    if (!r) continue;
    const n = Number(c.n);
    if (c.kind === 'commission_accrual') r.accruedMinor += -n;
    else if (c.kind === 'commission_reversal') r.reversedMinor += n;
    else r.accruedMinor += -n;
  }
  for (const r of rows.values()) r.netCommissionMinor = r.accruedMinor - r.reversedMinor;

  const byAgent = new Map<string, CommissionRow[]>();
  for (const r of [...rows.values()].sort((a, b) => a.agentName.localeCompare(b.agentName) || a.code.localeCompare(b.code))) {
    byAgent.set(r.agentName, [...(byAgent.get(r.agentName) ?? []), r]);
  }
  const agents = [...byAgent.entries()].map(([agentName, list]) => ({ agentName, codes: list, totals: list.reduce(add, zero()) }));
  return { from: input.from, to: input.to, currency, locale, agents, totals: agents.reduce((t, a) => add(t, a.totals), zero()) };
}

/**
 * A text cell a spreadsheet would run as a formula gets an apostrophe in front (OWASP's advice):
 * one starting with =, +, -, @, a tab or a carriage return — also after leading spaces, which
 * some spreadsheets skip.
 */
export function neutraliseCell(value: string): string {
  return /^[\s\u00a0]*[=+\-@]|^[\t\r]/.test(value) ? `'${value}` : value;
}

export async function commissionReportCsv(ctx: Ctx, input: ReportInput): Promise<{ filename: string; csv: string }> {
  const report = await commissionReport(ctx, input);
  const amount = (minor: number) => minorToDecimal(minor, report.currency);
  const header = ['Agent', 'Code', 'Uses', `Net paid (${report.currency})`, `Commission accrued (${report.currency})`, `Commission reversed (${report.currency})`, `Net commission (${report.currency})`];
  const line = (agent: string, code: string, t: Totals) => [
    neutraliseCell(agent),
    neutraliseCell(code),
    String(t.uses),
    amount(t.netPaidMinor),
    amount(t.accruedMinor),
    amount(t.reversedMinor),
    amount(t.netCommissionMinor),
  ];
  const data: string[][] = [];
  for (const a of report.agents) {
    for (const c of a.codes) data.push(line(a.agentName, c.code, c));
    if (a.codes.length > 1) data.push(line(`${a.agentName} (total)`, '', a.totals));
  }
  data.push(line('Total', '', report.totals));
  const csv = Papa.unparse({ fields: header, data }, { quotes: true, newline: '\r\n', escapeFormulae: false });
  return { filename: `commissions-${report.from}-to-${report.to}.csv`, csv };
}
