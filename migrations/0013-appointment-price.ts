import type { Migration } from './types.js';

/**
 * The price breakdown stored on each appointment (issue 10, item 3): the base price, the
 * discount of a referral code, and the code used. `price_minor` stays the total the patient
 * owes (base − discount), so every reader of the total keeps working.
 *
 * Appointments booked before this migration get base = price_minor and no discount. The new
 * columns are nullable only so that rows written without them (old fixtures, raw inserts)
 * still read as "no discount"; whenever a breakdown is written, the triggers below make the
 * database refuse one that does not add up (discount above the base, total ≠ base − discount)
 * or a code without its redemption.
 */
export const m0013AppointmentPrice: Migration = {
  name: '0013-appointment-price',
  up(raw) {
    raw.exec(`
      ALTER TABLE appointment ADD COLUMN base_minor INTEGER CHECK (base_minor IS NULL OR base_minor >= 0);
      ALTER TABLE appointment ADD COLUMN discount_minor INTEGER CHECK (discount_minor IS NULL OR discount_minor >= 0);
      ALTER TABLE appointment ADD COLUMN referral_code_id TEXT REFERENCES referral_code (id);
      ALTER TABLE appointment ADD COLUMN referral_redemption_id TEXT REFERENCES referral_redemption (id);
      -- The code as typed at booking (upper case), kept even if the code is edited later.
      ALTER TABLE appointment ADD COLUMN referral_code TEXT;

      UPDATE appointment SET base_minor = price_minor, discount_minor = 0 WHERE base_minor IS NULL;

      CREATE TRIGGER appointment_price_insert BEFORE INSERT ON appointment
        WHEN NEW.base_minor IS NOT NULL OR NEW.discount_minor IS NOT NULL OR NEW.referral_code_id IS NOT NULL
      BEGIN
        SELECT RAISE(ABORT, 'appointment/price-breakdown')
        WHERE NEW.base_minor IS NULL OR NEW.discount_minor IS NULL
           OR NEW.discount_minor > NEW.base_minor
           OR NEW.price_minor <> NEW.base_minor - NEW.discount_minor
           OR ((NEW.referral_code_id IS NULL) <> (NEW.referral_redemption_id IS NULL))
           OR ((NEW.referral_code_id IS NULL) <> (NEW.referral_code IS NULL));
      END;
      CREATE TRIGGER appointment_price_update
        BEFORE UPDATE OF price_minor, base_minor, discount_minor, referral_code_id, referral_redemption_id, referral_code ON appointment
      BEGIN
        SELECT RAISE(ABORT, 'appointment/price-breakdown')
        WHERE NEW.base_minor IS NULL OR NEW.discount_minor IS NULL
           OR NEW.discount_minor > NEW.base_minor
           OR NEW.price_minor <> NEW.base_minor - NEW.discount_minor
           OR ((NEW.referral_code_id IS NULL) <> (NEW.referral_redemption_id IS NULL))
           OR ((NEW.referral_code_id IS NULL) <> (NEW.referral_code IS NULL));
      END;
      CREATE INDEX appointment_referral_redemption ON appointment (referral_redemption_id) WHERE referral_redemption_id IS NOT NULL;
    `);
  },
};
