import { defaultNotificationSettings, notificationSettings, type NotificationSettings } from '../../contract/notifications.contract.js';
import type { Db, RawDb } from '../db/database.js';

/** The one setting row that holds how messages are sent (not a ClinicSettings key). */
export const NOTIFICATION_SETTINGS_KEY = 'notifications';

/** Environment variable that gives the whole SMTP server (web mode, the server); wins over the fields. */
export const SMTP_URL_ENV = 'CLINIC_DESK_SMTP_URL';

/**
 * The stored notification settings over the defaults, part by part: a part that does not
 * parse falls back to its default (one bad part never turns e-mail off silently… it is
 * reported by the settings screen when saved again).
 */
export function readNotificationSettings(raw: RawDb): NotificationSettings {
  return parseNotificationSettings(raw.prepare('SELECT value FROM setting WHERE key = ?').pluck().get(NOTIFICATION_SETTINGS_KEY) as string | undefined);
}

export async function loadNotificationSettings(db: Db): Promise<NotificationSettings> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', NOTIFICATION_SETTINGS_KEY).executeTakeFirst();
  return parseNotificationSettings(row?.value);
}

export function parseNotificationSettings(value: string | undefined): NotificationSettings {
  if (!value) return defaultNotificationSettings;
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return defaultNotificationSettings;
  }
  const whole = notificationSettings.safeParse(stored);
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = { ...defaultNotificationSettings };
  for (const [key, rule] of Object.entries(notificationSettings.shape)) {
    const part = (rule as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(stored[key]);
    if (part.success) out[key] = part.data;
  }
  return out as NotificationSettings;
}
