import type { Migration } from './types.js';

/**
 * Undo of the last action on an appointment (issue 12, item 3). Each check-in, no-show and
 * cancellation by a staff member writes one row here, in the same transaction, saying what
 * the action changed: the status before and after, and what it did to money (the refunds it
 * created, the payments it withdrew, the ledger movements it posted, the referral use it
 * released, the fee it set). `appointment/undo` reverses exactly that, once: `undone_at` is
 * set in the undo's transaction and a replay finds it set. Local to this desk: an undo is
 * offered to the person who acted, at the desk where they acted, for a few minutes.
 */
export const m0019AppointmentUndo: Migration = {
  name: '0019-appointment-undo',
  up(raw) {
    raw.exec(`
      CREATE TABLE appointment_undo (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointment (id),
        action TEXT NOT NULL CHECK (action IN ('check_in', 'no_show', 'cancel')),
        from_status TEXT NOT NULL,
        to_status TEXT NOT NULL,
        staff_id TEXT NOT NULL REFERENCES staff (id),
        at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        -- JSON: { refundIds, withdrawnPaymentIds, ledgerTxnIds, releasedRedemptionId, feeBefore }
        effects TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(effects)),
        undone_at TEXT,
        CHECK (expires_at > at)
      ) STRICT;
      CREATE INDEX appointment_undo_appointment ON appointment_undo (appointment_id, at);
    `);
  },
};
