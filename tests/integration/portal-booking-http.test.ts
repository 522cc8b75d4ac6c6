/**
 * The patient page's server side, part 2 (issue 14): a patient's own details, holds (one per
 * patient), booking with the hold, rescheduling and cancelling within the policy, paying online,
 * and that one patient's token reaches nothing of another's. Real HTTP server, real SQLite
 * file, a fake Stripe over HTTP, fake clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { IDS, openClinic, type Clinic, type SeededPatient } from '../helpers/booking.js';
import { listen, jsonRequest } from '../helpers/http.js';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';

let clinic: Clinic;
let server: FastifyInstance;
let base: string;
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe();
});
afterAll(async () => {
  await stripe.close();
});

async function open(env: Record<string, string> = {}) {
  clinic = await openClinic({ env });
  ({ server, base } = await listen(clinic.app));
}

afterEach(async () => {
  await server.close();
  await clinic.dispose();
});

const http = (method: 'GET' | 'POST', path: string, token: string | null, body?: unknown) => jsonRequest(base, method, path, token, body);

const A = (): SeededPatient => clinic.patients[0]!;
const B = (): SeededPatient => clinic.patients[1]!;
const slot = (time: string, doctorId: string = IDS.grey, date = '2026-06-02') => ({ consultationTypeId: IDS.general, doctorId, startAt: clinic.at(date, time) });

describe('one patient cannot reach another', () => {
  beforeEach(() => open({ CLINIC_DESK_STRIPE_API: stripe.url, STRIPE_SECRET_KEY: stripe.apiKey }));

  it('read, preview, reschedule, cancel, pay and hold-over of B’s appointment answer as for an unknown id', async () => {
    const booked = await http('POST', '/api/patients/appointments', B().accessToken, slot('10:00'));
    expect(booked.status).toBe(200);
    const theirs = booked.body.data.appointment.id as string;
    const attempts: Array<[string, 'GET' | 'POST', (id: string) => string, unknown]> = [
      ['read', 'GET', (id) => `/api/patients/appointments/${id}`, undefined],
      ['preview', 'GET', (id) => `/api/patients/appointments/${id}/cancel-preview`, undefined],
      ['reschedule', 'POST', (id) => `/api/patients/appointments/${id}/reschedule`, { startAt: clinic.at('2026-06-05', '11:00') }],
      ['cancel', 'POST', (id) => `/api/patients/appointments/${id}/cancel`, {}],
      ['pay', 'POST', (id) => `/api/patients/appointments/${id}/pay`, undefined],
    ];
    for (const [what, method, path, body] of attempts) {
      const other = await http(method, path(theirs), A().accessToken, body);
      const unknown = await http(method, path('no-such-appointment'), A().accessToken, body);
      expect(other.status, what).toBe(404);
      expect(other.body, what).toEqual(unknown.body);
      expect(other.body.error?.code, what).toBe('common/not-found');
    }
    // Nothing of B's changed: still booked at 10:00, nothing paid or started.
    expect(clinic.row(theirs)).toMatchObject({ status: 'booked', start_at: clinic.at('2026-06-02', '10:00') });
    expect(clinic.app.raw.prepare('SELECT count(*) AS n FROM payment').get()).toEqual({ n: 0 });
    // Holding over B's booked time: taken, whoever asks.
    const over = await http('POST', '/api/patients/holds', A().accessToken, slot('10:00'));
    expect(over.body.error?.code).toBe('booking/slot-taken');
  });

  it('B’s hold is, to A, a hold that does not exist: A cannot book with it or release it', async () => {
    const held = await http('POST', '/api/patients/holds', B().accessToken, slot('11:00'));
    expect(held.status).toBe(200);
    const holdId = held.body.data.holdId as string;
    const withTheirs = await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('11:00'), holdId });
    const withNone = await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('11:00'), holdId: 'no-such-hold' });
    expect(withTheirs.body.error?.code).toBe('booking/hold-expired');
    expect(withTheirs.body).toEqual(withNone.body);
    const release = await http('POST', '/api/patients/holds/release', A().accessToken, { holdId });
    expect(release.body).toEqual({ ok: true, data: { ok: true } });
    expect(clinic.app.raw.prepare('SELECT count(*) AS n FROM appointment_hold WHERE id = ?').get(holdId)).toEqual({ n: 1 });
    // B books with it.
    const mine = await http('POST', '/api/patients/appointments', B().accessToken, { ...slot('11:00'), holdId });
    expect(mine.status).toBe(200);
  });
});

describe('holds, booking, moving and cancelling', () => {
  beforeEach(() => open());

  it('GET /api/patients/me answers only with a patient token', async () => {
    const me = await http('GET', '/api/patients/me', A().accessToken);
    expect(me.body.data).toMatchObject({ givenName: 'Ada', familyName: 'Booker0', medicalHistoryComplete: false });
    expect((await http('GET', '/api/patients/me', null)).body.error?.code).toBe('auth/patient-token-missing');
  });

  it('one hold per patient, across devices: a new one releases the old; held times are not offered to others', async () => {
    const first = await http('POST', '/api/patients/holds', A().accessToken, slot('09:00'));
    expect(first.status).toBe(200);
    expect(first.body.data.price).toMatchObject({ totalMinor: 6000, currency: 'USD' });
    // Another device of the same patient (a second token from a sign-in link).
    const second = await clinic.app.dispatch('patient/rotate-access', {}, { patientToken: A().accessToken });
    const otherDevice = (second.result as { ok: true; data: { accessToken: string } }).data.accessToken;
    const next = await http('POST', '/api/patients/holds', otherDevice, slot('09:30'));
    expect(next.status).toBe(200);
    const holds = clinic.app.raw.prepare('SELECT start_at FROM appointment_hold').all();
    expect(holds).toEqual([{ start_at: clinic.at('2026-06-02', '09:30') }]);

    const forB = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&doctorId=${IDS.grey}&from=2026-06-02&days=1`, B().accessToken);
    const labels = forB.body.data.days[0].slots.map((s: { label: string }) => s.label);
    expect(labels).toContain('09:00');
    expect(labels).not.toContain('09:30');
    // Released: free again for everyone.
    expect((await http('POST', '/api/patients/holds/release', otherDevice, {})).status).toBe(200);
    const after = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&doctorId=${IDS.grey}&from=2026-06-02&days=1`, null);
    expect(after.body.data.days[0].slots.map((s: { label: string }) => s.label)).toContain('09:30');
  });

  it('books with the hold, shows price and payment status, moves it outside the window, refuses inside it', async () => {
    const held = await http('POST', '/api/patients/holds', A().accessToken, slot('09:00', IDS.grey, '2026-06-04'));
    const booked = await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('09:00', IDS.grey, '2026-06-04'), holdId: held.body.data.holdId });
    expect(booked.status).toBe(200);
    const id = booked.body.data.appointment.id as string;
    expect(clinic.app.raw.prepare('SELECT count(*) AS n FROM appointment_hold').get()).toEqual({ n: 0 });
    const got = await http('GET', `/api/patients/appointments/${id}`, A().accessToken);
    expect(got.body.data.appointment).toMatchObject({ paymentStatus: 'unpaid', price: { baseMinor: 6000, totalMinor: 6000, currency: 'USD' } });

    const moved = await http('POST', `/api/patients/appointments/${id}/reschedule`, A().accessToken, { startAt: clinic.at('2026-06-04', '10:00') });
    expect(moved.status).toBe(200);
    const newId = moved.body.data.appointment.id as string;
    expect(moved.body.data.previous).toMatchObject({ status: 'cancelled', cancelledByParty: 'patient' });
    // A patient cannot book over their own appointment by saying so.
    const ack = await http('POST', `/api/patients/appointments/${newId}/reschedule`, A().accessToken, { startAt: clinic.at('2026-06-04', '11:00'), overlapAcknowledged: true });
    expect(ack.body.error?.fieldErrors?.overlapAcknowledged?.[0]).toMatch(/Only clinic staff/);

    // 20 hours before: inside the 24-hour window.
    await clinic.setNow(clinic.at('2026-06-03', '14:00'));
    const late = await http('POST', `/api/patients/appointments/${newId}/reschedule`, A().accessToken, { startAt: clinic.at('2026-06-05', '10:00') });
    expect(late.body.error?.code).toBe('appointment/inside-policy-window');
    expect(late.body.error?.message).toMatch(/less than 24 hours.*Call the clinic/);
    expect(clinic.row(newId)).toMatchObject({ status: 'booked' });

    const preview = await http('GET', `/api/patients/appointments/${newId}/cancel-preview`, A().accessToken);
    expect(preview.body.data).toMatchObject({ withinWindow: true, party: 'patient', windowHours: 24 });
    expect(preview.body.data.summary).toMatch(/Nothing has been paid/);
    const cancelled = await http('POST', `/api/patients/appointments/${newId}/cancel`, A().accessToken, {});
    expect(cancelled.body.data.appointment).toMatchObject({ status: 'cancelled', cancelledByParty: 'patient', cancelledWithinPolicyWindow: true });
  });

  it('the booking cap applies to the patient page: no hold and no booking over it', async () => {
    await clinic.ok('admin', 'settings/update', { patientBookingLimit: 1 });
    expect((await http('POST', '/api/patients/appointments', A().accessToken, slot('09:00'))).status).toBe(200);
    const hold = await http('POST', '/api/patients/holds', A().accessToken, slot('10:00'));
    expect(hold.body.error?.code).toBe('booking/limit');
    expect(hold.body.error?.message).toMatch(/already have 1 upcoming/);
    expect((await http('POST', '/api/patients/appointments', A().accessToken, slot('10:00'))).body.error?.code).toBe('booking/limit');
  });

  it('a token spamming holds is slowed (429, in words) while another patient at the same address goes on', async () => {
    let limited: Awaited<ReturnType<typeof http>> | null = null;
    for (let i = 0; i < 15 && !limited; i++) {
      const r = await http('POST', '/api/patients/holds', A().accessToken, slot(`${String(9 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`));
      if (r.status === 429) limited = r;
    }
    expect(limited?.body.error).toMatchObject({ code: 'http/too-many-requests', message: expect.stringMatching(/^Too many attempts\. Wait \d+ seconds? and try again\.$/) });
    expect((await http('POST', '/api/patients/holds', B().accessToken, slot('16:00'))).status).toBe(200);
  });
});

describe('paying online', () => {
  it('without Stripe: a plain refusal, pay at the desk', async () => {
    await open();
    const booked = await http('POST', '/api/patients/appointments', A().accessToken, slot('09:00'));
    const pay = await http('POST', `/api/patients/appointments/${booked.body.data.appointment.id}/pay`, A().accessToken);
    expect(pay.body.error).toEqual({ code: 'portal/pay-unavailable', message: 'Paying online is not available; pay at the desk.' });
  });

  it('with Stripe: a Checkout page that leads back to the patient page; asking again shows the same page', async () => {
    await open({ CLINIC_DESK_STRIPE_API: stripe.url, STRIPE_SECRET_KEY: stripe.apiKey });
    const booked = await http('POST', '/api/patients/appointments', A().accessToken, slot('09:00'));
    const id = booked.body.data.appointment.id as string;
    const pay = await http('POST', `/api/patients/appointments/${id}/pay`, A().accessToken);
    expect(pay.status).toBe(200);
    expect(pay.body.data.url).toMatch(new RegExp(`^${stripe.url}/pay/`));
    const session = [...stripe.state.checkoutSessions.values()].find((s) => s.url === pay.body.data.url)!;
    expect(session.success_url).toBe(`${base}/book#/booked/${id}`);
    expect(session.cancel_url).toBe(`${base}/book#/booked/${id}`);
    expect(session.amount_total).toBe(6000);
    const again = await http('POST', `/api/patients/appointments/${id}/pay`, A().accessToken);
    expect(again.body.data.url).toBe(pay.body.data.url);
    expect(clinic.app.raw.prepare('SELECT count(*) AS n FROM payment').get()).toEqual({ n: 1 });
  });
});

describe('OpenAPI', () => {
  it('lists the patient page’s routes', async () => {
    await open();
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/patients/clinic', 'get'],
      ['/api/patients/slots', 'get'],
      ['/api/patients/doctors', 'get'],
      ['/api/patients/sign-in-link', 'post'],
      ['/api/patients/access/exchange', 'post'],
      ['/api/patients/me', 'get'],
      ['/api/patients/holds', 'post'],
      ['/api/patients/holds/release', 'post'],
      ['/api/patients/appointments/{id}', 'get'],
      ['/api/patients/appointments/{id}/cancel-preview', 'get'],
      ['/api/patients/appointments/{id}/reschedule', 'post'],
      ['/api/patients/appointments/{id}/pay', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
