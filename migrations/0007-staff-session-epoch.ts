import type { Migration } from './types.js';

/**
 * A staff member's session epoch: every session remembers the epoch it was signed in
 * under, and the dispatcher refuses a session whose epoch is no longer the account's. A
 * change of password, role or active flag raises it, which ends that person's sessions in
 * every process sharing the file (sessions themselves live in each process's memory).
 */
export const m0007StaffSessionEpoch: Migration = {
  name: '0007-staff-session-epoch',
  up(raw) {
    raw.exec(`ALTER TABLE staff ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0 CHECK (session_epoch >= 0);`);
  },
};
