import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput } from '../helpers/referrals.js';
import { FAKE_CARDS, startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';
import { openTestApp } from '../helpers/test-app.js';
import { removeDir } from '../helpers/temp-dir.js';
import { buildServer } from '../../src-main/http/server.js';
import { signStripePayload } from '../../src-main/adapters/stripe/webhooks.js';

const WEBHOOK_SECRET = 'whsec_stripeFlowTestSigningSecret0001';

/**
 * Stripe payments end to end: the real `stripe` SDK (through the adapter) against the fake
 * Stripe server on loopback; the follow-up loop is driven by hand (runOnce). The clinic of
 * tests/helpers/booking.ts: Monday 1 June 2026, 08:00 New York; a general consultation is $60.00.
 */
let fake: FakeStripe;
let clinic: Clinic;
const READER = 'tmr_FakeReader1';

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  clinic = await openClinic({ env: { CLINIC_DESK_STRIPE_API: fake.url, STRIPE_SECRET_KEY: fake.apiKey, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await clinic.ok('admin', 'settings/update', { stripeReaders: [{ id: READER, label: 'Front desk' }] });
  fake.state.paymentIntents.clear();
  fake.state.charges.clear();
  fake.state.refunds.clear();
  fake.state.checkoutSessions.clear();
  for (const r of fake.state.readers.values()) r.action = null;
  fake.setProcessingReads(0);
  fake.setRefundsPending(false);
});
afterEach(async () => {
  await clinic.dispose();
});

const key = () => `stripe-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const q = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => clinic.app.raw.prepare(sql).get(...args) as T;
const balance = (account: string) => one<{ n: number | null }>('SELECT sum(amount_minor) AS n FROM ledger_entry WHERE account = ?', account).n ?? 0;
const unbalanced = () => q('SELECT txn_id FROM ledger_entry GROUP BY txn_id, currency HAVING sum(amount_minor) <> 0');
const payment = (id: string) => one<Record<string, unknown> & { status: string; next_check_at: string | null; check_attempts: number; appointment_id: string | null; failure_reason: string | null }>('SELECT * FROM payment WHERE id = ?', id);
const follow = () => clinic.app.stripeFollowUp.runOnce();
/** Lets the backoff run out (at most 60 s) and follows once more. */
const later = async () => {
  clinic.clock.advance({ seconds: 61 });
  return follow();
};
const bookTomorrow = (time = '10:00', patient = 0) => clinic.book('deskA', { patient, doctorId: IDS.grey, date: '2026-06-02', time });

async function presentCard(number: string): Promise<void> {
  const res = await fetch(`${fake.url}/v1/test_helpers/terminal/readers/${READER}/present_payment_method`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'card_present[number]': number }).toString(),
  });
  expect(res.status).toBe(200);
}

async function startReader(appointmentId: string) {
  return clinic.ok('deskA', 'payment/start-stripe', { method: 'stripe_terminal', appointmentId, readerId: READER, idempotencyKey: key() });
}
async function startPage(appointmentId: string) {
  return clinic.ok('deskA', 'payment/start-stripe', { method: 'stripe_checkout', appointmentId, idempotencyKey: key() });
}
const progress = async (paymentId: string) => (await clinic.ok('deskA', 'payment/stripe-progress', { paymentId })).progress;
const sessionOf = (paymentId: string) => payment(paymentId).stripe_checkout_id as string;

describe('a card on a Stripe Terminal reader', () => {
  it('the simulated card pays: one PaymentIntent, the ledger charge to stripe, status paid everywhere', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    expect(started.payment).toMatchObject({ method: 'stripe_terminal', status: 'pending', amountMinor: 6000, readerId: READER });
    expect(started.progress).toMatchObject({ stage: 'starting', canCancel: true });
    expect(started.summary.status).toBe('pending');
    // Nothing was sent to Stripe inside the transaction.
    expect(fake.state.paymentIntents.size).toBe(0);

    await follow();
    const p1 = await progress(started.payment.id);
    expect(p1).toMatchObject({ stage: 'waiting-for-card', message: 'Waiting for the card on the reader “Front desk”…' });
    const pi = [...fake.state.paymentIntents.values()][0]!;
    expect(pi.amount).toBe(6000);
    expect(pi.metadata).toMatchObject({ paymentId: started.payment.id });
    expect(fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.method === 'POST').map((r) => r.idempotencyKey)).toContain(`pi-create:${started.payment.id}`);
    expect((fake.state.readers.get(READER)!.action as { status: string }).status).toBe('in_progress');

    await presentCard(FAKE_CARDS.success);
    await later();
    expect(await progress(started.payment.id)).toMatchObject({ stage: 'succeeded', status: 'succeeded', canCancel: false });
    const summary = await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id });
    expect(summary).toMatchObject({ status: 'paid', paidMinor: 6000, dueMinor: 0 });
    expect(balance('stripe')).toBe(6000);
    expect(balance('revenue')).toBe(-6000);
    expect(unbalanced()).toEqual([]);
    expect(fake.state.paymentIntents.size).toBe(1);
    expect(payment(started.payment.id).next_check_at).toBeNull();
    // Recorded by the system actor: audit row and change envelope.
    expect(q("SELECT * FROM audit_log WHERE handler = 'stripe/follow-up' AND actor_kind = 'system' AND record_id = ?", started.payment.id).length).toBeGreaterThan(0);
    expect(q("SELECT * FROM event WHERE entity = 'payment' AND entity_id = ?", started.payment.id).length).toBeGreaterThan(0);
    // Following again changes nothing.
    await later();
    expect(balance('stripe')).toBe(6000);
  });

  it('a declined card: failed with the reason in words, nothing charged, the money is due again', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    await follow();
    await presentCard(FAKE_CARDS.declined);
    await later();
    const p = await progress(started.payment.id);
    expect(p).toMatchObject({ stage: 'failed', status: 'failed' });
    expect(p.message).toMatch(/declined.*Ask for another card/);
    const summary = await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id });
    expect(summary).toMatchObject({ status: 'unpaid', dueMinor: 6000 });
    expect(balance('stripe')).toBe(0);
    // The reader is free again: a second try is accepted.
    await startReader(a.id);
  });

  it('refuses an unknown reader, a busy reader, and a desk without Stripe — writing nothing', async () => {
    const a = await bookTomorrow();
    const b = await bookTomorrow('11:00', 1);
    const unknown = await clinic.err('deskA', 'payment/start-stripe', { method: 'stripe_terminal', appointmentId: a.id, readerId: 'tmr_Nope1234', idempotencyKey: key() }, 'validation/invalid-input');
    expect(unknown.fieldErrors?.readerId?.[0]).toMatch(/Choose one of the readers/);
    await startReader(a.id);
    const busy = await clinic.err('deskA', 'payment/start-stripe', { method: 'stripe_terminal', appointmentId: b.id, readerId: READER, idempotencyKey: key() }, 'payment/reader-busy');
    expect(busy.message).toMatch(/waiting for another payment/);
    const again = await clinic.err('deskA', 'payment/start-stripe', { method: 'stripe_checkout', appointmentId: a.id, idempotencyKey: key() }, 'payment/nothing-due');
    expect(again.message).toMatch(/already in progress/);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM payment').n).toBe(1);
  });

  it('polls with backoff (2 s, 4 s, 8 s …) while Stripe says processing, then records the success once', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    await follow();
    fake.setProcessingReads(3);
    await presentCard(FAKE_CARDS.success);
    const delays: number[] = [];
    for (let i = 0; i < 10 && payment(started.payment.id).status === 'pending'; i++) {
      const before = payment(started.payment.id);
      clinic.clock.advance({ ms: Date.parse(before.next_check_at!) - clinic.clock.now().getTime() });
      await follow();
      const after = payment(started.payment.id);
      if (after.next_check_at) delays.push(Date.parse(after.next_check_at) - clinic.clock.now().getTime());
    }
    expect(payment(started.payment.id).status).toBe('succeeded');
    // Each delay is the schedule's (±20 % jitter): 2 s, 4 s, 8 s …
    delays.forEach((d, i) => {
      const plain = Math.min(60_000, 2000 * 2 ** (i + 1));
      expect(d).toBeGreaterThanOrEqual(plain * 0.8 - 1);
      expect(d).toBeLessThanOrEqual(plain * 1.2 + 1);
    });
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(balance('stripe')).toBe(6000);
  });

  it('the connection drops after Stripe made the PaymentIntent: the retries get the same one (exactly one)', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    // More drops than the SDK retries: the follow-up backs off and retries later with the same key.
    // The create is made and its answer lost; the SDK's own retries then meet a failing Stripe
    // (500 twice), so the follow-up backs off and asks again later with the same key.
    const held = fake.holdNext(/^\/v1\/payment_intents$/);
    const run = follow();
    await held.reached;
    fake.dropAfterProcessing(1, /^\/v1\/payment_intents$/);
    fake.failNext(500, 2, { match: /^\/v1\/payment_intents$/ });
    held.release();
    await run;
    expect(fake.state.paymentIntents.size).toBe(1);
    expect(payment(started.payment.id)).toMatchObject({ status: 'pending', stripe_payment_intent_id: null, check_attempts: 1 });
    await later();
    expect(payment(started.payment.id).stripe_payment_intent_id).toMatch(/^pi_/);
    expect(fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.status === -1).length).toBe(1);
    expect(fake.state.paymentIntents.size).toBe(1);
    expect(fake.requests.some((r) => r.replayed && r.path === '/v1/payment_intents')).toBe(true);
    await presentCard(FAKE_CARDS.success);
    await later();
    expect(payment(started.payment.id).status).toBe('succeeded');
    expect(fake.state.charges.size).toBe(1);
    expect(balance('stripe')).toBe(6000);
  }, 30_000);

  it('a crash between the Stripe call and its record: after a restart on the same data, one charge', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    const held = fake.holdNext(/^\/v1\/payment_intents$/);
    const run = follow();
    await held.reached;
    // The desk goes down while Stripe is making the PaymentIntent: its answer is never recorded.
    const closing = clinic.app.close();
    held.release();
    await closing;
    await run;
    expect(fake.state.paymentIntents.size).toBe(1);
    const dataDir = clinic.app.dataDir;
    const reopened = await openTestApp({ clock: clinic.clock, dataDir, env: { CLINIC_DESK_STRIPE_API: fake.url, STRIPE_SECRET_KEY: fake.apiKey } });
    try {
      const row = () => reopened.raw.prepare('SELECT * FROM payment WHERE id = ?').get(started.payment.id) as { status: string; stripe_payment_intent_id: string | null };
      expect(row()).toMatchObject({ status: 'pending', stripe_payment_intent_id: null });
      await reopened.stripeFollowUp.runOnce();
      expect(row().stripe_payment_intent_id).toBe([...fake.state.paymentIntents.keys()][0]);
      expect(fake.state.paymentIntents.size).toBe(1);
      await presentCard(FAKE_CARDS.success);
      reopened.clock.advance({ seconds: 61 });
      await reopened.stripeFollowUp.runOnce();
      expect(row().status).toBe('succeeded');
      expect(fake.state.charges.size).toBe(1);
      expect((reopened.raw.prepare("SELECT count(*) AS n FROM ledger_entry WHERE kind = 'charge' AND account = 'stripe'").get() as { n: number }).n).toBe(1);
    } finally {
      await reopened.close();
      removeDir(dataDir);
    }
    // The clinic's own dispose must not close it twice.
    clinic = { dispose: async () => {} } as unknown as Clinic;
  }, 30_000);

  it('cancelled at the desk while waiting for the card: the reader stops and the PaymentIntent is cancelled', async () => {
    const a = await bookTomorrow();
    const started = await startReader(a.id);
    await follow();
    // The patient cannot stop the desk's card payment (only their own payment page).
    const byPatient = await clinic.app.dispatch('payment/cancel-stripe', { paymentId: started.payment.id }, { patientToken: clinic.patients[0]!.accessToken });
    expect(byPatient.result).toMatchObject({ ok: false, error: { code: 'auth/forbidden' } });
    expect(payment(started.payment.id).status).toBe('pending');
    const out = await clinic.ok('deskA', 'payment/cancel-stripe', { paymentId: started.payment.id, reason: 'Patient pays cash' });
    expect(out.progress).toMatchObject({ stage: 'cancelled', canCancel: false });
    expect((await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id })).dueMinor).toBe(6000);
    await follow();
    expect(fake.state.readers.get(READER)!.action).toBeNull();
    expect([...fake.state.paymentIntents.values()][0]!.status).toBe('canceled');
    expect(payment(started.payment.id).next_check_at).toBeNull();
    await clinic.err('deskA', 'payment/cancel-stripe', { paymentId: started.payment.id }, 'payment/not-in-progress');
  });
});

describe('a payment page (Checkout)', () => {
  it('the link is made after commit, shown, and paid', async () => {
    const a = await bookTomorrow();
    const started = await startPage(a.id);
    expect(started.progress).toMatchObject({ stage: 'starting', checkoutUrl: null });
    await follow();
    const p = await progress(started.payment.id);
    expect(p.stage).toBe('waiting-for-page');
    expect(p.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);
    fake.completeCheckout(sessionOf(started.payment.id), 'success');
    await later();
    expect(await progress(started.payment.id)).toMatchObject({ stage: 'succeeded', checkoutUrl: null });
    expect((await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id })).status).toBe('paid');
    expect(balance('stripe')).toBe(6000);
    expect(fake.state.checkoutSessions.size).toBe(1);
  });

  it('webhook and polling racing: recorded once', async () => {
    const a = await bookTomorrow();
    const started = await startPage(a.id);
    await follow();
    const session = fake.completeCheckout(sessionOf(started.payment.id), 'success');
    clinic.clock.advance({ seconds: 61 });
    const event = { id: 'evt_1', type: 'checkout.session.completed', created: 0, livemode: false, data: { object: JSON.parse(JSON.stringify(session)) as Record<string, unknown> } };
    await Promise.all([follow(), clinic.app.stripeFollowUp.handleEvent(event), clinic.app.stripeFollowUp.handleEvent(event)]);
    expect(payment(started.payment.id).status).toBe('succeeded');
    expect(one<{ n: number }>("SELECT count(*) AS n FROM ledger_entry WHERE kind = 'charge' AND account = 'stripe'").n).toBe(1);
    expect(balance('stripe')).toBe(6000);
    // A payment_intent.succeeded for the same money later is a no-op too.
    const pi = fake.state.paymentIntents.get(session.payment_intent as string)!;
    await clinic.app.stripeFollowUp.handleEvent({ id: 'evt_2', type: 'payment_intent.succeeded', created: 0, livemode: false, data: { object: JSON.parse(JSON.stringify(pi)) as Record<string, unknown> } });
    expect(balance('stripe')).toBe(6000);
  });

  it('through the signed webhook route of a server: recorded once, polling afterwards is a no-op', async () => {
    const a = await bookTomorrow();
    const started = await startPage(a.id);
    await follow();
    const session = fake.completeCheckout(sessionOf(started.payment.id), 'success');
    const server = await buildServer(clinic.app);
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = server.server.address() as { port: number };
      const body = JSON.stringify({ id: 'evt_http_1', object: 'event', type: 'checkout.session.completed', created: Math.floor(clinic.clock.now().getTime() / 1000), livemode: false, data: { object: session } });
      const send = () =>
        fetch(`http://127.0.0.1:${address.port}/api/stripe/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, WEBHOOK_SECRET, Math.floor(clinic.clock.now().getTime() / 1000)) },
          body,
        });
      expect((await send()).status).toBe(200);
      expect(payment(started.payment.id).status).toBe('succeeded');
      expect((await send()).status).toBe(200);
      await later();
      expect(one<{ n: number }>("SELECT count(*) AS n FROM ledger_entry WHERE kind = 'charge' AND account = 'stripe'").n).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('a webhook alone records the payment (no poll needed)', async () => {
    const a = await bookTomorrow();
    const started = await startPage(a.id);
    await follow();
    const session = fake.completeCheckout(sessionOf(started.payment.id), 'success');
    await clinic.app.stripeFollowUp.handleEvent({ id: 'evt_3', type: 'checkout.session.completed', created: 0, livemode: false, data: { object: JSON.parse(JSON.stringify(session)) as Record<string, unknown> } });
    expect(payment(started.payment.id).status).toBe('succeeded');
    expect(payment(started.payment.id).stripe_payment_intent_id).toBe(session.payment_intent);
    await later();
    expect(balance('stripe')).toBe(6000);
  });
});

describe('refunds through Stripe', () => {
  it('cancelled inside the window: the policy refund goes through Stripe’s API; ledger and commission follow', async () => {
    await clinic.ok('admin', 'settings/update', { lateCancelKind: 'percent', lateCancelRefundBp: 5000 });
    const saved = await clinic.ok('admin', 'referral/save', codeInput({ code: 'STRIPE-5', commission: { kind: 'percent', bp: 1000 } }));
    // Today 15:00, seven hours from now.
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '15:00' });
    const { inTransaction } = await import('../helpers/referrals.js');
    const { reserveRedemption, confirmRedemption } = await import('../../src-main/core/referrals/redemption.service.js');
    await inTransaction(clinic.app, clinic.clock, async (ctx) => {
      const r = await reserveRedemption(ctx, { code: saved.code.code, patientId: clinic.patients[0]!.patientId, consultationTypeId: IDS.general, baseAmount: { minor: 6000, currency: 'USD' } });
      await confirmRedemption(ctx, r.redemptionId, a.id);
    });
    const started = await startPage(a.id);
    await follow();
    fake.completeCheckout(sessionOf(started.payment.id), 'success');
    await later();
    expect(balance('commission_payable')).toBe(-600);

    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Cannot come' });
    const refund = one<{ id: string; status: string; amount_minor: number; next_check_at: string | null }>('SELECT * FROM refund');
    expect(refund).toMatchObject({ status: 'pending', amount_minor: 3000 });
    expect(fake.state.refunds.size).toBe(0);
    await follow();
    expect(fake.state.refunds.size).toBe(1);
    const stripeRefund = [...fake.state.refunds.values()][0]!;
    expect(stripeRefund).toMatchObject({ amount: 3000, metadata: { refundId: refund.id } });
    expect(fake.requests.find((r) => r.path === '/v1/refunds')?.idempotencyKey).toBe(`refund:${refund.id}`);
    expect(one<{ status: string; stripe_refund_id: string }>('SELECT * FROM refund')).toMatchObject({ status: 'succeeded', stripe_refund_id: stripeRefund.id });
    expect(balance('stripe')).toBe(3000);
    expect(balance('commission_payable')).toBe(-300);
    expect((await clinic.ok('deskA', 'payment/summary', { appointmentId: a.id })).status).toBe('partly_refunded');
    expect(unbalanced()).toEqual([]);
    // Following again refunds nothing more.
    await later();
    expect(fake.state.refunds.size).toBe(1);
  });

  it('a refund Stripe refuses: failed, and staff see it in the attention list', async () => {
    const a = await bookTomorrow();
    const started = await startPage(a.id);
    await follow();
    fake.completeCheckout(sessionOf(started.payment.id), 'success');
    await later();
    // Refunded outside the app already: Stripe refuses a second refund.
    const pi = payment(started.payment.id).stripe_payment_intent_id as string;
    const charge = fake.state.charges.get(fake.state.paymentIntents.get(pi)!.latest_charge as string)!;
    charge.amount_refunded = charge.amount;
    await clinic.ok('deskA', 'payment/refund', { paymentId: started.payment.id, amountMinor: 1000, reason: 'Goodwill', idempotencyKey: key() });
    await follow();
    expect(one<{ status: string; failure_reason: string }>('SELECT * FROM refund')).toMatchObject({ status: 'failed' });
    const items = (await clinic.ok('deskA', 'payment/attention', { include: 'open' })).items;
    expect(items.map((i) => i.kind)).toEqual(['refund-failed']);
    expect(balance('stripe')).toBe(6000);
  });

  it('a refund Stripe takes on as pending stays pending until Stripe settles it (by poll or webhook); a late failure raises attention', async () => {
    fake.setRefundsPending(true);
    const paid: string[] = [];
    for (const [time, patient] of [
      ['10:00', 0],
      ['11:00', 1],
    ] as const) {
      const a = await bookTomorrow(time, patient);
      const started = await startPage(a.id);
      await follow();
      fake.completeCheckout(sessionOf(started.payment.id), 'success');
      await later();
      paid.push(started.payment.id);
    }
    expect(balance('stripe')).toBe(12000);
    const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').length;
    const reads = () => fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/refunds/')).length;
    const [createsBefore, readsBefore] = [creates(), reads()];
    for (const paymentId of paid) await clinic.ok('deskA', 'payment/refund', { paymentId, amountMinor: 1000, reason: 'Goodwill', idempotencyKey: key() });
    await follow();
    type Row = { id: string; payment_id: string; status: string; stripe_refund_id: string | null };
    const rows = () => clinic.app.raw.prepare('SELECT id, payment_id, status, stripe_refund_id FROM refund ORDER BY created_at, id').all() as Row[];
    const of = (paymentId: string) => rows().find((r) => r.payment_id === paymentId)!;
    // Taken on by Stripe, not settled: still owed, the money has not moved, Stripe's id is kept.
    expect(fake.state.refunds.size).toBe(2);
    expect(rows().map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(rows().every((r) => r.stripe_refund_id?.startsWith('re_'))).toBe(true);
    expect(balance('stripe')).toBe(12000);
    // Read again later, never asked again (a replayed create would answer its first status).
    clinic.clock.advance({ minutes: 120 });
    await follow();
    expect(rows().map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(creates() - createsBefore).toBe(2);
    expect(reads() - readsBefore).toBe(2);
    // A webhook that says "pending" changes nothing; one that says "succeeded" settles it.
    const first = of(paid[0]!);
    const stripeFirst = fake.state.refunds.get(first.stripe_refund_id!)!;
    const event = (type: string, object: unknown) => clinic.app.stripeFollowUp.handleEvent({ id: `evt_${type}_${String((object as { status: string }).status)}`, type, created: 0, livemode: false, data: { object: JSON.parse(JSON.stringify(object)) as Record<string, unknown> } });
    await event('refund.updated', stripeFirst);
    expect(of(paid[0]!).status).toBe('pending');
    await event('refund.updated', fake.settleRefund(first.stripe_refund_id!, 'succeeded'));
    expect(of(paid[0]!).status).toBe('succeeded');
    // The second one fails at the bank days later: found by polling, and staff are told.
    fake.settleRefund(of(paid[1]!).stripe_refund_id!, 'failed');
    clinic.clock.advance({ minutes: 120 });
    await follow();
    expect(of(paid[1]!).status).toBe('failed');
    expect(balance('stripe')).toBe(11000);
    await clinic.relogin(); // four hours on: the desk's session locked meanwhile
    const items = (await clinic.ok('deskA', 'payment/attention', { include: 'open' })).items;
    expect(items.map((i) => i.kind)).toEqual(['refund-failed']);
    expect(unbalanced()).toEqual([]);
  });
});

describe('pay before booking (the patient page)', () => {
  const slot = () => ({ doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00') });

  async function prepaid(code?: string) {
    // The patient page comes with issue 14; until then a desk holds the slot and starts it for the patient.
    const patient = clinic.patients[0]!;
    const hold = await clinic.ok('deskA', 'booking/hold', slot());
    const out = await clinic.ok('deskA', 'payment/start-prepaid', { ...slot(), patientId: patient.patientId, holdId: hold.holdId, ...(code ? { referralCode: code } : {}) });
    return { hold, progress: out.progress, patient };
  }

  it('paid in time: the held slot is booked, the payment belongs to it, the hold is gone', async () => {
    const { progress: started, hold, patient } = await prepaid();
    expect(started).toMatchObject({ method: 'stripe_checkout', status: 'pending', appointmentId: null, amountMinor: 6000 });
    await follow();
    const p = await clinic.asPatient(patient, 'payment/stripe-progress', { paymentId: started.paymentId });
    expect(p.progress.checkoutUrl).toMatch(/\/pay\/cs_test_/);
    // The hold is kept while the payment is in progress.
    clinic.clock.advance({ minutes: 4 });
    await follow();
    clinic.clock.advance({ minutes: 4 });
    await follow();
    expect(one<{ expires_at: string }>('SELECT expires_at FROM appointment_hold WHERE id = ?', hold.holdId).expires_at > clinic.clock.now().toISOString()).toBe(true);
    fake.completeCheckout(sessionOf(started.paymentId), 'success');
    await later();
    const row = payment(started.paymentId);
    expect(row.status).toBe('succeeded');
    expect(row.appointment_id).toBeTruthy();
    const appointment = clinic.row(row.appointment_id!)!;
    expect(appointment).toMatchObject({ patient_id: patient.patientId, doctor_id: IDS.grey, start_at: slot().startAt, status: 'booked', payment_status: 'paid' });
    expect(one<{ n: number }>('SELECT count(*) AS n FROM appointment_hold WHERE id = ?', hold.holdId).n).toBe(0);
    expect(balance('stripe')).toBe(6000);
    expect((await clinic.asPatient(patient, 'payment/stripe-progress', { paymentId: started.paymentId })).progress).toMatchObject({ stage: 'succeeded', message: 'Paid, and the visit is booked.' });
  });

  it('paid after the hold ran out and the slot was taken: refunded automatically and staff see it', async () => {
    const { progress: started } = await prepaid();
    await follow();
    // The desk was off: the hold ran out, and another patient booked the slot.
    await clinic.advance({ minutes: 6 });
    const other = await clinic.book('deskB', { patient: 1, doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
    fake.completeCheckout(sessionOf(started.paymentId), 'success');
    await follow();
    const row = payment(started.paymentId);
    expect(row).toMatchObject({ status: 'succeeded', appointment_id: null });
    expect(one<{ kind: string; status: string; amount_minor: number }>('SELECT * FROM refund')).toMatchObject({ kind: 'slot-lost', status: 'succeeded', amount_minor: 6000 });
    expect(fake.state.refunds.size).toBe(1);
    expect(balance('stripe')).toBe(0);
    expect(unbalanced()).toEqual([]);
    const items = (await clinic.ok('deskA', 'payment/attention', { include: 'open' })).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'slot-lost-refunded', paymentId: started.paymentId });
    expect(items[0]!.detail).toMatch(/refunded in full/);
    // Never a paid appointment without a slot: only the other patient's booking exists.
    expect(clinic.rows().map((r) => r.id)).toEqual([other.id]);
    expect((await progress(started.paymentId)).stage).toBe('refunded-slot-lost');
  });

  it('paid after the hold ran out but the slot is still free: booked all the same', async () => {
    const { progress: started } = await prepaid();
    await follow();
    await clinic.advance({ minutes: 6 });
    fake.completeCheckout(sessionOf(started.paymentId), 'success');
    await follow();
    expect(payment(started.paymentId).appointment_id).toBeTruthy();
    expect(fake.state.refunds.size).toBe(0);
  });

  it('not paid in time: the page is closed at Stripe, the hold and the referral reservation are released', async () => {
    await clinic.ok('admin', 'referral/save', codeInput({ code: 'PAYFIRST', usageLimit: 1 }));
    const { progress: started, hold } = await prepaid('payfirst');
    expect(started.amountMinor).toBe(5400);
    expect(one<{ status: string }>('SELECT status FROM referral_redemption').status).toBe('reserved');
    await follow();
    for (let i = 0; i < 35; i++) {
      clinic.clock.advance({ minutes: 1 });
      await follow();
    }
    const row = payment(started.paymentId);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toMatch(/not paid within 30 minutes/);
    expect(fake.state.checkoutSessions.get(row.stripe_checkout_id as string)!.status).toBe('expired');
    expect(one<{ n: number }>('SELECT count(*) AS n FROM appointment_hold WHERE id = ?', hold.holdId).n).toBe(0);
    expect(one<{ status: string }>('SELECT status FROM referral_redemption').status).toBe('released');
    expect(clinic.appointmentCount()).toBe(0);
  });

  it('cancelled by the patient: hold released at once, page closed at Stripe; another patient’s payment is not theirs to see', async () => {
    const { progress: started, hold, patient } = await prepaid();
    await follow();
    const other = clinic.patients[1]!;
    const hidden = await clinic.app.dispatch('payment/stripe-progress', { paymentId: started.paymentId }, { patientToken: other.accessToken });
    expect(hidden.result.ok).toBe(false);
    const out = await clinic.asPatient(patient, 'payment/cancel-stripe', { paymentId: started.paymentId });
    expect(out.progress.stage).toBe('cancelled');
    expect(one<{ n: number }>('SELECT count(*) AS n FROM appointment_hold WHERE id = ?', hold.holdId).n).toBe(0);
    await follow();
    expect(fake.state.checkoutSessions.get(payment(started.paymentId).stripe_checkout_id as string)!.status).toBe('expired');
  });

  it('refuses a hold that is not the caller’s, and writes nothing', async () => {
    const patient = clinic.patients[0]!;
    const hold = await clinic.ok('deskA', 'booking/hold', slot());
    await clinic.err('deskB', 'payment/start-prepaid', { ...slot(), patientId: patient.patientId, holdId: hold.holdId }, 'booking/hold-not-yours');
    const out = await clinic.app.dispatch('payment/start-prepaid', { ...slot(), holdId: hold.holdId }, { patientToken: clinic.patients[1]!.accessToken });
    expect(out.result.ok).toBe(false);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM payment').n).toBe(0);
  });
});
