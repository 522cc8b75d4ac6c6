import type { Migration } from './types.js';

/**
 * One-time sign-in links for the patient page (issue 14): a patient asks for a link with their
 * e-mail or phone and date of birth, and it is sent by this desk's notification sender.
 *
 * `sign_in_message` is the outbox of those messages: one row per link requested for a matched
 * patient. It never holds the link itself: the sender mints the one-time token (a
 * `patient_token` row of kind 'sign_in_link', 30 minutes) when it sends, so no usable secret is
 * ever written in clear. It is local, like `patient_token`: the link is this desk's credential.
 */
export const m0018SignInLinks: Migration = {
  name: '0018-sign-in-links',
  up(raw) {
    raw.exec(`
      CREATE TABLE sign_in_message (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient (id),
        kind TEXT NOT NULL CHECK (kind IN ('sign_in_link')),
        channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
        recipient TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        -- Past this the link is not worth sending (it would arrive stale).
        expires_at TEXT NOT NULL,
        claimed_at TEXT,
        sent_at TEXT,
        provider_id TEXT,
        message_id TEXT NOT NULL,
        -- The token minted for the latest attempt (its hash lives in patient_token).
        token_id TEXT,
        reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_message_due ON sign_in_message (status, next_at, id);
      CREATE INDEX sign_in_message_patient ON sign_in_message (patient_id, created_at);
    `);
  },
};
