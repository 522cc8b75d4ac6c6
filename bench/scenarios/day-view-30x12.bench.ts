/**
 * day-view-30x12: the day view's data (`agenda/day-grid`) for one busy clinic day, at least
 * 30 doctors × 12 hours — the busy-clinic fixture (busyClinicFixture(): 50 doctors working
 * every day 07:00–21:00, 30,000 bookings over the next 30 days, so about 1,000 on the day),
 * tomorrow in the clinic's zone, every doctor, free slots of the 15-minute Follow-up (offered
 * by all 50). That is 50 columns × 14 hours: more than the issue's 30 × 12.
 *
 * App side (p50_ms, p95_ms): app.dispatch('agenda/day-grid', { date, consultationTypeId },
 * staff caller) — session, role check, zod in and out, six roster reads, loadPlans (six
 * reads), the day's appointments with patient, doctor, location and type, the engine's free
 * slots and each doctor's hours and time off (workingRuns, with and without time off).
 *
 * Baseline side: the same rows read with raw prepared statements on the app's connection
 * (app.raw), the same DoctorPlan objects, THE SAME pure engine (computeSlots and workingRuns
 * — the algorithm is the work, not overhead), grouped per doctor; no zod, no views. Each
 * round compares the number of appointments and free slots per doctor between the two sides;
 * a difference fails the scenario. The rows' ratio is what the app adds over that.
 * Goal (issue 12 item 11): "without lag" — p95 well under 100 ms for the data.
 */
import type Database from 'better-sqlite3';
import { computeSlots, workingRuns, WallClock, type DoctorPlan } from '../../src-main/core/scheduling/slot-engine.js';
import { addDays, dayBounds } from '../../src-main/core/time/time.js';
import { alternate } from '../lib/alternate.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { busyClinicFixture, copyFixture, ensureFixture } from '../lib/fixtures.js';
import { row, type ResultRow } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';

const DAY = 86_400_000;

function rawDayGrid(raw: Database.Database) {
  const doctors = raw.prepare('select id, title, given_name, family_name, slot_minutes, buffer_minutes from doctor where active = 1 order by family_name, given_name');
  const docSpecs = raw.prepare('select doctor_id, specialization_id from doctor_specialization');
  const locations = raw.prepare('select id, name, timezone from location where active = 1');
  const specs = raw.prepare('select id, name from specialization');
  const typeRow = raw.prepare('select id, duration_minutes from consultation_type where id = ? and active = 1');
  const typeSpecs = raw.prepare('select specialization_id from consultation_type_specialization where consultation_type_id = ?').pluck();
  const hours = raw.prepare('select doctor_id, location_id, weekday, start_minute, end_minute from working_hours');
  const exceptions = raw.prepare('select doctor_id, location_id, kind, date, start_minute, end_minute from schedule_exception where date >= ? and date <= ?');
  const busy = raw.prepare("select doctor_id, start_at, block_end_at from appointment where status <> 'cancelled' and start_at >= ? and start_at < ?");
  const holds = raw.prepare('select doctor_id, start_at, block_end_at from appointment_hold where expires_at > ? and start_at < ? and block_end_at > ?');
  const day = raw.prepare(
    `select a.id, a.doctor_id, a.start_at, a.end_at, a.status, a.payment_status, p.given_name, p.family_name, p.number, l.name as location_name, c.name as type_name
       from appointment a join patient p on p.id = a.patient_id join location l on l.id = a.location_id join consultation_type c on c.id = a.consultation_type_id
      where a.start_at >= ? and a.start_at < ? and a.end_at > ? and a.status <> 'cancelled' order by a.start_at`,
  );

  return (date: string, zone: string, typeId: string, nowMs: number, settings: { minNoticeMinutes: number; horizonDays: number }) => {
    const { start, end } = dayBounds(date, zone);
    const from = Date.parse(start);
    const to = Date.parse(end);
    const docs = doctors.all() as Array<{ id: string; slot_minutes: number; buffer_minutes: number }>;
    docSpecs.all();
    specs.all();
    const zones = new Map((locations.all() as Array<{ id: string; timezone: string }>).map((l) => [l.id, l.timezone]));
    const type = typeRow.get(typeId) as { duration_minutes: number };
    typeSpecs.all(typeId);
    const plans = new Map<string, DoctorPlan>(docs.map((d) => [d.id, { doctorId: d.id, timeOffZone: zone, slotMinutes: d.slot_minutes, bufferMinutes: d.buffer_minutes, weekly: [], exceptions: [], busy: [] }]));
    for (const h of hours.all() as Array<{ doctor_id: string; location_id: string; weekday: number; start_minute: number; end_minute: number }>) {
      plans.get(h.doctor_id)?.weekly.push({ locationId: h.location_id, weekday: h.weekday, startMinute: h.start_minute, endMinute: h.end_minute });
    }
    for (const e of exceptions.all(addDays(date, -5), addDays(date, 2)) as Array<{ doctor_id: string; location_id: string | null; kind: 'time_off' | 'extra_hours'; date: string; start_minute: number; end_minute: number }>) {
      plans.get(e.doctor_id)?.exceptions.push({ locationId: e.location_id, kind: e.kind, date: e.date, startMinute: e.start_minute, endMinute: e.end_minute });
    }
    for (const b of [...(busy.all(new Date(from - DAY).toISOString(), end) as Array<{ doctor_id: string; start_at: string; block_end_at: string }>), ...(holds.all(new Date(nowMs).toISOString(), end, start) as Array<{ doctor_id: string; start_at: string; block_end_at: string }>)]) {
      plans.get(b.doctor_id)?.busy.push({ start: Date.parse(b.start_at), end: Date.parse(b.block_end_at) });
    }
    const appointments = day.all(new Date(from - DAY).toISOString(), end, start) as Array<{ doctor_id: string }>;
    const slots = computeSlots([...plans.values()], zones, { from, to, durationMinutes: type.duration_minutes, notBefore: nowMs + settings.minNoticeMinutes * 60_000, notAfter: nowMs + settings.horizonDays * DAY }, new WallClock());
    const counts = new Map<string, { appointments: number; free: number; hours: number }>();
    for (const plan of plans.values()) {
      let spans = 0;
      for (const [locationId, lz] of zones) spans += workingRuns(plan, locationId, lz, addDays(date, -2), addDays(date, 1)).filter((s) => s.end > from && s.start < to).length;
      counts.set(plan.doctorId, { appointments: 0, free: 0, hours: spans });
    }
    for (const a of appointments) counts.get(a.doctor_id)!.appointments++;
    for (const s of slots) counts.get(s.doctorId)!.free++;
    return counts;
  };
}

export const dayView30x12: Scenario = {
  name: 'day-view-30x12',
  summary: 'agenda/day-grid for one busy day (50 doctors × 14 hours, ~1,000 visits) vs raw SQL of the same rows + the same engine.',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('day-view-30x12');
    copyFixture(fixture, scratch.dir);
    const { app, caller, nowMs } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const settings = app.settings();
      const typeId = app.raw.prepare("select id from consultation_type where name = 'Follow-up'").pluck().get() as string;
      const date = addDays(fixture.today, 1);
      const input = { date, consultationTypeId: typeId };
      const baseline = rawDayGrid(app.raw);
      const iterations = quick ? 10 : 60;
      const warmup = quick ? 2 : 5;
      let appCounts = '';
      let baseCounts = '';
      let shape = { doctors: 0, appointments: 0, free: 0, hours: 0 };
      const failures: string[] = [];
      const samples = await alternate(
        async (sw) => {
          sw.start();
          const out = await app.dispatch('agenda/day-grid', input, caller);
          sw.stop();
          const grid = okData<{ doctors: Array<{ id: string; appointments: unknown[]; free: unknown[]; hours: unknown[] }>; viewStart: string; viewEnd: string }>('agenda/day-grid', out);
          appCounts = grid.doctors.map((d) => `${d.id}:${d.appointments.length}/${d.free.length}`).sort().join();
          shape = {
            doctors: grid.doctors.length,
            appointments: grid.doctors.reduce((n, d) => n + d.appointments.length, 0),
            free: grid.doctors.reduce((n, d) => n + d.free.length, 0),
            hours: (Date.parse(grid.viewEnd) - Date.parse(grid.viewStart)) / 3_600_000,
          };
        },
        (sw, i) => {
          sw.start();
          const counts = baseline(date, settings.timeZone, typeId, nowMs, settings);
          sw.stop();
          baseCounts = [...counts].filter(([, c]) => c.hours > 0 || c.appointments > 0).map(([id, c]) => `${id}:${c.appointments}/${c.free}`).sort().join();
          if (appCounts && appCounts !== baseCounts && failures.length < 3) failures.push(`round ${i}: app and baseline differ`);
        },
        iterations,
        { warmup },
      );
      if (failures.length > 0) throw new Error(`day-view-30x12: ${failures.join('; ')}`);
      if (shape.doctors < 30 || shape.hours < 12) throw new Error(`day-view-30x12: only ${shape.doctors} doctors × ${shape.hours} hours`);
      log(`  ${shape.doctors} doctors × ${shape.hours} hours, ${shape.appointments} visits, ${shape.free} free slots; ${iterations} alternating rounds (+${warmup} warm-up)`);
      const a = summarize(samples.app);
      const b = summarize(samples.baseline);
      const rows: ResultRow[] = [row('day-view-30x12', 'p50_ms', a.p50, 'ms', b.p50), row('day-view-30x12', 'p95_ms', a.p95, 'ms', b.p95)];
      return {
        rows,
        notes: { fixture: fixture.key, date, ...shape, iterations, warmup, samplesMs: { app: samples.app.map(roundValue), baseline: samples.baseline.map(roundValue) } },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
