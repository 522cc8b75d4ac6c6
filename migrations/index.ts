import type { Migration } from './types.js';
import { m0001Foundation } from './0001-foundation.js';
import { m0002Clinic } from './0002-clinic.js';
import { m0003Patients } from './0003-patients.js';
import { m0004Appointments } from './0004-appointments.js';
import { m0005Assignments } from './0005-assignments.js';
import { m0006PatientTokens } from './0006-patient-tokens.js';
import { m0007StaffSessionEpoch } from './0007-staff-session-epoch.js';
import { m0008AuditCounts } from './0008-audit-counts.js';
import { m0009OvernightHours } from './0009-overnight-hours.js';
import { m0010PatientOverlap } from './0010-patient-overlap.js';
import { m0011Events } from './0011-events.js';
import { m0012Referrals } from './0012-referrals.js';
import { m0013AppointmentPrice } from './0013-appointment-price.js';
import { m0014Secrets } from './0014-secrets.js';
import { m0015Payments } from './0015-payments.js';
import { m0016SymptomChecks } from './0016-symptom-checks.js';
import { m0017Notifications } from './0017-notifications.js';
import { m0018SignInLinks } from './0018-sign-in-links.js';
import { m0019AppointmentUndo } from './0019-appointment-undo.js';
import { m0020PatientImport } from './0020-patient-import.js';

export type { Migration } from './types.js';

/** The known migrations, in order. Append only; never edit or reorder a released one. */
export const migrations: readonly Migration[] = [
  m0001Foundation,
  m0002Clinic,
  m0003Patients,
  m0004Appointments,
  m0005Assignments,
  m0006PatientTokens,
  m0007StaffSessionEpoch,
  m0008AuditCounts,
  m0009OvernightHours,
  m0010PatientOverlap,
  m0011Events,
  m0012Referrals,
  m0013AppointmentPrice,
  m0014Secrets,
  m0015Payments,
  m0016SymptomChecks,
  m0017Notifications,
  m0018SignInLinks,
  m0019AppointmentUndo,
  m0020PatientImport,
];
