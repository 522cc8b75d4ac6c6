/**
 * The day view's data (issue 12 item 11): one clinic day, a column per doctor working that
 * day, with working hours, time off, appointments and the free slots of one consultation
 * type — all as real instants, so a 23- or 25-hour day (clocks changing) is laid out right.
 *
 * The day is the clinic's (settings.timeZone); a doctor's hours are read in each location's
 * zone by the slot engine's own rules (workingRuns), so what is shaded here is exactly what
 * booking/find-slots offers, and the free slots are the engine's (notice and horizon included).
 */
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { dayBounds, localTime, todayIn, zoneOffset } from '../time/time.js';
import { addDays } from '../time/time.js';
import { bookingWindow, loadPlans } from '../scheduling/availability.js';
import { computeSlots, workingRuns, type DoctorPlan } from '../scheduling/slot-engine.js';
import { subtractSpans, type Span } from '../scheduling/intervals.js';
import { doctorName, patientNumber } from '../display-names.js';
import { holderOf } from '../booking/holds.service.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DayGridInput {
  date?: string;
  locationId?: string;
  specializationId?: string;
  consultationTypeId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Spans clipped to [from, to), empty ones dropped. */
const clip = (spans: Span[], from: number, to: number): Span[] =>
  spans.map((s) => ({ start: Math.max(s.start, from), end: Math.min(s.end, to) })).filter((s) => s.end > s.start);

/**
 * Whole hours of the clinic's clock between two instants, for the time axis: on the day
 * clocks go back "01:00" appears twice (first and second), on the day they go forward
 * "02:00" is missing — the axis is real time.
 */
export function hourMarks(from: number, to: number, zone: string): Array<{ at: string; label: string }> {
  const marks: Array<{ at: string; label: string; offset: number }> = [];
  // Hours of the wall clock start on whole UTC quarter hours; step by quarter hours and keep wall-clock :00.
  for (let t = Math.ceil(from / 900_000) * 900_000; t <= to; t += 900_000) {
    const offset = zoneOffset(zone, t);
    if ((((t / 60_000 + offset) % 60) + 60) % 60 !== 0) continue;
    marks.push({ at: iso(t), label: localTime(iso(t), zone), offset });
  }
  return marks.map((m, i) => {
    const twin = marks.find((o, j) => j !== i && o.label === m.label);
    if (!twin) return { at: m.at, label: m.label };
    return { at: m.at, label: `${m.label} (${Date.parse(twin.at) > Date.parse(m.at) ? 'first' : 'second'})` };
  });
}

export async function agendaDayGrid(ctx: Ctx, input: DayGridInput) {
  const zone = ctx.settings.timeZone;
  const now = ctx.clock.now();
  const date = input.date ?? todayIn(zone, now);
  const bounds = dayBounds(date, zone);
  const dayStart = Date.parse(bounds.start);
  const dayEnd = Date.parse(bounds.end);

  const [doctorRows, docSpecs, locations, specializations, types, typeSpecs] = await Promise.all([
    ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name', 'slot_minutes']).where('active', '=', 1).orderBy('family_name').orderBy('given_name').execute(),
    ctx.db.selectFrom('doctor_specialization').select(['doctor_id', 'specialization_id']).execute(),
    ctx.db.selectFrom('location').select(['id', 'name', 'timezone']).where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('specialization').select(['id', 'name']).orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type').select(['id', 'name', 'kind', 'duration_minutes']).where('active', '=', 1).orderBy('name').execute(),
    ctx.db.selectFrom('consultation_type_specialization').select(['consultation_type_id', 'specialization_id']).execute(),
  ]);
  if (input.locationId && !locations.some((l) => l.id === input.locationId)) {
    throw new DomainError('validation/invalid-input', 'That location does not exist or is closed.', { fieldErrors: { locationId: ['Choose a location from the list.'] } });
  }
  if (input.specializationId && !specializations.some((s) => s.id === input.specializationId)) {
    throw new DomainError('validation/invalid-input', 'That specialization does not exist.', { fieldErrors: { specializationId: ['Choose a specialization from the list.'] } });
  }
  const type = input.consultationTypeId ? types.find((t) => t.id === input.consultationTypeId) : (types.find((t) => t.kind === 'general') ?? types[0]);
  if (input.consultationTypeId && !type) {
    throw new DomainError('validation/invalid-input', 'That consultation type does not exist or is no longer offered.', { fieldErrors: { consultationTypeId: ['Choose a consultation type from the list.'] } });
  }

  const specsOf = new Map<string, string[]>();
  for (const s of docSpecs) specsOf.set(s.doctor_id, [...(specsOf.get(s.doctor_id) ?? []), s.specialization_id]);
  const specName = new Map(specializations.map((s) => [s.id, s.name]));
  const typeSpecIds = type ? typeSpecs.filter((t) => t.consultation_type_id === type.id).map((t) => t.specialization_id) : [];
  const offers = (doctorId: string) => Boolean(type) && (typeSpecIds.length === 0 || (specsOf.get(doctorId) ?? []).some((s) => typeSpecIds.includes(s)));
  const candidates = doctorRows.filter((d) => !input.specializationId || (specsOf.get(d.id) ?? []).includes(input.specializationId));
  const shownLocations = input.locationId ? locations.filter((l) => l.id === input.locationId) : locations;
  const locationName = new Map(locations.map((l) => [l.id, l.name]));

  const holder = holderOf(ctx);
  const { plans, zones } = await loadPlans(ctx.db, { doctorIds: candidates.map((d) => d.id), fromIso: bounds.start, toIso: bounds.end, now, holder, clinicZone: zone });
  const planOf = new Map(plans.map((p) => [p.doctorId, p]));

  // Appointments touching the day (one may start the evening before and run past midnight): only the columns the grid shows.
  let query = ctx.db
    .selectFrom('appointment as a')
    .innerJoin('patient as p', 'p.id', 'a.patient_id')
    .innerJoin('location as l', 'l.id', 'a.location_id')
    .innerJoin('consultation_type as c', 'c.id', 'a.consultation_type_id')
    .select(['a.id', 'a.doctor_id', 'a.start_at', 'a.end_at', 'a.status', 'a.payment_status', 'a.patient_id', 'p.given_name', 'p.family_name', 'p.number', 'a.location_id', 'l.name as location_name', 'l.timezone', 'a.consultation_type_id', 'c.name as type_name'])
    .where('a.start_at', '>=', iso(dayStart - DAY))
    .where('a.start_at', '<', bounds.end)
    .where('a.end_at', '>', bounds.start)
    .where('a.status', '<>', 'cancelled')
    .orderBy('a.start_at');
  if (input.locationId) query = query.where('a.location_id', '=', input.locationId);
  const appointments =
    candidates.length === 0
      ? []
      : (await query.where('a.doctor_id', 'in', candidates.map((d) => d.id)).execute()).map((r) => ({
          doctorId: r.doctor_id,
          view: {
            id: r.id,
            startAt: r.start_at,
            endAt: r.end_at,
            localStart: localTime(r.start_at, r.timezone),
            localEnd: localTime(r.end_at, r.timezone),
            status: r.status,
            patientId: r.patient_id,
            patientName: `${r.given_name} ${r.family_name}`,
            patientNumber: patientNumber(r.number),
            locationId: r.location_id,
            locationName: r.location_name,
            consultationTypeId: r.consultation_type_id,
            consultationType: r.type_name,
            paymentStatus: r.payment_status,
          },
        }));

  // The free slots of the chosen type, for the doctors offering it (the booking screen's own engine).
  const window = bookingWindow(ctx.settings, now);
  const offering = plans.filter((p) => offers(p.doctorId));
  const slots = type
    ? computeSlots(offering, zones, { from: dayStart, to: dayEnd, durationMinutes: type.duration_minutes, notBefore: window.notBefore, notAfter: window.notAfter })
    : [];

  const byDoctor = <T extends { doctorId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) {
      const list = map.get(r.doctorId);
      if (list) list.push(r);
      else map.set(r.doctorId, [r]);
    }
    return map;
  };
  const appointmentsOf = byDoctor(appointments);
  const slotsOf = byDoctor(slots);

  const doctors = [];
  const notWorking: Array<{ id: string; name: string }> = [];
  for (const d of candidates) {
    const plan = planOf.get(d.id);
    const scheduled: Array<Span & { locationId: string }> = [];
    const working: Array<Span & { locationId: string }> = [];
    if (plan) {
      const withoutTimeOff: DoctorPlan = { ...plan, exceptions: plan.exceptions.filter((e) => e.kind !== 'time_off') };
      for (const l of shownLocations) {
        const lz = zones.get(l.id);
        if (!lz) continue;
        // Local dates either side of the clinic's date: another zone's day, and night hours reaching into it.
        const first = addDays(date, -2);
        const last = addDays(date, 1);
        for (const s of clip(workingRuns(withoutTimeOff, l.id, lz, first, last), dayStart, dayEnd)) scheduled.push({ ...s, locationId: l.id });
        for (const s of clip(workingRuns(plan, l.id, lz, first, last), dayStart, dayEnd)) working.push({ ...s, locationId: l.id });
      }
    }
    const timeOff = subtractSpans(scheduled, working);
    const own = appointmentsOf.get(d.id) ?? [];
    if (scheduled.length === 0 && own.length === 0) {
      notWorking.push({ id: d.id, name: doctorName(d) });
      continue;
    }
    const status = working.length > 0 ? 'working' : scheduled.length > 0 ? 'off' : 'no-hours';
    doctors.push({
      id: d.id,
      name: doctorName(d),
      specializations: (specsOf.get(d.id) ?? []).map((s) => specName.get(s) ?? '').filter(Boolean),
      slotMinutes: d.slot_minutes,
      status: status as 'working' | 'off' | 'no-hours',
      offersType: offers(d.id),
      hours: working.sort((a, b) => a.start - b.start).map((s) => ({ start: iso(s.start), end: iso(s.end), locationId: s.locationId, locationName: locationName.get(s.locationId) ?? '' })),
      timeOff: timeOff.map((s) => ({ start: iso(s.start), end: iso(s.end) })),
      appointments: own.map((a) => a.view),
      free: (slotsOf.get(d.id) ?? [])
        .filter((s) => !input.locationId || s.locationId === input.locationId)
        .map((s) => ({ startAt: iso(s.start), endAt: iso(s.end), localTime: s.localTime, locationId: s.locationId })),
    });
  }

  // The visible part of the day: from the first hour anyone works (or is booked) to the last; 08:00–18:00 when nobody does.
  const starts = doctors.flatMap((d) => [...d.hours.map((h) => Date.parse(h.start)), ...d.timeOff.map((h) => Date.parse(h.start)), ...d.appointments.map((a) => Math.max(dayStart, Date.parse(a.startAt)))]);
  const ends = doctors.flatMap((d) => [...d.hours.map((h) => Date.parse(h.end)), ...d.timeOff.map((h) => Date.parse(h.end)), ...d.appointments.map((a) => Math.min(dayEnd, Date.parse(a.endAt)))]);
  const defaultStart = Date.parse(dayBounds(date, zone).start) + 8 * HOUR;
  let viewStart = starts.length ? Math.min(...starts) : defaultStart;
  let viewEnd = ends.length ? Math.max(...ends) : defaultStart + 10 * HOUR;
  viewStart = Math.max(dayStart, Math.floor(viewStart / HOUR) * HOUR);
  viewEnd = Math.min(dayEnd, Math.ceil(viewEnd / HOUR) * HOUR);
  if (viewEnd <= viewStart) viewEnd = Math.min(dayEnd, viewStart + HOUR);

  return {
    date,
    timeZone: zone,
    dayStart: bounds.start,
    dayEnd: bounds.end,
    /** Hours in this clinic day: 23, 24 or 25. */
    dayHours: Math.round((dayEnd - dayStart) / HOUR),
    viewStart: iso(viewStart),
    viewEnd: iso(viewEnd),
    hourMarks: hourMarks(viewStart, viewEnd, zone),
    consultationType: type ? { id: type.id, name: type.name, durationMinutes: type.duration_minutes } : null,
    consultationTypes: types.map((t) => ({ id: t.id, name: t.name, durationMinutes: t.duration_minutes })),
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    specializations: specializations.map((s) => ({ id: s.id, name: s.name })),
    doctors,
    notWorking,
  };
}
