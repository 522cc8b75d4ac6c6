import type { MessageView, NotificationSettings } from '../../contract/notifications.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { DomainError, notFound } from '../errors.js';
import type { MessageChannel, MessageKind, MessageStatus } from '../db/schema.js';
import { loadNotificationSettings, NOTIFICATION_SETTINGS_KEY, SMTP_URL_ENV } from './notification-settings.js';
import { messageRowId } from './notifications.consumer.js';
import { loadAppointment } from '../booking/appointment-view.js';

export async function getNotificationSettings(ctx: Ctx) {
  const settings = await loadNotificationSettings(ctx.db);
  return { ...settings, smtpFromEnvironment: Boolean(ctx.secrets?.env?.[SMTP_URL_ENV]?.trim()) };
}

export async function saveNotificationSettings(ctx: Ctx, input: { settings: NotificationSettings }) {
  const s = input.settings;
  const fieldErrors: Record<string, string[]> = {};
  if (s.email.enabled && !s.email.host) fieldErrors['settings.email.host'] = ['Enter the mail server, e.g. smtp.example.com.'];
  if (s.email.enabled && !s.email.fromAddress) fieldErrors['settings.email.fromAddress'] = ['Enter the address patients see the e-mail from.'];
  if (s.sms.enabled && s.sms.provider === 'twilio' && !s.sms.accountSid) fieldErrors['settings.sms.accountSid'] = ['Enter the Twilio account SID.'];
  if (s.sms.enabled && s.sms.provider === 'twilio' && !s.sms.from) fieldErrors['settings.sms.from'] = ['Enter the number texts are sent from.'];
  if (s.sms.enabled && s.sms.provider === 'webhook' && !/^https:\/\//i.test(s.sms.webhookUrl) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(s.sms.webhookUrl)) {
    fieldErrors['settings.sms.webhookUrl'] = ['Use an https:// address.'];
  }
  if (Object.keys(fieldErrors).length > 0) throw new DomainError('validation/invalid-input', 'Some settings need attention.', { fieldErrors });
  const value = JSON.stringify({ ...s, reminders: { email: [...new Set(s.reminders.email)].sort((a, b) => b - a), sms: [...new Set(s.reminders.sms)].sort((a, b) => b - a) } });
  const at = nowIso(ctx);
  const by = ctx.actor.kind === 'staff' ? ctx.actor.id : null;
  await ctx.db
    .insertInto('setting')
    .values({ key: NOTIFICATION_SETTINGS_KEY, value, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: by }))
    .execute();
  ctx.auditRecord('settings', NOTIFICATION_SETTINGS_KEY);
  return loadNotificationSettings(ctx.db);
}

const listQuery = (ctx: Ctx) =>
  ctx.db
    .selectFrom('message as m')
    .innerJoin('patient as p', 'p.id', 'm.patient_id')
    .select([
      'm.id',
      'm.appointment_id',
      'm.patient_id',
      'p.given_name',
      'p.family_name',
      'm.kind',
      'm.channel',
      'm.offset_minutes',
      'm.resend',
      'm.status',
      'm.recipient',
      'm.due_at',
      'm.next_at',
      'm.sent_at',
      'm.provider_id',
      'm.message_id',
      'm.attempts',
      'm.reason',
      'm.appointment_start_at',
      'm.created_at',
    ]);
type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirstOrThrow']>>;

const toView = (r: ListRow): MessageView => ({
  id: r.id,
  appointmentId: r.appointment_id,
  patientId: r.patient_id,
  patientName: `${r.given_name} ${r.family_name}`,
  kind: r.kind,
  channel: r.channel,
  offsetMinutes: r.offset_minutes,
  resend: r.resend,
  status: r.status,
  recipient: r.recipient,
  dueAt: r.due_at,
  nextAt: r.next_at,
  sentAt: r.sent_at,
  providerId: r.provider_id,
  messageId: r.message_id,
  attempts: r.attempts,
  reason: r.reason,
  appointmentStartAt: r.appointment_start_at,
  createdAt: r.created_at,
});

export async function listMessages(
  ctx: Ctx,
  input: { status?: MessageStatus; channel?: MessageChannel; kind?: MessageKind; patientId?: string; appointmentId?: string; limit: number; cursor?: string },
) {
  let q = listQuery(ctx);
  if (input.status) q = q.where('m.status', '=', input.status);
  if (input.channel) q = q.where('m.channel', '=', input.channel);
  if (input.kind) q = q.where('m.kind', '=', input.kind);
  if (input.patientId) q = q.where('m.patient_id', '=', input.patientId);
  if (input.appointmentId) q = q.where('m.appointment_id', '=', input.appointmentId);
  if (input.cursor) {
    const [at, id] = input.cursor.split('|');
    if (!at || !id) throw new DomainError('validation/invalid-input', 'This list cannot be continued; reload it.', { fieldErrors: { cursor: ['Not a cursor from this list.'] } });
    q = q.where((eb) => eb.or([eb('m.created_at', '<', at), eb.and([eb('m.created_at', '=', at), eb('m.id', '<', id)])]));
  }
  const rows = await q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(input.limit + 1).execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toView), nextCursor: rows.length > input.limit && last ? `${last.created_at}|${last.id}` : null };
}

async function viewOf(ctx: Ctx, id: string): Promise<MessageView> {
  const row = await listQuery(ctx).where('m.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('This message');
  return toView(row);
}

/** Failed or skipped → queued now (same row, same Message-ID). The sender re-checks everything again. */
export async function retryMessage(ctx: Ctx, input: { messageId: string }) {
  const row = await ctx.db.selectFrom('message').select(['status', 'expires_at']).where('id', '=', input.messageId).executeTakeFirst();
  if (!row) throw notFound('This message');
  if (row.status !== 'failed' && row.status !== 'skipped') {
    throw new DomainError('notifications/not-retryable', row.status === 'sent' ? 'This message was sent already. Use “Send again” on the appointment for a new copy.' : 'This message is still waiting to be sent.');
  }
  const at = nowIso(ctx);
  if (row.expires_at <= at) throw new DomainError('notifications/too-late', 'Too late to send this message: the appointment time has passed or is too close.');
  await ctx.db
    .updateTable('message')
    .set({ status: 'queued', next_at: at, attempts: 0, reason: 'Retry asked by staff.', updated_at: at })
    .where('id', '=', input.messageId)
    .where('status', 'in', ['failed', 'skipped'])
    .execute();
  ctx.auditRecord('message', input.messageId, 'retry');
  return { message: await viewOf(ctx, input.messageId) };
}

/** A new copy of the appointment's latest confirmation / reschedule / cancellation notice, per channel. */
export async function resendMessages(ctx: Ctx, input: { appointmentId: string; channel?: MessageChannel }) {
  const appointment = await ctx.db.selectFrom('appointment').select(['id', 'status', 'start_at']).where('id', '=', input.appointmentId).executeTakeFirst();
  if (!appointment) throw notFound('This appointment');
  const at = nowIso(ctx);
  if (appointment.start_at <= at) throw new DomainError('notifications/too-late', 'The appointment time has passed; nothing was sent again.');
  const kinds: MessageKind[] = appointment.status === 'cancelled' ? ['cancellation'] : ['confirmation', 'reschedule'];
  let originals = await ctx.db
    .selectFrom('message')
    .selectAll()
    .where('appointment_id', '=', input.appointmentId)
    .where('kind', 'in', kinds)
    .where('resend', '=', 0)
    .execute();
  if (input.channel) originals = originals.filter((o) => o.channel === input.channel);
  if (originals.length === 0) {
    throw new DomainError('notifications/nothing-to-resend', 'No message was decided for this appointment yet (it may still be on its way, or the appointment was booked before messages were set up).');
  }
  const ids: string[] = [];
  for (const o of originals) {
    const next = ((await ctx.db.selectFrom('message').select((eb) => eb.fn.max('resend').as('n')).where('appointment_id', '=', o.appointment_id).where('kind', '=', o.kind).where('channel', '=', o.channel).executeTakeFirst())?.n ?? 0) + 1;
    const id = messageRowId(o.appointment_id, o.kind, o.channel, o.appointment_version, 0, next);
    await ctx.db
      .insertInto('message')
      .values({
        ...o,
        id,
        resend: next,
        status: 'queued',
        recipient: '',
        attempts: 0,
        due_at: at,
        next_at: at,
        claimed_at: null,
        sent_at: null,
        provider_id: null,
        message_id: `<${id}@clinic-desk>`,
        reason: 'Sent again by staff.',
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .execute();
    ids.push(id);
  }
  ctx.auditRecord('appointment', input.appointmentId, `messages sent again: ${originals.map((o) => o.channel).join(', ')}`);
  const messages = [];
  for (const id of ids) messages.push(await viewOf(ctx, id));
  return { messages };
}

/** The confirmation screen: the appointment, the location's address, the clinic's contact and the messages. */
export async function confirmationOf(ctx: Ctx, input: { appointmentId: string }) {
  const appointment = await loadAppointment(ctx.db, input.appointmentId);
  const location = await ctx.db.selectFrom('location').select('address').where('id', '=', appointment.locationId).executeTakeFirst();
  const settings = await loadNotificationSettings(ctx.db);
  const { items } = await listMessages(ctx, { appointmentId: input.appointmentId, limit: 100 });
  return {
    appointment,
    locationAddress: location?.address ?? '',
    clinic: { name: ctx.settings.clinicName, phone: settings.clinicPhone, address: settings.clinicAddress },
    messages: items,
  };
}
