import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createStripeAdapter, StripeAdapterError, type StripePort } from '../../src-main/adapters/stripe/stripe-adapter.js';
import { FAKE_CARDS, startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';
import Stripe from 'stripe';

let fake: FakeStripe;
let stripe: StripePort;
/** The SDK itself, for the test helpers a patient's card would trigger (present_payment_method). */
let sdk: Stripe;
const key = () => randomUUID();
const instant = async () => {};

const presentCard = (readerId: string, card: keyof typeof FAKE_CARDS) =>
  sdk.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: FAKE_CARDS[card] } });

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = createStripeAdapter({ secretKey: fake.apiKey, apiBase: fake.url, sleep: instant });
  sdk = new Stripe(fake.apiKey, { host: '127.0.0.1', port: fake.port, protocol: 'http', telemetry: false });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.setProcessingReads(0);
});

async function refusal(promise: Promise<unknown>): Promise<StripeAdapterError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StripeAdapterError);
    return err as StripeAdapterError;
  }
  throw new Error('expected a refusal');
}

const cardPresent = (amountMinor: number, currency = 'EUR') => ({
  amountMinor,
  currency,
  idempotencyKey: key(),
  description: 'Consultation',
  metadata: { appointmentId: 'appt-1', 'odd key': 'x' },
  cardPresent: true,
});

describe('PaymentIntents', () => {
  it('creates, reads and cancels one, with metadata and amounts in our minor units', async () => {
    const pi = await stripe.createPaymentIntent(cardPresent(12_345));
    expect(pi).toMatchObject({ status: 'requires_payment_method', amountMinor: 12_345, currency: 'EUR', amountReceivedMinor: 0, latestChargeId: null });
    expect(pi.metadata).toEqual({ appointmentId: 'appt-1', 'odd key': 'x' });
    expect(fake.state.paymentIntents.get(pi.id)).toMatchObject({ amount: 12_345, currency: 'eur', payment_method_types: ['card_present'] });
    expect(await stripe.getPaymentIntent(pi.id)).toMatchObject({ id: pi.id, status: 'requires_payment_method' });
    expect(await stripe.cancelPaymentIntent(pi.id, key())).toMatchObject({ id: pi.id, status: 'canceled' });
  });

  it('sends every write with the idempotency key it was given, and refuses a call without one', async () => {
    const idempotencyKey = key();
    await stripe.createPaymentIntent({ ...cardPresent(500), idempotencyKey });
    const sent = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').at(-1);
    expect(sent?.idempotencyKey).toBe(idempotencyKey);
    const before = fake.requests.length;
    const err = await refusal(stripe.createPaymentIntent({ ...cardPresent(500), idempotencyKey: '' }));
    expect(err.kind).toBe('invalid-request');
    expect(fake.requests.length).toBe(before); // nothing was sent
  });

  it('the same key with the same request returns the same PaymentIntent; with another request it is refused', async () => {
    const input = cardPresent(700);
    const a = await stripe.createPaymentIntent(input);
    const b = await stripe.createPaymentIntent(input);
    expect(b.id).toBe(a.id);
    const err = await refusal(stripe.createPaymentIntent({ ...input, amountMinor: 800 }));
    expect(err.kind).toBe('idempotency-conflict');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/already sent once with different details/);
  });

  it('converts zero-decimal and special currencies, and refuses amounts Stripe cannot take, sending nothing', async () => {
    const yen = await stripe.createPaymentIntent(cardPresent(1500, 'JPY'));
    expect(fake.state.paymentIntents.get(yen.id)).toMatchObject({ amount: 1500, currency: 'jpy' });
    expect(yen.amountMinor).toBe(1500);
    const krona = await stripe.createPaymentIntent(cardPresent(5, 'ISK')); // 5 ISK: Stripe wants 500
    expect(fake.state.paymentIntents.get(krona.id)).toMatchObject({ amount: 500, currency: 'isk' });
    expect(krona.amountMinor).toBe(5);
    const dinar = await stripe.createPaymentIntent(cardPresent(5120, 'KWD'));
    expect(fake.state.paymentIntents.get(dinar.id)).toMatchObject({ amount: 5120 });
    const ariary = await stripe.createPaymentIntent(cardPresent(300, 'MGA')); // 3.00 MGA → 3
    expect(fake.state.paymentIntents.get(ariary.id)).toMatchObject({ amount: 3 });
    expect(ariary.amountMinor).toBe(300);

    const before = fake.requests.length;
    expect((await refusal(stripe.createPaymentIntent(cardPresent(5124, 'KWD')))).message).toMatch(/KWD only in steps of 0\.010; 5\.124 KWD/);
    expect((await refusal(stripe.createPaymentIntent(cardPresent(350, 'MGA')))).message).toMatch(/whole units only; 3\.50 MGA/);
    expect((await refusal(stripe.createPaymentIntent(cardPresent(1000, 'IQD')))).message).toMatch(/Stripe cannot take payments in IQD/);
    expect((await refusal(stripe.createPaymentIntent(cardPresent(0)))).message).toMatch(/whole positive number/);
    expect((await refusal(stripe.createPaymentIntent(cardPresent(12.5)))).kind).toBe('invalid-request');
    expect(fake.requests.length).toBe(before);
  });
});

describe('Terminal reader (server-driven)', () => {
  it('a success card: the reader succeeds, the PaymentIntent goes processing → succeeded with one charge', async () => {
    fake.setProcessingReads(1);
    const pi = await stripe.createPaymentIntent(cardPresent(4200));
    const sent = await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    expect(sent).toMatchObject({ id: 'tmr_FakeReader1', label: 'Front desk', action: { type: 'process_payment_intent', status: 'in_progress', paymentIntentId: pi.id } });
    await presentCard('tmr_FakeReader1', 'success');
    expect((await stripe.getReader('tmr_FakeReader1')).action).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(await stripe.getPaymentIntent(pi.id)).toMatchObject({ status: 'processing' });
    const done = await stripe.getPaymentIntent(pi.id);
    expect(done).toMatchObject({ status: 'succeeded', amountReceivedMinor: 4200 });
    expect(done.latestChargeId).toMatch(/^ch_/);
    expect([...fake.state.charges.values()].filter((c) => c.payment_intent === pi.id)).toHaveLength(1);
  });

  it('a declined card: the reader action fails and the PaymentIntent asks for another card, saying why', async () => {
    const pi = await stripe.createPaymentIntent(cardPresent(4200));
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    await presentCard('tmr_FakeReader1', 'declined');
    expect((await stripe.getReader('tmr_FakeReader1')).action).toMatchObject({ status: 'failed', failureCode: 'card_declined' });
    const after = await stripe.getPaymentIntent(pi.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', amountReceivedMinor: 0, lastError: { code: 'card_declined', declineCode: 'generic_decline' } });
    expect(after.lastError?.message).toMatch(/declined.*another card/);
    // The same PaymentIntent can go to the reader again, and a good card then pays it.
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    await presentCard('tmr_FakeReader1', 'success');
    expect(await stripe.getPaymentIntent(pi.id)).toMatchObject({ status: 'succeeded', amountReceivedMinor: 4200 });
  });

  it('cancels a reader action; an unknown reader and a PaymentIntent not made for a reader are refused in words', async () => {
    const pi = await stripe.createPaymentIntent(cardPresent(1000));
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    expect((await stripe.cancelReaderAction('tmr_FakeReader1', key())).action).toBeNull();
    const unknown = await refusal(stripe.getReader('tmr_Nope'));
    expect(unknown).toMatchObject({ kind: 'invalid-request', code: 'resource_missing' });
    expect(unknown.message).toMatch(/does not know this payment, reader or session/);
    const online = await stripe.createPaymentIntent({ ...cardPresent(1000), cardPresent: false });
    expect((await refusal(stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: online.id, idempotencyKey: key() }))).message).toMatch(/card_present/);
  });
});

describe('Checkout page', () => {
  it('creates a page for the amount; the patient pays on it; the session then names its PaymentIntent', async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const session = await stripe.createCheckoutSession({
      amountMinor: 9900,
      currency: 'EUR',
      description: 'Consultation, 3 March 10:00',
      successUrl: 'https://clinic.example/paid',
      cancelUrl: 'https://clinic.example/cancelled',
      idempotencyKey: key(),
      metadata: { appointmentId: 'appt-9' },
      expiresAt,
    });
    expect(session).toMatchObject({ status: 'open', paymentStatus: 'unpaid', paymentIntentId: null, amountTotalMinor: 9900, currency: 'EUR' });
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);
    expect(session.expiresAt).toBe(new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString());
    expect(fake.state.checkoutSessions.get(session.id)).toMatchObject({ metadata: { appointmentId: 'appt-9' } });

    const res = await fetch(`${fake.url}/_test/checkout/sessions/${session.id}/complete`, { method: 'POST', body: JSON.stringify({ card: 'success' }) });
    expect(res.status).toBe(200);
    const paid = await stripe.getCheckoutSession(session.id);
    expect(paid).toMatchObject({ status: 'complete', paymentStatus: 'paid', url: null });
    expect(await stripe.getPaymentIntent(paid.paymentIntentId!)).toMatchObject({ status: 'succeeded', amountReceivedMinor: 9900, metadata: { appointmentId: 'appt-9' } });
  });

  it('an open page can be expired (the booking was cancelled); a paid one cannot', async () => {
    const base = { amountMinor: 100, currency: 'USD', description: 'Visit', successUrl: 'https://x.example/ok', cancelUrl: 'https://x.example/no', metadata: {} };
    const open = await stripe.createCheckoutSession({ ...base, idempotencyKey: key() });
    expect(await stripe.expireCheckoutSession(open.id, key())).toMatchObject({ status: 'expired', url: null });
    const paid = await stripe.createCheckoutSession({ ...base, idempotencyKey: key() });
    fake.completeCheckout(paid.id, 'success');
    expect((await refusal(stripe.expireCheckoutSession(paid.id, key()))).kind).toBe('invalid-request');
  });
});

describe('Refunds', () => {
  async function paid(amountMinor: number): Promise<string> {
    const pi = await stripe.createPaymentIntent(cardPresent(amountMinor));
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    await presentCard('tmr_FakeReader1', 'success');
    return pi.id;
  }

  it('partial, then the rest; never more than captured', async () => {
    const pi = await paid(10_000);
    expect(await stripe.createRefund({ paymentIntentId: pi, amountMinor: 2500, idempotencyKey: key(), reason: 'requested_by_customer' })).toMatchObject({
      status: 'succeeded',
      amountMinor: 2500,
      currency: 'EUR',
      paymentIntentId: pi,
    });
    const tooMuch = await refusal(stripe.createRefund({ paymentIntentId: pi, amountMinor: 7501, idempotencyKey: key() }));
    expect(tooMuch).toMatchObject({ kind: 'invalid-request', code: 'amount_too_large', retryable: false });
    expect(tooMuch.message).toMatch(/more than what is left to refund/);
    expect(await stripe.createRefund({ paymentIntentId: pi, amountMinor: 7500, idempotencyKey: key() })).toMatchObject({ amountMinor: 7500 });
    expect((await refusal(stripe.createRefund({ paymentIntentId: pi, amountMinor: 1, idempotencyKey: key() }))).code).toBe('charge_already_refunded');
    const refunded = [...fake.state.refunds.values()].filter((r) => r.payment_intent === pi);
    expect(refunded.map((r) => r.amount)).toEqual([2500, 7500]);
  });

  it('a full refund of a yen payment in one go; a refund of an unpaid PaymentIntent is refused', async () => {
    const pi = await stripe.createPaymentIntent(cardPresent(3000, 'JPY'));
    expect((await refusal(stripe.createRefund({ paymentIntentId: pi.id, amountMinor: 3000, idempotencyKey: key() }))).kind).toBe('invalid-request');
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    await presentCard('tmr_FakeReader1', 'success');
    expect(await stripe.createRefund({ paymentIntentId: pi.id, amountMinor: 3000, idempotencyKey: key() })).toMatchObject({ amountMinor: 3000, currency: 'JPY' });
  });
});

describe('faults', () => {
  it('a connection dropped after Stripe created the PaymentIntent: the retry with the same key creates no second one', async () => {
    const before = fake.state.paymentIntents.size;
    fake.dropAfterProcessing(1, '/v1/payment_intents');
    const input = cardPresent(6100);
    const pi = await stripe.createPaymentIntent(input);
    expect(fake.state.paymentIntents.size).toBe(before + 1);
    const attempts = fake.requests.filter((r) => r.idempotencyKey === input.idempotencyKey);
    expect(attempts.map((r) => [r.status, r.replayed])).toEqual([
      [-1, false], // processed, then the connection was dropped
      [200, true], // the SDK's retry: Stripe's stored answer
    ]);
    expect(fake.state.paymentIntents.get(pi.id)).toMatchObject({ amount: 6100 });
  });

  it('a connection dropped after a refund: one refund, one charge', async () => {
    const pi = await stripe.createPaymentIntent(cardPresent(5000));
    await stripe.processOnReader({ readerId: 'tmr_FakeReader1', paymentIntentId: pi.id, idempotencyKey: key() });
    await presentCard('tmr_FakeReader1', 'success');
    fake.dropAfterProcessing(1, '/v1/refunds');
    await stripe.createRefund({ paymentIntentId: pi.id, amountMinor: 5000, idempotencyKey: key() });
    expect([...fake.state.refunds.values()].filter((r) => r.payment_intent === pi.id)).toHaveLength(1);
    expect([...fake.state.charges.values()].filter((c) => c.payment_intent === pi.id)).toMatchObject([{ amount_refunded: 5000 }]);
  });

  it('500 answers are retried by the SDK with the same key; after too many the call fails as retryable', async () => {
    fake.failNext(500, 2, { match: '/v1/payment_intents' });
    const input = cardPresent(1234);
    const pi = await stripe.createPaymentIntent(input);
    expect(pi.amountMinor).toBe(1234);
    expect(fake.requests.filter((r) => r.idempotencyKey === input.idempotencyKey).map((r) => r.status)).toEqual([500, 500, 200]);

    fake.failNext(500, 3, { match: '/v1/payment_intents' });
    const err = await refusal(stripe.createPaymentIntent(cardPresent(1234)));
    expect(err).toMatchObject({ kind: 'network', retryable: true, status: 500 });
  });

  it('429 answers are retried with the same key; when they persist the call fails as rate-limited (retryable)', async () => {
    const waits: number[] = [];
    const patient = createStripeAdapter({ secretKey: fake.apiKey, apiBase: fake.url, sleep: async (ms) => void waits.push(ms) });
    fake.failNext(429, 2, { match: '/v1/payment_intents' });
    const input = cardPresent(2222);
    await patient.createPaymentIntent(input);
    expect(fake.requests.filter((r) => r.idempotencyKey === input.idempotencyKey).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(waits).toEqual([500, 1000]);
    const count = fake.state.paymentIntents.size;
    fake.failNext(429, 3, { match: '/v1/payment_intents' });
    expect(await refusal(patient.createPaymentIntent(cardPresent(2222)))).toMatchObject({ kind: 'rate-limited', retryable: true });
    expect(fake.state.paymentIntents.size).toBe(count);
  });

  it('a slow answer past the timeout is a retryable network failure', async () => {
    const hasty = createStripeAdapter({ secretKey: fake.apiKey, apiBase: fake.url, timeoutMs: 200, maxNetworkRetries: 0, sleep: instant });
    fake.slow(1500, 1, '/v1/account');
    expect(await hasty.testConnection()).toMatchObject({ ok: false, kind: 'network', message: expect.stringMatching(/did not answer in time/) });
  });
});

describe('hostile or odd input', () => {
  it('ids that are not Stripe ids, broken text and oversized metadata are refused before anything is sent', async () => {
    const before = fake.requests.length;
    for (const id of ['../account', 'pi_1?expand=x', '', 'pi 1', 'x'.repeat(300)]) {
      expect((await refusal(stripe.getPaymentIntent(id))).message).toBe('That is not a Stripe payment id.');
    }
    expect((await refusal(stripe.getReader('tmr_a/b'))).message).toBe('That is not a Stripe reader id.');
    expect((await refusal(stripe.createPaymentIntent({ ...cardPresent(500), description: 'Bad \uD800 text' }))).message).toMatch(/broken characters/);
    expect((await refusal(stripe.createPaymentIntent({ ...cardPresent(500), metadata: { ['k'.repeat(41)]: 'v' } }))).message).toMatch(/metadata entry/);
    expect((await refusal(stripe.createPaymentIntent({ ...cardPresent(500), metadata: { 'a[b]': 'v' } }))).message).toMatch(/without brackets/);
    expect((await refusal(stripe.createPaymentIntent({ ...cardPresent(500), metadata: { k: 'v'.repeat(501) } }))).message).toMatch(/values at most 500/);
    expect((await refusal(stripe.createPaymentIntent({ ...cardPresent(500), idempotencyKey: 'key with spaces in it' }))).message).toMatch(/idempotency key/);
    expect((await refusal(stripe.createPaymentIntent(cardPresent(2 ** 52)))).message).toMatch(/too large/);
    expect(fake.requests.length).toBe(before);
  });

  it('below Stripe’s smallest charge: refused by Stripe, in words', async () => {
    const err = await refusal(stripe.createPaymentIntent(cardPresent(20, 'USD')));
    expect(err).toMatchObject({ kind: 'invalid-request', code: 'amount_too_small' });
    expect(err.message).toMatch(/below Stripe’s smallest charge/);
  });

  it('an account name with line breaks, broken or long text is shown on one clean line', async () => {
    const odd = await startFakeStripe({ account: { name: `Clinic\r\nLtd \uD800${'é'.repeat(200)}😀` } });
    try {
      const tested = await createStripeAdapter({ secretKey: odd.apiKey, apiBase: odd.url }).testConnection();
      if (!tested.ok) throw new Error(tested.message);
      expect(tested.accountName).toMatch(/^Clinic Ltd \uFFFDé+…$/);
      expect(Array.from(tested.accountName!)).toHaveLength(100);
      expect(tested.message).not.toMatch(/[\r\n]/);
    } finally {
      await odd.close();
    }
  });
});

describe('keys and connection', () => {
  it('testConnection names the account and the mode', async () => {
    expect(await stripe.testConnection()).toEqual({
      ok: true,
      accountId: 'acct_1FakeClinicDesk',
      accountName: 'Fake Clinic (Stripe test)',
      country: 'US',
      defaultCurrency: 'USD',
      mode: 'test',
      message: 'Connected to Stripe account “Fake Clinic (Stripe test)” (acct_1FakeClinicDesk) in test mode.',
    });
  });

  it('a bad key is "authentication", and no message carries the key or any part of it', async () => {
    const badKey = 'sk_test_WRONGwrongWRONGwrong9876';
    const bad = createStripeAdapter({ secretKey: badKey, apiBase: fake.url, sleep: instant });
    const tested = await bad.testConnection();
    expect(tested).toMatchObject({ ok: false, kind: 'authentication' });
    const err = await refusal(bad.createPaymentIntent(cardPresent(100)));
    expect(err.kind).toBe('authentication');
    expect(err.retryable).toBe(false);
    for (const text of [err.message, tested.message, String(err.stack), JSON.stringify(err)]) {
      expect(text).not.toContain(badKey);
      expect(text).not.toContain('9876');
      expect(text).not.toMatch(/sk_test_W/);
    }
    expect(err.message).toMatch(/did not accept the secret key/);
  });

  it('an unreachable Stripe is "network" in plain words', async () => {
    const down = createStripeAdapter({ secretKey: fake.apiKey, apiBase: 'http://127.0.0.1:9', maxNetworkRetries: 0, sleep: instant });
    expect(await down.testConnection()).toMatchObject({ ok: false, kind: 'network', message: expect.stringMatching(/Could not reach Stripe/) });
  });
});
