/**
 * The patient page's server side, part 1 (issue 14): clinic facts, doctors and free slots for
 * anyone; one-time sign-in links through a real SMTP server on loopback; exchanging a link once.
 * Real HTTP server, real SQLite file, fake clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { MailServer } from '../helpers/mail-server.js';
import { confirmationFacts, emailSettings, pump, reachable } from '../helpers/notify.js';
import { fitsOneSegment, renderMessage } from '../../src-main/core/notifications/templates.js';
import { listen, jsonRequest } from '../helpers/http.js';

let clinic: Clinic;
let server: FastifyInstance;
let base: string;
let mail: MailServer;

beforeEach(async () => {
  mail = new MailServer();
  await mail.start();
  clinic = await openClinic();
  await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(mail.port) });
  reachable(clinic, 0, 'ada@example.test', { email: 1, sms: 0 });
  ({ server, base } = await listen(clinic.app));
});

afterEach(async () => {
  await server.close();
  await clinic.dispose();
  await mail.stop();
});

const http = (method: 'GET' | 'POST', path: string, body?: unknown, token?: string) => jsonRequest(base, method, path, token ?? null, body);

const ada = () => ({ contact: 'ADA@example.test', dateOfBirth: '1960-01-10' });

/** Requests a link for Ada and sends it; returns the link's token from the mail. */
async function linkFromMail(): Promise<string> {
  const before = mail.mails.length;
  const asked = await http('POST', '/api/patients/sign-in-link', ada());
  expect(asked.body.ok).toBe(true);
  const pass = await clinic.app.notifications.runOnce();
  expect(pass.sent).toBe(1);
  expect(mail.mails.length).toBe(before + 1);
  const text = String(mail.mails.at(-1)!.parsed.text);
  const match = new RegExp(`${base.replace(/[.]/g, '\\.')}/book#/signin/([A-Za-z0-9_-]+)`).exec(text);
  expect(match, text).not.toBeNull();
  return match![1]!;
}

describe('what anyone may read', () => {
  it('GET /api/patients/clinic gives what a patient may see, policy in words', async () => {
    await clinic.ok('admin', 'settings/update', { cancellationWindowHours: 48, lateCancelKind: 'fee', lateCancelFeeMinor: 2500 });
    const r = await http('GET', '/api/patients/clinic');
    expect(r.status).toBe(200);
    const c = r.body.data;
    expect(c).toMatchObject({ name: 'Booking Test Clinic', phone: '+1 202 555 0100', email: 'front@clinic.test', address: '1 Main St, Springfield', timeZone: 'America/New_York', currency: 'USD', languages: ['en', 'es'], bookingHorizonDays: 180 });
    expect(c.cancellationPolicy).toMatch(/less than 48 hours/);
    expect(c.cancellationPolicy).toMatch(/\$25\.00/);
    expect(c.locations.map((l: { id: string }) => l.id).sort()).toEqual([IDS.annex, IDS.main]);
    // Only active types; no staff, no patients, no settings beyond these.
    expect(c.consultationTypes.map((t: { id: string }) => t.id)).not.toContain(IDS.retired);
    expect(c.consultationTypes.find((t: { id: string }) => t.id === IDS.general)).toEqual({ id: IDS.general, name: 'General consultation', durationMinutes: 15, priceMinor: 6000, currency: 'USD', specializationId: IDS.gp });
    expect(JSON.stringify(c)).not.toMatch(/boss|desk-a|Booker|stripe|smtp/i);
  });

  it('GET /api/patients/doctors lists who offers a type', async () => {
    const r = await http('GET', `/api/patients/doctors?consultationTypeId=${IDS.cardiology}`);
    expect(r.body.data.doctors).toEqual([{ id: IDS.diaz, name: 'Dr Rosa Diaz', specialization: 'Cardiology', locationName: 'Annex' }]);
    const unknown = await http('GET', '/api/patients/doctors?consultationTypeId=nope');
    expect(unknown.body.error?.fieldErrors?.consultationTypeId?.[0]).toMatch(/no such consultation type/);
  });

  it('GET /api/patients/slots: day by day, local labels, first available across doctors, nextFreeDate', async () => {
    const one = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&doctorId=${IDS.grey}&from=2026-06-02&days=2`);
    expect(one.status).toBe(200);
    expect(one.body.data.timeZone).toBe('America/New_York');
    expect(one.body.data.days.map((d: { date: string }) => d.date)).toEqual(['2026-06-02', '2026-06-03']);
    const tue = one.body.data.days[0].slots;
    expect(tue[0]).toEqual({ startAt: '2026-06-02T13:00:00.000Z', endAt: '2026-06-02T13:15:00.000Z', doctorId: IDS.grey, doctorName: 'Dr Meredith Grey', locationId: IDS.main, label: '09:00' });
    // Wednesday morning Dr Grey is off.
    expect(one.body.data.days[1].slots[0].label).toBe('13:00');
    expect(one.body.data.nextFreeDate).toBe('2026-06-04');

    // First available: each time once, given to whichever GP is free (Dr Stone has more free time that day).
    await clinic.book('deskA', { patient: 1, doctorId: IDS.stone, date: '2026-06-02', time: '09:00' });
    const any = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&from=2026-06-02&days=1`);
    const slots = any.body.data.days[0].slots as Array<{ startAt: string; doctorId: string; label: string }>;
    expect(new Set(slots.map((s) => s.startAt)).size).toBe(slots.length);
    // 09:00 is booked with Dr Stone, so Dr Grey takes it; 12:00 only Dr Stone works (Dr Grey has lunch).
    expect(slots.find((s) => s.label === '09:00')?.doctorId).toBe(IDS.grey);
    expect(slots.find((s) => s.label === '12:00')?.doctorId).toBe(IDS.stone);
    // A booked time is never offered: Dr Stone's 09:00 is gone when he is asked for by name.
    const stone = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&doctorId=${IDS.stone}&from=2026-06-02&days=1`);
    expect(stone.body.data.days[0].slots.map((s: { label: string }) => s.label)).not.toContain('09:00');

    const bad = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.general}&from=2026-06-02&days=30`);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fieldErrors?.days?.[0]).toBe('At most 14 days.');
    const wrongDoctor = await http('GET', `/api/patients/slots?consultationTypeId=${IDS.cardiology}&doctorId=${IDS.grey}&from=2026-06-02`);
    expect(wrongDoctor.body.error?.fieldErrors?.doctorId?.[0]).toMatch(/does not offer/);
  });
});

describe('one-time sign-in links', () => {
  it('answers the same for a known and an unknown contact, and mails the link only to a match', async () => {
    const known = await http('POST', '/api/patients/sign-in-link', ada());
    const wrongBirthday = await http('POST', '/api/patients/sign-in-link', { ...ada(), dateOfBirth: '1960-01-11' });
    const nobody = await http('POST', '/api/patients/sign-in-link', { contact: 'nobody@example.test', dateOfBirth: '1960-01-10' });
    const phone = await http('POST', '/api/patients/sign-in-link', { contact: '+1 202 555 0299', dateOfBirth: '1960-01-10' });
    for (const r of [wrongBirthday, nobody, phone]) {
      expect(r.status).toBe(known.status);
      expect(r.body).toEqual(known.body);
    }
    expect(known.body).toEqual({ ok: true, data: { sent: true, message: expect.stringMatching(/If these details match/) } });
    await clinic.app.notifications.runOnce();
    expect(mail.mails.map((m) => m.envelopeTo)).toEqual([['ada@example.test']]);
    const m = mail.mails[0]!;
    expect(m.parsed.subject).toBe('Your sign-in link for Booking Test Clinic');
    expect(String(m.parsed.text)).toMatch(/works once, for 30 minutes/);
    // The link is never stored: only its hash, on a sign_in_link token.
    const token = /book#\/signin\/([A-Za-z0-9_-]+)/.exec(String(m.parsed.text))![1]!;
    expect(JSON.stringify(clinic.app.raw.prepare('SELECT * FROM sign_in_message').all())).not.toContain(token);
    expect(clinic.app.raw.prepare("SELECT count(*) AS n FROM patient_token WHERE kind = 'sign_in_link'").get()).toEqual({ n: 1 });
  });

  it('refuses a contact that is neither an e-mail address nor a phone number, in words', async () => {
    const r = await http('POST', '/api/patients/sign-in-link', { contact: 'ada at home', dateOfBirth: '1960-01-10' });
    expect(r.status).toBe(400);
    expect(r.body.error?.fieldErrors?.contact?.[0]).toMatch(/e-mail address or mobile number/);
  });

  it('exchanges a link once for an access token; a second use, expiry and garbage are refused in words', async () => {
    const link = await linkFromMail();
    const first = await http('POST', '/api/patients/access/exchange', { linkToken: link });
    expect(first.status).toBe(200);
    expect(first.body.data.patient).toEqual({ givenName: 'Ada' });
    const me = await http('GET', '/api/patients/me', undefined, first.body.data.accessToken);
    expect(me.body.data).toMatchObject({ givenName: 'Ada', familyName: 'Booker0', dateOfBirth: '1960-01-10', email: 'ada@example.test', medicalHistoryComplete: false });

    const again = await http('POST', '/api/patients/access/exchange', { linkToken: link });
    expect(again.body.error?.code).toBe('portal/link-used');
    expect(again.body.error?.message).toMatch(/already used.*Ask for a new one/);
    // A link token is never a bearer token.
    const asBearer = await http('GET', '/api/patients/me', undefined, link);
    expect(asBearer.body.error?.code).toBe('auth/patient-token-invalid');

    const late = await linkFromMail();
    clinic.clock.advance({ minutes: 31 });
    const expired = await http('POST', '/api/patients/access/exchange', { linkToken: late });
    expect(expired.body.error?.code).toBe('portal/link-expired');
    expect(expired.body.error?.message).toMatch(/expired/);

    for (const garbage of ['x', 'A'.repeat(32), '\uD800abc', 'a\nb'.repeat(10)]) {
      const r = await http('POST', '/api/patients/access/exchange', { linkToken: garbage });
      expect(r.body.ok).toBe(false);
      expect(r.body.error?.message.length).toBeGreaterThan(10);
    }
  });

  it('sends a text link by phone, not held back by quiet hours (the patient is waiting for it)', async () => {
    const bodies: string[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"hook-1"}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/sms`;
      const settings = emailSettings(mail.port);
      await clinic.ok('admin', 'notifications/save-settings', { settings: { ...settings, sms: { ...settings.sms, enabled: true, provider: 'webhook', webhookUrl: url } } });
      // 23:30 in New York: inside the default quiet hours (21:00–08:00), when reminders and texts wait.
      await clinic.setNow(clinic.at('2026-06-01', '23:30'));
      expect((await http('POST', '/api/patients/sign-in-link', { contact: '(202) 555-0200', dateOfBirth: '1960-01-10' })).body.ok).toBe(true);
      const pass = await clinic.app.notifications.runOnce();
      expect(pass.deferred).toBe(0);
      expect(bodies.length).toBe(1);
      const token = /book#\/signin\/([A-Za-z0-9_-]+)/.exec(bodies[0]!)![1]!;
      expect((await http('POST', '/api/patients/access/exchange', { linkToken: token })).body.data?.patient).toEqual({ givenName: 'Ada' });
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it('confirmation e-mails carry a one-time “manage your booking” link that signs in (7 days)', async () => {
    await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date: '2026-06-03', time: '14:00' });
    await pump(clinic);
    const confirmation = mail.mails.find((m) => /Your appointment at/.test(String(m.parsed.subject)))!;
    const text = String(confirmation.parsed.text);
    expect(text).toMatch(/Manage your booking .*works once, for 7 days/);
    const token = /book#\/signin\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
    expect(String(confirmation.parsed.html)).toContain(`/book#/signin/${token}`);
    clinic.clock.advance({ minutes: 6 * 24 * 60 });
    const signedIn = await http('POST', '/api/patients/access/exchange', { linkToken: token });
    expect(signedIn.body.data?.patient).toEqual({ givenName: 'Ada' });
  });

  it('keeps a confirmation text with its manage link within one SMS segment (en and es)', () => {
    for (const language of ['en', 'es'] as const) {
      const sms = renderMessage(confirmationFacts(language)).sms;
      expect(sms).toContain(`/book#/signin/${'x'.repeat(32)}`);
      expect(fitsOneSegment(sms), sms).toBe(true);
    }
  });

  it('a token the page still keeps (live or dead) does not stand in the way of asking for or exchanging a link', async () => {
    const dead = 'A'.repeat(32);
    expect((await http('POST', '/api/patients/sign-in-link', ada(), dead)).body.ok).toBe(true);
    await clinic.app.notifications.runOnce();
    const token = /book#\/signin\/([A-Za-z0-9_-]+)/.exec(String(mail.mails.at(-1)!.parsed.text))![1]!;
    const withDead = await http('POST', '/api/patients/access/exchange', { linkToken: token }, dead);
    expect(withDead.body.data?.patient).toEqual({ givenName: 'Ada' });
    const next = await linkFromMail();
    const withLive = await http('POST', '/api/patients/access/exchange', { linkToken: next }, withDead.body.data.accessToken);
    expect(withLive.body.data?.patient).toEqual({ givenName: 'Ada' });
  });

  it('sends at most 3 links an hour to one patient, still answering the same', async () => {
    for (let i = 0; i < 5; i++) expect((await http('POST', '/api/patients/sign-in-link', ada())).body.ok).toBe(true);
    await clinic.app.notifications.runOnce();
    expect(mail.mails.length).toBe(3);
  });

  it('slows an address that asks for many links (429, in words)', async () => {
    let limited: Awaited<ReturnType<typeof http>> | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await http('POST', '/api/patients/sign-in-link', { contact: `p${i}@example.test`, dateOfBirth: '1990-01-01' });
      if (r.status === 429) limited = r;
    }
    expect(limited?.body.error?.code).toBe('http/too-many-requests');
    expect(limited?.body.error?.message).toMatch(/Wait \d+ seconds? and try again/);
  });
});
