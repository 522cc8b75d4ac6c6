import type { App } from '../../src-main/app.js';
import type { OutputOf } from '../../src-main/contract/index.js';
import { wallToInstant, addMinutes } from '../../src-main/core/time/time.js';
import { callOk } from './test-app.js';

export const NY = 'America/New_York';

/** '09:30' → 570. */
export const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The demo roster by name: locations, specializations, doctors (by family name), consultation types. */
export async function demoRoster(app: App, token: string) {
  const roster = await callOk(app, 'roster/list', {}, token);
  const by = <T extends { name: string; id: string }>(rows: T[], name: string) => {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`no ${name} in the roster`);
    return row.id;
  };
  return {
    roster,
    location: (name: string) => by(roster.locations, name),
    specialization: (name: string) => by(roster.specializations, name),
    doctor: (familyName: string) => {
      const d = roster.doctors.find((x) => x.familyName === familyName);
      if (!d) throw new Error(`no Dr ${familyName}`);
      return d.id;
    },
    type: (name: string) => by(roster.consultationTypes, name),
  };
}

/** Creates an active doctor with no hours; returns the id. */
export async function newDoctor(app: App, token: string, over: Record<string, unknown> = {}): Promise<string> {
  const out = await callOk(app, 'roster/save-doctor', { givenName: 'Test', familyName: `Doctor ${Math.random().toString(36).slice(2, 7)}`, ...over }, token);
  return out.id;
}

export interface Booking {
  id: string;
  patientId: string;
  doctorId: string;
  locationId: string;
  startAt: string;
  endAt: string;
}

/**
 * Inserts an appointment directly (a fixture: the booking service is not under test here),
 * at a wall time in New York. The database's overlap trigger still applies.
 */
export function insertBooking(
  app: App,
  b: { patientId: string; doctorId: string; locationId: string; typeId: string; date: string; time: string; minutes?: number; status?: string },
): Booking {
  const id = `appt-${Math.random().toString(36).slice(2, 10)}`;
  const startAt = wallToInstant(b.date, minutes(b.time), NY);
  const endAt = addMinutes(startAt, b.minutes ?? 30);
  const at = '2026-03-01T00:00:00.000Z';
  app.raw
    .prepare(
      // A fixture row: the demo patient may already be booked at that time elsewhere, so it is
      // marked as a knowingly overlapping booking (migration 0010's trigger would refuse it otherwise).
      `INSERT INTO appointment (id, patient_id, doctor_id, location_id, consultation_type_id, start_at, end_at, block_end_at, status,
        created_at, created_by_kind, updated_at, overlap_acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'system', ?, ?)`,
    )
    .run(id, b.patientId, b.doctorId, b.locationId, b.typeId, startAt, endAt, endAt, b.status ?? 'booked', at, at, at);
  return { id, patientId: b.patientId, doctorId: b.doctorId, locationId: b.locationId, startAt, endAt };
}

export const appointmentRow = (app: App, id: string) => app.raw.prepare('SELECT * FROM appointment WHERE id = ?').get(id);

/** The n-th demo patient (by number), with its id and name. */
export function demoPatient(app: App, index: number): { id: string; name: string } {
  const row = app.raw.prepare('SELECT id, given_name, family_name FROM patient ORDER BY number LIMIT 1 OFFSET ?').get(index) as {
    id: string;
    given_name: string;
    family_name: string;
  };
  return { id: row.id, name: `${row.given_name} ${row.family_name}` };
}

export type Affected = OutputOf<'roster/preview-change'>['affected'];
