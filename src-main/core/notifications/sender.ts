/**
 * The sender: sends due message rows through the adapters, outside any transaction.
 *
 * 1. Claim (one short transaction): due rows owned by this desk are re-checked against the
 *    appointment as it stands now, the patient's consent and the clinic's quiet hours; each is
 *    skipped (with the reason), deferred, or claimed — status 'sending', attempts + 1.
 * 2. Send (no transaction, no write lock): one adapter call per claimed row.
 * 3. Record (one short transaction per row): sent with the server's id, queued again with
 *    backoff (transient), or failed with the reason.
 *
 * At most once, and the one exception: a crash between the server accepting a message and step
 * 3 leaves the row 'sending'. On the next start (or after the lease) such an e-mail is sent
 * again with the SAME Message-ID (mail clients and servers drop the repeat; the row says so);
 * such an SMS is not sent again (SMS has no Message-ID): it is marked failed "interrupted — may
 * or may not have arrived", and staff decide whether to retry.
 */
import { WakeLoop } from '../util/wake-loop.js';
import { randomUUID } from 'node:crypto';
import type { ChangeNotice } from '../../contract/changes.js';
import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { NotificationSettings } from '../../contract/notifications.contract.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import { createMailTransport, type MailTransport, type SendResult, type SmtpConfig } from '../../adapters/smtp/smtp.adapter.js';
import { sendSms, type SmsConfig } from '../../adapters/sms/sms.adapter.js';
import type { Clock } from '../context.js';
import type { Db, RawDb } from '../db/database.js';
import type { MessageTable } from '../db/schema.js';
import { backoffMs, withImmediateTransaction } from '../db/transaction.js';
import type { ChangeLog } from '../events/change-log.js';
import { readSecret, type SecretSource } from '../secrets/secrets.service.js';
import { doctorName } from '../display-names.js';
import { buildInvite } from './invite.ics.js';
import { deskIdOf, whyNot } from './notifications.consumer.js';
import { readNotificationSettings, SMTP_URL_ENV } from './notification-settings.js';
import { languageOf, renderMessage } from './templates.js';
import { claimLinks, recordLink, recoverLinks, type ClaimedLink } from './sign-in-outbox.js';
import { MANAGE_LINK_LIFETIME_MS, mintLinkToken, signInUrl } from '../portal/sign-in-link.service.js';
import { historyFilledIn } from '../portal/portal-read.service.js';

type Row = Omit<MessageTable, 'version'> & { version: number };

export interface SenderOptions {
  db: Db;
  raw: RawDb;
  clock: Clock;
  secrets: SecretSource;
  clinic: () => ClinicSettings;
  changeLog?: ChangeLog;
  publish?: (notices: readonly ChangeNotice[]) => void;
  random?: () => number;
  log?: (line: string) => void;
  /** Rows claimed per pass (default 50). */
  batchSize?: number;
  /** Attempts before a transiently failing message is given up (default 8). */
  maxAttempts?: number;
  /** Backoff base and cap (default 1 min … 1 h). */
  baseMs?: number;
  maxMs?: number;
  /** A row 'sending' longer than this was interrupted (default 10 min). */
  leaseMs?: number;
  /** SMTP timeouts (default 15 s). */
  smtpTimeoutMs?: number;
  /** The patient page's base address for sign-in and "manage your booking" links (null: none is made). */
  publicBaseUrl?: () => string | null;
}

export interface PassResult {
  sent: number;
  failed: number;
  retrying: number;
  skipped: number;
  deferred: number;
  recovered: number;
}

interface Claimed {
  row: Row;
  email?: Parameters<MailTransport['send']>[0];
  sms?: { to: string; body: string };
}

interface Facts {
  a_status: string;
  start_at: string;
  end_at: string;
  rescheduled_to_id: string | null;
  rescheduled_from_id: string | null;
  given_name: string;
  family_name: string;
  email: string | null;
  phone_e164: string | null;
  consent_email: number;
  consent_sms: number;
  preferred_language: string;
  title: string;
  d_given: string;
  d_family: string;
  location_name: string;
  location_address: string;
  timezone: string;
}

/** Sent e-mails recorded per commit, and the longest a sent one waits for its record. */
const RECORD_EVERY = 5;
const RECORD_MS = 100;

const errorText = (err: unknown): string => (((err as Error)?.message ?? String(err)) || 'failed').slice(0, 500);

/** Minutes of the day of an instant in a zone. */
const minuteOfDay = (at: Date, zone: string): number => {
  const t = DateTime.fromJSDate(at, { zone });
  return t.hour * 60 + t.minute;
};
const parseClock = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** When quiet hours end, if `at` is inside them; else null. */
export function quietUntil(at: Date, zone: string, q: NotificationSettings['quietHours']): Date | null {
  if (!q.enabled || q.start === q.end) return null;
  const m = minuteOfDay(at, zone);
  const start = parseClock(q.start);
  const end = parseClock(q.end);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  let t = DateTime.fromJSDate(at, { zone }).set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (t.toMillis() <= at.getTime()) t = t.plus({ days: 1 });
  return t.toJSDate();
}

export class NotificationSender {
  private recoveredAtStart = false;
  private mail: { key: string; transport: MailTransport } | null = null;
  private readonly random: () => number;
  /** A pass that did anything runs again at once: more may be due. */
  private readonly loop = new WakeLoop(
    async () => {
      const r = await this.runOnce();
      return r.sent + r.failed + r.retrying + r.skipped > 0;
    },
    (err) => this.o.log?.(`sending messages failed: ${errorText(err)}`),
  );

  constructor(private readonly o: SenderOptions) {
    this.random = o.random ?? Math.random;
  }

  start(intervalMs = 2000): void {
    this.loop.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.mail?.transport.close();
    this.mail = null;
  }

  wake(): void {
    this.loop.wake();
  }

  private nowIso(): string {
    return this.o.clock.now().toISOString();
  }

  private async tx<T>(fn: () => T): Promise<T> {
    let notices: ChangeNotice[] = [];
    const out = await withImmediateTransaction(this.o.db, async () => {
      this.o.changeLog?.begin();
      const r = fn();
      notices = this.o.changeLog?.flush({ kind: 'system' }, this.nowIso()) ?? [];
      return r;
    });
    if (notices.length > 0) this.o.publish?.(notices);
    return out;
  }

  private update(id: string, set: Partial<Row>): void {
    const cols = Object.keys(set);
    this.o.raw
      .prepare(`UPDATE message SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
      .run(...cols.map((c) => (set as Record<string, unknown>)[c] ?? null), this.nowIso(), id);
  }

  /** Rows left 'sending' by a crash (all of them at the first pass; later, past the lease). */
  private async recover(deskId: string): Promise<number> {
    const leaseMs = this.o.leaseMs ?? 10 * 60_000;
    const before = this.recoveredAtStart ? new Date(this.o.clock.now().getTime() - leaseMs).toISOString() : '9999';
    this.recoveredAtStart = true;
    return this.tx(() => {
      const rows = this.o.raw
        .prepare("SELECT * FROM message WHERE status = 'sending' AND owner_desk_id = ? AND claimed_at < ?")
        .all(deskId, before) as Row[];
      recoverLinks(this.o.raw, this.o.clock.now(), before);
      for (const r of rows) {
        if (r.channel === 'email') {
          this.update(r.id, { status: 'queued', next_at: this.nowIso(), reason: 'Interrupted while sending: sent again with the same Message-ID (it may arrive twice; mail programs show it once).' });
        } else {
          this.update(r.id, { status: 'failed', reason: 'Interrupted while sending: the text may or may not have arrived, so it was not sent again. Retry if the patient did not get it.' });
        }
      }
      return rows.length;
    });
  }

  private smtpConfig(s: NotificationSettings): Promise<SmtpConfig | null> {
    return smtpConfigOf(this.o.secrets, s, this.o.smtpTimeoutMs);
  }

  private transportFor(config: SmtpConfig): MailTransport {
    const key = JSON.stringify(config);
    if (this.mail?.key !== key) {
      this.mail?.transport.close();
      this.mail = { key, transport: createMailTransport(config) };
    }
    return this.mail.transport;
  }

  private async smsConfig(s: NotificationSettings): Promise<SmsConfig | null> {
    if (!s.sms.enabled) return null;
    const token = await readSecret(this.o.secrets, 'sms.authToken');
    if (s.sms.provider === 'twilio') {
      if (!token || !s.sms.accountSid || !s.sms.from) return null;
      return { provider: 'twilio', baseUrl: s.sms.baseUrl, accountSid: s.sms.accountSid, authToken: token, from: s.sms.from };
    }
    return s.sms.webhookUrl ? { provider: 'webhook', url: s.sms.webhookUrl, token } : null;
  }

  /** One pass: recover interrupted rows, claim what is due, send it, record the answers. */
  async runOnce(): Promise<PassResult> {
    const result: PassResult = { sent: 0, failed: 0, retrying: 0, skipped: 0, deferred: 0, recovered: 0 };
    const deskId = deskIdOf(this.o.raw);
    result.recovered = await this.recover(deskId);
    const settings = readNotificationSettings(this.o.raw);
    const smtp = await this.smtpConfig(settings);
    const sms = await this.smsConfig(settings);
    const links = await this.tx(() =>
      claimLinks(
        this.o.raw,
        { now: this.o.clock.now(), clinic: this.o.clinic(), settings, emailReady: smtp !== null, smsReady: sms !== null, baseUrl: this.o.publicBaseUrl?.() ?? null, limit: this.o.batchSize ?? 50 },
        () => result.skipped++,
      ),
    );
    // Sign-in links first: a patient is waiting for each of them. One record each (few, and urgent).
    for (const c of links) await this.sendLink(c, smtp, sms, result);
    const claimed = await this.tx(() => this.claim(deskId, settings, smtp !== null, sms !== null, result));
    // Answers are recorded in small groups (at most RECORD_EVERY messages or RECORD_MS): one
    // commit per message would cost an fsync each. A crash loses at most the group's records;
    // those rows stay 'sending' and are handled as interrupted (same Message-ID; SMS not resent).
    let pending: Array<{ row: Row; outcome: SendResult }> = [];
    let since = Date.now();
    const flush = async () => {
      if (pending.length === 0) return;
      const group = pending;
      pending = [];
      since = Date.now();
      await this.tx(() => {
        for (const p of group) this.record(p.row, p.outcome, result);
      });
    };
    for (const c of claimed) {
      let outcome: SendResult;
      try {
        if (c.email) outcome = await this.transportFor(smtp!).send(c.email);
        else outcome = await sendSms(sms!, { to: c.sms!.to, body: c.sms!.body, id: c.row.id });
      } catch (err) {
        outcome = { ok: false, transient: true, reason: errorText(err) };
      }
      pending.push({ row: c.row, outcome });
      // SMS has no Message-ID to make a repeat harmless: record each one at once.
      if (c.sms || pending.length >= RECORD_EVERY || Date.now() - since >= RECORD_MS || this.loop.halted) await flush();
    }
    await flush();
    return result;
  }

  private async sendLink(c: ClaimedLink, smtp: SmtpConfig | null, sms: SmsConfig | null, result: PassResult): Promise<void> {
    let outcome: SendResult;
    try {
      if (c.email) outcome = await this.transportFor(smtp!).send(c.email);
      else outcome = await sendSms(sms!, { to: c.sms!.to, body: c.sms!.body, id: c.row.id });
    } catch (err) {
      outcome = { ok: false, transient: true, reason: errorText(err) };
    }
    const done = await this.tx(() => recordLink(this.o.raw, c.row, outcome, { now: this.o.clock.now(), random: this.random, maxAttempts: this.o.maxAttempts ?? 8 }));
    result[done]++;
  }

  private record(row: Row, outcome: SendResult, result: PassResult): void {
    const now = this.nowIso();
    if (outcome.ok) {
      this.update(row.id, { status: 'sent', sent_at: now, provider_id: outcome.providerId || null, reason: row.reason?.startsWith('Interrupted') ? row.reason : null });
      result.sent++;
      return;
    }
    const attempts = row.attempts;
    const nextAt = new Date(this.o.clock.now().getTime() + backoffMs(attempts - 1, this.o.baseMs ?? 60_000, this.o.maxMs ?? 3_600_000, this.random)).toISOString();
    if (!outcome.transient) {
      this.update(row.id, { status: 'failed', reason: outcome.reason });
      result.failed++;
    } else if (attempts >= (this.o.maxAttempts ?? 8)) {
      this.update(row.id, { status: 'failed', reason: `Gave up after ${attempts} attempts. Last answer: ${outcome.reason}` });
      result.failed++;
    } else if (nextAt >= row.expires_at) {
      this.update(row.id, { status: 'failed', reason: `Not sent in time. Last answer: ${outcome.reason}` });
      result.failed++;
    } else {
      this.update(row.id, { status: 'queued', next_at: nextAt, reason: `Will try again: ${outcome.reason}` });
      result.retrying++;
    }
  }

  private claim(deskId: string, settings: NotificationSettings, emailReady: boolean, smsReady: boolean, result: PassResult): Claimed[] {
    const now = this.o.clock.now();
    const nowIso = now.toISOString();
    const clinic = this.o.clinic();
    const rows = this.o.raw
      .prepare("SELECT * FROM message WHERE status = 'queued' AND next_at <= ? AND owner_desk_id = ? ORDER BY next_at, id LIMIT ?")
      .all(nowIso, deskId, this.o.batchSize ?? 50) as Row[];
    const factsOf = this.o.raw.prepare(
      `SELECT a.status AS a_status, a.start_at, a.end_at, a.rescheduled_to_id, a.rescheduled_from_id,
              p.given_name, p.family_name, p.email, p.phone_e164, p.consent_email, p.consent_sms, p.preferred_language,
              d.title, d.given_name AS d_given, d.family_name AS d_family, l.name AS location_name, l.address AS location_address, l.timezone
         FROM appointment a JOIN patient p ON p.id = a.patient_id JOIN doctor d ON d.id = a.doctor_id JOIN location l ON l.id = a.location_id
        WHERE a.id = ?`,
    );
    const smallerDue = this.o.raw
      .prepare("SELECT offset_minutes FROM message WHERE appointment_id = ? AND channel = ? AND kind = 'reminder' AND status = 'queued' AND offset_minutes < ? AND due_at <= ? AND resend = 0 ORDER BY offset_minutes LIMIT 1")
      .pluck();
    const previousStart = this.o.raw.prepare('SELECT start_at FROM appointment WHERE id = ?').pluck();
    const healthOf = this.o.raw.prepare("SELECT data, version FROM patient_section WHERE patient_id = ? AND section = 'medical_history'");
    const out: Claimed[] = [];
    const skip = (r: Row, reason: string) => {
      this.update(r.id, { status: 'skipped', reason });
      result.skipped++;
    };
    for (const r of rows) {
      const f = factsOf.get(r.appointment_id) as Facts | undefined;
      if (!f) {
        skip(r, 'The appointment no longer exists.');
        continue;
      }
      // Re-check: does the appointment still stand as it was when this was decided?
      if (r.kind === 'cancellation') {
        if (f.a_status !== 'cancelled') {
          skip(r, 'The appointment is no longer cancelled.');
          continue;
        }
      } else if (f.a_status === 'cancelled') {
        skip(r, f.rescheduled_to_id ? 'The appointment was moved; the new time has its own messages.' : 'The appointment was cancelled.');
        continue;
      } else if (f.start_at !== r.appointment_start_at) {
        skip(r, 'The appointment’s time changed; the new time has its own messages.');
        continue;
      } else if (f.a_status !== 'booked') {
        skip(r, `The patient is already ${f.a_status.replace('_', ' ')}.`);
        continue;
      }
      if (nowIso >= r.expires_at) {
        skip(r, r.kind === 'reminder' ? `Too late: the reminder was due ${r.due_at.slice(0, 16).replace('T', ' ')} UTC and the desk was not sending then.` : 'Too late: the appointment time has passed.');
        continue;
      }
      if (r.kind === 'reminder') {
        const nearer = smallerDue.get(r.appointment_id, r.channel, r.offset_minutes, nowIso) as number | undefined;
        if (nearer !== undefined) {
          skip(r, `Superseded: the ${nearer >= 60 && nearer % 60 === 0 ? `${nearer / 60}-hour` : `${nearer}-minute`} reminder is due too.`);
          continue;
        }
      }
      const contact = { email: f.email, phone_e164: f.phone_e164, consent_email: f.consent_email, consent_sms: f.consent_sms };
      const why = whyNot(r.channel, settings, contact, r.channel === 'email' && emailReady);
      if (why || (r.channel === 'email' ? !emailReady : !smsReady)) {
        skip(r, why ?? (r.channel === 'email' ? 'E-mail is not set up (Settings → Notifications).' : 'SMS is not set up completely: the provider token is missing (Settings → Notifications).'));
        continue;
      }
      let smsTo: string | null = null;
      if (r.channel === 'sms') {
        const phone = parsePhoneNumberFromString(f.phone_e164!);
        const type = phone?.getType();
        if (!phone || !phone.isValid() || (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')) {
          skip(r, 'The patient’s phone number is not a mobile number (text messages cannot reach it).');
          continue;
        }
        smsTo = phone.number;
      }
      // Quiet hours (clinic's zone): reminders and texts wait until they end, or are dropped.
      if (r.kind === 'reminder' || r.channel === 'sms') {
        const until = quietUntil(now, clinic.timeZone, settings.quietHours);
        if (until) {
          if (until.toISOString() >= r.expires_at) skip(r, 'Quiet hours last until after the last useful time to send it.');
          else {
            this.update(r.id, { next_at: until.toISOString(), reason: `Waiting for quiet hours to end (${settings.quietHours.end}).` });
            result.deferred++;
          }
          continue;
        }
      }
      const language = languageOf(f.preferred_language, settings.defaultLanguage);
      const previous = r.kind === 'reschedule' && f.rescheduled_from_id ? ((previousStart.get(f.rescheduled_from_id) as string | undefined) ?? null) : null;
      // A fresh one-time "manage your booking" link, made now (the row never holds it).
      const base = r.kind === 'confirmation' || r.kind === 'reschedule' ? (this.o.publicBaseUrl?.() ?? null) : null;
      const manageUrl = base ? signInUrl(base, mintLinkToken(this.o.raw, r.patient_id, now, MANAGE_LINK_LIFETIME_MS).token) : null;
      const rendered = renderMessage({
        kind: r.kind,
        language,
        patientGivenName: f.given_name,
        clinicName: clinic.clinicName,
        clinicAddress: settings.clinicAddress,
        clinicPhone: settings.clinicPhone,
        doctorName: doctorName({ title: f.title, given_name: f.d_given, family_name: f.d_family }),
        locationName: f.location_name,
        locationAddress: f.location_address,
        startAt: f.start_at,
        timeZone: f.timezone,
        previousStartAt: previous,
        offsetMinutes: r.offset_minutes,
        manageUrl,
        // The e-mail says the same link leads to the health questions while they are unanswered.
        healthQuestionsOpen: manageUrl !== null && !healthAnswered(healthOf.get(r.patient_id) as { data: string; version: number } | undefined),
      });
      const recipient = r.channel === 'email' ? f.email! : smsTo!;
      this.update(r.id, { status: 'sending', claimed_at: nowIso, recipient, attempts: r.attempts + 1 });
      const claimedRow = { ...r, recipient, attempts: r.attempts + 1 };
      if (r.channel === 'sms') {
        out.push({ row: claimedRow, sms: { to: smsTo!, body: rendered.sms } });
        continue;
      }
      const fromAddress = settings.email.fromAddress;
      const invite = buildInvite({
        uid: `${r.chain_id}@clinic-desk`,
        sequence: r.sequence,
        method: r.kind === 'cancellation' ? 'CANCEL' : 'REQUEST',
        startAt: f.start_at,
        endAt: f.end_at,
        timeZone: f.timezone,
        summary: `${clinic.clinicName}: ${doctorName({ title: f.title, given_name: f.d_given, family_name: f.d_family })}`,
        description: rendered.text.split('\n').slice(2, 8).join('\n'),
        location: [f.location_name, f.location_address].filter(Boolean).join(', '),
        organizer: { name: settings.email.fromName || clinic.clinicName, email: fromAddress },
        attendee: { name: `${f.given_name} ${f.family_name}`, email: f.email! },
        stamp: nowIso,
        alarmMinutes: 60,
      });
      out.push({
        row: claimedRow,
        email: {
          from: { name: settings.email.fromName || clinic.clinicName, address: fromAddress },
          replyTo: settings.email.replyTo || undefined,
          to: { name: `${f.given_name} ${f.family_name}`, address: f.email! },
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: r.message_id,
          invite: { method: r.kind === 'cancellation' ? 'CANCEL' : 'REQUEST', content: invite },
        },
      });
    }
    return out;
  }
}

/** The SMTP server to use: CLINIC_DESK_SMTP_URL when set, else the saved settings with the sealed password. */
export async function smtpConfigOf(src: SecretSource, s: NotificationSettings, timeoutMs?: number): Promise<SmtpConfig | null> {
  const url = src.env?.[SMTP_URL_ENV]?.trim();
  if (url) return { url, pool: true, timeoutMs };
  if (!s.email.enabled || !s.email.host) return null;
  const password = await readSecret(src, 'smtp.password');
  return { host: s.email.host, port: s.email.port, tls: s.email.tls, user: s.email.user, password: password ?? undefined, pool: true, timeoutMs };
}

/** A test e-mail with the saved settings: run as the dispatcher's precheck, so no transaction is open. */
export async function sendTestEmail(src: SecretSource, settings: NotificationSettings, clinicName: string, to: string, timeoutMs = 15_000): Promise<{ ok: boolean; answer: string }> {
  const config = await smtpConfigOf(src, settings, timeoutMs);
  if (!config) return { ok: false, answer: 'E-mail is not set up: enter the server’s host and turn e-mail on, then save.' };
  if (!settings.email.fromAddress) return { ok: false, answer: 'Enter the sender address (From) and save first.' };
  const transport = createMailTransport({ ...config, pool: false });
  try {
    const r = await transport.send({
      from: { name: settings.email.fromName || clinicName, address: settings.email.fromAddress },
      replyTo: settings.email.replyTo || undefined,
      to: { name: '', address: to },
      subject: `${clinicName}: test e-mail from Clinic Desk`,
      text: `This is a test e-mail from Clinic Desk (${clinicName}). If you can read it, e-mail to patients works.\n`,
      html: '<p>This is a test e-mail from Clinic Desk. If you can read it, e-mail to patients works.</p>',
      messageId: `<test-${randomUUID()}@clinic-desk>`,
    });
    return r.ok ? { ok: true, answer: `Sent. The server answered: ${r.answer}` } : { ok: false, answer: r.reason };
  } finally {
    transport.close();
  }
}

/** The patient's health questions count as answered (portal-read.service.ts historyFilledIn). */
const healthAnswered = (row: { data: string; version: number } | undefined): boolean => row !== undefined && historyFilledIn(row);
