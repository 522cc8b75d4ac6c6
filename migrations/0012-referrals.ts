import type { Migration } from './types.js';

/**
 * Referral codes and their redemptions. Rows are never deleted (codes are deactivated,
 * redemptions released); every row carries a `version` for optimistic concurrency.
 *
 * Usage limits are enforced by the database: the triggers below count, inside the writing
 * transaction, the redemptions that still hold a use — confirmed ones, and reservations whose
 * `expires_at` is later than the new row's `updated_at` (the app's clock, so an expired
 * reservation stops counting without any clean-up job) — and abort the insert (or the update
 * that makes a row count again) once the total or per-patient limit is reached. With
 * BEGIN IMMEDIATE every writer sees the previous one's rows, across processes.
 */
export const m0012Referrals: Migration = {
  name: '0012-referrals',
  up(raw) {
    raw.exec(`
      CREATE TABLE referral_code (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        agent_name TEXT NOT NULL,
        agent_contact TEXT NOT NULL,
        agent_payout TEXT NOT NULL,
        commission_kind TEXT NOT NULL CHECK (commission_kind IN ('none', 'percent', 'fixed')),
        commission_bp INTEGER CHECK (commission_bp BETWEEN 0 AND 10000),
        commission_minor INTEGER CHECK (commission_minor >= 0),
        discount_kind TEXT NOT NULL CHECK (discount_kind IN ('percent', 'fixed')),
        discount_bp INTEGER CHECK (discount_bp BETWEEN 1 AND 10000),
        discount_cap_minor INTEGER CHECK (discount_cap_minor >= 0),
        discount_minor INTEGER CHECK (discount_minor >= 0),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        valid_from TEXT,
        valid_until TEXT,
        usage_limit INTEGER CHECK (usage_limit >= 1),
        per_patient_limit INTEGER CHECK (per_patient_limit >= 1),
        min_amount_minor INTEGER NOT NULL CHECK (min_amount_minor >= 0),
        consultation_type_ids TEXT NOT NULL CHECK (json_valid(consultation_type_ids) AND json_type(consultation_type_ids) = 'array'),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        CHECK (length(code) BETWEEN 3 AND 32 AND code = upper(code) AND code NOT GLOB '*[^A-Z0-9-]*'),
        CHECK ((commission_kind = 'percent') = (commission_bp IS NOT NULL)),
        CHECK ((commission_kind = 'fixed') = (commission_minor IS NOT NULL)),
        CHECK ((discount_kind = 'percent') = (discount_bp IS NOT NULL)),
        CHECK ((discount_kind = 'fixed') = (discount_minor IS NOT NULL)),
        CHECK (discount_kind = 'percent' OR discount_cap_minor IS NULL),
        CHECK (valid_from IS NULL OR valid_from = date(valid_from)),
        CHECK (valid_until IS NULL OR valid_until = date(valid_until)),
        CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until)
      ) STRICT;

      CREATE TABLE referral_redemption (
        id TEXT PRIMARY KEY,
        code_id TEXT NOT NULL REFERENCES referral_code (id),
        patient_id TEXT NOT NULL REFERENCES patient (id),
        consultation_type_id TEXT NOT NULL REFERENCES consultation_type (id),
        hold_id TEXT,
        appointment_id TEXT REFERENCES appointment (id),
        status TEXT NOT NULL CHECK (status IN ('reserved', 'confirmed', 'released')),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        base_minor INTEGER NOT NULL CHECK (base_minor >= 0),
        discount_minor INTEGER NOT NULL CHECK (discount_minor >= 0 AND discount_minor <= base_minor),
        total_minor INTEGER NOT NULL CHECK (total_minor = base_minor - discount_minor),
        expires_at TEXT NOT NULL,
        released_reason TEXT,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- One text form for instants, so that the triggers' text comparisons hold.
        CHECK (expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', expires_at)),
        CHECK (updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', updated_at)),
        CHECK ((status = 'confirmed') = (appointment_id IS NOT NULL) OR status = 'released')
      ) STRICT;
      CREATE INDEX referral_redemption_code ON referral_redemption (code_id, status, expires_at);
      CREATE INDEX referral_redemption_patient ON referral_redemption (code_id, patient_id, status, expires_at);
      CREATE INDEX referral_redemption_appointment ON referral_redemption (appointment_id) WHERE appointment_id IS NOT NULL;
      CREATE INDEX referral_redemption_hold ON referral_redemption (hold_id) WHERE hold_id IS NOT NULL;

      CREATE TRIGGER referral_code_no_delete BEFORE DELETE ON referral_code
      BEGIN
        SELECT RAISE(ABORT, 'referral/no-delete');
      END;
      CREATE TRIGGER referral_redemption_no_delete BEFORE DELETE ON referral_redemption
      BEGIN
        SELECT RAISE(ABORT, 'referral/no-delete');
      END;
      -- A released redemption stays released; a confirmed one never goes back to reserved.
      CREATE TRIGGER referral_redemption_forward_only BEFORE UPDATE OF status ON referral_redemption
        WHEN (OLD.status = 'released' AND NEW.status <> 'released') OR (OLD.status = 'confirmed' AND NEW.status = 'reserved')
      BEGIN
        SELECT RAISE(ABORT, 'referral/redemption-closed');
      END;

      CREATE TRIGGER referral_redemption_limit_insert BEFORE INSERT ON referral_redemption
        WHEN NEW.status <> 'released'
      BEGIN
        SELECT RAISE(ABORT, 'referral/deactivated')
        WHERE (SELECT active FROM referral_code WHERE id = NEW.code_id) = 0;
        SELECT RAISE(ABORT, 'referral/used-up')
        WHERE (SELECT count(*) FROM referral_redemption r
                WHERE r.code_id = NEW.code_id
                  AND (r.status = 'confirmed' OR (r.status = 'reserved' AND r.expires_at > NEW.updated_at)))
              >= (SELECT coalesce(usage_limit, 9007199254740991) FROM referral_code WHERE id = NEW.code_id);
        SELECT RAISE(ABORT, 'referral/patient-limit')
        WHERE (SELECT count(*) FROM referral_redemption r
                WHERE r.code_id = NEW.code_id AND r.patient_id = NEW.patient_id
                  AND (r.status = 'confirmed' OR (r.status = 'reserved' AND r.expires_at > NEW.updated_at)))
              >= (SELECT coalesce(per_patient_limit, 9007199254740991) FROM referral_code WHERE id = NEW.code_id);
      END;

      -- A row that had stopped counting (an expired reservation) and counts again (confirmed,
      -- or its reservation extended) takes a use again: the same limits apply.
      CREATE TRIGGER referral_redemption_limit_update BEFORE UPDATE OF status, expires_at ON referral_redemption
        WHEN NEW.status <> 'released'
         AND NOT (OLD.status = 'confirmed' OR (OLD.status = 'reserved' AND OLD.expires_at > NEW.updated_at))
      BEGIN
        SELECT RAISE(ABORT, 'referral/used-up')
        WHERE (SELECT count(*) FROM referral_redemption r
                WHERE r.code_id = NEW.code_id AND r.id <> NEW.id
                  AND (r.status = 'confirmed' OR (r.status = 'reserved' AND r.expires_at > NEW.updated_at)))
              >= (SELECT coalesce(usage_limit, 9007199254740991) FROM referral_code WHERE id = NEW.code_id);
        SELECT RAISE(ABORT, 'referral/patient-limit')
        WHERE (SELECT count(*) FROM referral_redemption r
                WHERE r.code_id = NEW.code_id AND r.patient_id = NEW.patient_id AND r.id <> NEW.id
                  AND (r.status = 'confirmed' OR (r.status = 'reserved' AND r.expires_at > NEW.updated_at)))
              >= (SELECT coalesce(per_patient_limit, 9007199254740991) FROM referral_code WHERE id = NEW.code_id);
      END;
    `);
  },
};
