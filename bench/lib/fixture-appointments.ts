/** Fixture writer: appointments on the doctors' weekly hours, never overlapping per doctor. */
import { addDays, isoWeekday, wallToInstant } from '../../src-main/core/time/time.js';
import { TYPES, type FixtureClinic } from './fixture-clinic.js';
import { DAY_MS, iso, KIND, type GenContext } from './fixture-context.js';
import { pick } from './random.js';

const CANCEL_REASONS = ['Patient called to cancel', 'Feeling better', 'Schedule conflict', 'Doctor unavailable'];
const MAX_PAST_DAYS = 20 * 366;

/** Day offsets from today: 0, then two past days for every future one (-1, -2, +1, -3, -4, +2, …). */
function* dayOffsets(): Generator<number> {
  yield 0;
  for (let k = 1; ; k++) {
    yield -(2 * k - 1);
    yield -(2 * k);
    yield k;
  }
}

/** Clinic-local midnight of a date as if the whole day had noon's UTC offset (see bookDay). */
function dayBase(date: string, zone: string): number {
  return Date.parse(wallToInstant(date, 12 * 60, zone)) - 12 * 60 * 60_000;
}

/** A consultation type index for a doctor: mostly their own kind of consultation. */
function typeFor(general: boolean, r: number): number {
  return general ? (r < 0.75 ? 0 : r < 0.95 ? 2 : 3) : r < 0.7 ? 1 : r < 0.92 ? 2 : 3;
}

/**
 * Fills the doctors' hours day by day around today until `o.appointments` are written:
 * past days about 78 % full, future days thinning out to nothing after 120 days. Each
 * doctor's day is walked with a cursor that only moves forward, so no two active
 * appointments of one doctor overlap (generate() verifies it afterwards).
 *
 * Options: with `o.upcoming` this walk stops at today (no future days) and
 * insertUpcoming() books the future instead; with `o.frequentPatient` = n, every
 * (appointments / n)-th appointment goes to patient number 1 until it has n (the others
 * never pick that patient), so one patient has a long history spread over the whole range.
 */
export function insertAppointments(
  ctx: GenContext,
  clinic: FixtureClinic,
): { appointments: number; frequentPatient: number; days: { from: number; to: number } } {
  const { raw, o, random, id, nowMs } = ctx;
  const zone = o.timeZone;
  const frequentEvery = o.frequentPatient > 0 ? Math.max(1, Math.floor(o.appointments / o.frequentPatient)) : 0;
  let frequent = 0;
  const patientFor = (n: number): string => {
    if (frequentEvery === 0) return id(KIND.patient, Math.floor(random() * o.patients));
    if (n % frequentEvery === 0 && frequent < o.frequentPatient) {
      frequent++;
      return id(KIND.patient, 0);
    }
    return id(KIND.patient, 1 + Math.floor(random() * (o.patients - 1)));
  };
  const insert = raw.prepare(
    `INSERT INTO appointment (id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at,
       status, requirements, price_minor, currency, created_at, created_by_kind, created_by, updated_at,
       status_changed_at, status_changed_by, cancelled_by_party, cancel_reason, cancelled_within_policy_window,
       rescheduled_from_id, rescheduled_to_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, 'USD', ?, 'staff', ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
  );
  let appointments = 0;
  const days = { from: 0, to: 0 };

  const bookDay = (offset: number): void => {
    const before = appointments;
    const date = addDays(o.today, offset);
    const weekday = isoWeekday(date);
    // Clinic-local midnight as if the whole day had noon's UTC offset: exact for every time
    // after the 02:00–03:00 switch, and working hours start at 07:00 at the earliest.
    const base = dayBase(date, zone);
    const fill = offset <= 0 ? 0.78 : offset > 120 || o.upcoming ? 0 : Math.max(0.05, 0.72 - offset * 0.008);
    for (const d of clinic.doctors) {
      if (fill === 0 || !d.days.has(weekday)) continue;
      for (const [start, end] of d.hours) {
        let m = start;
        while (m < end && appointments < o.appointments) {
          const typeIndex = typeFor(d.general, random());
          const type = TYPES[typeIndex]!;
          if (m + type.minutes > end || random() >= fill) {
            m += d.slot;
            continue;
          }
          const startMs = base + m * 60_000;
          const endMs = startMs + type.minutes * 60_000;
          const s = random();
          let status: string;
          if (endMs <= nowMs) status = s < 0.87 ? 'completed' : s < 0.94 ? 'no_show' : 'cancelled';
          else if (startMs <= nowMs) status = 'checked_in';
          else status = s < 0.93 ? 'booked' : 'cancelled';
          const cancelled = status === 'cancelled';
          const created = iso(Math.min(nowMs, startMs - Math.floor(1 + random() * 30) * DAY_MS + Math.floor(random() * DAY_MS)));
          const changed =
            status === 'booked' ? null : cancelled ? iso(Math.min(nowMs, startMs - Math.floor(random() * 3 * DAY_MS))) : iso(Math.min(nowMs, endMs));
          insert.run(
            id(KIND.appointment, appointments),
            patientFor(appointments),
            d.id,
            clinic.locations[d.location],
            clinic.typeIds[typeIndex],
            iso(startMs),
            iso(endMs),
            iso(endMs),
            status,
            type.price,
            created,
            clinic.staff.id,
            changed ?? created,
            changed,
            changed === null ? null : clinic.staff.id,
            cancelled ? (random() < 0.8 ? 'patient' : 'clinic') : null,
            cancelled ? pick(random, CANCEL_REASONS) : null,
            cancelled ? (random() < 0.2 ? 1 : 0) : null,
          );
          appointments++;
          m += type.minutes;
        }
      }
    }
    if (appointments > before) {
      days.from = Math.min(days.from, offset);
      days.to = Math.max(days.to, offset);
    }
  };

  const book = raw.transaction((offsets: number[]) => {
    for (const offset of offsets) bookDay(offset);
  });
  let pending: number[] = [];
  for (const offset of dayOffsets()) {
    if (appointments >= o.appointments) break;
    if (offset < -MAX_PAST_DAYS) throw new Error('fixture: 20 years of doctor hours do not hold the appointments asked; add doctors');
    pending.push(offset);
    if (pending.length === 30) {
      book(pending);
      pending = [];
    }
  }
  if (pending.length > 0) book(pending);
  if (frequent < o.frequentPatient) {
    throw new Error(`fixture: patient 1 got ${frequent} of the ${o.frequentPatient} appointments asked; ask for more appointments`);
  }
  return { appointments, frequentPatient: frequent, days };
}

/**
 * `o.upcoming`: exactly `appointments` bookings (status booked) on days 1..`days` after
 * today. Every doctor-day is first packed end to end from the start of the hours with
 * consultations of random types (the candidates), then exactly the number asked is drawn
 * from all candidates by selection sampling — dropping appointments from a non-overlapping
 * day keeps it non-overlapping — so the days come out evenly and randomly filled.
 * Appointment ids continue from `first`.
 */
export function insertUpcoming(ctx: GenContext, clinic: FixtureClinic, first: number): { appointments: number; days: { from: number; to: number } } {
  const { raw, o, random, id, nowMs } = ctx;
  if (!o.upcoming) return { appointments: 0, days: { from: 0, to: 0 } };
  const { days, appointments: wanted } = o.upcoming;
  const zone = o.timeZone;
  interface Candidate {
    doctor: number;
    type: number;
    startMs: number;
  }
  const candidates: Candidate[] = [];
  for (let offset = 1; offset <= days; offset++) {
    const date = addDays(o.today, offset);
    const weekday = isoWeekday(date);
    const base = dayBase(date, zone);
    clinic.doctors.forEach((d, doctor) => {
      if (!d.days.has(weekday)) return;
      for (const [start, end] of d.hours) {
        for (let m = start; ; ) {
          const type = typeFor(d.general, random());
          const minutes = TYPES[type]!.minutes;
          if (m + minutes > end) break;
          candidates.push({ doctor, type, startMs: base + m * 60_000 });
          m += minutes;
        }
      }
    });
  }
  if (candidates.length < wanted) {
    throw new Error(`fixture: ${days} upcoming days of doctor hours hold ${candidates.length} appointments, ${wanted} asked; add doctors or days`);
  }
  const insert = raw.prepare(
    `INSERT INTO appointment (id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at,
       status, requirements, price_minor, currency, created_at, created_by_kind, created_by, updated_at,
       status_changed_at, status_changed_by, cancelled_by_party, cancel_reason, cancelled_within_policy_window,
       rescheduled_from_id, rescheduled_to_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', '{}', ?, 'USD', ?, 'staff', ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  );
  let written = 0;
  raw.transaction(() => {
    for (let i = 0; i < candidates.length && written < wanted; i++) {
      // Knuth's selection sampling: each remaining candidate is taken with probability needed / left.
      if (random() * (candidates.length - i) >= wanted - written) continue;
      const c = candidates[i]!;
      const d = clinic.doctors[c.doctor]!;
      const type = TYPES[c.type]!;
      const endMs = c.startMs + type.minutes * 60_000;
      const created = iso(Math.min(nowMs - 60_000, c.startMs - Math.floor(1 + random() * 30) * DAY_MS + Math.floor(random() * DAY_MS)));
      insert.run(
        id(KIND.appointment, first + written),
        // Patient 1 keeps exactly its `frequentPatient` appointments.
        id(KIND.patient, o.frequentPatient > 0 ? 1 + Math.floor(random() * (o.patients - 1)) : Math.floor(random() * o.patients)),
        d.id,
        clinic.locations[d.location],
        clinic.typeIds[c.type],
        iso(c.startMs),
        iso(endMs),
        iso(endMs),
        type.price,
        created,
        clinic.staff.id,
        created,
      );
      written++;
    }
  })();
  return { appointments: written, days: { from: 1, to: days } };
}
