/**
 * One-time sign-in links (issue 14 item 2): a returning patient signs in on the patient page
 * without a password.
 *
 * - `portal/request-link`: e-mail address or phone, and date of birth. The answer is ALWAYS
 *   the same, whether none, one or several patients match: nobody learns who is registered.
 *   When exactly one matches, a `sign_in_message` row is queued; the notification sender mints
 *   the link's token (a `patient_token` of kind 'sign_in_link', 30 minutes) when it sends, so
 *   the link is never stored in clear. A patient gets at most LINKS_PER_HOUR links an hour
 *   (more requests are answered the same and send nothing).
 * - `portal/exchange-link`: the token from the link, once, for a device token (30 days).
 *
 * Confirmation and reschedule messages carry a "manage your booking" link of the same kind,
 * minted when they are sent (7 days; see sender.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { normalizePhone } from '../../contract/phone.js';
import { sha256Hex } from '../util/hash.js';
import { nowIso, type Ctx } from '../context.js';
import type { RawDb } from '../db/database.js';
import { DomainError } from '../errors.js';
import { issueDeviceToken } from '../patients/patient-token.service.js';

/** How long a link asked for on the page works. */
export const SIGN_IN_LINK_MINUTES = 30;
/** How long the "manage your booking" link of a confirmation works. */
export const MANAGE_LINK_DAYS = 7;
/** Links sent to one patient per hour at most, however often they are asked for. */
export const LINKS_PER_HOUR = 3;

const MINUTE = 60_000;

export const LINK_SENT_MESSAGE =
  'If these details match a patient of the clinic, a sign-in link is on its way to that e-mail address or phone. It works once, for 30 minutes. Nothing within a few minutes? Check the details and try again, or call the clinic.';

const refuseContact = () => {
  const message = 'Enter the e-mail address or mobile number the clinic has for you.';
  return new DomainError('validation/invalid-input', message, { fieldErrors: { contact: [message] } });
};

/** The contact as the patient record keeps it: a lower-case e-mail address, or an E.164 number. */
export function contactOf(contact: string, defaultCountry: string): { channel: 'email' | 'sms'; value: string } {
  const text = contact.trim();
  if (text.includes('@')) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw refuseContact();
    return { channel: 'email', value: text.toLowerCase() };
  }
  const phone = normalizePhone(text, defaultCountry);
  if (!phone) throw refuseContact();
  return { channel: 'sms', value: phone.e164 };
}

export async function requestLink(ctx: Ctx, input: { contact: string; dateOfBirth: string }) {
  const { channel, value } = contactOf(input.contact, ctx.settings.defaultCountry);
  const at = nowIso(ctx);
  // The same queries whatever matches (the throttle count runs for nobody too), so the time
  // taken says as little as the answer does.
  const matches = await ctx.db
    .selectFrom('patient')
    .select('id')
    .where(channel === 'email' ? 'email' : 'phone_e164', '=', value)
    .where('date_of_birth', '=', input.dateOfBirth)
    .limit(2)
    .execute();
  const patientId = matches.length === 1 ? matches[0]!.id : '';
  const recent = await ctx.db
    .selectFrom('sign_in_message')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('created_at', '>', new Date(ctx.clock.now().getTime() - 60 * MINUTE).toISOString())
    .executeTakeFirstOrThrow();
  if (patientId && Number(recent.n) < LINKS_PER_HOUR) {
    const id = ctx.newId();
    await ctx.db
      .insertInto('sign_in_message')
      .values({
        id,
        patient_id: patientId,
        kind: 'sign_in_link',
        channel,
        status: 'queued',
        recipient: value,
        attempts: 0,
        next_at: at,
        expires_at: new Date(ctx.clock.now().getTime() + SIGN_IN_LINK_MINUTES * MINUTE).toISOString(),
        claimed_at: null,
        sent_at: null,
        provider_id: null,
        message_id: `<sign-in-${randomUUID()}@clinic-desk>`,
        token_id: null,
        reason: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // Staff can see in the audit log that a link was asked for this patient (the caller cannot).
    ctx.auditRecord('patient', patientId, `sign-in link queued (${channel})`);
    ctx.afterCommit(() => ctx.notifications?.wake());
  }
  return { sent: true as const, message: LINK_SENT_MESSAGE };
}

const linkError = (code: string, message: string) => new DomainError(code, message, { fieldErrors: { linkToken: [message] } });
const ASK_AGAIN = 'Ask for a new one on the booking page (“Email me a sign-in link”), or call the clinic.';

export async function exchangeLink(ctx: Ctx, input: { linkToken: string }) {
  const at = nowIso(ctx);
  const row = /^[A-Za-z0-9_-]{20,100}$/.test(input.linkToken)
    ? await ctx.db
        .selectFrom('patient_token')
        .select(['id', 'patient_id', 'expires_at', 'revoked_reason'])
        .where('token_hash', '=', sha256Hex(input.linkToken))
        .where('kind', '=', 'sign_in_link')
        .executeTakeFirst()
    : undefined;
  if (!row) throw linkError('portal/link-invalid', `This sign-in link is not valid (perhaps it was copied only in part). ${ASK_AGAIN}`);
  if (row.revoked_reason === 'used') throw linkError('portal/link-used', `This sign-in link was already used: each link works once. ${ASK_AGAIN}`);
  if (row.revoked_reason) throw linkError('portal/link-invalid', `This sign-in link was withdrawn by the clinic. ${ASK_AGAIN}`);
  if (row.expires_at <= at) throw linkError('portal/link-expired', `This sign-in link has expired. ${ASK_AGAIN}`);
  // Conditional: of two exchanges racing with one link, one gets a token.
  const used = await ctx.db
    .updateTable('patient_token')
    .set({ revoked_at: at, revoked_reason: 'used', last_used_at: at })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw linkError('portal/link-used', `This sign-in link was already used: each link works once. ${ASK_AGAIN}`);
  const patient = await ctx.db.selectFrom('patient').select('given_name').where('id', '=', row.patient_id).executeTakeFirstOrThrow();
  const issued = await issueDeviceToken(ctx, row.patient_id);
  ctx.auditRecord('patient', row.patient_id, 'signed in with a one-time link');
  return { ...issued, patient: { givenName: patient.given_name } };
}

/**
 * Mints a one-time link token for a patient (inside the sender's claim transaction, raw):
 * the secret is returned once, for the message being sent; only its hash is kept.
 */
export function mintLinkToken(raw: RawDb, patientId: string, now: Date, lifetimeMs: number): { id: string; token: string } {
  const token = randomBytes(24).toString('base64url');
  const id = randomUUID();
  raw
    .prepare(
      "INSERT INTO patient_token (id, patient_id, kind, token_hash, created_at, expires_at, last_used_at, revoked_at, revoked_reason) VALUES (?, ?, 'sign_in_link', ?, ?, ?, NULL, NULL, NULL)",
    )
    .run(id, patientId, sha256Hex(token), now.toISOString(), new Date(now.getTime() + lifetimeMs).toISOString());
  return { id, token };
}

/** The link a patient opens: `<base>/book#/signin/<token>`. */
export const signInUrl = (base: string, token: string): string => `${base.replace(/\/+$/, '')}/book#/signin/${token}`;

export const LINK_LIFETIME_MS = SIGN_IN_LINK_MINUTES * MINUTE;
export const MANAGE_LINK_LIFETIME_MS = MANAGE_LINK_DAYS * 24 * 60 * MINUTE;
