import type { MessageView } from '../../../src-main/contract/index.js';

export const kindLabel: Record<MessageView['kind'], string> = {
  confirmation: 'Confirmation',
  reminder: 'Reminder',
  reschedule: 'New time',
  cancellation: 'Cancellation',
};

export const channelLabel: Record<MessageView['channel'], string> = { email: 'E-mail', sms: 'SMS' };

export const statusColor: Record<MessageView['status'], 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'info',
  sending: 'info',
  sent: 'success',
  failed: 'error',
  skipped: 'warning',
};

export function offsetLabel(minutes: number): string {
  if (minutes === 0) return '';
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'} before`;
  if (minutes % 60 === 0) return `${minutes / 60} h before`;
  return `${minutes} min before`;
}

export const describe = (m: MessageView): string => [kindLabel[m.kind], offsetLabel(m.offsetMinutes), m.resend > 0 ? `(sent again #${m.resend})` : ''].filter(Boolean).join(' ');

/** "3 Jun 14:05" in the clinic's zone. */
export function when(iso: string | null, zone: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
}
