import { afterEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { deadPort, MailServer, type ReceivedMail } from '../helpers/mail-server.js';
import { emailSettings, messages, pump, reachable } from '../helpers/notify.js';
import { openTestApp } from '../helpers/test-app.js';
import { FakeClock } from '../helpers/fake-clock.js';

let clinic: Clinic | null = null;
const servers: MailServer[] = [];

afterEach(async () => {
  await clinic?.dispose();
  clinic = null;
  for (const s of servers.splice(0)) await s.stop();
});

async function server(port = 0): Promise<MailServer> {
  const s = new MailServer();
  await s.start(port);
  servers.push(s);
  return s;
}

async function setup(port: number) {
  clinic = await openClinic();
  await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(port) });
  reachable(clinic, 0, 'ada@example.test', { email: 1, sms: 0 });
  return clinic;
}

/** The invite as the mail carries it (the text/calendar alternative), parsed by ical.js. */
function invite(mail: ReceivedMail) {
  const cal = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.contentType.startsWith('application/ics'));
  const text = cal ? cal.content.toString('utf8') : '';
  const comp = new ICAL.Component(ICAL.parse(text));
  const ev = comp.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(ev);
  return { text, comp, ev, event };
}

describe('e-mail through a real SMTP server on loopback', () => {
  it('sends HTML and text with the clinic’s name, address and phone, no clinical details, and an invite with TZID across a DST change', async () => {
    const smtp = await server();
    const c = await setup(smtp.port);
    // Saturday 31 October and Monday 2 November 2026: New York leaves daylight time on 1 November.
    const before = await c.book('deskA', { doctorId: IDS.grey, date: '2026-10-30', time: '10:00' });
    const after = await c.book('deskA', { doctorId: IDS.grey, date: '2026-11-02', time: '10:00' });
    await pump(c);
    expect(smtp.mails).toHaveLength(2);
    for (const [appt, utc] of [
      [before, '2026-10-30T14:00:00.000Z'],
      [after, '2026-11-02T15:00:00.000Z'],
    ] as const) {
      const messageId = messages(c, appt.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!.message_id;
      const mail = smtp.mails.find((m) => m.parsed.messageId === messageId)!;
      expect(mail).toBeTruthy();
      expect(mail.parsed.from?.value[0]).toEqual({ name: 'Booking Test Clinic', address: 'desk@clinic.test' });
      expect(mail.parsed.replyTo?.value[0]?.address).toBe('front@clinic.test');
      expect(mail.parsed.text).toContain('1 Main St, Springfield');
      expect(mail.parsed.text).toContain('+1 202 555 0100');
      expect(mail.parsed.text).toContain('Dr Meredith Grey');
      expect(mail.parsed.html).toContain('<strong>Booking Test Clinic</strong>');
      expect(`${mail.parsed.text}${mail.parsed.html}`).not.toMatch(/General consultation|requirement/i);
      const { text, comp, ev, event } = invite(mail);
      expect(comp.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(text).toMatch(/DTSTART;TZID=America\/New_York:202610(30|02)T100000|DTSTART;TZID=America\/New_York:20261102T100000/);
      expect(ev.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('America/New_York');
      expect(comp.getFirstSubcomponent('vtimezone')).toBeTruthy();
      // ical.js resolves the wall time through the VTIMEZONE: the right instant on both sides of the change.
      const zone = new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!);
      const start = event.startDate;
      start.zone = zone;
      expect(start.toJSDate().toISOString()).toBe(utc);
      expect(event.uid).toBe(`${appt.id}@clinic-desk`);
      expect(event.location).toBe('Main Street, 1 Main St');
      expect(ev.getFirstSubcomponent('valarm')).toBeTruthy();
    }
  });

  it('no header or calendar property can be injected through names, addresses or the clinic’s texts', async () => {
    const smtp = await server();
    const c = await setup(smtp.port);
    const hostile = 'Ada\r\nBcc: victim@evil.test\r\nX-Evil: 1;:';
    c.app.raw.prepare('UPDATE patient SET given_name = ?, family_name = ? WHERE id = ?').run(hostile, 'Booker;ATTENDEE:mailto:evil@evil.test', c.patients[0]!.patientId);
    c.app.raw.prepare('UPDATE location SET name = ?, address = ? WHERE id = ?').run('Main\r\nEND:VEVENT\r\nBEGIN:VEVENT', '1 Main St;\nX-INJECTED:yes,:', IDS.main);
    await c.ok('admin', 'notifications/save-settings', { settings: emailSettings(smtp.port, { clinicAddress: 'Road 1; Suite: 2' }) });
    await c.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(c);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.envelopeTo).toEqual(['ada@example.test']);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-evil')).toBe(false);
    const headerBlock = mail.raw.split(/\r?\n\r?\n/)[0]!;
    expect(headerBlock).not.toMatch(/^Bcc:|^X-Evil:/im);
    const { text, comp } = invite(mail);
    expect(comp.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(text).not.toMatch(/^X-INJECTED/m);
    expect(text.match(/^ATTENDEE/gm)).toHaveLength(1);
    expect(text).not.toMatch(/^END:VEVENT\r?\n BEGIN/m);
    const ev = comp.getFirstSubcomponent('vevent')!;
    expect(String(ev.getFirstPropertyValue('location'))).toBe('Main\nEND:VEVENT\nBEGIN:VEVENT, 1 Main St;\nX-INJECTED:yes,:');
  });

  it('a dead SMTP server loses nothing: the message waits with the reason and goes out when the server is back', async () => {
    const port = await deadPort();
    const c = await setup(port);
    const a = await c.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    const first = await pump(c);
    expect(first.retrying).toBe(1);
    let row = messages(c, a.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!;
    expect(row.status).toBe('queued');
    expect(row.attempts).toBe(1);
    expect(row.reason).toMatch(/^Will try again: The mail server could not be reached/);
    expect(row.next_at > c.clock.now().toISOString()).toBe(true);
    const smtp = await server(port);
    await c.app.notifications.runOnce(); // not yet: backoff
    expect(smtp.mails).toHaveLength(0);
    c.clock.advance({ minutes: 2 });
    await c.app.notifications.runOnce();
    expect(smtp.mails).toHaveLength(1);
    row = messages(c, a.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!;
    expect([row.status, row.attempts, row.reason]).toEqual(['sent', 2, null]);
  });

  it('greylisting (4xx) is retried; a rejection (5xx) fails with the server’s answer', async () => {
    const smtp = await server();
    const c = await setup(smtp.port);
    smtp.mode = 'greylist';
    const a = await c.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(c);
    const row = () => messages(c, a.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!;
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/451/);
    smtp.mode = 'reject';
    c.clock.advance({ minutes: 2 });
    await c.app.notifications.runOnce();
    expect(row().status).toBe('failed');
    expect(row().reason).toMatch(/550/);
    // Staff retry it once the address is fixed.
    smtp.mode = 'accept';
    await c.relogin();
    const retried = await c.ok('deskA', 'notifications/retry', { messageId: row().id });
    expect(retried.message.status).toBe('queued');
    await c.app.notifications.runOnce();
    expect(row().status).toBe('sent');
    expect(smtp.mails).toHaveLength(1);
  });

  it('an interrupted send is repeated once with the same Message-ID, and the row says so', async () => {
    const smtp = await server();
    const c = await setup(smtp.port);
    const a = await c.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(c);
    const row = messages(c, a.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!;
    // As if the desk died after the server accepted it and before the row was recorded.
    c.app.raw.prepare("UPDATE message SET status = 'sending', sent_at = NULL WHERE id = ?").run(row.id);
    const dataDir = c.app.dataDir;
    await c.app.close();
    const reopened = await openTestApp({ clock: new FakeClock(c.clock.now().toISOString()), dataDir });
    try {
      const pass = await reopened.notifications.runOnce();
      expect(pass.recovered).toBe(1);
      expect(smtp.mails).toHaveLength(2);
      expect(smtp.mails[1]!.parsed.messageId).toBe(smtp.mails[0]!.parsed.messageId);
      const after = reopened.raw.prepare('SELECT status, reason FROM message WHERE id = ?').get(row.id) as { status: string; reason: string };
      expect(after.status).toBe('sent');
      expect(after.reason).toMatch(/same Message-ID/);
    } finally {
      await reopened.dispose();
      clinic = null;
    }
  });

  it('messages go out in the patient’s language when the clinic has it (Spanish), else the default', async () => {
    const smtp = await server();
    const c = await setup(smtp.port);
    c.app.raw.prepare("UPDATE patient SET preferred_language = 'es-MX' WHERE id = ?").run(c.patients[0]!.patientId);
    reachable(c, 1, 'boris@example.test', { email: 1, sms: 0 });
    c.app.raw.prepare("UPDATE patient SET preferred_language = 'de' WHERE id = ?").run(c.patients[1]!.patientId);
    await c.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await c.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-04', time: '11:00' });
    await pump(c);
    const subjects = smtp.mails.map((m) => m.parsed.subject!).sort();
    expect(subjects).toEqual([
      expect.stringMatching(/^Su cita en Booking Test Clinic el jueves, 4 de junio de 2026 a las 10:00/),
      expect.stringMatching(/^Your appointment at Booking Test Clinic on Thursday, June 4, 2026 at 11:00/),
    ]);
  });

  it('CLINIC_DESK_SMTP_URL wins over the settings; “send a test e-mail” reports the server’s answer without holding the write lock', async () => {
    const smtp = await server();
    const dead = await deadPort();
    const c = await openClinic();
    clinic = c;
    await c.ok('admin', 'notifications/save-settings', { settings: emailSettings(dead) });
    const refused = await c.ok('admin', 'notifications/send-test', { to: 'me@clinic.test' });
    expect(refused.ok).toBe(false);
    expect(refused.answer).toMatch(/could not be reached/);
    await c.ok('admin', 'notifications/save-settings', { settings: emailSettings(smtp.port) });
    const ok = await c.ok('admin', 'notifications/send-test', { to: 'me@clinic.test' });
    expect(ok).toEqual({ ok: true, answer: 'Sent. The server answered: 250 Ok: queued as Q1' });
    expect(smtp.mails[0]!.parsed.subject).toBe('Booking Test Clinic: test e-mail from Clinic Desk');
    const audit = c.app.raw.prepare("SELECT detail FROM audit_log WHERE handler = 'notifications/send-test' ORDER BY seq").pluck().all();
    expect(audit).toEqual(['test e-mail not accepted', 'test e-mail accepted']);
    // The environment's server wins (web mode, the server).
    const other = await server();
    const envApp = await openTestApp({ env: { CLINIC_DESK_SMTP_URL: `smtp://127.0.0.1:${other.port}?tls=none` } });
    try {
      envApp.raw.prepare("INSERT INTO setting (key, value, updated_at) VALUES ('notifications', ?, '')").run(JSON.stringify(emailSettings(dead)));
      const { sendTestEmail } = await import('../../src-main/core/notifications/sender.js');
      const r = await sendTestEmail(envApp.secrets, emailSettings(dead), 'Env Clinic', 'me@clinic.test');
      expect(r.ok).toBe(true);
      expect(other.mails).toHaveLength(1);
    } finally {
      await envApp.dispose();
    }
  });
});
