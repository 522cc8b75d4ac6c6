import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, emptyInput, newPassword, okOutput, passwordInput, requiredText, staffInfo, staffRoles, str, username } from './common.js';

const sessionInfo = z.object({
  staff: staffInfo.nullable(),
  locked: z.boolean(),
  lockMinutes: z.number().int(),
  clinicName: str(),
  /** Why this desk's staff session was ended (lifetime over, account changed), if it was. */
  signedOutReason: str().nullable(),
});

const staffListItem = staffInfo.extend({ active: z.boolean(), lastLoginAt: str().nullable() });
const staffId = str().min(1, 'Choose a staff member.').max(64, 'Choose a staff member.');
const role = z.enum(staffRoles, { error: 'Choose admin or receptionist.' });

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
    output: z.object({ staff: z.array(staffListItem) }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'staff/create': defineHandler({
    summary: 'Create a staff account (admin).',
    input: z.strictObject({
      username,
      displayName: requiredText(120, 'Name'),
      role,
      password: newPassword,
    }),
    output: z.object({ staff: staffInfo }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'staff/set-role': defineHandler({
    summary: 'Change a staff member’s role (admin); ends that person’s sessions. The last active admin stays admin.',
    input: z.strictObject({ staffId, role }),
    output: z.object({ staff: staffListItem }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'staff/set-active': defineHandler({
    summary: 'Deactivate or reactivate a staff account (admin); deactivation ends its sessions at once.',
    input: z.strictObject({ staffId, active: z.boolean({ error: 'Choose active or deactivated.' }) }),
    output: z.object({ staff: staffListItem }),
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'staff/reset-password': defineHandler({
    summary: 'Set a new password for another staff member (admin); ends that person’s sessions.',
    input: z.strictObject({ staffId, newPassword }),
    output: okOutput,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'auth/change-password': defineHandler({
    summary: 'Change my own password (needs the current one); my other sessions end, this one goes on.',
    input: z.strictObject({
      currentPassword: str().min(1, 'Enter your current password.').max(256, 'At most 256 characters.'),
      newPassword,
    }),
    output: okOutput,
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
};
