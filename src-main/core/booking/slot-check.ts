import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { bookingWindow, loadPlans } from '../scheduling/availability.js';
import { BusyIndex, sharedWallClock, workingStretches, type DoctorPlan } from '../scheduling/slot-engine.js';
import { nearbyAlternatives } from './alternatives.js';
import { doctorName } from '../display-names.js';
import { clockText } from './booking-text.js';

export interface SlotRequest {
  doctorId: string;
  locationId?: string;
  consultationTypeId: string;
  startAt: string;
  endAt?: string;
}

export interface CheckedSlot {
  doctorId: string;
  locationId: string;
  consultationTypeId: string;
  start: number;
  end: number;
  blockEnd: number;
  priceMinor: number;
  currency: string;
  durationMinutes: number;
  /** Names for the view returned after booking, read with the checks (no second lookup). */
  doctorName: string;
  typeName: string;
  locationName: string;
  timeZone: string;
}

const MINUTE = 60_000;

const refuse = (code: string, field: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, { fieldErrors: { [field]: [message] }, details });

/**
 * Is this exact slot bookable now? Every reason a slot can be refused, in the order a
 * receptionist would want to hear it. Busy time (bookings, others' holds) is checked last
 * and refused with the nearest free alternatives. The database trigger is the final guard.
 */
export async function checkSlot(
  ctx: Ctx,
  req: SlotRequest,
  options: { holder?: string; excludeAppointmentId?: string } = {},
): Promise<CheckedSlot> {
  const doctor = await ctx.db.selectFrom('doctor').select(['id', 'active', 'buffer_minutes', 'title', 'given_name', 'family_name']).where('id', '=', req.doctorId).executeTakeFirst();
  if (!doctor || doctor.active !== 1) throw refuse('booking/unknown-doctor', 'doctorId', 'There is no such doctor (or the doctor is no longer active).');
  const type = await ctx.db.selectFrom('consultation_type').selectAll().where('id', '=', req.consultationTypeId).executeTakeFirst();
  if (!type || type.active !== 1) throw refuse('booking/unknown-consultation-type', 'consultationTypeId', 'There is no such consultation type.');

  const offered = await ctx.db
    .selectFrom('consultation_type_specialization as t')
    .leftJoin('doctor_specialization as d', (j) => j.onRef('d.specialization_id', '=', 't.specialization_id').on('d.doctor_id', '=', req.doctorId))
    .select(['t.specialization_id', 'd.doctor_id'])
    .where('t.consultation_type_id', '=', type.id)
    .execute();
  if (offered.length > 0 && !offered.some((o) => o.doctor_id !== null)) {
    throw refuse('booking/type-not-offered', 'consultationTypeId', `This doctor does not offer “${type.name}”.`);
  }

  const start = Date.parse(req.startAt);
  const end = start + type.duration_minutes * MINUTE;
  if (req.endAt && Date.parse(req.endAt) !== end) {
    throw refuse('booking/wrong-length', 'endAt', `A “${type.name}” lasts ${type.duration_minutes} minutes.`);
  }
  const now = ctx.clock.now().getTime();
  const window = bookingWindow(ctx.settings, ctx.clock.now());
  if (start < now) throw refuse('booking/in-past', 'startAt', 'That time is in the past.');
  if (start < window.notBefore) {
    throw refuse('booking/min-notice', 'startAt', `Bookings need at least ${ctx.settings.minNoticeMinutes} minutes’ notice.`);
  }
  if (start >= window.notAfter) {
    throw refuse('booking/beyond-horizon', 'startAt', `Bookings can be made at most ${ctx.settings.horizonDays} days ahead.`);
  }

  const { plans, zones, locationNames } = await loadPlans(ctx.db, {
    doctorIds: [req.doctorId],
    fromIso: new Date(start - 1440 * MINUTE).toISOString(),
    toIso: new Date(end + 1440 * MINUTE).toISOString(),
    now: ctx.clock.now(),
    holder: options.holder,
    excludeAppointmentId: options.excludeAppointmentId,
    clinicZone: ctx.settings.timeZone,
  });
  const plan = plans[0]!;
  const clock = sharedWallClock;
  // A visit may pass local midnight when the doctor works straight through (s.runEnd).
  const stretch = workingStretches(plan, zones, start - 1440 * MINUTE, end + MINUTE, clock).find((s) => s.start <= start && start < s.end && end <= s.runEnd);
  if (!stretch) {
    const withoutTimeOff: DoctorPlan = { ...plan, exceptions: plan.exceptions.filter((e) => e.kind !== 'time_off') };
    const inHours = workingStretches(withoutTimeOff, zones, start - 1440 * MINUTE, end + MINUTE, clock).some((s) => s.start <= start && start < s.end && end <= s.runEnd);
    throw inHours
      ? refuse('booking/time-off', 'startAt', 'The doctor is away at that time.')
      : refuse('booking/outside-hours', 'startAt', 'That time is outside the doctor’s working hours.');
  }
  if (req.locationId && req.locationId !== stretch.locationId) {
    throw refuse('booking/wrong-location', 'locationId', 'The doctor works at another location at that time.');
  }
  if ((start - stretch.start) % (plan.slotMinutes * MINUTE) !== 0) {
    throw refuse('booking/off-grid', 'startAt', `Appointments with this doctor start every ${plan.slotMinutes} minutes from the start of their hours.`);
  }
  const blockEnd = end + doctor.buffer_minutes * MINUTE;
  if (new BusyIndex(plan.busy).overlaps(start, blockEnd)) {
    const zone = zones.get(stretch.locationId)!;
    const buffer = await bufferClash(ctx, { doctorId: req.doctorId, name: doctorName(doctor), bufferMinutes: doctor.buffer_minutes, start, end, blockEnd, zone }, options);
    throw await slotTaken(ctx, req.doctorId, type.id, start, options.holder, buffer ?? undefined);
  }
  return {
    doctorId: req.doctorId,
    locationId: stretch.locationId,
    consultationTypeId: type.id,
    start,
    end,
    blockEnd,
    priceMinor: type.price_minor,
    currency: type.currency,
    durationMinutes: type.duration_minutes,
    doctorName: doctorName(doctor),
    typeName: type.name,
    locationName: locationNames.get(stretch.locationId) ?? '',
    timeZone: zones.get(stretch.locationId)!,
  };
}

export async function slotTaken(ctx: Ctx, doctorId: string, consultationTypeId: string, start: number, holder?: string, bufferMessage?: string): Promise<DomainError> {
  const alternatives = await nearbyAlternatives(ctx, { doctorId, consultationTypeId, start, holder });
  if (bufferMessage) {
    return new DomainError('booking/slot-taken', `${bufferMessage} Choose one of the nearest free slots.`, {
      fieldErrors: { startAt: [bufferMessage] },
      details: { alternatives, reason: 'buffer' },
    });
  }
  return new DomainError('booking/slot-taken', 'That time is already taken. Choose one of the nearest free slots.', {
    fieldErrors: { startAt: ['That time is already taken.'] },
    details: { alternatives },
  });
}

/**
 * When a refused slot clashes only with the doctor's buffer (no visit overlaps the visit),
 * says so in plain words; null when a visit or another desk's hold really takes the time.
 */
async function bufferClash(
  ctx: Ctx,
  q: { doctorId: string; name: string; bufferMinutes: number; start: number; end: number; blockEnd: number; zone: string },
  options: { holder?: string; excludeAppointmentId?: string },
): Promise<string | null> {
  const from = new Date(q.start - 600 * MINUTE).toISOString();
  const to = new Date(q.blockEnd).toISOString();
  let appointments = ctx.db
    .selectFrom('appointment')
    .select(['start_at', 'end_at', 'block_end_at'])
    .where('doctor_id', '=', q.doctorId)
    .where('status', '<>', 'cancelled')
    .where('start_at', '>=', from)
    .where('start_at', '<', to);
  if (options.excludeAppointmentId) appointments = appointments.where('id', '<>', options.excludeAppointmentId);
  const holds = ctx.db
    .selectFrom('appointment_hold')
    .select(['start_at', 'end_at', 'block_end_at'])
    .where('doctor_id', '=', q.doctorId)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .where('holder', '<>', options.holder ?? '')
    .where('start_at', '>=', from)
    .where('start_at', '<', to);
  const busy = [...(await appointments.execute()), ...(await holds.execute())]
    .map((r) => ({ start: Date.parse(r.start_at), end: Date.parse(r.end_at), blockEnd: Date.parse(r.block_end_at) }))
    .filter((b) => b.start < q.blockEnd && b.blockEnd > q.start);
  if (busy.length === 0 || busy.some((b) => b.start < q.end && b.end > q.start)) return null;
  const minutes = (ms: number) => Math.round(ms / MINUTE);
  // This visit starts inside the buffer after an earlier visit …
  const before = busy.filter((b) => b.end <= q.start && b.blockEnd > q.start).sort((a, b) => b.end - a.end)[0];
  if (before) {
    const needs = minutes(before.blockEnd - before.end);
    const gap = minutes(q.start - before.end);
    return `${q.name} needs ${needs} minutes between appointments; ${gap === 0 ? `this time starts right as the visit before it ends at ${clockText(before.end, q.zone)}` : `this time starts ${gap} minute${gap === 1 ? '' : 's'} after the visit ending ${clockText(before.end, q.zone)}`}.`;
  }
  // … or its own buffer runs into the next visit.
  const after = busy.filter((b) => b.start >= q.end).sort((a, b) => a.start - b.start)[0];
  if (after) {
    const gap = minutes(after.start - q.end);
    return `${q.name} needs ${q.bufferMinutes} minutes between appointments; this visit would end at ${clockText(q.end, q.zone)}, ${gap === 0 ? 'just as the next visit starts' : `${gap} minute${gap === 1 ? '' : 's'} before the visit starting ${clockText(after.start, q.zone)}`}.`;
  }
  return null;
}
