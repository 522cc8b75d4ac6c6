import type { MessageFacts } from '../../src-main/core/notifications/templates.js';
import type { NotificationSettings } from '../../src-main/contract/notifications.contract.js';
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';
import type { MessageTable } from '../../src-main/core/db/schema.js';
import type { Clinic } from './booking.js';

export function emailSettings(port: number, more: Partial<NotificationSettings> = {}): NotificationSettings {
  return {
    ...defaultNotificationSettings,
    email: { enabled: true, host: '127.0.0.1', port, tls: 'none', user: '', fromAddress: 'desk@clinic.test', fromName: 'Booking Test Clinic', replyTo: 'front@clinic.test' },
    clinicPhone: '+1 202 555 0100',
    clinicAddress: '1 Main St, Springfield',
    ...more,
  };
}

/** Gives a seeded patient an e-mail address and both consents (raw: test setup only). */
export function reachable(clinic: Clinic, index: number, email: string, consent = { email: 1, sms: 1 }): void {
  clinic.app.raw
    .prepare('UPDATE patient SET email = ?, consent_email = ?, consent_sms = ? WHERE id = ?')
    .run(email, consent.email, consent.sms, clinic.patients[index]!.patientId);
}

export function messages(clinic: Clinic, appointmentId?: string): MessageTable[] {
  const sql = appointmentId
    ? 'SELECT * FROM message WHERE appointment_id = ? ORDER BY kind, channel, offset_minutes DESC, resend'
    : 'SELECT * FROM message ORDER BY created_at, kind, channel, offset_minutes DESC, resend';
  return (appointmentId ? clinic.app.raw.prepare(sql).all(appointmentId) : clinic.app.raw.prepare(sql).all()) as MessageTable[];
}

/** Decide (consumer) then send (sender) once. */
export async function pump(clinic: Clinic) {
  await clinic.app.background.runOnce();
  return clinic.app.notifications.runOnce();
}

/** A confirmation for Ada at Riverside with a full-length manage link (template and SMS-length tests). */
export function confirmationFacts(language: 'en' | 'es'): MessageFacts {
  return {
    kind: 'confirmation',
    language,
    patientGivenName: 'Ada',
    clinicName: 'Riverside Family Clinic',
    clinicAddress: '',
    clinicPhone: '+1 202 555 0100',
    doctorName: 'Dr Meredith Grey',
    locationName: 'Main Street',
    locationAddress: '',
    startAt: '2026-06-03T18:00:00.000Z',
    timeZone: 'America/New_York',
    previousStartAt: null,
    offsetMinutes: 0,
    manageUrl: `https://book.riverside-clinic.example/book#/signin/${'x'.repeat(32)}`,
  };
}
