import { z } from 'zod';
import { ADMIN_ONLY, defineHandler, id, localDate, str } from './common.js';

/** What the audit screen filters by ("what kind"); each handler's kind is in core/audit/audit-words.ts. */
export const AUDIT_KINDS = ['appointments', 'patients', 'payments', 'roster', 'staff', 'sign-in', 'settings', 'messages', 'referrals', 'system'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  appointments: 'Appointments',
  patients: 'Patients',
  payments: 'Payments and cash-up',
  roster: 'Roster',
  staff: 'Staff accounts',
  'sign-in': 'Sign-in and locking',
  settings: 'Settings',
  messages: 'Messages to patients',
  referrals: 'Referral codes',
  system: 'Setup and background work',
};

export const auditContract = {
  'audit/list': defineHandler({
    summary: 'The newest audit rows, newest first, each said in words; filtered by who, what kind, patient and clinic dates (admin).',
    input: z
      .strictObject({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        /** Who: a staff member. */
        staffId: id.optional(),
        kind: z.enum(AUDIT_KINDS, 'Choose a kind from the list.').optional(),
        /** About this patient: their record, appointments and payments, or done by them. */
        patientId: id.optional(),
        /** Clinic dates, inclusive. */
        from: localDate.optional(),
        to: localDate.optional(),
      })
      .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'The first day must not be after the last day.', path: ['to'] }),
    output: z.object({
      rows: z.array(
        z.object({
          seq: z.number().int(),
          at: str(),
          actorKind: str(),
          actorId: str().nullable(),
          actorName: str().nullable(),
          handler: str(),
          recordType: str().nullable(),
          recordId: str().nullable(),
          outcome: str(),
          detail: str().nullable(),
          /** How many attempts the row stands for (refused attempts from the network are counted per address, handler and minute). */
          count: z.number().int().min(1),
          /** The last counted attempt (`at` is the first). */
          lastAt: str().nullable(),
          /** The caller's network address; null for the local desk. */
          source: str().nullable(),
          /** What kind of work it was (the filter's groups). */
          kind: z.enum(AUDIT_KINDS),
          /** The row as a sentence: who did what to whom, and why it was refused if it was. */
          summary: str(),
        }),
      ),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
