/**
 * history-2k: a patient with 2,000 appointments opens their appointment history: the first
 * page and the last page (limit 20, keyset cursor over (start_at, id)).
 *
 * Data: the busy-clinic fixture (busyClinicFixture()), where patient number 1 has exactly
 * 2,000 appointments spread over the whole appointment range (several at the same instant
 * with different doctors, so the id tie-break of the cursor matters). Before timing, every
 * page is walked once through the app to collect the cursors: 100 pages of 20, the cursor
 * of page 100 is "the last page"; the walk must see 2,000 distinct appointments.
 *
 * App side: app.dispatch('appointment/history', { patientId, filter: 'all', limit: 20
 * [, cursor] }, staff caller) — session → role check → zod → appointmentHistory:
 * patientFor (patient lookup), cursor decode, the keyset query (the appointment view's
 * 5-table join, `(a.start_at, a.id) < (?, ?)`, ORDER BY start_at DESC, id DESC, LIMIT 21),
 * toView per row (local date and times through luxon) → zod output parse. The staff
 * session is made once, untimed, by logging in.
 *
 * Baseline side, on the app's own connection (app.raw): the same patient lookup, the
 * cursor decode, and the very SQL Kysely compiles for that query (built untimed from the
 * app's own exported appointmentQuery() with the same where/order/limit, then prepared
 * once) with better-sqlite3, plus the next cursor's encoding. Rows come back raw: toView,
 * luxon and zod are the app's overhead. Each round's page ids are compared between the app
 * and the baseline.
 *
 * Each round times the first page and the last page on both sides (alternating app and
 * baseline, and first/last order, every round). Rows: p50/p95 of each page, and
 * p95_last_over_first = p95(last) / p95(first) for the app (value) and the baseline; the
 * keyset promise is a ratio near 1 (goal ≤ 1.2). Goal (issue): p95 < 3 ms. The notes keep
 * EXPLAIN QUERY PLAN of both page queries.
 */
import { sql } from 'kysely';
import { appointmentQuery } from '../../src-main/core/booking/appointment-view.js';
import { alternate } from '../lib/alternate.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { busyClinicFixture, copyFixture, ensureFixture } from '../lib/fixtures.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { summarize } from '../lib/stats.js';
import { msSince, nowNs } from '../lib/timer.js';

const LIMIT = 20;

interface Page {
  items: Array<{ id: string }>;
  nextCursor: string | null;
}

export const history2k: Scenario = {
  name: 'history-2k',
  summary: 'appointment/history first and last page (limit 20, keyset) of a patient with 2,000 appointments.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('history-2k');
    copyFixture(fixture, scratch.dir);
    const { app, caller } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const patientId = app.raw.prepare('select id from patient where number = 1').pluck().get() as string;
      const expected = app.raw.prepare('select count(*) from appointment where patient_id = ?').pluck().get(patientId) as number;

      // Walk every page once (untimed) for the cursors.
      const cursors: Array<string | undefined> = [undefined];
      const seen = new Set<string>();
      for (;;) {
        const out = await app.dispatch('appointment/history', { patientId, filter: 'all', limit: LIMIT, cursor: cursors[cursors.length - 1] }, caller);
        const page = okData<Page>('appointment/history', out);
        for (const item of page.items) seen.add(item.id);
        if (!page.nextCursor) break;
        cursors.push(page.nextCursor);
      }
      if (seen.size !== expected || expected !== 2000) throw new Error(`history-2k: the pages hold ${seen.size} appointments, the patient has ${expected} (2000 expected)`);
      const lastCursor = cursors[cursors.length - 1]!;

      // The baseline's SQL: compiled from the app's own query builder, untimed.
      const compile = (keyset: boolean) => {
        let q = appointmentQuery(app.db).where('a.patient_id', '=', patientId);
        if (keyset) q = q.where(sql<boolean>`(a.start_at, a.id) < (${'x'}, ${'y'})`);
        return q.orderBy('a.start_at', 'desc').orderBy('a.id', 'desc').limit(LIMIT + 1).compile().sql;
      };
      const firstSql = compile(false);
      const keysetSql = compile(true);
      const stmts = {
        patient: app.raw.prepare('select "id" from "patient" where "id" = ?').pluck(),
        first: app.raw.prepare(firstSql),
        keyset: app.raw.prepare(keysetSql),
      };
      const rawPage = (cursor: string | undefined) => {
        const id = stmts.patient.get(patientId) as string | undefined;
        if (!id) throw new Error('baseline: no such patient');
        let rows: Array<{ id: string; start_at: string }>;
        if (cursor) {
          const [startAt, afterId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
          rows = stmts.keyset.all(id, startAt, afterId, LIMIT + 1) as typeof rows;
        } else {
          rows = stmts.first.all(id, LIMIT + 1) as typeof rows;
        }
        const page = rows.slice(0, LIMIT);
        const last = page[page.length - 1];
        return { items: page, nextCursor: rows.length > LIMIT && last ? Buffer.from(`${last.start_at}|${last.id}`).toString('base64url') : null };
      };
      const appPage = async (cursor: string | undefined) =>
        okData<Page>('appointment/history', await app.dispatch('appointment/history', { patientId, filter: 'all', limit: LIMIT, cursor }, caller));

      const times = { appFirst: [] as number[], appLast: [] as number[], baseFirst: [] as number[], baseLast: [] as number[] };
      const answers = { app: ['', ''], base: ['', ''] };
      const ids = (p: { items: Array<{ id: string }> }) => p.items.map((x) => x.id).join();
      const appSide = async (_sw: unknown, i: number) => {
        for (const which of i % 4 < 2 ? [0, 1] : [1, 0]) {
          const t = nowNs();
          const page = await appPage(which === 0 ? undefined : lastCursor);
          const ms = msSince(t);
          if (i >= 0) (which === 0 ? times.appFirst : times.appLast).push(ms);
          answers.app[which] = ids(page);
        }
      };
      const baseSide = (_sw: unknown, i: number) => {
        for (const which of i % 4 < 2 ? [0, 1] : [1, 0]) {
          const t = nowNs();
          const page = rawPage(which === 0 ? undefined : lastCursor);
          const ms = msSince(t);
          if (i >= 0) (which === 0 ? times.baseFirst : times.baseLast).push(ms);
          answers.base[which] = ids(page);
        }
      };
      const iterations = quick ? 200 : 1000;
      const warmup = 20;
      log(`  ${iterations} alternating rounds (+${warmup} warm-up) of first + last page, ${cursors.length} pages of ${LIMIT}`);
      await alternate(appSide, baseSide, iterations, { warmup });
      if (answers.app[0] !== answers.base[0] || answers.app[1] !== answers.base[1]) throw new Error('history-2k: app and baseline pages differ');

      const eqp = (q: string, params: unknown[]) => (app.raw.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      const af = summarize(times.appFirst);
      const al = summarize(times.appLast);
      const bf = summarize(times.baseFirst);
      const bl = summarize(times.baseLast);
      return {
        rows: [
          row('history-2k', 'p50_ms_first', af.p50, 'ms', bf.p50),
          row('history-2k', 'p95_ms_first', af.p95, 'ms', bf.p95),
          row('history-2k', 'p50_ms_last', al.p50, 'ms', bl.p50),
          row('history-2k', 'p95_ms_last', al.p95, 'ms', bl.p95),
          row('history-2k', 'p95_last_over_first', al.p95 / af.p95, 'x', bl.p95 / bf.p95),
        ],
        notes: {
          fixture: fixture.key,
          appointments: expected,
          pages: cursors.length,
          iterations,
          warmup,
          queryPlans: { first: eqp(firstSql, [patientId, LIMIT + 1]), last: eqp(keysetSql, [patientId, '2026-01-01T00:00:00.000Z', 'x', LIMIT + 1]) },
          sql: keysetSql,
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
