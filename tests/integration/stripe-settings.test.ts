import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callErr, callOk, demoApp, DEMO, loginAs, auditRows, type TestApp } from '../helpers/test-app.js';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';

let fake: FakeStripe;
let app: TestApp | null = null;

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function adminOn(env: Record<string, string>): Promise<{ app: TestApp; admin: string }> {
  app = await demoApp({ env });
  return { app, admin: await loginAs(app, DEMO.admin.username, DEMO.admin.password) };
}

describe('payments/stripe-test', () => {
  it('without a key it says so, in words', async () => {
    const { app, admin } = await adminOn({ CLINIC_DESK_STRIPE_API: fake.url });
    const out = await callOk(app, 'payments/stripe-test', {}, admin);
    expect(out).toMatchObject({ ok: false, problem: 'not-configured', accountId: null });
    expect(out.message).toMatch(/No Stripe secret key is set yet/);
  });

  it('with the key from the environment it names the account and mode, and checks the clinic currency', async () => {
    const { app, admin } = await adminOn({ CLINIC_DESK_STRIPE_API: fake.url, STRIPE_SECRET_KEY: fake.apiKey });
    const out = await callOk(app, 'payments/stripe-test', {}, admin);
    expect(out).toEqual({
      ok: true,
      problem: null,
      accountId: 'acct_1FakeClinicDesk',
      accountName: 'Fake Clinic (Stripe test)',
      mode: 'test',
      message: 'Connected to Stripe account “Fake Clinic (Stripe test)” (acct_1FakeClinicDesk) in test mode.',
      currency: { code: app.settings().currency, supported: true, problem: null },
    });
    await callOk(app, 'settings/update', { currency: 'IQD' }, admin);
    expect((await callOk(app, 'payments/stripe-test', {}, admin)).currency).toEqual({ code: 'IQD', supported: false, problem: expect.stringMatching(/Stripe cannot take payments in IQD/) });
  });

  it('a stored wrong key: "authentication", and neither the answer nor the audit log holds the key', async () => {
    const { app, admin } = await adminOn({ CLINIC_DESK_STRIPE_API: fake.url });
    const wrong = 'sk_test_thisIsNotTheRightKey5678';
    const status = await callOk(app, 'secrets/set', { name: 'stripe.secretKey', value: wrong }, admin);
    expect(status).toMatchObject({ set: true, hint: '…5678', source: 'stored' });
    const out = await callOk(app, 'payments/stripe-test', {}, admin);
    expect(out).toMatchObject({ ok: false, problem: 'authentication' });
    expect(out.message).toMatch(/did not accept the secret key/);
    const everything = JSON.stringify(out) + JSON.stringify(auditRows(app));
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain('thisIsNot');
    // The right key, stored: connected.
    await callOk(app, 'secrets/set', { name: 'stripe.secretKey', value: fake.apiKey }, admin);
    expect(await callOk(app, 'payments/stripe-test', {}, admin)).toMatchObject({ ok: true });
  });

  it('Stripe down: "network", in words', async () => {
    const { app, admin } = await adminOn({ CLINIC_DESK_STRIPE_API: 'http://127.0.0.1:9', STRIPE_SECRET_KEY: fake.apiKey });
    expect(await callOk(app, 'payments/stripe-test', {}, admin)).toMatchObject({ ok: false, problem: 'network', message: expect.stringMatching(/Could not reach Stripe/) });
  });

  it('the call to Stripe holds no database lock: other writes commit while Stripe is still thinking', async () => {
    const { app, admin } = await adminOn({ CLINIC_DESK_STRIPE_API: fake.url, STRIPE_SECRET_KEY: fake.apiKey });
    const held = fake.holdNext('/v1/account');
    const testing = callOk(app, 'payments/stripe-test', {}, admin);
    await held.reached;
    // If stripe-test ran inside the dispatcher's write transaction, this write would wait for it (or fail busy).
    const saved = await callOk(app, 'settings/update', { clinicName: 'Written while Stripe thinks' }, admin);
    expect(saved.clinicName).toBe('Written while Stripe thinks');
    held.release();
    expect(await testing).toMatchObject({ ok: true });
  });

  it('is for admins only', async () => {
    app = await demoApp({ env: { CLINIC_DESK_STRIPE_API: fake.url, STRIPE_SECRET_KEY: fake.apiKey } });
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const before = fake.requests.length;
    await callErr(app, 'payments/stripe-test', {}, desk, 'auth/forbidden');
    await callErr(app, 'payments/stripe-test', {}, null, 'auth/unauthenticated');
    expect(fake.requests.length).toBe(before); // Stripe was never asked
  });
});

describe('stripeReaders setting', () => {
  it('stores readers; refuses bad ids, duplicates, line breaks and broken text with field errors, writing nothing', async () => {
    const { app, admin } = await adminOn({});
    expect(app.settings().stripeReaders).toEqual([]);
    const readers = [
      { id: 'tmr_FakeReader1', label: 'Front desk' },
      { id: 'tmr_Second2', label: 'Room 2' },
    ];
    expect((await callOk(app, 'settings/update', { stripeReaders: readers }, admin)).stripeReaders).toEqual(readers);
    expect((await callOk(app, 'settings/get', {}, admin)).stripeReaders).toEqual(readers);

    const bad = async (stripeReaders: unknown, field: string, message: RegExp) => {
      const err = await callErr(app, 'settings/update', { stripeReaders }, admin, 'validation/invalid-input');
      expect(err.fieldErrors?.[field]?.join(' ')).toMatch(message);
    };
    await bad([{ id: 'reader-1', label: 'X' }], 'stripeReaders.0.id', /looks like tmr_/);
    await bad([{ id: 'tmr_abcd', label: '' }], 'stripeReaders.0.label', /required/);
    await bad([{ id: 'tmr_abcd', label: 'Front\ndesk' }], 'stripeReaders.0.label', /one line/);
    await bad([{ id: 'tmr_abcd', label: 'Bad \uD800 text' }], 'stripeReaders.0.label', /./);
    await bad([readers[0], readers[0]], 'stripeReaders', /listed once/);
    await bad([{ id: 'tmr_abcd', label: 'x', extra: 1 }], 'stripeReaders.0.extra', /Unknown field/);
    expect(app.settings().stripeReaders).toEqual(readers);
  });
});
