/**
 * patient-search-1m: typing into the patient search box of a clinic with 1,000,000
 * patients (quick: 100,000) — the FIXTURE_SIZES['1m'] (quick: '100k') file.
 *
 * The queries: a fixed, seeded mix built (untimed) from real rows of the file — random
 * patients by number, and from each one query of one kind:
 *   prefix         40 %  the first 1, 2, 3 or 4 characters (10 % each) of the given or
 *                        family name, as typed (accents and case kept)
 *   fullname       20 %  "given family" or "family given" (10 % each)
 *   phone_leading  10 %  the first 3–7 digits of the national number
 *   phone_last4    10 %  the last 4 digits
 *   dob            20 %  the date of birth, YYYY-MM-DD
 * Every query matches at least the patient it was built from (each answer is checked to
 * be non-empty); the app returns at most 50 rows.
 *
 * App side, timed as one call: app.dispatch('patient/search', { query }, staff caller) —
 * session → role check → zod input parse → planSearch → matchIds (Kysely: the token range
 * scans over patient_search_token's primary key, DISTINCT, LIMIT 50, and for several name
 * terms an EXISTS per further term over patient_search_token_by_patient) → the patient row
 * fetch (`id IN (…)`) → sort by folded family/given name (localeCompare) → zod output parse.
 * The staff session is created once, before timing, by logging in through app.dispatch.
 *
 * Baseline side, timed as one call: planSearch() on the same query (the same plan, so the
 * same token ranges), then the very SQL Kysely generates for that plan, as better-sqlite3
 * prepared statements prepared once up front, on the app's own connection (app.raw: same
 * page cache, same pragmas): the patient-number lookup, the token range scans (or the
 * names query with the same EXISTS clauses), the de-duplication and the `id IN (…)` row
 * fetch. It returns the rows unsorted and unformatted: sorting, formatting, Kysely's query
 * building, zod and the dispatcher are the app's overhead, which the ratio shows. After
 * each round (outside the timers) the app's and the baseline's patient ids are compared;
 * any difference fails the scenario.
 *
 * Rounds alternate app/baseline (order flipping each round) on the same query. Rows:
 * p50/p95/p99 over all queries, and p50/p95 per kind (p95_ms_prefix …). Goals (issue):
 * p95 < 10 ms, p50 < 2 ms, p95 ratio ≤ 1.5. The notes keep EXPLAIN QUERY PLAN of every
 * statement shape, the slowest queries with the size of the token range they scanned, and
 * (appSortOnlyMs, untimed) what the app's result ordering alone costs: searchPatients'
 * comparator applied to the baseline's rows.
 */
import type Database from 'better-sqlite3';
import { nationalNumberOf } from '../../src-main/core/patients/patient.repository.js';
import { planSearch, type SearchPlan } from '../../src-main/core/patients/patient-search.js';
import { foldText, reverse } from '../../src-main/core/patients/search-tokens.js';
import { alternate } from '../lib/alternate.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { copyFixture, ensureFixture, FIXTURE_SIZES } from '../lib/fixtures.js';
import { prng } from '../lib/random.js';
import { row, type ResultRow } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';
import { nowNs, type Stopwatch } from '../lib/timer.js';

const MAX = '\u{10FFFF}';
const LIMIT = 50;
const KINDS = ['prefix', 'fullname', 'phone_leading', 'phone_last4', 'dob'] as const;
type Kind = (typeof KINDS)[number];

interface Query {
  kind: Kind;
  query: string;
  /** prefix: the number of characters typed. */
  chars?: number;
}

interface FetchedRow {
  id: string;
  number: number;
  given_name: string;
  family_name: string;
}

interface PatientRow {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  phone_e164: string | null;
}

/** The SQL Kysely generates for matchIds()/searchPatients() (checked against its query log). */
const SQL = {
  number: 'select "id" from "patient" where "number" = ?',
  range: 'select distinct "patient_id" from "patient_search_token" where "token" >= ? and "token" < ? limit ?',
  exact: 'select distinct "patient_id" from "patient_search_token" where "token" >= ? and "token" <= ? limit ?',
  names: (terms: number) =>
    'select distinct "t"."patient_id" from "patient_search_token" as "t" where "t"."token" >= ? and "t"."token" < ?' +
    ' and exists (select 1 as "one" from "patient_search_token" as "u" where "u"."patient_id" = "t"."patient_id" and "u"."token" >= ? and "u"."token" < ?)'.repeat(terms - 1) +
    ' limit ?',
  fetch: (n: number) =>
    `select "id", "number", "given_name", "family_name", "date_of_birth", "phone_e164", "email" from "patient" where "id" in (${Array.from({ length: n }, () => '?').join(', ')})`,
};

/** The baseline: the plan's SQL, prepared once, run raw. */
function rawSearcher(raw: Database.Database) {
  const number = raw.prepare(SQL.number).pluck();
  const range = raw.prepare(SQL.range).pluck();
  const exact = raw.prepare(SQL.exact).pluck();
  const names = [1, 2, 3, 4].map((n) => raw.prepare(SQL.names(n)).pluck());
  const fetches = new Map<number, Database.Statement>();
  const fetch = (ids: string[]) => {
    let stmt = fetches.get(ids.length);
    if (!stmt) {
      stmt = raw.prepare(SQL.fetch(ids.length));
      fetches.set(ids.length, stmt);
    }
    return stmt.all(...ids) as FetchedRow[];
  };
  const matchIds = (plan: SearchPlan): string[] => {
    switch (plan.kind) {
      case 'empty':
        return [];
      case 'number':
        return number.all(plan.number) as string[];
      case 'date':
        return exact.all(`d:${plan.date}`, `d:${plan.date}`, LIMIT) as string[];
      case 'email':
        return range.all(`e:${plan.prefix}`, `e:${plan.prefix}${MAX}`, LIMIT) as string[];
      case 'digits': {
        const ids: string[] = [];
        if (plan.number !== null) ids.push(...(number.all(plan.number) as string[]));
        const national = plan.digits.replace(/^0+/, '');
        if (national.length >= 3) ids.push(...(range.all(`p:${national}`, `p:${national}${MAX}`, LIMIT) as string[]));
        if (plan.digits.length >= 3) {
          const r = `r:${reverse(plan.digits)}`;
          ids.push(...(range.all(r, r + MAX, LIMIT) as string[]));
        }
        return [...new Set(ids)].slice(0, LIMIT);
      }
      case 'names': {
        const sorted = [...plan.terms].sort((a, b) => b.length - a.length);
        const params: Array<string | number> = [];
        for (const t of sorted) params.push(`n:${t}`, `n:${t}${MAX}`);
        params.push(LIMIT);
        return names[sorted.length - 1]!.all(...params) as string[];
      }
    }
  };
  return (query: string, country: string): FetchedRow[] => {
    const ids = matchIds(planSearch(query, country));
    return ids.length === 0 ? [] : fetch(ids);
  };
}

/** The token range a plan's first (driving) scan walks, for the diagnostics. */
function driverRange(plan: SearchPlan): [string, string] | null {
  if (plan.kind === 'date') return [`d:${plan.date}`, `d:${plan.date}`];
  if (plan.kind === 'names') {
    const driver = [...plan.terms].sort((a, b) => b.length - a.length)[0]!;
    return [`n:${driver}`, `n:${driver}${MAX}`];
  }
  if (plan.kind === 'digits') {
    const national = plan.digits.replace(/^0+/, '');
    return [`p:${national}`, `p:${national}${MAX}`];
  }
  return null;
}

function buildQueries(raw: Database.Database, patients: number, count: number, seed: number): Query[] {
  const random = prng(seed);
  const byNumber = raw.prepare('select given_name, family_name, date_of_birth, phone_e164 from patient where number = ?');
  const patient = (): PatientRow => byNumber.get(1 + Math.floor(random() * patients)) as PatientRow;
  const chars = (s: string) => [...s.trim()];
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.4) {
      const n = 1 + Math.floor((r / 0.4) * 4);
      const p = patient();
      const name = random() < 0.5 ? p.given_name : p.family_name;
      queries.push({ kind: 'prefix', query: chars(name).slice(0, n).join(''), chars: n });
    } else if (r < 0.6) {
      const p = patient();
      queries.push({ kind: 'fullname', query: r < 0.5 ? `${p.given_name} ${p.family_name}` : `${p.family_name} ${p.given_name}` });
    } else if (r < 0.8) {
      let p = patient();
      while (!p.phone_e164) p = patient();
      const national = nationalNumberOf(p.phone_e164)!;
      if (r < 0.7) queries.push({ kind: 'phone_leading', query: national.slice(0, 3 + Math.floor(random() * 5)) });
      else queries.push({ kind: 'phone_last4', query: national.slice(-4) });
    } else {
      queries.push({ kind: 'dob', query: patient().date_of_birth });
    }
  }
  return queries;
}

export const patientSearch1m: Scenario = {
  name: 'patient-search-1m',
  summary: 'patient/search over 1,000,000 patients (quick: 100,000): a seeded mix of name prefixes, full names, phone digits and birth dates.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(quick ? FIXTURE_SIZES['100k'] : FIXTURE_SIZES['1m'], log);
    usedFixture(fixture);
    const scratch = scratchDir('patient-search-1m');
    copyFixture(fixture, scratch.dir);
    const { app, caller } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const country = app.settings().defaultCountry;
      const patients = fixture.stats.rows.patients;
      const iterations = quick ? 500 : 2500;
      const warmup = quick ? 50 : 200;
      const queries = buildQueries(app.raw, patients, iterations, 1_000_003);
      const warmQueries = buildQueries(app.raw, patients, warmup, 2_000_003);
      const queryOf = (i: number): Query => (i >= 0 ? queries[i]! : warmQueries[-1 - i]!);
      const search = rawSearcher(app.raw);

      const appIds: string[][] = [];
      const baseIds: string[][] = [];
      // Diagnostic (untimed): the app's own result ordering (searchPatients' comparator, as
      // written in src-main) applied to the baseline's rows, timed on its own.
      const sortMs: number[] = [];
      const failures: string[] = [];
      const appSide = async (_sw: unknown, i: number) => {
        const out = await app.dispatch('patient/search', { query: queryOf(i).query }, caller);
        if (i >= 0) appIds[i] = okData<{ results: Array<{ id: string }> }>('patient/search', out).results.map((r) => r.id);
      };
      const baseSide = (_sw: unknown, i: number) => {
        const rows = search(queryOf(i).query, country);
        if (i >= 0) baseIds[i] = rows.map((r) => r.id);
        return rows;
      };
      const baseSideThenSort = (sw: Stopwatch, i: number) => {
        sw.start();
        const rows = baseSide(sw, i);
        sw.stop();
        if (i >= 0) {
          const t = nowNs();
          [...rows].sort(
            (a, b) =>
              foldText(a.family_name).localeCompare(foldText(b.family_name)) ||
              foldText(a.given_name).localeCompare(foldText(b.given_name)) ||
              a.number - b.number,
          );
          sortMs[i] = Number(nowNs() - t) / 1e6;
        }
      };
      log(`  ${iterations} alternating queries (+${warmup} warm-up) over ${patients.toLocaleString('en-US')} patients`);
      const samples = await alternate(appSide, baseSideThenSort, iterations, { warmup });

      let empty = 0;
      for (let i = 0; i < iterations; i++) {
        const a = [...appIds[i]!].sort().join();
        const b = [...baseIds[i]!].sort().join();
        if (a !== b && failures.length < 5) failures.push(`"${queries[i]!.query}": app ${appIds[i]!.length} ids, baseline ${baseIds[i]!.length}, different`);
        if (appIds[i]!.length === 0) empty++;
      }
      if (failures.length > 0) throw new Error(`patient-search-1m: app and baseline disagree: ${failures.join('; ')}`);
      if (empty > 0) throw new Error(`patient-search-1m: ${empty} queries found nothing (every query names a real patient)`);

      const name = 'patient-search-1m';
      const all = { app: summarize(samples.app), base: summarize(samples.baseline) };
      const rows: ResultRow[] = [
        row(name, 'p50_ms', all.app.p50, 'ms', all.base.p50),
        row(name, 'p95_ms', all.app.p95, 'ms', all.base.p95),
        row(name, 'p99_ms', all.app.p99, 'ms', all.base.p99),
      ];
      const perKind: Record<string, unknown> = {};
      for (const kind of KINDS) {
        const idx = queries.flatMap((q, i) => (q.kind === kind ? [i] : []));
        const a = summarize(idx.map((i) => samples.app[i]!));
        const b = summarize(idx.map((i) => samples.baseline[i]!));
        rows.push(row(name, `p50_ms_${kind}`, a.p50, 'ms', b.p50), row(name, `p95_ms_${kind}`, a.p95, 'ms', b.p95));
        perKind[kind] = { queries: idx.length, app: { p50: roundValue(a.p50), p95: roundValue(a.p95), max: roundValue(a.max) }, baseline: { p50: roundValue(b.p50), p95: roundValue(b.p95), max: roundValue(b.max) } };
      }
      const prefixByChars: Record<string, unknown> = {};
      for (const n of [1, 2, 3, 4]) {
        const idx = queries.flatMap((q, i) => (q.kind === 'prefix' && q.chars === n ? [i] : []));
        if (idx.length === 0) continue;
        const a = summarize(idx.map((i) => samples.app[i]!));
        const b = summarize(idx.map((i) => samples.baseline[i]!));
        prefixByChars[`${n}`] = { queries: idx.length, appP95: roundValue(a.p95), baselineP95: roundValue(b.p95) };
      }

      // Diagnostics (untimed): query plans of every statement shape, and the slowest queries
      // with how many index entries their driving range holds.
      const eqp = (sql: string, params: unknown[]) =>
        (app.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      const queryPlans = {
        range: eqp(SQL.range, ['n:ma', `n:ma${MAX}`, LIMIT]),
        exact: eqp(SQL.exact, ['d:1980-01-01', 'd:1980-01-01', LIMIT]),
        names2: eqp(SQL.names(2), ['n:smith', `n:smith${MAX}`, 'n:john', `n:john${MAX}`, LIMIT]),
        names3: eqp(SQL.names(3), ['n:smith', `n:smith${MAX}`, 'n:john', `n:john${MAX}`, 'n:a', `n:a${MAX}`, LIMIT]),
        number: eqp(SQL.number, [1]),
        fetch: eqp(SQL.fetch(2), ['a', 'b']),
      };
      const rangeCount = app.raw.prepare('select count(*) from patient_search_token where token >= ? and token <= ?').pluck();
      const slowest = queries
        .map((q, i) => ({ i, q }))
        .sort((x, y) => samples.app[y.i]! - samples.app[x.i]!)
        .slice(0, 12)
        .map(({ i, q }) => {
          const range = driverRange(planSearch(q.query, country));
          return {
            kind: q.kind,
            query: q.query,
            appMs: roundValue(samples.app[i]!),
            baselineMs: roundValue(samples.baseline[i]!),
            results: appIds[i]!.length,
            driverRangeEntries: range ? (rangeCount.get(range[0], range[1]) as number) : null,
          };
        });

      return {
        rows,
        notes: {
          fixture: fixture.key,
          patients,
          searchTokens: fixture.stats.rows.searchTokens,
          iterations,
          warmup,
          perKind,
          prefixByChars,
          queryPlans,
          appSortOnlyMs: Object.fromEntries(
            KINDS.map((kind) => {
              const s = summarize(queries.flatMap((q, i) => (q.kind === kind ? [sortMs[i]!] : [])));
              return [kind, { p50: roundValue(s.p50), p95: roundValue(s.p95) }];
            }),
          ),
          slowest,
          emptyAnswers: empty,
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
