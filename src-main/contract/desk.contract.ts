import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, emptyInput, id, requiredText } from './common.js';

export const deskName = requiredText(80, 'Desk name');

const deskView = z.object({
  id: z.string(),
  name: z.string(),
  /** The four characters in this desk's patient numbers (P-K7Q4-0041). */
  prefix: z.string(),
});

const consumerStatus = z.object({
  name: z.string(),
  summary: z.string(),
  cursor: z.number().int(),
  /** Events written after the cursor (not yet handled). */
  lag: z.number().int(),
  /** Events waiting for a retry (including those queued behind a failed event of the same record). */
  retrying: z.number().int(),
  parked: z.array(
    z.object({
      eventSeq: z.number().int(),
      entity: z.string(),
      entityId: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
  failures: z.array(
    z.object({
      eventSeq: z.number().int(),
      entity: z.string(),
      entityId: z.string(),
      state: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAt: z.string(),
    }),
  ),
});

export const deskContract = {
  'desk/get': defineHandler({
    summary: 'This desk: its id, its name and the prefix of the patient numbers it issues.',
    input: emptyInput,
    output: deskView,
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'desk/rename': defineHandler({
    summary: 'Renames this desk (admin).',
    input: z.strictObject({ name: deskName }),
    output: deskView,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'background/status': defineHandler({
    summary: 'Background work: each consumer of the change log, how far behind it is, what failed and what is parked (admin).',
    input: emptyInput,
    output: z.object({ totalEvents: z.number().int(), consumers: z.array(consumerStatus) }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'background/retry': defineHandler({
    summary: 'Retries a parked or failing event of a consumer now (admin).',
    input: z.strictObject({ consumer: id, eventSeq: z.number().int().positive() }),
    output: z.object({ retried: z.boolean() }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
};
export type ConsumerStatus = z.infer<typeof consumerStatus>;
