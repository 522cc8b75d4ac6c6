import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, id, requiredText, str, text } from './common.js';

export const assignmentKinds = ['primary', 'specialist'] as const;
export type AssignmentKind = (typeof assignmentKinds)[number];

/** A specialist assignment names its specialization; a primary one never does. */
const specializationForKind = (v: { kind: AssignmentKind; specializationId?: string }, ctx: z.RefinementCtx) => {
  if (v.kind === 'specialist' && !v.specializationId) {
    ctx.addIssue({ code: 'custom', path: ['specializationId'], message: 'Choose the specialization.' });
  }
  if (v.kind === 'primary' && v.specializationId) {
    ctx.addIssue({ code: 'custom', path: ['specializationId'], message: 'A primary doctor is not assigned per specialization.' });
  }
};

export const assignmentSlot = z.object({
  startAt: str(),
  localDate: str(),
  localTime: str(),
  locationId: id,
  locationName: str(),
});
export type AssignmentSlot = z.infer<typeof assignmentSlot>;

export const specializationMatches = ['need', 'symptom', 'none', 'no-need'] as const;

export const suggestion = z.object({
  doctorId: id,
  doctorName: str(),
  specializations: z.array(str()),
  /** 0..100; higher is better. The reasons say where it comes from. */
  score: z.number(),
  reasons: z.array(str()),
  specializationMatch: z.enum(specializationMatches),
  nextFreeSlot: assignmentSlot.nullable(),
  /** Share of the doctor's working time over the next 14 days that is booked, 0..1. */
  load14d: z.number().nullable(),
  distanceKm: z.number().nullable(),
  nearestLocationName: str().nullable(),
  /** Already the patient's doctor for this kind (and specialization). */
  isCurrent: z.boolean(),
});
export type Suggestion = z.infer<typeof suggestion>;

const assignmentView = z.object({
  id,
  kind: z.enum(assignmentKinds),
  specialization: z.object({ id, name: str() }).nullable(),
  doctor: z.object({ id, name: str(), specializations: z.array(str()), active: z.boolean() }),
  assignedAt: str(),
  assignedBy: str().nullable(),
  reason: str(),
});

export const currentAssignment = assignmentView.extend({
  /** Where the next free slot is, else where the doctor works most. */
  location: z
    .object({ id, name: str(), address: str(), latitude: z.number().nullable(), longitude: z.number().nullable(), timeZone: str() })
    .nullable(),
  nextAvailableSlot: assignmentSlot.nullable(),
});
export type CurrentAssignment = z.infer<typeof currentAssignment>;

export const pastAssignment = assignmentView.extend({
  endedAt: str(),
  endedBy: str().nullable(),
  endReason: str(),
});
export type PastAssignment = z.infer<typeof pastAssignment>;

export const assignmentContract = {
  'assignment/suggestions': defineHandler({
    summary:
      'Doctors ranked for a patient, each with its reasons: specialization match (the need, or the symptom checker’s result), next free slot, load over 14 days, distance from home.',
    input: z
      .strictObject({
        patientId: id,
        kind: z.enum(assignmentKinds, 'Choose primary or specialist.'),
        /** The specialization of a specialist assignment (also its need). */
        specializationId: id.optional(),
        /** What the patient needs from a primary doctor (e.g. Pediatrics for a child). */
        needSpecializationId: id.optional(),
        /** The symptom checker’s suggested specializations, best first. */
        symptomSpecializationIds: z.array(id).max(10).default([]),
        limit: z.number().int().min(1).max(50).default(10),
      })
      .superRefine(specializationForKind),
    output: z.object({
      patientName: str(),
      patientHasCoordinates: z.boolean(),
      need: z.object({ specializationId: id, name: str(), source: z.enum(['request', 'symptom-checker']) }).nullable(),
      horizonDays: z.number().int(),
      suggestions: z.array(suggestion),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'assignment/assign': defineHandler({
    summary:
      'Assign a patient to a doctor (primary, or specialist for one specialization). A reassignment ends the current one and keeps it in the history with who, when and why.',
    input: z
      .strictObject({
        patientId: id,
        doctorId: id,
        kind: z.enum(assignmentKinds, 'Choose primary or specialist.'),
        specializationId: id.optional(),
        reason: text(500).default(''),
      })
      .superRefine(specializationForKind),
    output: z.object({ assignmentId: id, endedAssignmentId: id.nullable() }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'assignment/end': defineHandler({
    summary: 'End an assignment without a successor (kept in the history).',
    input: z.strictObject({ assignmentId: id, reason: requiredText(500, 'A reason') }),
    output: z.object({ ok: z.literal(true) }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'assignment/list': defineHandler({
    summary:
      'A patient’s assigned doctor(s) with specialization, location and next available slot; optionally past assignments. A patient with their token sees their own (patientId may be left out).',
    input: z.strictObject({ patientId: id.optional(), includeHistory: z.boolean().default(false) }),
    output: z.object({ patientId: id, current: z.array(currentAssignment), history: z.array(pastAssignment) }),
    access: { staff: ALL_STAFF, patient: true },
    mutates: false,
  }),
};
