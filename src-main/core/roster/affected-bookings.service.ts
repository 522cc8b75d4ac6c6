/**
 * Safe roster changes: before hours, time off, a doctor or a location change, find the
 * future bookings that fit the roster now but would not fit it after the change. Such a
 * change is refused (roster/affects-bookings, with the list) unless the caller names
 * exactly those bookings in acknowledgeAffected; the bookings themselves are never
 * cancelled or moved, and keeping them is audited.
 */
import type { AffectedBooking } from '../../contract/roster.contract.js';
import { nowIso, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors.js';
import { writeAudit } from '../audit/audit.service.js';
import { doctorName } from '../display-names.js';
import { addDays, localDateOf, localTime, todayIn } from '../time/time.js';
import { whyOutside, type RosterState } from './hours.rules.js';
import { appointmentQuery } from '../booking/appointment-view.js';

/** The roster of the doctors concerned, and every location's zone. */
export interface RosterSnapshot {
  doctors: Map<string, RosterState>;
  zones: Map<string, string>;
}

export type Proposal = (snapshot: RosterSnapshot) => void;

const clone = (s: RosterSnapshot): RosterSnapshot => ({
  doctors: new Map([...s.doctors].map(([id, d]) => [id, { ...d, weekly: [...d.weekly], exceptions: [...d.exceptions] }])),
  zones: new Map(s.zones),
});

async function loadSnapshot(db: Db, doctorIds: string[], fromDate: string, clinicZone: string): Promise<RosterSnapshot> {
  const zones = new Map<string, string>();
  const doctors = new Map<string, RosterState>();
  const locations = await db.selectFrom('location').select(['id', 'timezone']).execute();
  for (const l of locations) zones.set(l.id, l.timezone);
  if (doctorIds.length === 0) return { doctors, zones };
  const [rows, weekly, exceptions] = await Promise.all([
    db.selectFrom('doctor').select(['id', 'active']).where('id', 'in', doctorIds).execute(),
    db.selectFrom('working_hours').selectAll().where('doctor_id', 'in', doctorIds).execute(),
    db.selectFrom('schedule_exception').selectAll().where('doctor_id', 'in', doctorIds).where('date', '>=', fromDate).execute(),
  ]);
  for (const d of rows) doctors.set(d.id, { active: d.active === 1, timeOffZone: clinicZone, weekly: [], exceptions: [] });
  for (const w of weekly) {
    doctors.get(w.doctor_id)?.weekly.push({ locationId: w.location_id, weekday: w.weekday, startMinute: w.start_minute, endMinute: w.end_minute });
  }
  for (const e of exceptions) {
    doctors.get(e.doctor_id)?.exceptions.push({
      id: e.id,
      locationId: e.location_id,
      kind: e.kind,
      date: e.date,
      startMinute: e.start_minute,
      endMinute: e.end_minute,
    });
  }
  return { doctors, zones };
}

/** Future bookings (booked or checked in) of a doctor or at a location. */
async function futureBookings(ctx: Ctx, scope: { doctorId?: string; locationId?: string }) {
  let q = appointmentQuery(ctx.db)
    .select('p.phone_e164')
    .where('a.status', 'in', ['booked', 'checked_in'])
    .where('a.start_at', '>=', nowIso(ctx))
    .orderBy('a.start_at');
  if (scope.doctorId) q = q.where('a.doctor_id', '=', scope.doctorId);
  if (scope.locationId) q = q.where('a.location_id', '=', scope.locationId);
  return q.execute();
}

/** The bookings in scope that fit the roster now and would not after `propose`. */
export async function findAffected(ctx: Ctx, scope: { doctorId?: string; locationId?: string }, propose: Proposal): Promise<AffectedBooking[]> {
  const bookings = await futureBookings(ctx, scope);
  if (bookings.length === 0) return [];
  const fromDate = addDays(todayIn(ctx.settings.timeZone, ctx.clock.now()), -4);
  const current = await loadSnapshot(ctx.db, [...new Set(bookings.map((b) => b.doctor_id))], fromDate, ctx.settings.timeZone);
  const proposed = clone(current);
  propose(proposed);
  const affected: AffectedBooking[] = [];
  for (const b of bookings) {
    const place = { locationId: b.location_id, startAt: b.start_at, endAt: b.end_at };
    const now = current.doctors.get(b.doctor_id);
    const after = proposed.doctors.get(b.doctor_id);
    if (!now || !after) continue;
    // A booking already outside the roster is not this change's doing.
    if (whyOutside(now, place, current.zones.get(b.location_id)) !== null) continue;
    const why = whyOutside(after, place, proposed.zones.get(b.location_id));
    if (!why) continue;
    const zone = proposed.zones.get(b.location_id) ?? ctx.settings.timeZone;
    affected.push({
      id: b.id,
      patientId: b.patient_id,
      patientName: `${b.p_given} ${b.p_family}`,
      patientPhone: b.phone_e164 ?? '',
      doctorName: doctorName(b),
      startAt: b.start_at,
      endAt: b.end_at,
      localDate: localDateOf(b.start_at, zone),
      localTime: localTime(b.start_at, zone),
      locationName: b.location_name,
      status: b.status,
      why,
    });
  }
  return affected;
}

/**
 * Refuses the change unless `acknowledged` names exactly the affected bookings (a list the
 * caller saw; if a booking was added since, the caller sees the new list first).
 */
export function requireAcknowledged(affected: AffectedBooking[], acknowledged: string[] | undefined): void {
  if (affected.length === 0) return;
  const seen = new Set(acknowledged ?? []);
  if (seen.size === affected.length && affected.every((a) => seen.has(a.id))) return;
  const n = affected.length;
  throw new DomainError(
    'roster/affects-bookings',
    `${n} booked appointment${n === 1 ? '' : 's'} would fall outside the doctor’s hours. ${n === 1 ? 'It stays' : 'They stay'} booked; contact the patient${n === 1 ? '' : 's'} to rebook, and confirm to save anyway.`,
    { details: { affected } },
  );
}

/** Saving with bookings kept outside the hours leaves its own audit row and outbox event. */
export async function recordKept(ctx: Ctx, handler: string, record: { type: string; id: string }, affected: AffectedBooking[]): Promise<void> {
  if (affected.length === 0) return;
  const ids = affected.map((a) => a.id);
  await writeAudit(ctx.db, {
    at: nowIso(ctx),
    actor: ctx.actor,
    handler,
    recordType: record.type,
    recordId: record.id,
    outcome: 'ok',
    detail: `kept ${ids.length} booking(s) outside the new hours: ${ids.join(',')}`.slice(0, 500),
  });
}
