import type { Migration } from './types.js';
import { m0001Foundation } from './0001-foundation.js';
import { m0002Clinic } from './0002-clinic.js';
import { m0003Patients } from './0003-patients.js';
import { m0004Appointments } from './0004-appointments.js';
import { m0005Assignments } from './0005-assignments.js';
import { m0011Events } from './0011-events.js';

export type { Migration } from './types.js';

/** The known migrations, in order. Append only; never edit or reorder a released one. */
export const migrations: readonly Migration[] = [
  m0001Foundation,
  m0002Clinic,
  m0003Patients,
  m0004Appointments,
  m0005Assignments,
  m0011Events,
];
