import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, emptyInput, newPassword, okOutput, passwordInput, requiredText, staffInfo, staffRoles, str, username } from './common.js';

const sessionInfo = z.object({
  staff: staffInfo.nullable(),
  locked: z.boolean(),
  lockMinutes: z.number().int(),
  clinicName: str(),
});

export const authContract = {
  'auth/login': defineHandler({
    summary: 'Sign a staff member in; repeated failures are slowed down and audited.',
    input: z.strictObject({ username: str().trim().min(1, 'Username is required.').max(64), password: passwordInput }),
    output: z.object({ staff: staffInfo, lockMinutes: z.number().int() }),
    access: { anonymous: true, staff: ALL_STAFF, allowLocked: true },
    mutates: true,
  }),
  'auth/logout': defineHandler({
    summary: 'End the current staff session.',
    input: emptyInput,
    output: okOutput,
    access: { anonymous: true, staff: ALL_STAFF, allowLocked: true },
    mutates: false,
  }),
  'auth/session': defineHandler({
    summary: 'Who is signed in, and whether the session is locked.',
    input: emptyInput,
    output: sessionInfo,
    access: { anonymous: true, staff: ALL_STAFF, allowLocked: true },
    mutates: false,
  }),
  'auth/lock': defineHandler({
    summary: 'Lock the session now (the screen was left idle).',
    input: emptyInput,
    output: okOutput,
    access: { staff: ALL_STAFF, allowLocked: true },
    mutates: false,
  }),
  'auth/unlock': defineHandler({
    summary: 'Unlock a locked session with the same staff member’s password.',
    input: z.strictObject({ password: passwordInput }),
    output: z.object({ staff: staffInfo }),
    access: { staff: ALL_STAFF, allowLocked: true },
    mutates: true,
  }),
  'staff/list': defineHandler({
    summary: 'List staff accounts (admin).',
    input: emptyInput,
    output: z.object({ staff: z.array(staffInfo.extend({ active: z.boolean(), lastLoginAt: str().nullable() })) }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'staff/create': defineHandler({
    summary: 'Create a staff account (admin).',
    input: z.strictObject({
      username,
      displayName: requiredText(120, 'Name'),
      role: z.enum(staffRoles),
      password: newPassword,
    }),
    output: z.object({ staff: staffInfo }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
};
