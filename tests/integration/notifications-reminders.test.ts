import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { MailServer } from '../helpers/mail-server.js';
import { emailSettings, messages, pump, reachable } from '../helpers/notify.js';

let clinic: Clinic;
let smtp: MailServer;

beforeEach(async () => {
  smtp = new MailServer();
  const port = await smtp.start();
  clinic = await openClinic(); // Monday 1 June 2026, 08:00 New York
  await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(port) });
  reachable(clinic, 0, 'ada@example.test', { email: 1, sms: 0 });
});

afterEach(async () => {
  await clinic.dispose();
  await smtp.stop();
});

const byKind = (rows: ReturnType<typeof messages>) => rows.map((m) => `${m.kind}/${m.channel}/${m.offset_minutes}:${m.status}`);

describe('deciding messages from appointment changes', () => {
  it('a booking decides one confirmation and the reminders per channel, once, even when the events are replayed', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await clinic.app.background.runOnce();
    expect(byKind(messages(clinic, a.id))).toEqual([
      'confirmation/email/0:queued',
      'confirmation/sms/0:skipped',
      'reminder/email/1440:queued',
      'reminder/email/120:queued',
    ]);
    expect(messages(clinic, a.id).find((m) => m.channel === 'sms')!.reason).toMatch(/SMS is not set up/);
    // Replaying the whole change log decides nothing twice (unique per appointment, kind, channel, version).
    clinic.app.raw.prepare("UPDATE consumer_cursor SET last_seq = 0 WHERE consumer = 'notifications'").run();
    await clinic.app.background.runOnce();
    expect(messages(clinic, a.id)).toHaveLength(4);
    // A later change of the same appointment (check-in) decides nothing new.
    const today = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-01', time: '11:00' });
    await clinic.app.background.runOnce();
    expect(byKind(messages(clinic, today.id))).toEqual(['confirmation/email/0:queued', 'confirmation/sms/0:skipped', 'reminder/email/120:queued']); // the 24-hour time has passed
    await clinic.ok('deskA', 'appointment/set-status', { appointmentId: today.id, status: 'checked_in' });
    await clinic.app.background.runOnce();
    expect(messages(clinic, today.id)).toHaveLength(3);
    await clinic.app.notifications.runOnce();
    expect(messages(clinic, today.id)[0]!.reason).toBe('The patient is already checked in.');
  });

  it('sends the confirmation at once and each reminder at its time, never twice', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    const first = await pump(clinic);
    expect(first.sent).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.parsed.subject).toMatch(/^Your appointment at Booking Test Clinic on Thursday, June 4, 2026 at 10:00/);
    // Nothing more is due before 3 June 10:00 (24 h before).
    await clinic.app.notifications.runOnce();
    expect(smtp.mails).toHaveLength(1);
    await clinic.setNow('2026-06-03T14:00:00.000Z'); // 10:00 New York, the day before
    await clinic.app.notifications.runOnce();
    expect(smtp.mails.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Your appointment/), expect.stringMatching(/^Reminder: your appointment/)]);
    await clinic.setNow('2026-06-04T12:00:00.000Z'); // 08:00 New York, 2 h before
    await clinic.app.notifications.runOnce();
    await clinic.app.notifications.runOnce();
    expect(smtp.mails).toHaveLength(3);
    expect(byKind(messages(clinic, a.id)).filter((s) => s.includes('email'))).toEqual(['confirmation/email/0:sent', 'reminder/email/1440:sent', 'reminder/email/120:sent']);
    expect(messages(clinic, a.id).find((m) => m.kind === 'confirmation')!.provider_id).toBe('Q1');
  });

  it('no reminder after a cancellation: the cancellation goes out with METHOD:CANCEL and a higher SEQUENCE', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: a.id, party: 'patient', reason: 'Feeling better' });
    await pump(clinic);
    await clinic.setNow('2026-06-04T12:00:00.000Z');
    await pump(clinic);
    expect(smtp.mails.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Your appointment/), expect.stringMatching(/^Cancelled: your appointment/)]);
    const rows = messages(clinic, a.id).filter((m) => m.kind === 'reminder');
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'The appointment was cancelled.'],
      ['skipped', 'The appointment was cancelled.'],
    ]);
    const [booked, cancelled] = smtp.mails.map((m) => calendarOf(m.raw));
    expect(booked!.method).toBe('REQUEST');
    expect(cancelled!.method).toBe('CANCEL');
    expect(cancelled!.uid).toBe(booked!.uid);
    expect(cancelled!.sequence).toBeGreaterThan(booked!.sequence);
    expect(cancelled!.status).toBe('CANCELLED');
  });

  it('none for the old time after a reschedule: the new time gets its own, under the same UID', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    const moved = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: a.id, startAt: clinic.at('2026-06-05', '14:00') });
    await pump(clinic);
    const again = await clinic.ok('deskA', 'appointment/reschedule', { appointmentId: moved.appointment.id, startAt: clinic.at('2026-06-05', '15:00') });
    await pump(clinic);
    await clinic.setNow('2026-06-04T12:00:00.000Z'); // old 2-hour reminder time
    await pump(clinic);
    expect(messages(clinic, a.id).filter((m) => m.kind === 'reminder').map((m) => m.reason)).toEqual([
      'The appointment was moved; the new time has its own messages.',
      'The appointment was moved; the new time has its own messages.',
    ]);
    const subjects = smtp.mails.map((m) => m.parsed.subject);
    expect(subjects).toEqual([
      expect.stringMatching(/^Your appointment at .* June 4/),
      expect.stringMatching(/has moved to Friday, June 5, 2026 at 2:00/),
      expect.stringMatching(/has moved to Friday, June 5, 2026 at 3:00/),
    ]);
    const cals = smtp.mails.map((m) => calendarOf(m.raw));
    expect(new Set(cals.map((c) => c.uid)).size).toBe(1);
    expect(cals.map((c) => c.sequence)).toEqual([0, 1, 2]);
    expect(cals.map((c) => c.method)).toEqual(['REQUEST', 'REQUEST', 'REQUEST']);
    await clinic.setNow('2026-06-04T19:00:00.000Z'); // 15:00 New York the day before: the new 24-hour reminder
    await pump(clinic);
    expect(smtp.mails.at(-1)!.parsed.subject).toMatch(/^Reminder: .* June 5, 2026 at 3:00/);
    expect(messages(clinic, moved.appointment.id).filter((m) => m.kind === 'reminder').map((m) => m.status)).not.toContain('sent');
    void again;
  });

  it('catches up after the desk was closed: sends what is still useful, drops what is too late with the reason', async () => {
    const a = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
    await pump(clinic);
    // The desk was closed from Monday to Thursday 08:30 (after both reminder times).
    await clinic.setNow('2026-06-04T12:30:00.000Z');
    await pump(clinic);
    const reminders = messages(clinic, a.id).filter((m) => m.kind === 'reminder');
    expect(reminders.map((r) => [r.offset_minutes, r.status])).toEqual([
      [1440, 'skipped'],
      [120, 'sent'],
    ]);
    expect(reminders[0]!.reason).toMatch(/^Superseded: the 2-hour reminder is due too/);
    expect(smtp.mails).toHaveLength(2);
    // Closed until 09:55: the 2-hour reminder of another appointment is too late by then.
    const b = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-04', time: '16:00' });
    await pump(clinic);
    await clinic.setNow('2026-06-04T19:55:00.000Z'); // 15:55, five minutes before
    await pump(clinic);
    const late = messages(clinic, b.id).find((m) => m.kind === 'reminder' && m.offset_minutes === 120)!;
    expect(late.status).toBe('skipped');
    expect(late.reason).toMatch(/^Too late: the reminder was due 2026-06-04 18:00 UTC/);
  });

  it('keeps quiet hours in the clinic’s zone: a reminder due at night waits until they end, a useless one is dropped', async () => {
    // 08:30 appointment: the 24 h reminder is due at 08:30 the day before (fine); the 2 h one at 06:30 (quiet).
    const a = await clinic.book('deskA', { doctorId: IDS.stone, date: '2026-06-05', time: '09:00' });
    await pump(clinic);
    await clinic.setNow('2026-06-05T11:00:00.000Z'); // 07:00 New York: inside 21:00–08:00
    const pass = await pump(clinic);
    expect(pass.deferred).toBe(1);
    const waiting = messages(clinic, a.id).find((m) => m.offset_minutes === 120)!;
    expect(waiting.status).toBe('queued');
    expect(waiting.next_at).toBe('2026-06-05T12:00:00.000Z'); // 08:00 New York
    expect(smtp.mails.map((m) => m.parsed.subject!.slice(0, 8))).toEqual(['Your app']); // the 24 h one was superseded at 07:00
    await clinic.setNow('2026-06-05T12:00:00.000Z');
    await pump(clinic);
    expect(messages(clinic, a.id).find((m) => m.offset_minutes === 120)!.status).toBe('sent');
    // Quiet until 08:50 for an appointment at 09:00: the reminder would be too late, so it is dropped.
    await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(smtp.port, { quietHours: { enabled: true, start: '21:00', end: '08:55' } }) });
    const b = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-08', time: '09:00' });
    await pump(clinic);
    await clinic.setNow('2026-06-08T11:30:00.000Z'); // 07:30
    await pump(clinic);
    const dropped = messages(clinic, b.id).find((m) => m.offset_minutes === 120)!;
    expect([dropped.status, dropped.reason]).toEqual(['skipped', 'Quiet hours last until after the last useful time to send it.']);
  });
});

function calendarOf(raw: string): { method: string; uid: string; sequence: number; status: string; tzid: string | null; start: string } {
  const m = /BEGIN:VCALENDAR[\s\S]*?END:VCALENDAR/.exec(raw.replace(/=\r?\n/g, ''));
  // The invite is also attached (base64): use the text/calendar alternative's decoded form via mailparser when needed.
  const text = m ? m[0] : '';
  const comp = new ICAL.Component(ICAL.parse(text));
  const ev = comp.getFirstSubcomponent('vevent')!;
  const start = ev.getFirstProperty('dtstart')!;
  return {
    method: String(comp.getFirstPropertyValue('method')),
    uid: String(ev.getFirstPropertyValue('uid')),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    status: String(ev.getFirstPropertyValue('status')),
    tzid: (start.getParameter('tzid') as string | undefined) ?? null,
    start: String(start.getFirstValue()),
  };
}
