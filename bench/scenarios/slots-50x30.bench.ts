/**
 * slots-50x30: the free slots of 50 doctors over the next 30 days, with 30,000 bookings
 * already in that window (the busy-clinic fixture, busyClinicFixture(): 50 doctors working
 * every day 07:00–21:00, exactly 30,000 bookings on days 1–30; quick runs use the same
 * doctors and bookings with fewer iterations).
 *
 * App side (rows p50_ms, p95_ms): app.dispatch('booking/find-slots', { consultationTypeId:
 * <Follow-up, 15 min, offered by every specialization, so by all 50 doctors>, preferredDate:
 * today, preferredTime: now's clinic time, days: 30, limit: 100 }, staff caller) — the
 * receptionist's "find a slot" with the largest limit the contract allows. The window is
 * exactly [now, now + 30 days): session → role check → zod → findSlots: type check,
 * doctorsOffering (2 queries), then freeSlots (loadPlans: 6 Kysely queries + computeSlots)
 * over windows around the preferred time that double (±1, ±2, ±4 … days) until the 100th
 * nearest slot lies inside the window — usually the first window, so only a day or two of
 * bookings is read → keep the nearest 100 → describeSlots (2 queries) → zod output.
 * The baseline answers the same question the direct way (the whole 30-day window, below);
 * both answers are compared every round, so the ratio is the algorithm's gain plus the
 * app's overhead. p95_ms_freeslots is the whole-window computation on both sides.
 * Also timed, in the same rounds (alternately before and after the dispatch call), the
 * direct availability.freeSlots(app.db, …) call for the same window and duration (row
 * p95_ms_freeslots).
 *
 * Baseline side: what a raw implementation must do for the same answer, on the app's own
 * connection (app.raw) with statements prepared once: the same SQL for the type check,
 * doctorsOffering and the six loadPlans reads (building the same DoctorPlan objects:
 * Date.parse of every booking's start and block end), THE SAME pure engine
 * (computeSlots from src-main/core/scheduling/slot-engine.ts — the algorithm is the work, not
 * overhead; re-implementing it would measure a different algorithm), the same nearest-100
 * selection, ISO strings for those 100 only, and the two name queries. The baseline's time
 * is split into SQL (with row building) and engine, so the rows show:
 *   p50_ms, p95_ms            dispatcher find-slots  vs  raw SQL + engine + selection
 *   p95_ms_freeslots          freeSlots() direct     vs  raw loadPlans SQL + engine
 *   p95_ms_vs_sql_only        dispatcher find-slots  vs  the raw SQL alone (the floor: the
 *                             ratio is everything the app adds over reading the rows)
 *   p95_ms_engine             computeSlots alone (from the baseline runs; no baseline)
 * Each round's 100 slots (doctor, start) are compared between the app and the baseline;
 * any difference fails the scenario. Goal (issue): p95 < 50 ms.
 */
import type Database from 'better-sqlite3';
import type { ClinicSettings } from '../../src-main/contract/settings.contract.js';
import { freeSlots } from '../../src-main/core/scheduling/availability.js';
import { computeSlots, WallClock, type DoctorPlan } from '../../src-main/core/scheduling/slot-engine.js';
import { localTime } from '../../src-main/core/time/time.js';
import { alternate } from '../lib/alternate.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { busyClinicFixture, copyFixture, ensureFixture } from '../lib/fixtures.js';
import { row, type ResultRow } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';
import { nowNs } from '../lib/timer.js';

const DAY = 86_400_000;
const DAYS = 30;
const LIMIT = 100;

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The raw side: the same reads as findSlots/loadPlans, the same engine. */
function rawSlotFinder(raw: Database.Database, settings: ClinicSettings) {
  const prepared = new Map<string, Database.Statement>();
  const prep = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) {
      s = raw.prepare(sql);
      prepared.set(sql, s);
    }
    return s;
  };
  const typeCheck = raw.prepare('select "id", "active" from "consultation_type" where "id" = ?');
  const typeSpecs = raw.prepare('select "specialization_id" from "consultation_type_specialization" where "consultation_type_id" = ?').pluck();
  const typeDuration = raw.prepare('select "duration_minutes" from "consultation_type" where "id" = ?').pluck();
  const locations = raw.prepare('select "id", "timezone" from "location"');
  const locationNames = raw.prepare('select "id", "name" from "location"');

  /** loadPlans(): six reads, then the plans. */
  const loadPlans = (doctorIds: string[], fromIso: string, toIso: string, nowIso: string) => {
    const n = doctorIds.length;
    const doctors = prep(`select "id", "slot_minutes", "buffer_minutes" from "doctor" where "id" in (${list(n)}) and "active" = ?`).all(...doctorIds, 1) as Array<{ id: string; slot_minutes: number; buffer_minutes: number }>;
    const zones = new Map((locations.all() as Array<{ id: string; timezone: string }>).map((l) => [l.id, l.timezone]));
    const weekly = prep(`select "doctor_id", "location_id", "weekday", "start_minute", "end_minute" from "working_hours" where "doctor_id" in (${list(n)})`).all(...doctorIds) as Array<{ doctor_id: string; location_id: string; weekday: number; start_minute: number; end_minute: number }>;
    const exceptions = prep(
      `select "doctor_id", "location_id", "kind", "date", "start_minute", "end_minute" from "schedule_exception" where "doctor_id" in (${list(n)}) and "date" >= ? and "date" <= ?`,
    ).all(...doctorIds, new Date(Date.parse(fromIso) - 2 * DAY).toISOString().slice(0, 10), new Date(Date.parse(toIso) + 2 * DAY).toISOString().slice(0, 10)) as Array<{
      doctor_id: string;
      location_id: string | null;
      kind: 'time_off' | 'extra_hours';
      date: string;
      start_minute: number;
      end_minute: number;
    }>;
    const appointments = prep(
      `select "id", "doctor_id", "start_at", "block_end_at" from "appointment" where "doctor_id" in (${list(n)}) and "status" <> ? and "start_at" >= ? and "start_at" < ?`,
    ).all(...doctorIds, 'cancelled', new Date(Date.parse(fromIso) - DAY).toISOString(), toIso) as Array<{ doctor_id: string; start_at: string; block_end_at: string }>;
    const holds = prep(
      `select "doctor_id", "start_at", "block_end_at", "holder" from "appointment_hold" where "doctor_id" in (${list(n)}) and "expires_at" > ? and "start_at" < ? and "block_end_at" > ?`,
    ).all(...doctorIds, nowIso, toIso, fromIso) as Array<{ doctor_id: string; start_at: string; block_end_at: string }>;
    const byDoctor = new Map<string, DoctorPlan>();
    for (const d of doctors) byDoctor.set(d.id, { doctorId: d.id, slotMinutes: d.slot_minutes, bufferMinutes: d.buffer_minutes, weekly: [], exceptions: [], busy: [] });
    for (const w of weekly) byDoctor.get(w.doctor_id)?.weekly.push({ locationId: w.location_id, weekday: w.weekday, startMinute: w.start_minute, endMinute: w.end_minute });
    for (const e of exceptions) byDoctor.get(e.doctor_id)?.exceptions.push({ locationId: e.location_id, kind: e.kind, date: e.date, startMinute: e.start_minute, endMinute: e.end_minute });
    for (const a of [...appointments, ...holds]) byDoctor.get(a.doctor_id)?.busy.push({ start: Date.parse(a.start_at), end: Date.parse(a.block_end_at) });
    return { plans: [...byDoctor.values()], zones, bookings: appointments.length };
  };

  const engine = (plans: DoctorPlan[], zones: Map<string, string>, from: number, to: number, duration: number, nowMs: number) =>
    computeSlots(plans, zones, { from, to, durationMinutes: duration, notBefore: nowMs + settings.minNoticeMinutes * 60_000, notAfter: nowMs + settings.horizonDays * DAY }, new WallClock());

  return {
    loadPlans,
    engine,
    /** find-slots: returns the 100 nearest (doctor, start) and the time split. */
    find(typeId: string, nowMs: number, split: { sql: number; engine: number }) {
      let t = nowNs();
      const type = typeCheck.get(typeId) as { active: number } | undefined;
      if (!type || type.active !== 1) throw new Error('baseline: no such type');
      const specs = typeSpecs.all(typeId) as string[];
      const doctorIds = (
        prep(`select distinct "d"."id" from "doctor" as "d" inner join "doctor_specialization" as "s" on "s"."doctor_id" = "d"."id" where "d"."active" = ? and "s"."specialization_id" in (${list(specs.length)})`).all(1, ...specs) as Array<{ id: string }>
      ).map((r) => r.id);
      const duration = typeDuration.get(typeId) as number;
      const from = nowMs;
      const to = nowMs + DAYS * DAY;
      const { plans, zones } = loadPlans(doctorIds, new Date(from).toISOString(), new Date(to).toISOString(), new Date(nowMs).toISOString());
      let t2 = nowNs();
      split.sql = Number(t2 - t) / 1e6;
      const slots = engine(plans, zones, from, to, duration, nowMs);
      t = nowNs();
      split.engine = Number(t - t2) / 1e6;
      const nearest = slots
        .map((s) => ({ s, distance: Math.abs(s.start - nowMs) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, LIMIT)
        .map((x) => x.s)
        .sort((a, b) => a.start - b.start || a.doctorId.localeCompare(b.doctorId));
      t2 = nowNs();
      const ids = [...new Set(nearest.map((s) => s.doctorId))];
      const names = new Map((prep(`select "id", "title", "given_name", "family_name" from "doctor" where "id" in (${list(ids.length)})`).all(...ids) as Array<{ id: string; title: string; given_name: string; family_name: string }>).map((d) => [d.id, `${d.title} ${d.given_name} ${d.family_name}`]));
      const places = new Map((locationNames.all() as Array<{ id: string; name: string }>).map((l) => [l.id, l.name]));
      split.sql += Number(nowNs() - t2) / 1e6;
      return nearest.map((s) => ({ doctorId: s.doctorId, startAt: new Date(s.start).toISOString(), doctorName: names.get(s.doctorId), locationName: places.get(s.locationId) }));
    },
  };
}

export const slots50x30: Scenario = {
  name: 'slots-50x30',
  summary: 'booking/find-slots (limit 100) over 50 doctors × 30 days holding 30,000 bookings, and freeSlots() direct, vs raw SQL + the same engine.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('slots-50x30');
    copyFixture(fixture, scratch.dir);
    const { app, caller, nowMs } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const settings = app.settings();
      const typeId = app.raw.prepare("select id from consultation_type where name = 'Follow-up'").pluck().get() as string;
      const doctorIds = app.raw.prepare('select id from doctor where active = 1').pluck().all() as string[];
      const fromIso = new Date(nowMs).toISOString();
      const toIso = new Date(nowMs + DAYS * DAY).toISOString();
      const bookingsInWindow = app.raw
        .prepare("select count(*) from appointment where status <> 'cancelled' and start_at >= ? and start_at < ?")
        .pluck()
        .get(fromIso, toIso) as number;
      const input = { consultationTypeId: typeId, preferredDate: fixture.today, preferredTime: localTime(fromIso, settings.timeZone), days: DAYS, limit: LIMIT };
      const finder = rawSlotFinder(app.raw, settings);

      const iterations = quick ? 10 : 80;
      const warmup = quick ? 2 : 5;
      const appFree: number[] = [];
      const appSlotCount: number[] = [];
      const split = { sql: [] as number[], engine: [] as number[], plansSqlEngine: [] as number[] };
      let appAnswer = '';
      let baseAnswer = '';
      const failures: string[] = [];

      const direct = async (i: number) => {
        const t = nowNs();
        const slots = await freeSlots(app.db, { doctorIds, durationMinutes: 15, fromIso, toIso, now: new Date(nowMs), settings, holder: `staff:${fixture.staff.id}` });
        if (i >= 0) {
          appFree.push(Number(nowNs() - t) / 1e6);
          appSlotCount.push(slots.length);
        }
      };
      const appSide = async (sw: { start(): void; stop(): void }, i: number) => {
        if (i % 2 === 1) await direct(i);
        sw.start();
        const out = await app.dispatch('booking/find-slots', input, caller);
        sw.stop();
        const slots = okData<{ slots: Array<{ doctorId: string; startAt: string }> }>('booking/find-slots', out).slots;
        appAnswer = slots.map((s) => `${s.doctorId}@${s.startAt}`).join();
        if (i % 2 === 0) await direct(i);
      };
      const baseSide = (sw: { start(): void; stop(): void }, i: number) => {
        const parts = { sql: 0, engine: 0 };
        sw.start();
        const slots = finder.find(typeId, nowMs, parts);
        sw.stop();
        baseAnswer = slots.map((s) => `${s.doctorId}@${s.startAt}`).join();
        if (i >= 0) {
          split.sql.push(parts.sql);
          split.engine.push(parts.engine);
        }
      };
      // The freeSlots() counterpart: raw loadPlans + engine, for the same doctors and duration.
      const basePlans = (i: number) => {
        const t = nowNs();
        const { plans, zones } = finder.loadPlans(doctorIds, fromIso, toIso, fromIso);
        finder.engine(plans, zones, nowMs, nowMs + DAYS * DAY, 15, nowMs);
        if (i >= 0) split.plansSqlEngine.push(Number(nowNs() - t) / 1e6);
      };
      log(`  ${iterations} alternating rounds (+${warmup} warm-up), ${doctorIds.length} doctors, ${bookingsInWindow.toLocaleString('en-US')} bookings in the window`);
      const samples = await alternate(
        async (sw, i) => {
          await appSide(sw, i);
        },
        (sw, i) => {
          if (i % 2 === 0) basePlans(i);
          baseSide(sw, i);
          if (i % 2 !== 0) basePlans(i);
          if (appAnswer !== baseAnswer && failures.length < 3) failures.push(`round ${i}: app and baseline slots differ`);
        },
        iterations,
        { warmup },
      );
      if (failures.length > 0) throw new Error(`slots-50x30: ${failures.join('; ')}`);

      const app95 = summarize(samples.app);
      const base95 = summarize(samples.baseline);
      const sql = summarize(split.sql);
      const engine = summarize(split.engine);
      const free = summarize(appFree);
      const plansRaw = summarize(split.plansSqlEngine);
      const rows: ResultRow[] = [
        row('slots-50x30', 'p50_ms', app95.p50, 'ms', base95.p50),
        row('slots-50x30', 'p95_ms', app95.p95, 'ms', base95.p95),
        row('slots-50x30', 'p95_ms_freeslots', free.p95, 'ms', plansRaw.p95),
        row('slots-50x30', 'p95_ms_vs_sql_only', app95.p95, 'ms', sql.p95),
        row('slots-50x30', 'p95_ms_engine', engine.p95, 'ms', null),
      ];
      return {
        rows,
        notes: {
          fixture: fixture.key,
          doctors: doctorIds.length,
          window: { from: fromIso, to: toIso },
          bookingsInWindow,
          freeSlotsInWindow: appSlotCount[0] ?? null,
          iterations,
          warmup,
          p50Ms: {
            dispatcher: roundValue(app95.p50),
            freeSlotsDirect: roundValue(free.p50),
            baseline: roundValue(base95.p50),
            baselineSql: roundValue(sql.p50),
            baselineEngine: roundValue(engine.p50),
            baselinePlansSqlAndEngine: roundValue(plansRaw.p50),
          },
          samplesMs: { app: samples.app.map(roundValue), baseline: samples.baseline.map(roundValue), freeSlots: appFree.map(roundValue) },
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
