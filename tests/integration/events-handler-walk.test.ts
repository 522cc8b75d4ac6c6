/**
 * Walks EVERY mutating handler of the contract: calls it with valid input in a demo clinic
 * and checks that the change envelopes it wrote name exactly the records whose rows changed
 * in the synced tables. A new mutating handler without a case here fails the walk, and so
 * does one that changes a table placed in neither the synced nor the local list.
 * The same run checks that no network connection is opened while the write lock is held.
 */
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';
import net from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type HandlerName } from '../../src-main/contract/index.js';
import { localTables, syncedTables } from '../../src-main/core/events/registry.js';
import { isWriteLockHeld, withImmediateTransaction } from '../../src-main/core/db/transaction.js';
import type { App } from '../../src-main/app.js';
import { call, callOk, DEMO, demoApp, loginAs, openTestApp, type TestApp } from '../helpers/test-app.js';
import { envelopesAfter, lastEventSeq } from '../helpers/events.js';
import { codeInput } from '../helpers/referrals.js';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';
import { mintLinkToken, LINK_LIFETIME_MS } from '../../src-main/core/portal/sign-in-link.service.js';

/** Handlers that legitimately change no synced record, and why. */
const emitsNothing: Partial<Record<HandlerName, string>> = {
  'auth/login': 'a session is local to this desk; throttling fields are local state',
  'auth/unlock': 'unlocking changes the session only',
  'background/retry': 'consumer state is local to this desk',
  'secrets/set': 'secrets are sealed with this desk’s own key (local, never synced)',
  'patient/rotate-access': 'patient tokens are credentials issued by this desk (local, never synced)',
  'patient/revoke-access': 'patient tokens are credentials issued by this desk (local, never synced)',
  'portal/request-link': 'a sign-in link is this desk’s credential: its outbox row (sign_in_message) is local, like patient_token',
  'portal/exchange-link': 'patient tokens are credentials issued by this desk (local, never synced)',
  'import/start': 'a CSV import being staged is this desk’s working state (import_batch is local)',
  'import/stage': 'staged rows are this desk’s working state (import_row is local); patients are written by import/commit',
};

type Walk = { app: TestApp; admin: string; desk: string; q: <T>(sql: string, ...args: unknown[]) => T };
interface Case {
  /** A fresh, empty database instead of the demo clinic. */
  fresh?: boolean;
  /** Prepares what the call needs (may call other handlers); returns [input, token]. */
  prepare(w: Walk): Promise<[unknown, string | null]>;
  /** The token is a patient's access token, not a staff session. */
  asPatient?: boolean;
  /**
   * After the commit, the Stripe follow-up records what Stripe said in its own transaction
   * (system actor) before the answer is given (portal/pay): its envelopes are its own.
   */
  followUpAfterCommit?: boolean;
}

/** A new staff member for a case to act on (so the shared sessions stay as they are). */
async function newStaff(w: Walk, username: string) {
  const out = await callOk(w.app, 'staff/create', { username, displayName: username, role: 'receptionist', password: 'a-long-password-3' }, w.admin);
  return out.staff.id;
}

/** A patient registered at the desk with a device access token. */
async function patientWithToken(w: Walk, givenName: string) {
  const out = await callOk(
    w.app,
    'patient/register',
    { basic: { givenName, familyName: 'Token', dateOfBirth: '1985-05-06', sex: 'male', phone: '+12025550190' }, overrideDuplicates: true, issueAccessToken: true },
    w.desk,
  );
  return { patientId: out.patientId, token: out.accessToken! };
}

const far = '2027-02-';

async function freeSlot(w: Walk, doctorId?: string) {
  const typeId = w.q<{ id: string }>("SELECT ct.id FROM consultation_type ct WHERE active = 1 AND kind = 'general' LIMIT 1").id;
  const found = await callOk(w.app, 'booking/find-slots', { consultationTypeId: typeId, doctorId, preferredDate: '2026-03-20', days: 30, limit: 5 }, w.desk);
  const slot = found.slots[0]!;
  return { typeId, slot };
}

/** A slot free for a patient (not held by a desk's walk case). */
async function patientFreeSlot(w: Walk, token: string) {
  const typeId = w.q<{ id: string }>("SELECT ct.id FROM consultation_type ct WHERE active = 1 AND kind = 'general' LIMIT 1").id;
  const found = await w.app.dispatch('booking/find-slots', { consultationTypeId: typeId, preferredDate: '2026-03-23', days: 30, limit: 5 }, { patientToken: token });
  if (!found.result.ok) throw new Error(JSON.stringify(found.result));
  const slot = (found.result.data as { slots: Array<{ doctorId: string; startAt: string }> }).slots[0]!;
  return { typeId, slot };
}

async function book(w: Walk) {
  const { typeId, slot } = await freeSlot(w);
  const patientId = w.q<{ id: string }>('SELECT id FROM patient ORDER BY number LIMIT 1 OFFSET 3').id;
  const out = await callOk(w.app, 'booking/create', { patientId, doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt }, w.desk);
  return out.appointment;
}

/** A booked appointment with nothing paid yet (each payment case takes another). */
const unpaidAppointment = (w: Walk) =>
  w.q<{ id: string }>("SELECT id FROM appointment WHERE status = 'booked' AND payment_status = 'unpaid' AND price_minor > 0 ORDER BY start_at DESC LIMIT 1").id;
const patientOf = (w: Walk, offset = 1) => w.q<{ id: string }>('SELECT id FROM patient ORDER BY number LIMIT 1 OFFSET ?', offset).id;

const cases: Record<string, Case> = {
  'setup/initialize': {
    fresh: true,
    prepare: async () => [{ clinicName: 'Walk Clinic', timeZone: 'Europe/Dublin', currency: 'EUR', deskName: 'Front', admin: { username: 'boss', displayName: 'Boss', password: 'a-long-password-1' } }, null],
  },
  'setup/load-demo': { fresh: true, prepare: async () => [{}, null] },
  'auth/login': { prepare: async () => [{ username: DEMO.reception.username, password: DEMO.reception.password }, null] },
  'auth/unlock': {
    prepare: async (w) => {
      const token = await loginAs(w.app, DEMO.reception.username, DEMO.reception.password);
      await callOk(w.app, 'auth/lock', {}, token);
      return [{ password: DEMO.reception.password }, token];
    },
  },
  'staff/create': { prepare: async (w) => [{ username: 'walker', displayName: 'Walker', role: 'receptionist', password: 'a-long-password-2' }, w.admin] },
  'staff/set-role': { prepare: async (w) => [{ staffId: await newStaff(w, 'walk-role'), role: 'admin' }, w.admin] },
  'staff/set-active': { prepare: async (w) => [{ staffId: await newStaff(w, 'walk-off'), active: false }, w.admin] },
  'staff/reset-password': { prepare: async (w) => [{ staffId: await newStaff(w, 'walk-reset'), newPassword: 'another-long-password' }, w.admin] },
  'auth/change-password': {
    prepare: async (w) => {
      await newStaff(w, 'walk-self');
      const token = await loginAs(w.app, 'walk-self', 'a-long-password-3');
      return [{ currentPassword: 'a-long-password-3', newPassword: 'my-own-new-password' }, token];
    },
  },
  'patient/rotate-access': { asPatient: true, prepare: async (w) => [{}, (await patientWithToken(w, 'Rotor')).token] },
  'portal/request-link': {
    prepare: async (w) => {
      await callOk(w.app, 'patient/register', { basic: { givenName: 'Linkie', familyName: 'Walk', dateOfBirth: '1979-03-04', sex: 'female', phone: '+12025550188', email: 'linkie@example.test' }, overrideDuplicates: true }, w.desk);
      return [{ contact: 'linkie@example.test', dateOfBirth: '1979-03-04' }, null];
    },
  },
  'portal/exchange-link': {
    prepare: async (w) => {
      const { patientId } = await patientWithToken(w, 'Exchanger');
      return [{ linkToken: mintLinkToken(w.app.raw, patientId, w.app.clock.now(), LINK_LIFETIME_MS).token }, null];
    },
  },
  'portal/hold': {
    asPatient: true,
    prepare: async (w) => {
      const { token } = await patientWithToken(w, 'Holder');
      const { typeId, slot } = await patientFreeSlot(w, token);
      return [{ doctorId: slot.doctorId, consultationTypeId: typeId, startAt: slot.startAt }, token];
    },
  },
  'portal/update-medical-history': {
    asPatient: true,
    prepare: async (w) => {
      const { token } = await patientWithToken(w, 'Answerer');
      const own = await w.app.dispatch('portal/medical-history', {}, { patientToken: token });
      const version = (own.result as { ok: true; data: { version: number } }).data.version;
      return [{ expectedVersion: version, data: { allergies: [{ substance: 'Penicillin', severity: 'severe' }] } }, token];
    },
  },
  'portal/release-hold': {
    asPatient: true,
    prepare: async (w) => {
      const { token } = await patientWithToken(w, 'Releaser');
      const { typeId, slot } = await patientFreeSlot(w, token);
      const hold = await w.app.dispatch('portal/hold', { doctorId: slot.doctorId, consultationTypeId: typeId, startAt: slot.startAt }, { patientToken: token });
      expect(hold.result.ok).toBe(true);
      return [{}, token];
    },
  },
  'portal/pay': {
    asPatient: true,
    followUpAfterCommit: true,
    prepare: async (w) => {
      const { patientId, token } = await patientWithToken(w, 'Payer');
      const { typeId, slot } = await freeSlot(w);
      const booked = await callOk(w.app, 'booking/create', { patientId, doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt }, w.desk);
      return [{ appointmentId: booked.appointment.id }, token];
    },
  },
  'patient/revoke-access': { prepare: async (w) => [{ patientId: (await patientWithToken(w, 'Revoked')).patientId }, w.desk] },
  'referral/save': { prepare: async (w) => [codeInput({ code: 'WALK-1' }), w.admin] },
  'referral/set-active': {
    prepare: async (w) => {
      const saved = await callOk(w.app, 'referral/save', codeInput({ code: 'WALK-2' }), w.admin);
      return [{ id: saved.code.id, version: saved.code.version, active: false }, w.admin];
    },
  },
  'settings/update': { prepare: async (w) => [{ horizonDays: 91, holdMinutes: 6 }, w.admin] },
  'patient/register': {
    prepare: async (w) => [
      { basic: { givenName: 'Walk', familyName: 'Through', dateOfBirth: '1990-01-02', sex: 'female', phone: '+12025550177' }, emergencyContact: { name: 'Em Contact', relationship: 'Sister', phone: '+12025550178' }, overrideDuplicates: true },
      w.desk,
    ],
  },
  'patient/update-basic': {
    prepare: async (w) => {
      const p = await callOk(w.app, 'patient/get', { patientId: patientOf(w) }, w.desk);
      return [{ patientId: p.id, expectedVersion: p.version, basic: { ...p.basic, givenName: 'Renamed' } }, w.desk];
    },
  },
  'patient/update-medical-history': {
    prepare: async (w) => {
      const p = await callOk(w.app, 'patient/get', { patientId: patientOf(w) }, w.desk);
      return [{ patientId: p.id, expectedVersion: p.medicalHistory.meta?.version ?? 0, data: { allergies: [{ substance: 'Penicillin' }] } }, w.desk];
    },
  },
  'patient/update-emergency-contact': {
    prepare: async (w) => {
      const p = await callOk(w.app, 'patient/get', { patientId: patientOf(w) }, w.desk);
      return [{ patientId: p.id, expectedVersion: p.emergencyContact.meta?.version ?? 0, data: { name: 'New Contact', relationship: 'Friend', phone: '+12025550179' } }, w.desk];
    },
  },
  'patient/symptom-check': {
    prepare: async (w) => [{ patientId: patientOf(w), symptoms: [{ symptomId: 'sore_throat', severity: 'mild', duration: 'days' }], note: 'Walk' }, w.desk],
  },
  'patient/update-insurance': {
    prepare: async (w) => {
      const p = await callOk(w.app, 'patient/get', { patientId: patientOf(w) }, w.desk);
      return [{ patientId: p.id, expectedVersion: p.insurance.meta?.version ?? 0, data: { provider: 'Acme', policyNumber: 'X-1', holderName: 'Someone' } }, w.desk];
    },
  },
  'patient/resolve-duplicate-review': {
    prepare: async (w) => {
      const id = patientOf(w, 2);
      w.app.raw.prepare('UPDATE patient SET duplicate_review = ? WHERE id = ?').run(JSON.stringify([{ id: patientOf(w, 3), reasons: ['same phone'] }]), id);
      return [{ patientId: id }, w.desk];
    },
  },
  'booking/hold': {
    prepare: async (w) => {
      const { typeId, slot } = await freeSlot(w);
      return [{ doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt }, w.desk];
    },
  },
  'booking/release-hold': {
    prepare: async (w) => {
      const { typeId, slot } = await freeSlot(w);
      const hold = await callOk(w.app, 'booking/hold', { doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt }, w.desk);
      return [{ holdId: hold.holdId }, w.desk];
    },
  },
  'booking/create': {
    prepare: async (w) => {
      const { typeId, slot } = await freeSlot(w);
      return [{ patientId: patientOf(w, 4), doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt }, w.desk];
    },
  },
  'appointment/cancel': { prepare: async (w) => [{ appointmentId: (await book(w)).id, party: 'clinic', reason: 'Walk' }, w.desk] },
  'appointment/reschedule': {
    prepare: async (w) => {
      const a = await book(w);
      const { slot } = await freeSlot(w, a.doctorId);
      return [{ appointmentId: a.id, startAt: slot.startAt }, w.desk];
    },
  },
  'appointment/undo': {
    prepare: async (w) => {
      const a = await book(w);
      const out = await callOk(w.app, 'appointment/cancel', { appointmentId: a.id, party: 'clinic', reason: 'Walk' }, w.desk);
      return [{ undoId: out.undo!.id }, w.desk];
    },
  },
  'appointment/set-status': {
    prepare: async (w) => {
      const a = w.q<{ id: string }>("SELECT id FROM appointment WHERE status = 'booked' AND start_at > ? ORDER BY start_at LIMIT 1", w.app.clock.now().toISOString());
      const startMs = Date.parse(w.q<{ start_at: string }>('SELECT start_at FROM appointment WHERE id = ?', a.id).start_at);
      w.app.clock.advance({ ms: startMs - w.app.clock.now().getTime() });
      // Sessions lock after inactivity: sign in again at the new time.
      w.admin = await loginAs(w.app, DEMO.admin.username, DEMO.admin.password);
      w.desk = await loginAs(w.app, DEMO.reception.username, DEMO.reception.password);
      return [{ appointmentId: a.id, status: 'checked_in' }, w.desk];
    },
  },
  'roster/save-location': {
    prepare: async (w) => {
      const l = w.q<{ id: string; name: string; timezone: string }>('SELECT id, name, timezone FROM location LIMIT 1');
      return [{ id: l.id, name: `${l.name} (renamed)`, timeZone: l.timezone, address: '1 Walk Street' }, w.admin];
    },
  },
  'roster/save-specialization': { prepare: async (w) => [{ name: 'Walkology' }, w.admin] },
  'roster/save-doctor': {
    prepare: async (w) => {
      const d = w.q<{ id: string; given_name: string; family_name: string }>('SELECT id, given_name, family_name FROM doctor WHERE active = 1 LIMIT 1');
      const spec = w.q<{ id: string }>('SELECT id FROM specialization WHERE id NOT IN (SELECT specialization_id FROM doctor_specialization WHERE doctor_id = ?) LIMIT 1', d.id);
      const specs = (w.app.raw.prepare('SELECT specialization_id FROM doctor_specialization WHERE doctor_id = ?').pluck().all(d.id) as string[]).concat(spec.id);
      return [{ id: d.id, givenName: d.given_name, familyName: `${d.family_name}-Walk`, specializationIds: specs }, w.admin];
    },
  },
  'roster/save-consultation-type': {
    prepare: async (w) => [{ name: 'Walk check', kind: 'other', durationMinutes: 20, priceMinor: 1000, specializationIds: [w.q<{ id: string }>('SELECT id FROM specialization LIMIT 1').id] }, w.admin],
  },
  'roster/set-weekly-hours': {
    prepare: async (w) => {
      const d = w.q<{ id: string }>('SELECT doctor_id AS id FROM working_hours GROUP BY doctor_id HAVING count(*) > 1 LIMIT 1');
      const rows = w.app.raw.prepare('SELECT location_id, weekday, start_minute, end_minute FROM working_hours WHERE doctor_id = ? ORDER BY weekday, start_minute').all(d.id) as Array<{ location_id: string; weekday: number; start_minute: number; end_minute: number }>;
      const hours = rows.map((r) => ({ locationId: r.location_id, weekday: r.weekday, startMinute: r.start_minute, endMinute: r.end_minute }));
      const used = new Set(hours.map((h) => h.weekday));
      const freeDay = [1, 2, 3, 4, 5, 6, 7].find((d) => !used.has(d)) ?? 7;
      // One interval removed (a tombstone), one added on a free day; the others keep their ids (no envelope).
      hours.shift();
      hours.push({ locationId: hours[0]!.locationId, weekday: freeDay, startMinute: used.has(freeDay) ? 1380 : 600, endMinute: used.has(freeDay) ? 1410 : 660 });
      const affected = await callOk(w.app, 'roster/preview-change', { change: 'weekly-hours', doctorId: d.id, hours }, w.admin);
      return [{ doctorId: d.id, hours, acknowledgeAffected: affected.affected.map((a) => a.id) }, w.admin];
    },
  },
  'roster/add-exception': {
    prepare: async (w) => [{ doctorId: w.q<{ id: string }>('SELECT id FROM doctor WHERE active = 1 LIMIT 1').id, kind: 'time_off', date: `${far}03`, reason: 'Walk' }, w.admin],
  },
  'roster/remove-exception': {
    prepare: async (w) => {
      const doctorId = w.q<{ id: string }>('SELECT id FROM doctor WHERE active = 1 LIMIT 1').id;
      await callOk(w.app, 'roster/add-exception', { doctorId, kind: 'time_off', date: `${far}04`, reason: 'Walk' }, w.admin);
      const ex = w.q<{ id: string }>("SELECT id FROM schedule_exception WHERE date = ? LIMIT 1", `${far}04`);
      return [{ exceptionId: ex.id }, w.admin];
    },
  },
  'assignment/assign': {
    prepare: async (w) => [{ patientId: w.q<{ id: string }>("SELECT id FROM patient WHERE id NOT IN (SELECT patient_id FROM patient_doctor_assignment WHERE ended_at IS NULL AND kind = 'primary') ORDER BY number LIMIT 1 OFFSET 1").id, doctorId: w.q<{ id: string }>('SELECT id FROM doctor WHERE active = 1 LIMIT 1').id, kind: 'primary', reason: 'Walk' }, w.admin],
  },
  'assignment/end': {
    prepare: async (w) => {
      const patientId = w.q<{ id: string }>("SELECT id FROM patient WHERE id NOT IN (SELECT patient_id FROM patient_doctor_assignment WHERE ended_at IS NULL AND kind = 'primary') ORDER BY number LIMIT 1").id;
      await callOk(w.app, 'assignment/assign', { patientId, doctorId: w.q<{ id: string }>('SELECT id FROM doctor WHERE active = 1 LIMIT 1').id, kind: 'primary', reason: 'Walk' }, w.admin);
      const a = w.q<{ id: string }>('SELECT id FROM patient_doctor_assignment WHERE patient_id = ? AND ended_at IS NULL', patientId);
      return [{ assignmentId: a.id, reason: 'Walk over' }, w.admin];
    },
  },
  'desk/rename': { prepare: async (w) => [{ name: 'Reception 2' }, w.admin] },
  'secrets/set': { prepare: async (w) => [{ name: 'stripe.secretKey', value: 'sk_test_walk_4242' }, w.admin] },
  'payment/record': { prepare: async (w) => [{ method: 'cash', appointmentId: unpaidAppointment(w), amountMinor: 100, tenderedMinor: 100, idempotencyKey: 'walk-cash-1' }, w.desk] },
  'payment/settle-insurance': {
    prepare: async (w) => {
      const out = await callOk(w.app, 'payment/record', { method: 'insurance', appointmentId: unpaidAppointment(w), amountMinor: 100, insurer: 'Walk Mutual', reference: 'C-1', idempotencyKey: 'walk-claim-1' }, w.desk);
      return [{ paymentId: out.payment.id, outcome: 'paid' }, w.desk];
    },
  },
  'payment/refund': {
    prepare: async (w) => {
      const out = await callOk(w.app, 'payment/record', { method: 'cash', appointmentId: unpaidAppointment(w), amountMinor: 100, tenderedMinor: 100, idempotencyKey: 'walk-cash-2' }, w.desk);
      return [{ paymentId: out.payment.id, amountMinor: 50, reason: 'Walk', idempotencyKey: 'walk-refund-1' }, w.desk];
    },
  },
  'payment/confirm-refund': {
    prepare: async (w) => {
      const out = await callOk(w.app, 'payment/record', { method: 'card_terminal', appointmentId: unpaidAppointment(w), amountMinor: 100, reference: 'T-1', idempotencyKey: 'walk-card-1' }, w.desk);
      const refund = await callOk(w.app, 'payment/refund', { paymentId: out.payment.id, amountMinor: 100, reason: 'Walk', idempotencyKey: 'walk-refund-2' }, w.desk);
      return [{ refundId: refund.refund.id, reference: 'T-R-1' }, w.desk];
    },
  },
  'payment/resolve-attention': {
    prepare: async (w) => {
      const out = await callOk(w.app, 'payment/record', { method: 'insurance', appointmentId: unpaidAppointment(w), amountMinor: 100, insurer: 'Walk Mutual', reference: 'C-2', idempotencyKey: 'walk-claim-2' }, w.desk);
      await callOk(w.app, 'payment/settle-insurance', { paymentId: out.payment.id, outcome: 'rejected' }, w.desk);
      return [{ attentionId: w.q<{ id: string }>("SELECT id FROM payment_attention WHERE kind = 'insurance-rejected' AND resolved_at IS NULL LIMIT 1").id, resolution: 'Patient paid the rest' }, w.desk];
    },
  },
  'payment/start-stripe': {
    prepare: async (w) => {
      await callOk(w.app, 'secrets/set', { name: 'stripe.secretKey', value: 'sk_test_walk_4242' }, w.admin);
      return [{ method: 'stripe_checkout', appointmentId: unpaidAppointment(w), idempotencyKey: 'walk-stripe-1' }, w.desk];
    },
  },
  'payment/cancel-stripe': {
    prepare: async (w) => {
      await callOk(w.app, 'secrets/set', { name: 'stripe.secretKey', value: 'sk_test_walk_4242' }, w.admin);
      const out = await callOk(w.app, 'payment/start-stripe', { method: 'stripe_checkout', appointmentId: unpaidAppointment(w), idempotencyKey: 'walk-stripe-2' }, w.desk);
      return [{ paymentId: out.payment.id }, w.desk];
    },
  },
  'payment/start-prepaid': {
    prepare: async (w) => {
      await callOk(w.app, 'secrets/set', { name: 'stripe.secretKey', value: 'sk_test_walk_4242' }, w.admin);
      const { typeId, slot } = await freeSlot(w);
      const request = { doctorId: slot.doctorId, locationId: slot.locationId, consultationTypeId: typeId, startAt: slot.startAt };
      const { holdId } = await callOk(w.app, 'booking/hold', request, w.desk);
      return [{ ...request, holdId, patientId: patientOf(w, 2) }, w.desk];
    },
  },
  'ledger/correct': { prepare: async (w) => [{ amountMinor: 100, fromAccount: 'cash', toAccount: 'suspense', memo: 'Walk', idempotencyKey: 'walk-ledger-1' }, w.admin] },
  'notifications/save-settings': {
    prepare: async (w) => [{ settings: { ...defaultNotificationSettings, clinicPhone: '+1 202 555 0100' } }, w.admin],
  },
  'notifications/retry': {
    prepare: async (w) => {
      const a = await book(w);
      await w.app.background.runOnce(); // decides the messages (skipped: e-mail and SMS are not set up)
      return [{ messageId: w.q<{ id: string }>("SELECT id FROM message WHERE appointment_id = ? AND status = 'skipped' LIMIT 1", a.id).id }, w.desk];
    },
  },
  'notifications/resend': {
    prepare: async (w) => {
      const a = await book(w);
      await w.app.background.runOnce();
      return [{ appointmentId: a.id }, w.desk];
    },
  },
  'import/start': { prepare: async (w) => [{ fileName: 'walk.csv', totalRows: 1 }, w.admin] },
  'import/stage': {
    prepare: async (w) => {
      const { batchId } = await callOk(w.app, 'import/start', { fileName: 'walk.csv', totalRows: 1 }, w.admin);
      return [{ batchId, rows: [{ rowNumber: 2, cells: { givenName: 'Walk', familyName: 'Staged', dateOfBirth: '1961-01-02', phone: '+13035550001' } }] }, w.admin];
    },
  },
  'import/commit': {
    prepare: async (w) => {
      const { batchId } = await callOk(w.app, 'import/start', { fileName: 'walk.csv', totalRows: 2 }, w.admin);
      const cells = (givenName: string, phone: string) => ({ givenName, familyName: 'Imported', dateOfBirth: '1962-02-03', phone });
      await callOk(w.app, 'import/stage', { batchId, rows: [{ rowNumber: 2, cells: cells('Walkone', '+13035550002') }, { rowNumber: 3, cells: cells('Zedtwo', '+13035550003') }] }, w.admin);
      return [{ batchId }, w.admin];
    },
  },
  'cashup/close': {
    prepare: async (w) => {
      const day = await callOk(w.app, 'cashup/preview', {}, w.desk);
      return [{ businessDay: day.businessDay, countedCashMinor: Math.max(0, day.totals.cash.expectedMinor), note: 'Walk' }, w.desk];
    },
  },
  'background/retry': {
    prepare: async (w) => {
      const seq = lastEventSeq(w.app);
      w.app.raw
        .prepare("INSERT INTO consumer_item (consumer, event_seq, entity, entity_id, state, attempts, last_error, next_at, updated_at) VALUES ('change-digest', ?, 'patient', 'x', 'parked', 6, 'boom', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
        .run(seq);
      return [{ consumer: 'change-digest', eventSeq: seq }, w.admin];
    },
  },
};

/** Every row of every table, as JSON strings per table. */
function snapshot(app: App): Map<string, Set<string>> {
  const tables = app.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return new Map(tables.map((t) => [t, new Set((app.raw.prepare(`SELECT * FROM "${t}"`).all() as object[]).map((r) => JSON.stringify(r)))]));
}

const childOf = new Map(syncedTables.flatMap((s) => (s.children ?? []).map((c) => [c.table, { parent: s, fk: c.parentKey }] as const)));

/** The records (entity:id) whose rows differ between two snapshots, and tables in neither list. */
function changedRecords(before: Map<string, Set<string>>, after: Map<string, Set<string>>) {
  const records = new Set<string>();
  const unlisted = new Set<string>();
  for (const [table, rows] of after) {
    const old = before.get(table) ?? new Set<string>();
    const changed = [...rows].filter((r) => !old.has(r)).concat([...old].filter((r) => !rows.has(r)));
    if (changed.length === 0) continue;
    const spec = syncedTables.find((s) => s.table === table);
    const child = childOf.get(table);
    if (!spec && !child) {
      if (!(table in localTables)) unlisted.add(table);
      continue;
    }
    for (const json of changed) {
      const row = JSON.parse(json) as Record<string, unknown>;
      if (spec) records.add(`${spec.entity}:${spec.key.map((k) => row[k]).join(':')}`);
      else records.add(`${child!.parent.entity}:${String(row[child!.fk])}`);
    }
  }
  return { records, unlisted };
}

let loopback: Server;
let loopbackUrl: string;
const violations: string[] = [];
const realConnect = net.Socket.prototype.connect;

beforeAll(async () => {
  // Any TCP connection (fetch, nodemailer, an SDK) opened while this process holds the write lock fails the walk.
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    if (isWriteLockHeld()) {
      violations.push(new Error('network call while the write lock is held').stack ?? '');
      throw new Error('network call while the write lock is held');
    }
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  loopback = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  loopbackUrl = `http://127.0.0.1:${(loopback.address() as net.AddressInfo).port}/`;
});

afterAll(async () => {
  net.Socket.prototype.connect = realConnect;
  await new Promise((resolve) => loopback.close(resolve));
});

describe('the no-network-under-the-write-lock guard', () => {
  it('catches a fetch made inside a write transaction, and lets one through after commit', async () => {
    const app = await openTestApp();
    try {
      const before = violations.length;
      await expect(withImmediateTransaction(app.db, async () => (await fetch(loopbackUrl)).text())).rejects.toThrow();
      expect(violations.length).toBe(before + 1);
      violations.length = before;
      expect(await (await fetch(loopbackUrl)).text()).toBe('ok');
    } finally {
      await app.dispose();
    }
  });
});

describe('every mutating handler emits envelopes for exactly what it changed', () => {
  const mutating = (Object.keys(contract) as HandlerName[]).filter((n) => contract[n].mutates);

  it('has a case for every mutating handler (add one for a new handler)', () => {
    expect(mutating.filter((n) => !cases[n]).sort()).toEqual([]);
  });

  let shared: Walk;
  let stripe: FakeStripe;
  beforeAll(async () => {
    // portal/pay makes its page at a (fake) Stripe after commit.
    stripe = await startFakeStripe();
    const app = await demoApp({ env: { CLINIC_DESK_STRIPE_API: stripe.url, STRIPE_SECRET_KEY: stripe.apiKey } });
    const q = <T,>(sql: string, ...args: unknown[]) => app.raw.prepare(sql).get(...args) as T;
    shared = { app, q, admin: await loginAs(app, DEMO.admin.username, DEMO.admin.password), desk: await loginAs(app, DEMO.reception.username, DEMO.reception.password) };
  });
  afterAll(async () => {
    await shared.app.dispose();
    await stripe.close();
  });

  it.each(mutating)('%s', async (name) => {
    const c = cases[name];
    if (!c) throw new Error(`no walk case for ${name}`);
    let w = shared;
    if (c.fresh) {
      const app = await openTestApp();
      w = { app, q: (sql, ...args) => app.raw.prepare(sql).get(...args) as never, admin: '', desk: '' };
    }
    try {
      const [input, token] = await c.prepare(w);
      const seq = lastEventSeq(w.app);
      const before = snapshot(w.app);
      const outcome = c.asPatient ? await w.app.dispatch(name, input, { patientToken: token }) : await call(w.app, name, input, token);
      expect(outcome.result, JSON.stringify(outcome.result)).toMatchObject({ ok: true });
      const { records, unlisted } = changedRecords(before, snapshot(w.app));
      expect([...unlisted], 'tables changed that are neither synced nor listed as local').toEqual([]);
      const envelopes = envelopesAfter(w.app, seq);
      const emitted = envelopes.map((e) => `${e.entity}:${e.entityId}`);
      const own = envelopes.filter((e) => !c.followUpAfterCommit || e.actor.kind !== 'system').map((e) => `${e.entity}:${e.entityId}`);
      expect(new Set(own).size, 'one envelope per record per transaction').toBe(own.length);
      if (c.followUpAfterCommit) emitted.splice(0, emitted.length, ...new Set(emitted));
      expect(emitted.sort()).toEqual([...records].sort());
      if (emitsNothing[name]) expect(emitted).toEqual([]);
      else expect(emitted.length, `${name} changed nothing synced: list it in emitsNothing with a reason, or make it emit`).toBeGreaterThan(0);
      for (const e of envelopes) {
        expect(JSON.stringify(e.record)).not.toMatch(/password_hash|access_token_hash|scrypt/);
        if (e.op === 'delete') expect(e.record).toHaveProperty(syncedTables.find((s) => s.entity === e.entity)!.key[0]!);
      }
      expect(violations).toEqual([]);
    } finally {
      if (c.fresh) await w.app.dispose();
    }
  });
});
