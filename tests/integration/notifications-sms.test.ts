import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultNotificationSettings, type NotificationSettings } from '../../src-main/contract/notifications.contract.js';
import { fitsOneSegment, gsmLength } from '../../src-main/core/notifications/templates.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { messages, pump, reachable } from '../helpers/notify.js';

/** A loopback server speaking the part of Twilio's Messages API we use (and a plain webhook). */
class FakeSmsProvider {
  requests: Array<{ path: string; auth: string; body: string; contentType: string }> = [];
  answer: { status: number; body: string } | null = null;
  private server: Server = createServer((req, res) => void this.handle(req, res));
  base = '';

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', body, contentType: req.headers['content-type'] ?? '' });
    const answer = this.answer ?? (req.url?.includes('/Messages.json') ? { status: 201, body: JSON.stringify({ sid: `SM${this.requests.length}`, status: 'queued' }) } : { status: 200, body: JSON.stringify({ id: `hook-${this.requests.length}` }) });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  }
}

let clinic: Clinic;
let provider: FakeSmsProvider;

const smsSettings = (more: Partial<NotificationSettings['sms']> = {}): NotificationSettings => ({
  ...defaultNotificationSettings,
  sms: { enabled: true, provider: 'twilio', baseUrl: provider.base, accountSid: 'AC0123456789', from: '+12025550100', webhookUrl: '', ...more },
  clinicPhone: '+1 202 555 0100',
});

beforeEach(async () => {
  provider = new FakeSmsProvider();
  await provider.start();
  clinic = await openClinic();
  await clinic.ok('admin', 'notifications/save-settings', { settings: smsSettings() });
  await clinic.ok('admin', 'secrets/set', { name: 'sms.authToken', value: 'twilio-token-9876' });
  reachable(clinic, 0, '', { email: 0, sms: 1 });
});

afterEach(async () => {
  await clinic.dispose();
  await provider.stop();
});

const smsRows = (id: string) => messages(clinic, id).filter((m) => m.channel === 'sms');

describe('SMS through Twilio’s Messages API (loopback) and a generic webhook', () => {
  it('posts To/From/Body with basic auth, E.164, in one GSM-7 segment, and records the provider’s id', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    expect(provider.requests).toHaveLength(1);
    const r = provider.requests[0]!;
    expect(r.path).toBe('/2010-04-01/Accounts/AC0123456789/Messages.json');
    expect(r.auth).toBe(`Basic ${Buffer.from('AC0123456789:twilio-token-9876').toString('base64')}`);
    expect(r.contentType).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body);
    expect(form.get('To')).toBe('+12025550200');
    expect(form.get('From')).toBe('+12025550100');
    const body = form.get('Body')!;
    expect(body).toMatch(/^Booking Test Clinic: appointment booked 04\/06 10:00 with Dr Meredith Grey, Main Street\./);
    expect(gsmLength(body)).not.toBeNull();
    expect(fitsOneSegment(body)).toBe(true);
    const row = smsRows(a.id).find((m) => m.kind === 'confirmation')!;
    expect([row.status, row.provider_id, row.recipient]).toEqual(['sent', 'SM1', '+12025550200']);
  });

  it('only mobiles: a landline is skipped with the reason; no consent or no number says so too', async () => {
    clinic.app.raw.prepare("UPDATE patient SET phone_e164 = '+442079460000' WHERE id = ?").run(clinic.patients[0]!.patientId);
    reachable(clinic, 1, '', { email: 0, sms: 0 });
    const landline = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    const noConsent = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-04', time: '11:00' });
    await pump(clinic);
    expect(provider.requests).toHaveLength(0);
    expect(smsRows(landline.id).find((m) => m.kind === 'confirmation')!.reason).toBe('The patient’s phone number is not a mobile number (text messages cannot reach it).');
    expect(smsRows(noConsent.id).find((m) => m.kind === 'confirmation')!.reason).toBe('The patient has not agreed to text messages.');
  });

  it('a long clinic name still fits one segment (shorter wording), and non-GSM letters are transliterated', async () => {
    await clinic.ok('admin', 'settings/update', { clinicName: 'Søndergaard–Łukasiewicz Interdisciplinary Family Health Centre' });
    await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    const body = new URLSearchParams(provider.requests[0]!.body).get('Body')!;
    expect(fitsOneSegment(body)).toBe(true);
    expect(gsmLength(body)).not.toBeNull();
    expect(body).toContain('Søndergaard-Lukasiewicz');
  });

  it('a provider outage (503) is retried; a refusal (400) fails with the provider’s words', async () => {
    provider.answer = { status: 503, body: 'Service Unavailable' };
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    const row = () => smsRows(a.id).find((m) => m.kind === 'confirmation')!;
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/^Will try again: The SMS provider answered 503/);
    provider.answer = { status: 400, body: JSON.stringify({ code: 21211, message: "The 'To' number is not a valid phone number." }) };
    clinic.clock.advance({ minutes: 2 });
    await clinic.app.notifications.runOnce();
    expect(row().status).toBe('failed');
    expect(row().reason).toBe("The SMS provider answered 400 (code 21211): The 'To' number is not a valid phone number.");
  });

  it('an interrupted SMS is not sent again silently: it is marked failed with the reason', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await clinic.app.background.runOnce();
    const row = smsRows(a.id).find((m) => m.kind === 'confirmation')!;
    clinic.app.raw.prepare("UPDATE message SET status = 'sending', claimed_at = ? WHERE id = ?").run(clinic.clock.now().toISOString(), row.id);
    const pass = await clinic.app.notifications.runOnce();
    expect(pass.recovered).toBe(1);
    expect(provider.requests).toHaveLength(0);
    expect(smsRows(a.id).find((m) => m.id === row.id)!.reason).toMatch(/^Interrupted while sending: the text may or may not have arrived/);
  });

  it('the generic webhook gets JSON { to, body, id } with the bearer token', async () => {
    await clinic.ok('admin', 'notifications/save-settings', { settings: smsSettings({ provider: 'webhook', webhookUrl: `${provider.base}/hook` }) });
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    const r = provider.requests[0]!;
    expect(r.path).toBe('/hook');
    expect(r.auth).toBe('Bearer twilio-token-9876');
    const json = JSON.parse(r.body) as { to: string; body: string; id: string };
    const row = smsRows(a.id).find((m) => m.kind === 'confirmation')!;
    expect(json).toEqual({ to: '+12025550200', body: expect.stringMatching(/^Booking Test Clinic: appointment booked/), id: row.id });
    expect(row.provider_id).toBe('hook-1');
  });
});
