/**
 * data-open: a clinic's database with 100,000 patients (quick: 10,000) and as many
 * appointments; how long from "open the data directory" to "the first agenda is answered".
 *
 * App side, timed as one contiguous region:
 *   openApp({ dataDir, lock: true })   — instance lock, open, WAL/foreign keys/synchronous
 *                                        pragmas, quick_check, migrate() (nothing pending),
 *                                        loadSettings()
 *   + dispatch('agenda/day', {}, …)    — the real dispatcher: session → role check → zod
 *                                        input parse → agendaDay() over Kysely → zod output
 *                                        parse
 * app.close() (which releases the lock) runs after the timer stops.
 *
 * The staff session. 'agenda/day' needs a signed-in staff member, sessions live in the
 * app's memory (so one login cannot outlive a re-open), and logging in costs a deliberate
 * scrypt hash (~70 ms) plus an audited write — neither is "opening the data". So the
 * session is created before the timer starts, in a SessionStore of our own, and the
 * dispatcher is built with createDispatcher() — the same factory openApp() uses for
 * app.dispatch — over app.db and app.settings(). Building that dispatcher is inside the
 * timed region, so the measured path is exactly openApp's plus a session that already
 * exists. Nothing is written, so every iteration opens an identical file.
 * (Alternatives rejected: logging in through app.dispatch between two timed halves works
 * but writes an audit row and a staff update on every iteration; calling agendaDay()
 * directly would skip the dispatcher's parsing and checks, which the user does wait for.)
 *
 * Baseline side: raw better-sqlite3 doing the same essential work — new Database(file),
 * the same four pragmas, quick_check, read the settings rows for the time zone, the same
 * two SELECTs the agenda runs (the SQL Kysely generates), as prepared statements. Closing
 * is outside the timer on both sides. The baseline does not check migrations, parse
 * settings with zod, validate output or format local times: that is the app's overhead,
 * which the ratio shows.
 *
 * Both sides run alternately (app, baseline, then baseline, app, …) on the same file
 * copy. The OS page cache is warm after the first open and is not dropped: these are warm
 * opens, the common case of restarting the app; quick_check still reads every page.
 */
import Database from 'better-sqlite3';
import { openApp } from '../../src-main/app.js';
import type { Clock } from '../../src-main/core/context.js';
import { SessionStore } from '../../src-main/core/staff/session-store.js';
import { dayBounds, todayIn } from '../../src-main/core/time/time.js';
import { createDispatcher } from '../../src-main/dispatch.js';
import { alternate } from '../lib/alternate.js';
import { copyFixture, ensureFixture, FIXTURE_SIZES } from '../lib/fixtures.js';
import { percentileRows } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { percentile, roundValue } from '../lib/stats.js';
import { nowNs } from '../lib/timer.js';

const AGENDA_SQL = `select "a"."id", "a"."start_at", "a"."end_at", "a"."status", "a"."patient_id", "p"."given_name" as "p_given",
  "p"."family_name" as "p_family", "p"."number" as "p_number", "a"."doctor_id", "d"."title", "d"."given_name", "d"."family_name",
  "l"."name" as "location_name", "l"."timezone", "c"."name" as "type_name"
  from "appointment" as "a"
  inner join "patient" as "p" on "p"."id" = "a"."patient_id"
  inner join "doctor" as "d" on "d"."id" = "a"."doctor_id"
  inner join "location" as "l" on "l"."id" = "a"."location_id"
  inner join "consultation_type" as "c" on "c"."id" = "a"."consultation_type_id"
  where "a"."start_at" >= ? and "a"."start_at" < ? and "a"."status" <> ?
  order by "a"."start_at", "d"."family_name"`;
const DOCTORS_SQL = 'select "id", "title", "given_name", "family_name" from "doctor" where "active" = ? order by "family_name"';

export const dataOpen: Scenario = {
  name: 'data-open',
  summary: 'Open a 100k-patient (quick: 10k) clinic database (quick_check, migrate, settings) and answer the first agenda/day.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(quick ? FIXTURE_SIZES['10k'] : FIXTURE_SIZES['100k'], log);
    usedFixture(fixture);
    const scratch = scratchDir('data-open');
    const dataDir = scratch.dir;
    const file = copyFixture(fixture, dataDir);
    const nowMs = Date.parse(fixture.now);
    const clock: Clock = { now: () => new Date(nowMs) };
    const expected = fixture.stats.agendaToday;
    const failures: string[] = [];
    const check = (side: string, items: number) => {
      if (items !== expected && failures.length < 5) failures.push(`${side}: ${items} agenda items, expected ${expected}`);
    };

    const sessions = new SessionStore();
    // A session names the account and its session epoch (0 for an account never changed).
    const sessionToken = sessions.create({ id: fixture.staff.id, epoch: 0 }, nowMs);

    const app = async (sw: { start(): void; stop(): void }) => {
      sw.start();
      const opened = await openApp({ dataDir, lock: true, clock });
      try {
        const dispatch = createDispatcher({
          db: opened.db,
          clock,
          sessions,
          settings: () => opened.settings(),
          reloadSettings: async () => {},
          log,
        });
        const { result } = await dispatch('agenda/day', {}, { sessionToken });
        sw.stop();
        if (!result.ok) throw new Error(`agenda/day failed: ${result.error.code} ${result.error.message}`);
        check('app', (result.data as { items: unknown[] }).items.length);
      } finally {
        await opened.close();
      }
    };

    // Where the baseline's time goes (open + pragmas / quick_check / settings + agenda), for the meta file.
    const split = { open: [] as number[], quickCheck: [] as number[], query: [] as number[] };
    const baseline = (sw: { start(): void; stop(): void }, iteration: number) => {
      sw.start();
      const t0 = nowNs();
      const raw = new Database(file);
      try {
        raw.pragma('busy_timeout = 5000');
        raw.pragma('journal_mode = WAL');
        raw.pragma('foreign_keys = ON');
        raw.pragma('synchronous = FULL');
        const t1 = nowNs();
        const problems = (raw.pragma('quick_check') as Array<{ quick_check: string }>).filter((r) => r.quick_check !== 'ok');
        if (problems.length > 0) throw new Error('quick_check failed');
        const t2 = nowNs();
        const settings = raw.prepare('select "key", "value" from "setting"').all() as Array<{ key: string; value: string }>;
        const zoneRow = settings.find((s) => s.key === 'timeZone');
        const zone = zoneRow ? (JSON.parse(zoneRow.value) as string) : 'UTC';
        const { start, end } = dayBounds(todayIn(zone, clock.now()), zone);
        const items = raw.prepare(AGENDA_SQL).all(start, end, 'cancelled');
        raw.prepare(DOCTORS_SQL).all(1);
        sw.stop();
        if (iteration >= 0) {
          const t3 = nowNs();
          split.open.push(Number(t1 - t0) / 1e6);
          split.quickCheck.push(Number(t2 - t1) / 1e6);
          split.query.push(Number(t3 - t2) / 1e6);
        }
        check('baseline', items.length);
      } finally {
        raw.close();
      }
    };

    const iterations = quick ? 30 : 60;
    const warmup = 3;
    log(`  ${iterations} alternating rounds (+${warmup} warm-up) on ${fixture.stats.rows.patients.toLocaleString('en-US')} patients, ${expected} agenda items today`);
    const samples = await alternate(app, baseline, iterations, { warmup });
    scratch.remove();
    if (failures.length > 0) throw new Error(`data-open: wrong agenda answers: ${failures.join('; ')}`);

    return {
      rows: percentileRows('data-open', samples, ['p50', 'p95']),
      notes: {
        fixture: fixture.key,
        patients: fixture.stats.rows.patients,
        appointments: fixture.stats.rows.appointments,
        agendaItems: expected,
        databaseBytes: fixture.stats.bytes,
        iterations,
        warmup,
        baselineSplitP50Ms: {
          openAndPragmas: roundValue(percentile(split.open, 50)),
          quickCheck: roundValue(percentile(split.quickCheck, 50)),
          settingsAndAgendaQueries: roundValue(percentile(split.query, 50)),
        },
        samplesMs: { app: samples.app.map((v) => Math.round(v * 100) / 100), baseline: samples.baseline.map((v) => Math.round(v * 100) / 100) },
      },
    };
  },
};
