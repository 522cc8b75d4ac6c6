import type { Ctx } from '../context.js';
import { seededRandom } from '../util/seeded-random.js';
import { nowIso } from '../context.js';
import { writeSettings } from '../settings/settings.service.js';
import { createStaff } from '../staff/staff.service.js';
import { insertPatient } from '../patients/patient.repository.js';
import { addDays, addMinutes, isoWeekday, todayIn, wallToInstant } from '../time/time.js';

/** Demo passwords are printed on the login screen and in the terminal: demo data only. */
export const DEMO_ACCOUNTS = [
  { username: 'admin', displayName: 'Alex Admin', role: 'admin' as const, password: 'demo-admin-2026' },
  { username: 'reception', displayName: 'Robin Reception', role: 'receptionist' as const, password: 'demo-desk-2026' },
];

const ZONE = 'America/New_York';


const GIVEN = ['Amelia', 'Noah', 'Zoë', 'Mateo', 'Aiko', 'Liam', 'Fatima', 'Chloé', 'Oluwaseun', 'Sofía', 'Jürgen', 'Priya', 'Seán', 'Mei', 'Ethan', 'Ana-Maria', 'Kwame', 'Isabella', 'Dmitri', 'Grace'];
const FAMILY = ['Johnson', "O'Brien", 'García', 'Nguyen', 'Müller', 'Smith-Jones', 'Okafor', 'Tanaka', 'Rossi', 'Kowalski', 'Haddad', 'Dubois', 'Patel', 'Andersson', 'Chen', 'Martínez', 'Williams', 'Novak', 'Brown', 'Silva'];

export async function seedDemoClinic(ctx: Ctx) {
  const at = nowIso(ctx);
  // Seeded, so the demo clinic is the same every time.
  const random = seededRandom(20261124);
  await writeSettings(ctx, {
    clinicName: 'Riverside Family Clinic',
    timeZone: ZONE,
    currency: 'USD',
    defaultCountry: 'US',
  });
  await ctx.db.insertInto('setting').values({ key: 'demo', value: 'true', updated_at: at, updated_by: null }).execute();
  for (const account of DEMO_ACCOUNTS) await createStaff(ctx, account);

  const locations = [
    { id: ctx.newId(), name: 'Riverside Main', address: '100 River St, Springfield', latitude: 40.7128, longitude: -74.006 },
    { id: ctx.newId(), name: 'Hillcrest Branch', address: '42 Hill Rd, Springfield', latitude: 40.7306, longitude: -73.9352 },
  ];
  for (const l of locations) {
    await ctx.db.insertInto('location').values({ ...l, timezone: ZONE, active: 1, created_at: at, updated_at: at }).execute();
  }

  const specs = ['General Practice', 'Cardiology', 'Dermatology', 'Pediatrics', 'Orthopedics'].map((name) => ({
    id: ctx.newId(),
    name,
    active: 1,
  }));
  await ctx.db.insertInto('specialization').values(specs).execute();
  const spec = (name: string) => specs.find((s) => s.name === name)!.id;

  const types = [
    { id: ctx.newId(), name: 'General consultation', kind: 'general' as const, duration_minutes: 15, price_minor: 6000, specs: ['General Practice', 'Pediatrics'] },
    { id: ctx.newId(), name: 'Specialist consultation', kind: 'specialist' as const, duration_minutes: 30, price_minor: 15000, specs: ['Cardiology', 'Dermatology', 'Orthopedics'] },
    { id: ctx.newId(), name: 'Follow-up', kind: 'follow_up' as const, duration_minutes: 15, price_minor: 4000, specs: ['General Practice', 'Cardiology', 'Dermatology', 'Pediatrics', 'Orthopedics'] },
  ];
  for (const t of types) {
    const { specs: names, ...row } = t;
    await ctx.db.insertInto('consultation_type').values({ ...row, currency: 'USD', active: 1 }).execute();
    await ctx.db
      .insertInto('consultation_type_specialization')
      .values(names.map((n) => ({ consultation_type_id: t.id, specialization_id: spec(n) })))
      .execute();
  }

  // Weekly hours: [weekday list, location index, intervals in minutes].
  const doctors = [
    { given: 'Maya', family: 'Chen', specs: ['General Practice'], loc: 0, days: [1, 2, 3, 4, 5, 6, 7], hours: [[8 * 60, 12 * 60], [13 * 60, 19 * 60]] },
    { given: 'Samuel', family: 'Adeyemi', specs: ['Cardiology'], loc: 0, days: [1, 2, 3, 4, 5], hours: [[9 * 60, 12 * 60 + 30], [13 * 60 + 30, 17 * 60]] },
    { given: 'Lucía', family: 'Fernández', specs: ['Dermatology'], loc: 1, days: [1, 3, 5, 6], hours: [[9 * 60, 13 * 60]] },
    { given: 'Henrik', family: 'Larsen', specs: ['Pediatrics', 'General Practice'], loc: 1, days: [1, 2, 3, 4, 5, 6, 7], hours: [[10 * 60, 18 * 60]] },
    { given: 'Aisha', family: 'Rahman', specs: ['Orthopedics'], loc: 0, days: [2, 4], hours: [[8 * 60, 16 * 60]] },
  ].map((d) => ({ ...d, id: ctx.newId() }));
  for (const d of doctors) {
    await ctx.db
      .insertInto('doctor')
      .values({
        id: d.id,
        given_name: d.given,
        family_name: d.family,
        title: 'Dr',
        email: `${d.family.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')}@riverside.example`,
        phone: null,
        slot_minutes: 15,
        buffer_minutes: 0,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await ctx.db
      .insertInto('doctor_specialization')
      .values(d.specs.map((s) => ({ doctor_id: d.id, specialization_id: spec(s) })))
      .execute();
    for (const day of d.days) {
      for (const [start, end] of d.hours) {
        await ctx.db
          .insertInto('working_hours')
          .values({ id: ctx.newId(), doctor_id: d.id, location_id: locations[d.loc]!.id, weekday: day, start_minute: start!, end_minute: end! })
          .execute();
      }
    }
  }

  const patients: string[] = [];
  for (let i = 0; i < 40; i++) {
    const given = GIVEN[i % GIVEN.length]!;
    const family = FAMILY[(i * 7 + 3 + Math.floor(i / GIVEN.length)) % FAMILY.length]!;
    const year = 1940 + Math.floor(random() * 80);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const { id } = await insertPatient(ctx.db, {
      id: ctx.newId(),
      given_name: given,
      family_name: family,
      date_of_birth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: random() < 0.5 ? 'female' : 'male',
      gender: null,
      phone_e164: `+1202555${String(1000 + i * 37).slice(-4)}`,
      email: `${given.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '')}.${i}@example.com`,
      address_line1: `${10 + i} Elm Street`,
      address_line2: '',
      city: 'Springfield',
      region: 'NY',
      postal_code: `100${String(i).padStart(2, '0')}`,
      country: 'US',
      latitude: 40.7 + random() * 0.1,
      longitude: -74.0 + random() * 0.1,
      preferred_language: 'en',
      consent_email: 1,
      consent_sms: random() < 0.7 ? 1 : 0,
      access_token_hash: null,
      duplicate_override_by: null,
      duplicate_override_at: null,
      duplicate_review: null,
      created_at: at,
      created_by_kind: 'system',
      created_by: null,
      updated_at: at,
    });
    patients.push(id);
  }

  // Assigned doctors: a primary GP for half the patients (alternating), a cardiologist for a few.
  const gps = doctors.filter((d) => d.specs.includes('General Practice'));
  const cardiologist = doctors.find((d) => d.specs.includes('Cardiology'))!;
  await ctx.db
    .insertInto('patient_doctor_assignment')
    .values([
      ...patients.slice(0, 20).map((patientId, i) => ({ patient_id: patientId, doctor_id: gps[i % gps.length]!.id, kind: 'primary' as const, specialization_id: null })),
      ...patients.slice(0, 4).map((patientId) => ({ patient_id: patientId, doctor_id: cardiologist.id, kind: 'specialist' as const, specialization_id: spec('Cardiology') })),
    ].map((a) => ({ ...a, id: ctx.newId(), assigned_at: at, assigned_by: null, reason: 'Demo clinic', ended_at: null, ended_by: null, end_reason: null })))
    .execute();

  // Appointments from a week ago to a week ahead, on each doctor's hours, never overlapping.
  const today = todayIn(ZONE, ctx.clock.now());
  const nowMs = ctx.clock.now().getTime();
  let p = 0;
  for (let offset = -7; offset <= 7; offset++) {
    const date = addDays(today, offset);
    const weekday = isoWeekday(date);
    for (const d of doctors) {
      if (!d.days.includes(weekday)) continue;
      const type = d.specs.includes('General Practice') || d.specs.includes('Pediatrics') ? types[0]! : types[1]!;
      for (const [start, end] of d.hours) {
        for (let m = start!; m + type.duration_minutes <= end!; m += type.duration_minutes) {
          if (random() > (offset === 0 ? 0.45 : 0.3)) continue;
          const startAt = wallToInstant(date, m, ZONE);
          const endAt = addMinutes(startAt, type.duration_minutes);
          const past = Date.parse(endAt) < nowMs;
          const roll = random();
          const status = past ? (roll < 0.85 ? 'completed' : roll < 0.93 ? 'no_show' : 'cancelled') : roll < 0.05 ? 'cancelled' : 'booked';
          await ctx.db
            .insertInto('appointment')
            .values({
              id: ctx.newId(),
              patient_id: patients[p++ % patients.length]!,
              doctor_id: d.id,
              location_id: locations[d.loc]!.id,
              consultation_type_id: type.id,
              start_at: startAt,
              end_at: endAt,
              block_end_at: endAt,
              status,
              requirements: '{}',
              price_minor: type.price_minor,
              currency: 'USD',
              base_minor: type.price_minor,
              discount_minor: 0,
              created_at: at,
              created_by_kind: 'system',
              created_by: null,
              updated_at: at,
              status_changed_at: status === 'booked' ? null : at,
              status_changed_by: null,
              cancelled_by_party: status === 'cancelled' ? 'patient' : null,
              cancel_reason: status === 'cancelled' ? 'Demo: patient called to cancel' : null,
              cancelled_within_policy_window: status === 'cancelled' ? 0 : null,
              rescheduled_from_id: null,
              rescheduled_to_id: null,
            })
            .execute();
        }
      }
    }
  }
  // The symptom checker's other specializations (resources/symptom-checker): listed, and offered by the
  // specialist consultation and follow-up, though no demo doctor practises them yet (the checker then
  // suggests a family doctor first). Added last, so the rest of the demo stays as it was.
  const more = ['Neurology', 'Gastroenterology', 'Pulmonology', 'Ear, Nose and Throat', 'Ophthalmology', 'Psychiatry', 'Urology', 'Gynecology', 'Endocrinology'].map(
    (name) => ({ id: ctx.newId(), name, active: 1 }),
  );
  await ctx.db.insertInto('specialization').values(more).execute();
  await ctx.db
    .insertInto('consultation_type_specialization')
    .values(types.filter((t) => t.kind !== 'general').flatMap((t) => more.map((m) => ({ consultation_type_id: t.id, specialization_id: m.id }))))
    .execute();
  return DEMO_ACCOUNTS.map(({ username, password, role }) => ({ username, password, role }));
}
