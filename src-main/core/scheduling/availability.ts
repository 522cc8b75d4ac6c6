import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { Db } from '../db/database.js';
import { computeSlots, type DoctorPlan } from './slot-engine.js';
import type { Span } from './intervals.js';

const DAY = 86_400_000;

export interface Slot {
  doctorId: string;
  locationId: string;
  startAt: string;
  endAt: string;
  localDate: string;
  localTime: string;
}

export interface LoadedPlans {
  plans: DoctorPlan[];
  zones: Map<string, string>;
  locationNames: Map<string, string>;
}

/**
 * Loads what the engine needs for some doctors over [fromIso, toIso): weekly hours,
 * exceptions on the local dates involved, bookings (with their buffer) and others' live holds.
 */
export async function loadPlans(
  db: Db,
  q: { doctorIds: string[]; fromIso: string; toIso: string; now: Date; holder?: string; excludeAppointmentId?: string; clinicZone?: string },
): Promise<LoadedPlans> {
  const zones = new Map<string, string>();
  const locationNames = new Map<string, string>();
  if (q.doctorIds.length === 0) return { plans: [], zones, locationNames };
  const [doctors, locations, weekly, exceptions, appointments, holds] = await Promise.all([
    db.selectFrom('doctor').select(['id', 'slot_minutes', 'buffer_minutes']).where('id', 'in', q.doctorIds).where('active', '=', 1).execute(),
    // An inactive location offers no time (its hours are ignored).
    db.selectFrom('location').select(['id', 'timezone', 'name']).where('active', '=', 1).execute(),
    db.selectFrom('working_hours').select(['doctor_id', 'location_id', 'weekday', 'start_minute', 'end_minute']).where('doctor_id', 'in', q.doctorIds).execute(),
    db
      .selectFrom('schedule_exception')
      .select(['doctor_id', 'location_id', 'kind', 'date', 'start_minute', 'end_minute'])
      .where('doctor_id', 'in', q.doctorIds)
      // Local dates can be a day either side of the UTC dates; the engine looks three days back (night hours).
      .where('date', '>=', new Date(Date.parse(q.fromIso) - 5 * DAY).toISOString().slice(0, 10))
      .where('date', '<=', new Date(Date.parse(q.toIso) + 2 * DAY).toISOString().slice(0, 10))
      .execute(),
    db
      .selectFrom('appointment')
      .select(['id', 'doctor_id', 'start_at', 'block_end_at'])
      .where('doctor_id', 'in', q.doctorIds)
      .where('status', '<>', 'cancelled')
      // An appointment blocks [start, block_end); the longest one starts at most a day before.
      .where('start_at', '>=', new Date(Date.parse(q.fromIso) - DAY).toISOString())
      .where('start_at', '<', q.toIso)
      .execute(),
    db
      .selectFrom('appointment_hold')
      .select(['doctor_id', 'start_at', 'block_end_at', 'holder'])
      .where('doctor_id', 'in', q.doctorIds)
      .where('expires_at', '>', q.now.toISOString())
      .where('start_at', '<', q.toIso)
      .where('block_end_at', '>', q.fromIso)
      .execute(),
  ]);
  for (const l of locations) {
    zones.set(l.id, l.timezone);
    locationNames.set(l.id, l.name);
  }
  const byDoctor = new Map<string, DoctorPlan>();
  for (const d of doctors) {
    byDoctor.set(d.id, { doctorId: d.id, ...(q.clinicZone ? { timeOffZone: q.clinicZone } : {}), slotMinutes: d.slot_minutes, bufferMinutes: d.buffer_minutes, weekly: [], exceptions: [], busy: [] });
  }
  for (const w of weekly) {
    byDoctor.get(w.doctor_id)?.weekly.push({ locationId: w.location_id, weekday: w.weekday, startMinute: w.start_minute, endMinute: w.end_minute });
  }
  for (const e of exceptions) {
    byDoctor.get(e.doctor_id)?.exceptions.push({ locationId: e.location_id, kind: e.kind, date: e.date, startMinute: e.start_minute, endMinute: e.end_minute });
  }
  const busy = (doctorId: string, span: Span) => byDoctor.get(doctorId)?.busy.push(span);
  for (const a of appointments) {
    if (a.id !== q.excludeAppointmentId) busy(a.doctor_id, { start: Date.parse(a.start_at), end: Date.parse(a.block_end_at) });
  }
  for (const h of holds) {
    if (h.holder !== q.holder) busy(h.doctor_id, { start: Date.parse(h.start_at), end: Date.parse(h.block_end_at) });
  }
  return { plans: [...byDoctor.values()], zones, locationNames };
}

/** The clinic's window for new bookings: not before now + notice, not beyond the horizon. */
export function bookingWindow(settings: ClinicSettings, now: Date): { notBefore: number; notAfter: number } {
  const t = now.getTime();
  return { notBefore: t + settings.minNoticeMinutes * 60_000, notAfter: t + settings.horizonDays * DAY };
}

/** Free slots of some doctors, sorted by start. */
export async function freeSlots(
  db: Db,
  q: {
    doctorIds: string[];
    durationMinutes?: number;
    consultationTypeId?: string;
    fromIso: string;
    toIso: string;
    now: Date;
    settings: ClinicSettings;
    holder?: string;
    limitPerDoctor?: number;
    excludeAppointmentId?: string;
  },
): Promise<Slot[]> {
  let duration = q.durationMinutes;
  if (duration === undefined && q.consultationTypeId) {
    const type = await db.selectFrom('consultation_type').select('duration_minutes').where('id', '=', q.consultationTypeId).executeTakeFirst();
    duration = type?.duration_minutes;
  }
  if (!duration) return [];
  const { plans, zones } = await loadPlans(db, { ...q, clinicZone: q.settings.timeZone });
  const window = bookingWindow(q.settings, q.now);
  const slots = computeSlots(plans, zones, {
    from: Date.parse(q.fromIso),
    to: Date.parse(q.toIso),
    durationMinutes: duration,
    notBefore: window.notBefore,
    notAfter: window.notAfter,
    limitPerDoctor: q.limitPerDoctor,
  });
  return slots.map((s) => ({
    doctorId: s.doctorId,
    locationId: s.locationId,
    startAt: new Date(s.start).toISOString(),
    endAt: new Date(s.end).toISOString(),
    localDate: s.localDate,
    localTime: s.localTime,
  }));
}
