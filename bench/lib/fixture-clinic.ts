/** Fixture writer: settings, the staff admin, locations, specializations, consultation types, doctors and their hours. */
import { fakerEN_US } from '@faker-js/faker';
import { foldText } from '../../src-main/core/patients/search-tokens.js';
import { hashPassword } from '../../src-main/core/staff/password.js';
import { DAY_MS, iso, KIND, type GenContext } from './fixture-context.js';

export const STAFF_PASSWORD = 'bench-password-2026';

export interface FixtureStaff {
  id: string;
  username: string;
  /** In clear for scenarios that log in; the row holds a real scrypt hash of it. */
  password: string;
  displayName: string;
  role: 'admin';
}

export interface FixtureDoctor {
  id: string;
  location: number;
  days: Set<number>;
  hours: ReadonlyArray<readonly [number, number]>;
  slot: number;
  general: boolean;
}

export interface FixtureClinic {
  staff: FixtureStaff;
  locations: string[];
  doctors: FixtureDoctor[];
  typeIds: string[];
  /** Rows written by this step. */
  rows: number;
}

export const SPECIALIZATIONS = ['General Practice', 'Pediatrics', 'Cardiology', 'Dermatology', 'Orthopedics', 'Gynecology', 'Neurology', 'Ophthalmology'];
const GENERAL = new Set(['General Practice', 'Pediatrics']);

/** Consultation types; appointments pick them by index (0 general, 1 specialist, 2 follow-up, 3 procedure). */
export const TYPES = [
  { name: 'General consultation', kind: 'general', minutes: 15, price: 6000, specs: ['General Practice', 'Pediatrics'] },
  { name: 'Specialist consultation', kind: 'specialist', minutes: 30, price: 15000, specs: SPECIALIZATIONS.filter((s) => !GENERAL.has(s)) },
  { name: 'Follow-up', kind: 'follow_up', minutes: 15, price: 4000, specs: SPECIALIZATIONS },
  { name: 'Minor procedure', kind: 'other', minutes: 45, price: 25000, specs: ['Dermatology', 'Orthopedics', 'General Practice'] },
] as const;

/** Weekly patterns: ISO weekdays and [start, end) minute intervals, all well clear of 02:00–03:00. */
const PATTERNS: ReadonlyArray<{ days: number[]; hours: ReadonlyArray<readonly [number, number]> }> = [
  { days: [1, 2, 3, 4, 5], hours: [[8 * 60, 12 * 60], [13 * 60, 17 * 60]] },
  { days: [1, 2, 4, 5, 6], hours: [[9 * 60, 13 * 60], [14 * 60, 18 * 60]] },
  { days: [2, 3, 4, 5, 6], hours: [[10 * 60, 19 * 60]] },
  { days: [1, 2, 3, 4], hours: [[7 * 60 + 30, 15 * 60 + 30]] },
  { days: [1, 3, 5], hours: [[8 * 60, 12 * 60], [12 * 60 + 45, 16 * 60 + 45]] },
];

/** `hours: 'long'`: every doctor works every day, 07:00–21:00 in one stretch (booking and slot benchmarks). */
const LONG_PATTERN: { days: number[]; hours: ReadonlyArray<readonly [number, number]> } = {
  days: [1, 2, 3, 4, 5, 6, 7],
  hours: [[7 * 60, 21 * 60]],
};

export const emailPart = (s: string): string => foldText(s).replace(/[^a-z0-9]/g, '');

export async function insertClinic(ctx: GenContext): Promise<FixtureClinic> {
  const { raw, o, random, id } = ctx;
  const staff: FixtureStaff = {
    id: id(KIND.staff, 0),
    username: 'bench-admin',
    password: STAFF_PASSWORD,
    displayName: 'Bench Admin',
    role: 'admin',
  };
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const createdAt = iso(ctx.nowMs - 3 * 365 * DAY_MS);
  const locations: string[] = [];
  const doctors: FixtureDoctor[] = [];
  const typeIds = TYPES.map((_, i) => id(KIND.type, i));
  fakerEN_US.seed(o.seed);
  let rows = 0;

  raw.transaction(() => {
    const setting = raw.prepare('INSERT INTO setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, NULL)');
    const settings = { clinicName: 'Benchmark Family Clinic', timeZone: o.timeZone, currency: 'USD', defaultCountry: 'US', ...o.settings };
    for (const [k, v] of Object.entries(settings)) setting.run(k, JSON.stringify(v), createdAt);
    rows += Object.keys(settings).length;

    raw
      .prepare(
        `INSERT INTO staff (id, username, display_name, role, password_hash, active, failed_logins, throttled_until, last_login_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, 0, NULL, NULL, ?, ?)`,
      )
      .run(staff.id, staff.username, staff.displayName, staff.role, passwordHash, createdAt, createdAt);
    rows += 1;

    const location = raw.prepare(
      `INSERT INTO location (id, name, address, latitude, longitude, timezone, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    for (let i = 0; i < o.locations; i++) {
      const locId = id(KIND.location, i);
      const street = fakerEN_US.location.street();
      location.run(locId, `${street} Clinic ${i + 1}`, `${100 + i * 17} ${street}, Springfield`, 40.6 + random() * 0.2, -74.1 + random() * 0.2, o.timeZone, createdAt, createdAt);
      locations.push(locId);
    }
    rows += o.locations;

    const spec = raw.prepare('INSERT INTO specialization (id, name, active) VALUES (?, ?, 1)');
    const specIds = new Map(SPECIALIZATIONS.map((name, i) => [name, id(KIND.specialization, i)]));
    for (const [name, specId] of specIds) spec.run(specId, name);
    rows += specIds.size;

    const type = raw.prepare(
      `INSERT INTO consultation_type (id, name, kind, duration_minutes, price_minor, currency, active) VALUES (?, ?, ?, ?, ?, 'USD', 1)`,
    );
    const typeSpec = raw.prepare('INSERT INTO consultation_type_specialization (consultation_type_id, specialization_id) VALUES (?, ?)');
    TYPES.forEach((ty, i) => {
      type.run(typeIds[i], ty.name, ty.kind, ty.minutes, ty.price);
      for (const s of ty.specs) typeSpec.run(typeIds[i], specIds.get(s));
      rows += 1 + ty.specs.length;
    });

    const doctor = raw.prepare(
      `INSERT INTO doctor (id, given_name, family_name, title, email, phone, slot_minutes, buffer_minutes, active, created_at, updated_at)
       VALUES (?, ?, ?, 'Dr', ?, ?, ?, 0, 1, ?, ?)`,
    );
    const doctorSpec = raw.prepare('INSERT INTO doctor_specialization (doctor_id, specialization_id) VALUES (?, ?)');
    const hours = raw.prepare(
      'INSERT INTO working_hours (id, doctor_id, location_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?, ?, ?)',
    );
    let hoursIndex = 0;
    for (let i = 0; i < o.doctors; i++) {
      const docId = id(KIND.doctor, i);
      const given = fakerEN_US.person.firstName();
      const family = fakerEN_US.person.lastName();
      // Half general practice / pediatrics, half specialists; every fifth also does general practice.
      const first = i % 2 === 0 ? SPECIALIZATIONS[(i / 2) % 2]! : SPECIALIZATIONS[2 + (((i - 1) / 2) % (SPECIALIZATIONS.length - 2))]!;
      const specs = i % 5 === 3 && first !== 'General Practice' ? [first, 'General Practice'] : [first];
      const general = GENERAL.has(first);
      const slot = general ? 15 : 30;
      const pattern = o.hours === 'long' ? LONG_PATTERN : PATTERNS[i % PATTERNS.length]!;
      doctor.run(docId, given, family, `${emailPart(given)}.${emailPart(family)}@clinic.example`, `+1202555${String(1000 + i).slice(-4)}`, slot, createdAt, createdAt);
      for (const s of specs) doctorSpec.run(docId, specIds.get(s));
      const location = i % o.locations;
      for (const day of pattern.days) {
        for (const [start, end] of pattern.hours) {
          hours.run(id(KIND.hours, hoursIndex++), docId, locations[location], day, start, end);
        }
      }
      rows += 1 + specs.length;
      doctors.push({ id: docId, location, days: new Set(pattern.days), hours: pattern.hours, slot, general });
    }
    rows += hoursIndex;
  })();
  return { staff, locations, doctors, typeIds, rows };
}
