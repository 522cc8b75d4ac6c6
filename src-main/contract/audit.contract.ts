import { z } from 'zod';
import { ADMIN_ONLY, defineHandler, str } from './common.js';

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
        }),
      ),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
};
