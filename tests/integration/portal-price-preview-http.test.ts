/**
 * The patient page's price preview (issues 10 item 2 and 14): POST /api/patients/holds/:id/price
 * prices the patient's own hold with a referral code before booking — the discount and total
 * when the code is good, the reason in plain words when not — writes and reserves nothing,
 * answers another patient's hold as one that has run out, and spends a per-token guessing
 * budget. Real HTTP server, real SQLite file, fake clock: now is Monday 1 June 2026, 08:00 New
 * York; the general consultation costs $60.00.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonRequest } from '../helpers/http.js';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../src-main/http/server.js';
import { IDS, openClinic, type Clinic, type SeededPatient } from '../helpers/booking.js';
import { codeInput } from '../helpers/referrals.js';

let clinic: Clinic;
let server: FastifyInstance;
let base: string;

async function open(options: ServerOptions = {}) {
  clinic = await openClinic({ patients: 3 });
  server = await buildServer(clinic.app, options);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  await server.close();
  await clinic.dispose();
});

const http = (method: 'GET' | 'POST', path: string, token: string | null, body?: unknown) => jsonRequest(base, method, path, token, body);

const A = (): SeededPatient => clinic.patients[0]!;
const B = (): SeededPatient => clinic.patients[1]!;
const C = (): SeededPatient => clinic.patients[2]!;
const slot = (time: string, date = '2026-06-02') => ({ consultationTypeId: IDS.general, doctorId: IDS.grey, startAt: clinic.at(date, time) });
const save = (overrides: Record<string, unknown>) => clinic.ok('admin', 'referral/save', codeInput(overrides));
const hold = async (who: SeededPatient, time: string): Promise<string> => {
  const held = await http('POST', '/api/patients/holds', who.accessToken, slot(time));
  expect(held.status).toBe(200);
  return held.body.data.holdId as string;
};
const preview = (who: SeededPatient, holdId: string, referralCode: unknown) => http('POST', `/api/patients/holds/${encodeURIComponent(holdId)}/price`, who.accessToken, { referralCode });
const counts = () => clinic.app.raw.prepare('SELECT (SELECT count(*) FROM referral_redemption) AS redemptions, (SELECT count(*) FROM appointment_hold) AS holds, (SELECT count(*) FROM appointment) AS appointments').get();

describe('the price of my hold with a code, before booking', () => {
  beforeEach(() => open());

  it('a good code: the discount and new total, nothing reserved; booking then charges exactly that', async () => {
    await save({ code: 'SUMMER-10', discount: { kind: 'percent', bp: 1000, capMinor: null }, usageLimit: 1 });
    const holdId = await hold(A(), '09:00');
    const before = counts();
    const good = await preview(A(), holdId, ' summer-10 ');
    expect(good.status).toBe(200);
    expect(good.body.data).toEqual({
      valid: true,
      reason: null,
      message: 'Code SUMMER-10: $6.00 off.',
      price: { baseMinor: 6000, discountMinor: 600, totalMinor: 5400, currency: 'USD', referralCode: 'SUMMER-10' },
    });
    // Nothing written or reserved: the last use of the code is still free for anyone.
    expect(counts()).toEqual(before);
    const forB = await preview(B(), await hold(B(), '10:00'), 'SUMMER-10');
    expect(forB.body.data.valid).toBe(true);
    // No code typed: the plain price, no reason.
    const none = await preview(A(), holdId, '');
    expect(none.body.data).toEqual({ valid: false, reason: null, message: '', price: { baseMinor: 6000, discountMinor: 0, totalMinor: 6000, currency: 'USD', referralCode: null } });

    const booked = await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('09:00'), holdId, referralCode: 'summer-10' });
    expect(booked.status).toBe(200);
    expect(booked.body.data.appointment.price).toEqual(good.body.data.price);
  });

  it('each refusal named in plain words, with the plain price', async () => {
    await save({ code: 'NOT-YET', validFrom: '2026-07-01' });
    await save({ code: 'OLD-ONE', validUntil: '2026-05-01' });
    await save({ code: 'HEART-ONLY', consultationTypeIds: [IDS.cardiology] });
    await save({ code: 'BIG-SPEND', minAmountMinor: 10_000 });
    await save({ code: 'ONE-LEFT', usageLimit: 1 });
    await save({ code: 'ONCE-EACH', perPatientLimit: 1 });
    // B uses the last use of ONE-LEFT; A has used ONCE-EACH already.
    expect((await http('POST', '/api/patients/appointments', B().accessToken, { ...slot('11:00'), referralCode: 'ONE-LEFT' })).status).toBe(200);
    expect((await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('14:00', '2026-06-03'), referralCode: 'ONCE-EACH' })).status).toBe(200);

    const holdId = await hold(A(), '09:00');
    const before = counts();
    const cases: Array<[string, string, string]> = [
      ['NOPE-123', 'unknown', 'There is no referral code “NOPE-123”. Check the spelling.'],
      ['not-yet', 'not-yet-valid', 'The code NOT-YET can be used from 1 July 2026.'],
      ['OLD-ONE', 'expired', 'The code OLD-ONE expired on 1 May 2026.'],
      ['HEART-ONLY', 'not-for-consultation', 'The code HEART-ONLY is not for this consultation.'],
      ['BIG-SPEND', 'below-minimum', 'The code BIG-SPEND needs a price of at least $100.00.'],
      ['ONE-LEFT', 'used-up', 'The code ONE-LEFT has been used up.'],
      ['ONCE-EACH', 'patient-limit', 'You have already used the code ONCE-EACH.'],
    ];
    for (const [code, reason, message] of cases) {
      const answer = await preview(A(), holdId, code);
      expect(answer.status, code).toBe(200);
      expect(answer.body.data, code).toEqual({ valid: false, reason, message, price: { baseMinor: 6000, discountMinor: 0, totalMinor: 6000, currency: 'USD', referralCode: null } });
    }
    expect(counts()).toEqual(before);
    // The per-patient limit is A's alone: C may still use ONCE-EACH.
    expect((await preview(C(), await hold(C(), '10:00'), 'ONCE-EACH')).body.data.valid).toBe(true);
  });

  it('only my own live hold: another patient’s, an expired or an unknown one read the same; staff and strangers are refused', async () => {
    await save({ code: 'SUMMER-10' });
    const theirs = await hold(B(), '10:00');
    const other = await preview(A(), theirs, 'SUMMER-10');
    const unknown = await preview(A(), 'no-such-hold', 'SUMMER-10');
    expect(other.body.error?.code).toBe('booking/hold-expired');
    expect(other.status).toBe(unknown.status);
    expect(other.body).toEqual(unknown.body);
    expect(other.body.error?.message).toBe('The hold on this slot has run out or was released. Choose the slot again.');
    // A body naming a holdId does not override the address's.
    const sneaky = await http('POST', `/api/patients/holds/no-such-hold/price`, A().accessToken, { referralCode: 'SUMMER-10', holdId: theirs });
    expect(sneaky.body.error?.code).not.toBe(undefined);
    expect(sneaky.body.data).toBe(undefined);

    const mine = await hold(A(), '09:00');
    expect((await preview(A(), mine, 'SUMMER-10')).body.data.valid).toBe(true);
    clinic.clock.advance({ minutes: 60 });
    expect((await preview(A(), mine, 'SUMMER-10')).body).toEqual(unknown.body);

    expect((await http('POST', `/api/patients/holds/${mine}/price`, null, { referralCode: 'SUMMER-10' })).body.error?.code).toBe('auth/patient-token-missing');
  });

  it('hostile text gets a plain field error and writes nothing', async () => {
    const holdId = await hold(A(), '09:00');
    const before = counts();
    const long = await preview(A(), holdId, 'A'.repeat(65));
    expect(long.status).toBe(400);
    expect(long.body.error?.fieldErrors?.referralCode).toEqual(['A code has at most 32 characters.']);
    const broken = await preview(A(), holdId, 'SUMMER\uD800');
    expect(broken.status).toBe(400);
    expect(broken.body.error?.fieldErrors?.referralCode?.length).toBe(1);
    const lines = await preview(A(), holdId, "SUM\nMER'; DROP TABLE referral_code; --");
    expect(lines.body.data).toMatchObject({ valid: false, reason: 'unknown' });
    expect(counts()).toEqual(before);
  });
});

describe('the preview is no code-guessing oracle', () => {
  beforeEach(() => open({ tokenGuessesPerMinute: 3, guessesPerMinute: 1000, anonymousPerMinute: 1000 }));

  it('each token has its own small budget of code checks; booking with a code spends it too', async () => {
    await save({ code: 'SUMMER-10' });
    const holdId = await hold(A(), '09:00');
    for (const guess of ['AAA-1', 'AAA-2', 'AAA-3']) expect((await preview(A(), holdId, guess)).status).toBe(200);
    const fourth = await preview(A(), holdId, 'SUMMER-10');
    expect(fourth.status).toBe(429);
    expect(fourth.body.error?.code).toBe('http/too-many-requests');
    // The same guess through the other doors is limited for this token too.
    const check = await http('POST', '/api/rpc/referral/check', A().accessToken, { code: 'SUMMER-10', consultationTypeId: IDS.general });
    expect(check.status).toBe(429);
    const book = await http('POST', '/api/patients/appointments', A().accessToken, { ...slot('09:00'), holdId, referralCode: 'SUMMER-10' });
    expect(book.status).toBe(429);
    // Another patient from the same address is not held up by A's guessing.
    expect((await preview(B(), await hold(B(), '10:00'), 'SUMMER-10')).status).toBe(200);
    // A minute later A may check again.
    clinic.clock.advance({ seconds: 61 });
    expect((await preview(A(), holdId, 'SUMMER-10')).body.data.valid).toBe(true);
  });
});
