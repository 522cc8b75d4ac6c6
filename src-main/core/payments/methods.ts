import type { LedgerAccount, PaymentMethod } from '../db/schema.js';

/** The ledger account a method's money sits in. */
export function accountOf(method: PaymentMethod): LedgerAccount {
  switch (method) {
    case 'cash':
      return 'cash';
    case 'card_terminal':
      return 'card_terminal';
    case 'stripe_terminal':
    case 'stripe_checkout':
      return 'stripe';
    case 'insurance':
      return 'insurance_received';
    case 'no_charge':
      return 'suspense';
  }
}
