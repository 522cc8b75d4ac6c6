/**
 * Patient ↔ doctor assignments: one primary doctor, at most one doctor per specialization.
 * A reassignment ends the current row (who, when, why) and adds a new one; nothing is
 * deleted, so the history stays. The database's partial unique index backs the rule.
 */
import type { ParsedInputOf } from '../../contract/index.js';
import type { AssignmentKind, CurrentAssignment, PastAssignment } from '../../contract/assignment.contract.js';
import { nowIso, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { doctorName } from '../display-names.js';
import { assertCanReadPatient } from '../patients/patient.service.js';
import { doctorViews } from '../roster/roster-read.service.js';
import { invalid, throwIfAny } from '../roster/roster-plan.js';
import { nextFreeSlots } from './availability-facts.js';

const staffId = (ctx: Ctx) => (ctx.actor.kind === 'staff' ? ctx.actor.id : null);

/** The patient's active assignment of a kind (and specialization), if any. */
export async function activeAssignment(db: Db, patientId: string, kind: AssignmentKind, specializationId: string | null) {
  let q = db
    .selectFrom('patient_doctor_assignment')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('kind', '=', kind)
    .where('ended_at', 'is', null);
  q = specializationId ? q.where('specialization_id', '=', specializationId) : q.where('specialization_id', 'is', null);
  return q.executeTakeFirst();
}

export async function assignDoctor(ctx: Ctx, input: ParsedInputOf<'assignment/assign'>) {
  const patient = await ctx.db.selectFrom('patient').select('id').where('id', '=', input.patientId).executeTakeFirst();
  if (!patient) throw notFound('The patient');
  const doctor = await ctx.db.selectFrom('doctor').selectAll().where('id', '=', input.doctorId).executeTakeFirst();
  if (!doctor) throw invalid({ doctorId: ['Unknown doctor.'] });
  const name = doctorName(doctor);
  if (doctor.active !== 1) throw invalid({ doctorId: [`${name} is inactive.`] });
  const specializationId = input.kind === 'specialist' ? input.specializationId! : null;
  if (specializationId) {
    const spec = await ctx.db.selectFrom('specialization').select('name').where('id', '=', specializationId).executeTakeFirst();
    if (!spec) throw invalid({ specializationId: ['Unknown specialization.'] });
    const practises = await ctx.db
      .selectFrom('doctor_specialization')
      .select('doctor_id')
      .where('doctor_id', '=', doctor.id)
      .where('specialization_id', '=', specializationId)
      .executeTakeFirst();
    if (!practises) throw invalid({ doctorId: [`${name} does not practise ${spec.name}.`] });
  }

  const current = await activeAssignment(ctx.db, patient.id, input.kind, specializationId);
  if (current?.doctor_id === doctor.id) {
    throw new DomainError('assignment/already-assigned', `${name} is already this patient’s ${input.kind === 'primary' ? 'primary doctor' : 'specialist'}.`);
  }
  if (current) throwIfAny(input.reason ? {} : { reason: ['Say why the patient changes doctor; it is kept in the history.'] });

  const at = nowIso(ctx);
  if (current) {
    await ctx.db
      .updateTable('patient_doctor_assignment')
      .set({ ended_at: at, ended_by: staffId(ctx), end_reason: input.reason })
      .where('id', '=', current.id)
      .where('ended_at', 'is', null)
      .execute();
  }
  const assignmentId = ctx.newId();
  await ctx.db
    .insertInto('patient_doctor_assignment')
    .values({
      id: assignmentId,
      patient_id: patient.id,
      doctor_id: doctor.id,
      kind: input.kind,
      specialization_id: specializationId,
      assigned_at: at,
      assigned_by: staffId(ctx),
      reason: input.reason,
      ended_at: null,
      ended_by: null,
      end_reason: null,
    })
    .execute();
  ctx.auditRecord('patient', patient.id);
  return { assignmentId, endedAssignmentId: current?.id ?? null };
}

export async function endAssignment(ctx: Ctx, input: { assignmentId: string; reason: string }) {
  const row = await ctx.db.selectFrom('patient_doctor_assignment').selectAll().where('id', '=', input.assignmentId).executeTakeFirst();
  if (!row) throw notFound('The assignment');
  if (row.ended_at) throw new DomainError('assignment/already-ended', 'This assignment has already ended.');
  await ctx.db
    .updateTable('patient_doctor_assignment')
    .set({ ended_at: nowIso(ctx), ended_by: staffId(ctx), end_reason: input.reason })
    .where('id', '=', row.id)
    .execute();
  ctx.auditRecord('patient', row.patient_id);
  return { ok: true as const };
}

/** Where each doctor works most (weekly minutes per location). */
async function mainLocations(db: Db, doctorIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (doctorIds.length === 0) return out;
  const rows = await db.selectFrom('working_hours').select(['doctor_id', 'location_id', 'start_minute', 'end_minute']).where('doctor_id', 'in', doctorIds).execute();
  const minutes = new Map<string, number>();
  for (const r of rows) minutes.set(`${r.doctor_id}|${r.location_id}`, (minutes.get(`${r.doctor_id}|${r.location_id}`) ?? 0) + r.end_minute - r.start_minute);
  const best = new Map<string, number>();
  for (const [key, m] of minutes) {
    const [doctorId, locationId] = key.split('|') as [string, string];
    if (m > (best.get(doctorId) ?? -1)) {
      best.set(doctorId, m);
      out.set(doctorId, locationId);
    }
  }
  return out;
}

export async function listAssignments(ctx: Ctx, input: ParsedInputOf<'assignment/list'>) {
  const patientId = input.patientId ?? (ctx.actor.kind === 'patient' ? ctx.actor.patientId : undefined);
  if (!patientId) throw invalid({ patientId: ['Which patient? Give patientId.'] });
  assertCanReadPatient(ctx, patientId);
  const patient = await ctx.db.selectFrom('patient').select('id').where('id', '=', patientId).executeTakeFirst();
  if (!patient) throw notFound('The patient');

  const rows = await ctx.db
    .selectFrom('patient_doctor_assignment as x')
    .leftJoin('specialization as s', 's.id', 'x.specialization_id')
    .leftJoin('staff as sa', 'sa.id', 'x.assigned_by')
    .leftJoin('staff as se', 'se.id', 'x.ended_by')
    .select(['x.id', 'x.doctor_id', 'x.kind', 'x.specialization_id', 's.name as spec_name', 'x.assigned_at', 'sa.display_name as assigned_by', 'x.reason', 'x.ended_at', 'se.display_name as ended_by', 'x.end_reason'])
    .where('x.patient_id', '=', patientId)
    .orderBy('x.assigned_at', 'desc')
    .execute();
  const wanted = rows.filter((r) => !r.ended_at || input.includeHistory);
  const doctors = new Map((await doctorViews(ctx.db)).filter((d) => wanted.some((r) => r.doctor_id === d.id)).map((d) => [d.id, d]));
  const specNames = new Map((await ctx.db.selectFrom('specialization').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const base = (r: (typeof rows)[number]) => {
    const d = doctors.get(r.doctor_id)!;
    return {
      id: r.id,
      kind: r.kind,
      specialization: r.specialization_id ? { id: r.specialization_id, name: r.spec_name ?? '?' } : null,
      doctor: { id: d.id, name: d.name, specializations: d.specializationIds.map((s) => specNames.get(s) ?? '?'), active: d.active },
      assignedAt: r.assigned_at,
      assignedBy: r.assigned_by,
      reason: r.reason,
    };
  };

  const active = rows.filter((r) => !r.ended_at);
  const activeDoctors = [...new Set(active.map((r) => r.doctor_id))].map((id) => doctors.get(id)!).filter((d) => d.active);
  const [slots, mains, locations] = await Promise.all([
    nextFreeSlots(ctx, activeDoctors, ctx.settings.horizonDays),
    mainLocations(ctx.db, activeDoctors.map((d) => d.id)),
    ctx.db.selectFrom('location').selectAll().execute(),
  ]);
  const place = new Map(locations.map((l) => [l.id, l]));
  const current: CurrentAssignment[] = active
    .map((r) => {
      const slot = slots.get(r.doctor_id);
      const loc = place.get(slot?.locationId ?? mains.get(r.doctor_id) ?? '');
      return {
        ...base(r),
        location: loc
          ? { id: loc.id, name: loc.name, address: loc.address, latitude: loc.latitude, longitude: loc.longitude, timeZone: loc.timezone }
          : null,
        nextAvailableSlot: slot
          ? { startAt: slot.startAt, localDate: slot.localDate, localTime: slot.localTime, locationId: slot.locationId, locationName: place.get(slot.locationId)?.name ?? '' }
          : null,
      };
    })
    .sort((a, b) => (a.kind === b.kind ? (a.specialization?.name ?? '').localeCompare(b.specialization?.name ?? '') : a.kind === 'primary' ? -1 : 1));
  const history: PastAssignment[] = input.includeHistory
    ? rows
        .filter((r) => r.ended_at)
        .sort((a, b) => b.ended_at!.localeCompare(a.ended_at!))
        .map((r) => ({ ...base(r), endedAt: r.ended_at!, endedBy: r.ended_by, endReason: r.end_reason ?? '' }))
    : [];
  return { patientId, current, history };
}
