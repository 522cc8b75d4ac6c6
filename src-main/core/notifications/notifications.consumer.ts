/**
 * The notifications consumer: reads appointment changes from the change log and decides which
 * messages to send — rows in `message`, written in the runner's transaction together with the
 * consumer's cursor (so a change is decided exactly once, whatever crashes). It never sends:
 * the sender (sender.ts) does, outside any transaction.
 */
import { createHash } from 'node:crypto';
import type { NotificationSettings } from '../../contract/notifications.contract.js';
import type { AppointmentTable, MessageChannel, MessageKind } from '../db/schema.js';
import type { RawDb } from '../db/database.js';
import type { Consumer } from '../events/runner.js';
import { readNotificationSettings } from './notification-settings.js';

export const NOTIFICATIONS_CONSUMER = 'notifications';

/** A reminder is no use this close to the start (catch-up drops it with the reason). */
export const REMINDER_LATEST_MINUTES = 10;

export const channels: readonly MessageChannel[] = ['email', 'sms'];

/** Same inputs, same id on every desk: two desks deciding the same message make one row. */
export function messageRowId(appointmentId: string, kind: MessageKind, channel: MessageChannel, version: number, offset: number, resend: number): string {
  return `msg-${createHash('sha256').update(`${appointmentId}\u0000${kind}\u0000${channel}\u0000${version}\u0000${offset}\u0000${resend}`).digest('hex').slice(0, 32)}`;
}

/** The first appointment of a reschedule chain (the invite's UID) and how many moves came before. */
export function chainOf(raw: RawDb, appointmentId: string): { rootId: string; depth: number } {
  const row = raw
    .prepare(
      `WITH RECURSIVE up(id, from_id, depth) AS (
         SELECT id, rescheduled_from_id, 0 FROM appointment WHERE id = ?
         UNION ALL SELECT a.id, a.rescheduled_from_id, up.depth + 1 FROM appointment a JOIN up ON a.id = up.from_id WHERE up.depth < 1000
       ) SELECT id, depth FROM up ORDER BY depth DESC LIMIT 1`,
    )
    .get(appointmentId) as { id: string; depth: number } | undefined;
  return row ? { rootId: row.id, depth: row.depth } : { rootId: appointmentId, depth: 0 };
}

interface PatientContact {
  email: string | null;
  phone_e164: string | null;
  consent_email: number;
  consent_sms: number;
}

/** Why a channel cannot reach this patient now, in a receptionist's words; null when it can. */
export function whyNot(channel: MessageChannel, s: NotificationSettings, p: PatientContact, smtpFromEnvironment: boolean): string | null {
  if (channel === 'email') {
    if (!smtpFromEnvironment && !(s.email.enabled && s.email.host)) return 'E-mail is not set up (Settings → Notifications).';
    if (!s.email.fromAddress) return 'E-mail has no sender address (Settings → Notifications).';
    if (!p.email) return 'The patient has no e-mail address.';
    if (!p.consent_email) return 'The patient has not agreed to e-mails.';
    return null;
  }
  if (!s.sms.enabled) return 'SMS is not set up (Settings → Notifications).';
  if (s.sms.provider === 'twilio' ? !(s.sms.accountSid && s.sms.from && s.sms.baseUrl) : !s.sms.webhookUrl) return 'SMS is not set up completely (Settings → Notifications).';
  if (!p.phone_e164) return 'The patient has no mobile number.';
  if (!p.consent_sms) return 'The patient has not agreed to text messages.';
  return null;
}

export interface DecideEnv {
  raw: RawDb;
  now: string;
  deskId: string;
  settings: NotificationSettings;
  smtpFromEnvironment: boolean;
}

const addMinutes = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function insert(env: DecideEnv, a: AppointmentTable, m: { kind: MessageKind; channel: MessageChannel; version: number; offset: number; resend: number; sequence: number; dueAt: string; expiresAt: string; status: 'queued' | 'skipped'; reason: string | null; chainId: string }): string {
  const id = messageRowId(a.id, m.kind, m.channel, m.version, m.offset, m.resend);
  env.raw
    .prepare(
      `INSERT OR IGNORE INTO message (id, appointment_id, patient_id, chain_id, kind, channel, appointment_version, offset_minutes, resend, sequence,
         appointment_start_at, due_at, expires_at, status, next_at, message_id, reason, owner_desk_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, a.id, a.patient_id, m.chainId, m.kind, m.channel, m.version, m.offset, m.resend, m.sequence, a.start_at, m.dueAt, m.expiresAt, m.status, m.dueAt, `<${id}@clinic-desk>`, m.reason, env.deskId, env.now, env.now);
  return id;
}

/**
 * Decides the messages of one appointment change. A new booking (or the new appointment of a
 * reschedule) gets its confirmation (or reschedule notice) and its reminders per channel; a
 * cancellation that is not a reschedule gets a cancellation notice. Each is decided at most
 * once per appointment (later changes of the same appointment — a price, a check-in — decide
 * nothing; the sender re-checks the appointment before sending anyway).
 */
export function decideFor(env: DecideEnv, a: AppointmentTable, version: number, resend = 0, only?: MessageChannel): string[] {
  const has = env.raw.prepare('SELECT 1 FROM message WHERE appointment_id = ? AND kind = ? AND resend = 0 LIMIT 1').pluck();
  const patient = env.raw.prepare('SELECT email, phone_e164, consent_email, consent_sms FROM patient WHERE id = ?').get(a.patient_id) as PatientContact | undefined;
  if (!patient) return [];
  const ids: string[] = [];
  const future = a.start_at > env.now;
  if (a.status === 'booked') {
    const kind: MessageKind = a.rescheduled_from_id ? 'reschedule' : 'confirmation';
    if (resend === 0 && (has.get(a.id, kind) || !future)) return [];
    const { rootId, depth } = chainOf(env.raw, a.id);
    for (const channel of channels) {
      if (only && channel !== only) continue;
      const why = whyNot(channel, env.settings, patient, env.smtpFromEnvironment);
      const base = { version, resend, chainId: rootId, channel, sequence: depth };
      ids.push(insert(env, a, { ...base, kind, offset: 0, dueAt: env.now, expiresAt: a.start_at, status: why ? 'skipped' : 'queued', reason: why }));
      if (why || resend > 0) continue;
      for (const offset of env.settings.reminders[channel]) {
        const dueAt = addMinutes(a.start_at, -offset);
        if (dueAt <= env.now) continue; // booked closer than this reminder: the confirmation says it all
        ids.push(insert(env, a, { ...base, kind: 'reminder', offset, dueAt, expiresAt: addMinutes(a.start_at, -Math.min(REMINDER_LATEST_MINUTES, offset)), status: 'queued', reason: null }));
      }
    }
  } else if (a.status === 'cancelled' && !a.rescheduled_to_id) {
    if (resend === 0 && (has.get(a.id, 'cancellation') || !future)) return [];
    const { rootId, depth } = chainOf(env.raw, a.id);
    for (const channel of channels) {
      if (only && channel !== only) continue;
      const why = whyNot(channel, env.settings, patient, env.smtpFromEnvironment);
      ids.push(insert(env, a, { kind: 'cancellation', channel, version, offset: 0, resend, sequence: depth + 1, chainId: rootId, dueAt: env.now, expiresAt: a.start_at, status: why ? 'skipped' : 'queued', reason: why }));
    }
  }
  return ids;
}

export const deskIdOf = (raw: RawDb): string => (raw.prepare('SELECT id FROM desk LIMIT 1').pluck().get() as string | undefined) ?? 'local';

/**
 * Whether CLINIC_DESK_SMTP_URL is set for the app that owns this connection (the consumer is
 * one module constant shared by every app in the process, so the app tells it per connection).
 */
const smtpFromEnvironmentOf = new WeakMap<RawDb, boolean>();
export const setSmtpFromEnvironment = (raw: RawDb, present: boolean): void => {
  smtpFromEnvironmentOf.set(raw, present);
};

export const notificationsConsumer: Consumer = {
  name: NOTIFICATIONS_CONSUMER,
  summary: 'Decides the confirmations, reminders, reschedule and cancellation messages of appointment changes.',
  batchSize: 500,
  handle(events, tx) {
    const appointmentEvents = events.filter((e) => e.entity === 'appointment' && e.op === 'upsert');
    if (appointmentEvents.length === 0) return;
    const deskId = deskIdOf(tx.raw);
    const env: DecideEnv = { raw: tx.raw, now: tx.now.toISOString(), deskId, settings: readNotificationSettings(tx.raw), smtpFromEnvironment: smtpFromEnvironmentOf.get(tx.raw) ?? false };
    for (const e of appointmentEvents) {
      // The desk where the change was made decides and sends (see README, "Who sends").
      if (e.desk_id !== deskId) continue;
      const a = JSON.parse(e.record) as AppointmentTable;
      // Seeded or imported appointments (the demo clinic) are not news to anyone: no messages at creation.
      if (a.created_by_kind === 'system' && e.version === 1) continue;
      decideFor(env, a, e.version);
    }
  },
};
