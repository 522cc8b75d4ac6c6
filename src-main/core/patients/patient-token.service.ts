import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../util/hash.js';
import { nowIso, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';

/**
 * Patient access tokens: a bearer credential per device or link, kept only as a SHA-256 hash
 * in `patient_token`, with a lifetime, last use, rotation and revocation.
 *
 * A device token lives DEVICE_TOKEN_DAYS from its issue (absolute: using it does not extend
 * it). The patient rotates it (`patient/rotate-access`) for a fresh one, which revokes the
 * old; staff revoke all of a patient's tokens from the record. A replayed registration never
 * issues one (see `registrationReplay`).
 */
export const DEVICE_TOKEN_DAYS = 30;

/** last_used_at is written at most this often per token, so reading does not mean a disk write per request. */
const LAST_USED_GRANULARITY_MS = 5 * 60_000;

/** What a patient reads when their token is missing; written for a patient, not for staff. */
export const PATIENT_TOKEN_MISSING_MESSAGE =
  "This needs your patient access link. Ask the clinic's front desk for one, or use the link in your latest confirmation e-mail. (Clinic staff: sign in first.)";

/** A token that is unknown, expired, revoked or replaced: one message, the patient's next step is the same. */
export const PATIENT_TOKEN_INVALID_MESSAGE =
  "Your access link has expired or was replaced. Ask the clinic's front desk for a new one, or use the link in your latest confirmation e-mail.";

export const PATIENT_TOKEN_MISSING = 'auth/patient-token-missing';
export const PATIENT_TOKEN_INVALID = 'auth/patient-token-invalid';

/** What a replayed registration says instead of handing out a credential. */
export const REPLAY_MESSAGE =
  "You are already registered. For access to your appointments, ask the clinic's front desk, or use the link in the confirmation e-mail the clinic sends you.";

const newSecret = (): string => randomBytes(24).toString('base64url');
const plusDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

/** Issues a device token for a patient; the secret is returned once and only its hash is kept. */
export async function issueDeviceToken(ctx: Ctx, patientId: string): Promise<{ accessToken: string; expiresAt: string }> {
  const accessToken = newSecret();
  const createdAt = nowIso(ctx);
  const expiresAt = plusDays(createdAt, DEVICE_TOKEN_DAYS);
  await ctx.db
    .insertInto('patient_token')
    .values({
      id: ctx.newId(),
      patient_id: patientId,
      kind: 'device',
      token_hash: sha256Hex(accessToken),
      created_at: createdAt,
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
  return { accessToken, expiresAt };
}

/**
 * The patient a bearer token stands for, or null when it is unknown, expired, revoked, or not
 * a device token (a one-time sign-in link is exchanged, never used as a bearer). Notes the use.
 */
export async function resolvePatientToken(db: Db, token: string, now: Date): Promise<{ patientId: string; tokenId: string } | null> {
  // A token is 32 base64url characters; anything else is not worth a lookup.
  if (token.length > 200) return null;
  const nowIsoString = now.toISOString();
  const row = await db
    .selectFrom('patient_token')
    .select(['id', 'patient_id', 'last_used_at'])
    .where('token_hash', '=', sha256Hex(token))
    .where('kind', '=', 'device')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIsoString)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_GRANULARITY_MS) {
    try {
      await db.updateTable('patient_token').set({ last_used_at: nowIsoString }).where('id', '=', row.id).execute();
    } catch {
      // Last use is information for staff; a busy database must not refuse the patient's request.
    }
  }
  return { patientId: row.patient_id, tokenId: row.id };
}

/** The patient swaps the token they called with for a fresh one; the old one stops working now. */
export async function rotateAccess(ctx: Ctx): Promise<{ accessToken: string; expiresAt: string }> {
  if (ctx.actor.kind !== 'patient' || !ctx.actor.tokenId) {
    throw new DomainError(PATIENT_TOKEN_INVALID, PATIENT_TOKEN_INVALID_MESSAGE);
  }
  const at = nowIso(ctx);
  // Conditional: of two rotations racing with one token, only one gets a successor.
  const revoked = await ctx.db
    .updateTable('patient_token')
    .set({ revoked_at: at, revoked_reason: 'rotated' })
    .where('id', '=', ctx.actor.tokenId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  if (Number(revoked.numUpdatedRows) !== 1) throw new DomainError(PATIENT_TOKEN_INVALID, PATIENT_TOKEN_INVALID_MESSAGE);
  const fresh = await issueDeviceToken(ctx, ctx.actor.patientId);
  ctx.auditRecord('patient', ctx.actor.patientId);
  return fresh;
}

async function assertPatientExists(ctx: Ctx, patientId: string): Promise<void> {
  const row = await ctx.db.selectFrom('patient').select('id').where('id', '=', patientId).executeTakeFirst();
  if (!row) throw notFound('The patient');
}

/** Staff: how many tokens of a patient work now, and when one was last used. */
export async function accessSummary(ctx: Ctx, input: { patientId: string }) {
  await assertPatientExists(ctx, input.patientId);
  const rows = await ctx.db
    .selectFrom('patient_token')
    .select(['kind', 'created_at', 'expires_at', 'last_used_at'])
    .where('patient_id', '=', input.patientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso(ctx))
    .orderBy('created_at', 'desc')
    .execute();
  const lastUsed = rows.map((r) => r.last_used_at).filter((v): v is string => v !== null).sort().at(-1) ?? null;
  return {
    activeTokens: rows.length,
    lastUsedAt: lastUsed,
    tokens: rows.map((r) => ({ kind: r.kind, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at })),
  };
}

/** Staff: every token of the patient stops working now (lost phone, a shared link). */
export async function revokeAllAccess(ctx: Ctx, input: { patientId: string }): Promise<{ revoked: number }> {
  await assertPatientExists(ctx, input.patientId);
  const at = nowIso(ctx);
  const result = await ctx.db
    .updateTable('patient_token')
    .set({ revoked_at: at, revoked_reason: 'staff' })
    .where('patient_id', '=', input.patientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  ctx.auditRecord('patient', input.patientId);
  return { revoked: Number(result.numUpdatedRows) };
}
