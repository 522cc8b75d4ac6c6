import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, emptyInput, id, requiredText, str } from './common.js';

export const deskName = requiredText(80, 'Desk name');

const deskView = z.object({
  id: str(),
  name: str(),
  /** The four characters in this desk's patient numbers (P-K7Q4-0041). */
  prefix: str(),
});

const consumerStatus = z.object({
  name: str(),
  summary: str(),
  cursor: z.number().int(),
  /** Events written after the cursor (not yet handled). */
  lag: z.number().int(),
  /** Events waiting for a retry (including those queued behind a failed event of the same record). */
  retrying: z.number().int(),
  parked: z.array(
    z.object({
      eventSeq: z.number().int(),
      entity: str(),
      entityId: str(),
      attempts: z.number().int(),
      lastError: str().nullable(),
      updatedAt: str(),
    }),
  ),
  failures: z.array(
    z.object({
      eventSeq: z.number().int(),
      entity: str(),
      entityId: str(),
      state: str(),
      attempts: z.number().int(),
      lastError: str().nullable(),
      nextAt: str(),
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
