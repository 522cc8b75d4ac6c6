import type { Migration } from './types.js';

/**
 * Notifications (issue 11): one row per message the clinic decided to send — a confirmation,
 * a reminder, a reschedule or a cancellation, by e-mail or SMS. The row is the unit of work:
 * it is decided once (UNIQUE per appointment, kind, channel, appointment version, reminder
 * offset and re-send number, so a replayed or retried event never doubles it), claimed before
 * it is sent (status 'sending'), and then recorded as sent, failed or skipped with the reason.
 * `owner_desk_id` is the one desk that may send it (see README, "Notifications").
 */
export const m0017Notifications: Migration = {
  name: '0017-notifications',
  up(raw) {
    raw.exec(`
      CREATE TABLE message (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointment (id),
        patient_id TEXT NOT NULL REFERENCES patient (id),
        -- The first appointment of the reschedule chain: the invite's stable UID.
        chain_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'reschedule', 'cancellation')),
        channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
        appointment_version INTEGER NOT NULL,
        offset_minutes INTEGER NOT NULL DEFAULT 0,
        resend INTEGER NOT NULL DEFAULT 0,
        -- The invite's SEQUENCE (rises with every reschedule and on cancellation).
        sequence INTEGER NOT NULL,
        -- The appointment as it stood when the message was decided (re-checked before sending).
        appointment_start_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
        recipient TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        claimed_at TEXT,
        sent_at TEXT,
        provider_id TEXT,
        -- Our own Message-ID: the same on every attempt, so a repeat is recognisable.
        message_id TEXT NOT NULL,
        reason TEXT,
        owner_desk_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (appointment_id, kind, channel, appointment_version, offset_minutes, resend)
      ) STRICT;
      -- The sender's claim: equality on status and owner, then next_at order (no sort, no scan of what is not due).
      CREATE INDEX message_due ON message (status, owner_desk_id, next_at, id);
      CREATE INDEX message_appointment ON message (appointment_id, kind);
      CREATE INDEX message_created ON message (created_at, id);
    `);
  },
};
