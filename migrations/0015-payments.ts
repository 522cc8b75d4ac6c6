import type { Migration } from './types.js';

/**
 * Payments, refunds, the ledger and the day's cash-up.
 *
 * - `payment`: one row per attempt to take money for an appointment (cash, the desk's card
 *   terminal, Stripe Terminal, a Stripe Checkout link, an insurance claim, no charge). Pending
 *   until it succeeds or fails; `business_day` (the clinic's date it counts on) is set when it
 *   succeeds or fails, and from then on a closed day's rows cannot change (trigger).
 * - `refund`: money given back, per payment, never above what is left of it (trigger).
 * - `ledger_entry`: append-only double entry. Every movement (charge, refund, fee, commission
 *   accrual or reversal, correction) is a group of rows with one `txn_id` whose amounts sum to
 *   zero per currency; rows are never updated or deleted (triggers), and none is written into
 *   a day its desk has closed (trigger).
 * - `cash_up`: a desk's day, closed with what was expected and counted.
 * - `payment_attention`: what staff must look at (money taken for a slot that was lost meanwhile,
 *   a refund that failed, a refund to do on the desk's terminal).
 * - `appointment.payment_status`: the summary shown everywhere (kept by the payments service
 *   in the same transaction as the rows above).
 */
export const m0015Payments: Migration = {
  name: '0015-payments',
  up(raw) {
    raw.exec(`
      ALTER TABLE appointment ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('unpaid', 'pending', 'paid', 'partly_paid', 'partly_refunded', 'refunded', 'insurance_pending', 'no_charge'));
      -- A fee the clinic keeps or asks for (late cancellation, no-show), in the appointment's currency.
      ALTER TABLE appointment ADD COLUMN fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0);

      CREATE TABLE payment (
        id TEXT PRIMARY KEY,
        -- Null while a payment taken before booking (a patient paying online) waits: the slot is
        -- then held by hold_id and booked from booking_request when the money arrives.
        appointment_id TEXT REFERENCES appointment (id),
        hold_id TEXT,
        booking_request TEXT CHECK (booking_request IS NULL OR json_valid(booking_request)),
        patient_id TEXT NOT NULL REFERENCES patient (id),
        desk_id TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('cash', 'card_terminal', 'stripe_terminal', 'stripe_checkout', 'insurance', 'no_charge')),
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'cancelled')),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
        tendered_minor INTEGER CHECK (tendered_minor >= amount_minor),
        change_minor INTEGER CHECK (change_minor >= 0),
        reference TEXT,
        insurer TEXT,
        stripe_payment_intent_id TEXT UNIQUE,
        stripe_checkout_id TEXT UNIQUE,
        stripe_checkout_url TEXT,
        stripe_reader_id TEXT,
        failure_reason TEXT,
        business_day TEXT CHECK (business_day IS NULL OR business_day = date(business_day)),
        next_check_at TEXT,
        check_attempts INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        settled_at TEXT,
        CHECK ((method = 'cash') = (tendered_minor IS NOT NULL) OR status <> 'succeeded'),
        CHECK (change_minor IS NULL OR change_minor = tendered_minor - amount_minor),
        CHECK (method <> 'insurance' OR insurer IS NOT NULL),
        CHECK (appointment_id IS NOT NULL OR booking_request IS NOT NULL),
        CHECK ((status IN ('succeeded', 'failed', 'cancelled')) = (business_day IS NOT NULL))
      ) STRICT;
      CREATE INDEX payment_appointment ON payment (appointment_id, status);
      CREATE INDEX payment_hold ON payment (hold_id) WHERE hold_id IS NOT NULL;
      CREATE INDEX payment_day ON payment (desk_id, business_day, method);
      CREATE INDEX payment_follow_up ON payment (next_check_at) WHERE status = 'pending' AND next_check_at IS NOT NULL;

      CREATE TABLE refund (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL REFERENCES payment (id),
        appointment_id TEXT REFERENCES appointment (id),
        desk_id TEXT NOT NULL,
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
        kind TEXT NOT NULL CHECK (kind IN ('policy', 'slot-lost', 'manual')),
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        stripe_refund_id TEXT UNIQUE,
        reference TEXT,
        failure_reason TEXT,
        business_day TEXT CHECK (business_day IS NULL OR business_day = date(business_day)),
        next_check_at TEXT,
        check_attempts INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        settled_at TEXT,
        CHECK ((status IN ('succeeded', 'failed')) = (business_day IS NOT NULL))
      ) STRICT;
      CREATE INDEX refund_payment ON refund (payment_id, status);
      CREATE INDEX refund_day ON refund (desk_id, business_day);

      -- Never more back than was taken: the refunds of a payment that are not failed stay within it.
      CREATE TRIGGER refund_within_payment BEFORE INSERT ON refund
      WHEN NEW.amount_minor + (SELECT coalesce(sum(amount_minor), 0) FROM refund WHERE payment_id = NEW.payment_id AND status <> 'failed')
           > (SELECT amount_minor FROM payment WHERE id = NEW.payment_id AND status = 'succeeded')
        OR NOT EXISTS (SELECT 1 FROM payment WHERE id = NEW.payment_id AND status = 'succeeded')
      BEGIN
        SELECT RAISE(ABORT, 'payment/refund-too-large');
      END;

      CREATE TABLE ledger_entry (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        txn_id TEXT NOT NULL,
        at TEXT NOT NULL,
        business_day TEXT NOT NULL CHECK (business_day = date(business_day)),
        desk_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund', 'fee', 'commission_accrual', 'commission_reversal', 'correction')),
        account TEXT NOT NULL CHECK (account IN (
          'cash', 'card_terminal', 'stripe', 'insurance_receivable', 'insurance_received',
          'revenue', 'fee_income', 'commission_expense', 'commission_payable', 'suspense')),
        amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        payment_id TEXT REFERENCES payment (id),
        refund_id TEXT REFERENCES refund (id),
        appointment_id TEXT REFERENCES appointment (id),
        referral_code_id TEXT REFERENCES referral_code (id),
        memo TEXT NOT NULL,
        created_by TEXT,
        -- Rows are written once: their version is always 1.
        version INTEGER NOT NULL DEFAULT 1 CHECK (version = 1)
      ) STRICT;
      CREATE INDEX ledger_txn ON ledger_entry (txn_id);
      CREATE INDEX ledger_day ON ledger_entry (desk_id, business_day, account);
      CREATE INDEX ledger_code ON ledger_entry (referral_code_id, business_day) WHERE referral_code_id IS NOT NULL;
      CREATE INDEX ledger_appointment ON ledger_entry (appointment_id) WHERE appointment_id IS NOT NULL;
      CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entry BEGIN SELECT RAISE(ABORT, 'ledger/append-only'); END;
      CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entry BEGIN SELECT RAISE(ABORT, 'ledger/append-only'); END;

      CREATE TABLE cash_up (
        id TEXT PRIMARY KEY,
        desk_id TEXT NOT NULL,
        business_day TEXT NOT NULL CHECK (business_day = date(business_day)),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        totals TEXT NOT NULL CHECK (json_valid(totals)),
        expected_cash_minor INTEGER NOT NULL,
        counted_cash_minor INTEGER NOT NULL CHECK (counted_cash_minor >= 0),
        note TEXT NOT NULL,
        closed_at TEXT NOT NULL,
        closed_by TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1 CHECK (version = 1),
        UNIQUE (desk_id, business_day)
      ) STRICT;
      CREATE TRIGGER cash_up_no_update BEFORE UPDATE ON cash_up BEGIN SELECT RAISE(ABORT, 'payment/day-closed'); END;
      CREATE TRIGGER cash_up_no_delete BEFORE DELETE ON cash_up BEGIN SELECT RAISE(ABORT, 'payment/day-closed'); END;
      CREATE TRIGGER ledger_day_open BEFORE INSERT ON ledger_entry
      WHEN EXISTS (SELECT 1 FROM cash_up WHERE desk_id = NEW.desk_id AND business_day = NEW.business_day)
      BEGIN
        SELECT RAISE(ABORT, 'payment/day-closed');
      END;
      CREATE TRIGGER payment_day_closed BEFORE UPDATE ON payment
      WHEN OLD.business_day IS NOT NULL AND EXISTS (SELECT 1 FROM cash_up WHERE desk_id = OLD.desk_id AND business_day = OLD.business_day)
      BEGIN
        SELECT RAISE(ABORT, 'payment/day-closed');
      END;
      CREATE TRIGGER refund_day_closed BEFORE UPDATE ON refund
      WHEN OLD.business_day IS NOT NULL AND EXISTS (SELECT 1 FROM cash_up WHERE desk_id = OLD.desk_id AND business_day = OLD.business_day)
      BEGIN
        SELECT RAISE(ABORT, 'payment/day-closed');
      END;

      CREATE TABLE payment_attention (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('slot-lost-refunded', 'refund-failed', 'refund-on-terminal', 'refund-to-insurer', 'payment-unknown', 'insurance-rejected')),
        payment_id TEXT REFERENCES payment (id),
        refund_id TEXT REFERENCES refund (id),
        appointment_id TEXT REFERENCES appointment (id),
        detail TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        resolution TEXT,
        version INTEGER NOT NULL CHECK (version >= 1)
      ) STRICT;
      CREATE INDEX payment_attention_open ON payment_attention (resolved_at, created_at);
    `);
  },
};
