/**
 * Free, bookable target slots for booking benchmarks, chosen before anything is timed.
 *
 * Reads the doctors, their weekly hours and their future appointments from the database,
 * then draws random (doctor, day, grid position) triples: a day 1..`days` after the
 * fixture's today, one of the doctor's stretches that weekday, a start on the doctor's slot
 * grid counted from the start of the stretch (as the app's slot check demands), with the
 * doctor's own kind of consultation (15-minute general consultation on a 15-minute grid,
 * 30-minute specialist consultation on a 30-minute grid; a follow-up when the doctor does
 * not offer that one). A draw is kept only when it overlaps no existing appointment of the
 * doctor and no earlier draw; the patient is a random one (never patient number 1).
 */
import type Database from 'better-sqlite3';
import { BusyIndex } from '../../src-main/core/scheduling/slot-engine.js';
import { addDays, isoWeekday, wallToInstant } from '../../src-main/core/time/time.js';
import { prng } from './random.js';

export interface BookingTarget {
  patientId: string;
  doctorId: string;
  consultationTypeId: string;
  /** ISO instant, what the desk sends as startAt. */
  startAt: string;
  startMs: number;
  endMs: number;
  durationMinutes: number;
  weekday: number;
}

interface DoctorInfo {
  id: string;
  slot: number;
  buffer: number;
  typeId: string;
  duration: number;
  hours: Map<number, Array<[number, number]>>;
  busy: BusyIndex;
}

export function pickBookingTargets(
  raw: Database.Database,
  o: { count: number; today: string; nowIso: string; timeZone: string; days: number; seed: number; patients: number },
): BookingTarget[] {
  const random = prng(o.seed);
  const types = raw.prepare('select id, name, duration_minutes from consultation_type').all() as Array<{ id: string; name: string; duration_minutes: number }>;
  const typeNamed = (name: string) => {
    const t = types.find((x) => x.name === name);
    if (!t) throw new Error(`bench: no consultation type "${name}"`);
    return t;
  };
  const offers = raw.prepare(
    `select count(*) from consultation_type_specialization t
     join doctor_specialization d on d.specialization_id = t.specialization_id
     where t.consultation_type_id = ? and d.doctor_id = ?`,
  ).pluck();
  const hoursOf = raw.prepare('select weekday, start_minute, end_minute from working_hours where doctor_id = ?');
  const busyOf = raw.prepare("select start_at, block_end_at from appointment where doctor_id = ? and status <> 'cancelled' and block_end_at > ?");
  const doctors: DoctorInfo[] = (
    raw.prepare('select id, slot_minutes, buffer_minutes from doctor where active = 1 order by id').all() as Array<{ id: string; slot_minutes: number; buffer_minutes: number }>
  ).map((d) => {
    const own = typeNamed(d.slot_minutes < 30 ? 'General consultation' : 'Specialist consultation');
    const type = (offers.get(own.id, d.id) as number) > 0 ? own : typeNamed('Follow-up');
    // Distinct grid positions then never overlap one another.
    if (type.duration_minutes > d.slot_minutes) throw new Error(`bench: "${type.name}" is longer than doctor ${d.id}'s slot grid`);
    const hours = new Map<number, Array<[number, number]>>();
    for (const h of hoursOf.all(d.id) as Array<{ weekday: number; start_minute: number; end_minute: number }>) {
      hours.set(h.weekday, [...(hours.get(h.weekday) ?? []), [h.start_minute, h.end_minute]]);
    }
    const busy = (busyOf.all(d.id, o.nowIso) as Array<{ start_at: string; block_end_at: string }>).map((a) => ({ start: Date.parse(a.start_at), end: Date.parse(a.block_end_at) }));
    return { id: d.id, slot: d.slot_minutes, buffer: d.buffer_minutes, typeId: type.id, duration: type.duration_minutes, hours, busy: new BusyIndex(busy) };
  });
  if (doctors.length === 0) throw new Error('bench: no doctors');
  const patientId = raw.prepare('select id from patient where number = ?').pluck();
  const taken = new Set<string>();
  const out: BookingTarget[] = [];
  let attempts = 0;
  while (out.length < o.count) {
    if (++attempts > o.count * 50) throw new Error(`bench: found only ${out.length} of ${o.count} free target slots`);
    const d = doctors[Math.floor(random() * doctors.length)]!;
    const date = addDays(o.today, 1 + Math.floor(random() * o.days));
    const weekday = isoWeekday(date);
    const stretches = d.hours.get(weekday);
    if (!stretches || stretches.length === 0) continue;
    const [start, end] = stretches[Math.floor(random() * stretches.length)]!;
    const positions = Math.floor((end - start - d.duration) / d.slot) + 1;
    if (positions <= 0) continue;
    const minute = start + Math.floor(random() * positions) * d.slot;
    const startAt = wallToInstant(date, minute, o.timeZone);
    const startMs = Date.parse(startAt);
    const endMs = startMs + d.duration * 60_000;
    const key = `${d.id}|${startMs}`;
    if (taken.has(key) || d.busy.overlaps(startMs, endMs + d.buffer * 60_000)) continue;
    taken.add(key);
    const number = 2 + Math.floor(random() * (o.patients - 1));
    out.push({
      patientId: patientId.get(number) as string,
      doctorId: d.id,
      consultationTypeId: d.typeId,
      startAt,
      startMs,
      endMs,
      durationMinutes: d.duration,
      weekday,
    });
  }
  return out;
}
