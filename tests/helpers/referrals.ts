/**
 * Calls core referral functions the way booking will: inside one BEGIN IMMEDIATE transaction
 * with a ctx over it (a system actor; nothing audited or emitted here).
 */
import type { App } from '../../src-main/app.js';
import { newUuid, type Actor, type Clock, type Ctx } from '../../src-main/core/context.js';
import type { Db } from '../../src-main/core/db/database.js';
import { withImmediateTransaction } from '../../src-main/core/db/transaction.js';

export function coreCtx(app: App, db: Db, clock: Clock, actor: Actor = { kind: 'system' }): Ctx {
  return {
    db,
    clock,
    newId: newUuid,
    actor,
    settings: app.settings(),
    auditRecord() {},
    session: { start() {}, renew() {}, end() {}, lock() {}, unlock() {}, endOthersOf() {}, locked: false, endedReason: null },
    sessionId: null,
    settingsChanged() {},
    afterCommit() {},
  };
}

/** Runs `fn` in BEGIN IMMEDIATE on the app's connection, as the dispatcher does. */
export function inTransaction<T>(app: App, clock: Clock, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return withImmediateTransaction(app.db, (trx) => fn(coreCtx(app, trx, clock)));
}

/** A valid referral/save input; override what a test is about. */
export function codeInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: 'SUMMER-10',
    agentName: 'Pat Agent',
    agentContact: 'pat@example.org',
    agentPayout: 'IBAN DE00 1234',
    commission: { kind: 'percent', bp: 500 },
    discount: { kind: 'percent', bp: 1000, capMinor: null },
    validFrom: null,
    validUntil: null,
    usageLimit: null,
    perPatientLimit: null,
    minAmountMinor: 0,
    consultationTypeIds: [],
    ...overrides,
  };
}
