import { z } from 'zod';
import { ADMIN_ONLY, defineHandler } from './common.js';

export const auditContract = {
  'audit/list': defineHandler({
    summary: 'The newest audit rows, newest first (admin).',
    input: z.strictObject({
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.object({
      rows: z.array(
        z.object({
          seq: z.number().int(),
          at: z.string(),
          actorKind: z.string(),
          actorId: z.string().nullable(),
          actorName: z.string().nullable(),
          handler: z.string(),
          recordType: z.string().nullable(),
          recordId: z.string().nullable(),
          outcome: z.string(),
          detail: z.string().nullable(),
        }),
      ),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
