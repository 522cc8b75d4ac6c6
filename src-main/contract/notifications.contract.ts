import { z } from 'zod';
import { ADMIN_ONLY, ALL_STAFF, defineHandler, emptyInput, id, str } from './common.js';
import { appointmentView } from './booking.contract.js';

/** One line of text for a header or a sender name: no control characters (no line breaks). */
const oneLine = (max: number) =>
  str()
    .trim()
    .max(max, `At most ${max} characters.`)
    .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'Keep this on one line: remove line breaks and tabs.');
const emailOrEmpty = z.union([z.literal(''), z.email('Not a valid e-mail address.').max(254)]);
const httpUrlOrEmpty = oneLine(500).refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), 'Use a web address starting with https://');
const clock = str().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time as HH:mm, e.g. 21:00.');
const offsets = z
  .array(z.number().int('Use whole minutes.').min(15, 'At least 15 minutes before.').max(20_160, 'At most 14 days before.'))
  .max(4, 'At most 4 reminders per channel.');

export const messageLanguages = ['en', 'es'] as const;

/** How the clinic sends messages (stored as one setting, `notifications`). Secrets are not here. */
export const notificationSettings = z.object({
  email: z.object({
    enabled: z.boolean(),
    host: oneLine(253),
    port: z.number().int().min(1, 'A port is 1 to 65535.').max(65_535, 'A port is 1 to 65535.'),
    /** starttls: upgrade on 587/25; tls: implicit TLS on 465; none: plain (loopback relays only). */
    tls: z.enum(['starttls', 'tls', 'none']),
    user: oneLine(254),
    fromAddress: emailOrEmpty,
    fromName: oneLine(100),
    replyTo: emailOrEmpty,
  }),
  sms: z.object({
    enabled: z.boolean(),
    provider: z.enum(['twilio', 'webhook']),
    /** Twilio's API root (https://api.twilio.com); tests point it at a loopback server. */
    baseUrl: httpUrlOrEmpty,
    accountSid: oneLine(64),
    /** The sending number in E.164 (or a Twilio messaging service / alphanumeric sender). */
    from: oneLine(32),
    /** The generic provider: an HTTPS endpoint that gets { to, body, id } as JSON. */
    webhookUrl: httpUrlOrEmpty,
  }),
  /** Minutes before the appointment, per channel. */
  reminders: z.object({ email: offsets, sms: offsets }),
  /** No automatic message goes out between start and end (clinic's zone); reminders wait or are dropped. */
  quietHours: z.object({ enabled: z.boolean(), start: clock, end: clock }),
  clinicPhone: oneLine(40),
  clinicAddress: oneLine(200),
  defaultLanguage: z.enum(messageLanguages),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;

export const defaultNotificationSettings: NotificationSettings = {
  email: { enabled: false, host: '', port: 587, tls: 'starttls', user: '', fromAddress: '', fromName: '', replyTo: '' },
  sms: { enabled: false, provider: 'twilio', baseUrl: 'https://api.twilio.com', accountSid: '', from: '', webhookUrl: '' },
  reminders: { email: [24 * 60, 2 * 60], sms: [24 * 60, 2 * 60] },
  quietHours: { enabled: true, start: '21:00', end: '08:00' },
  clinicPhone: '',
  clinicAddress: '',
  defaultLanguage: 'en',
};

export const messageKinds = ['confirmation', 'reminder', 'reschedule', 'cancellation'] as const;
export const messageChannels = ['email', 'sms'] as const;
export const messageStatuses = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;

export const messageView = z.object({
  id: str(),
  appointmentId: str(),
  patientId: str(),
  patientName: str(),
  kind: z.enum(messageKinds),
  channel: z.enum(messageChannels),
  offsetMinutes: z.number(),
  resend: z.number(),
  status: z.enum(messageStatuses),
  recipient: str(),
  dueAt: str(),
  nextAt: str(),
  sentAt: str().nullable(),
  /** The server's answer id (SMTP queue id / provider message id). */
  providerId: str().nullable(),
  messageId: str(),
  attempts: z.number(),
  reason: str().nullable(),
  appointmentStartAt: str(),
  createdAt: str(),
});
export type MessageView = z.infer<typeof messageView>;

export const notificationsContract = {
  'notifications/get-settings': defineHandler({
    summary: 'How the clinic sends e-mail and SMS, reminders and quiet hours (admin). Passwords are never returned.',
    input: emptyInput,
    output: notificationSettings.extend({
      /** CLINIC_DESK_SMTP_URL is set: it wins over host, port, TLS mode, user and password. */
      smtpFromEnvironment: z.boolean(),
    }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
  }),
  'notifications/save-settings': defineHandler({
    summary: 'Change how the clinic sends messages (admin).',
    input: z.strictObject({ settings: notificationSettings }),
    output: notificationSettings,
    access: { staff: ADMIN_ONLY },
    mutates: true,
  }),
  'notifications/send-test': defineHandler({
    summary: 'Send a test e-mail with the saved settings and report the server’s answer (admin).',
    input: z.strictObject({ to: z.email('Not a valid e-mail address.').max(254) }),
    output: z.object({ ok: z.boolean(), answer: str() }),
    access: { staff: ADMIN_ONLY },
    mutates: false,
    auditRead: true,
  }),
  'notifications/list': defineHandler({
    summary: 'Messages to patients, newest first, with their state and reasons; filters by state, channel, kind, patient or appointment.',
    input: z.strictObject({
      status: z.enum(messageStatuses).optional(),
      channel: z.enum(messageChannels).optional(),
      kind: z.enum(messageKinds).optional(),
      patientId: id.optional(),
      appointmentId: id.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      /** Continue after this message (its created_at and id, from `nextCursor`). */
      cursor: str().max(200).optional(),
    }),
    output: z.object({ items: z.array(messageView), nextCursor: str().nullable() }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'notifications/confirmation': defineHandler({
    summary: 'What the confirmation screen shows: the appointment, where it is, the clinic’s contact, and what was sent by which channel or why not.',
    input: z.strictObject({ appointmentId: id }),
    output: z.object({
      appointment: appointmentView,
      locationAddress: str(),
      clinic: z.object({ name: str(), phone: str(), address: str() }),
      messages: z.array(messageView),
    }),
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'notifications/retry': defineHandler({
    summary: 'Send a failed or skipped message again now (same message, same Message-ID).',
    input: z.strictObject({ messageId: id }),
    output: z.object({ message: messageView }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
  'notifications/resend': defineHandler({
    summary: 'Send the latest confirmation, reschedule or cancellation of an appointment again, as a new message.',
    input: z.strictObject({ appointmentId: id, channel: z.enum(messageChannels).optional() }),
    output: z.object({ messages: z.array(messageView) }),
    access: { staff: ALL_STAFF },
    mutates: true,
  }),
};
