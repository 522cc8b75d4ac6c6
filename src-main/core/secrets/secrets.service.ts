/**
 * Secrets at rest: sealed by the desk's SecretBox in the local `secret` table, or given by the
 * environment (web mode, the server). `readSecret` is for main-process code that talks to a
 * provider (Stripe, SMTP, SMS); nothing here returns a value to a handler's output.
 */
import { secretEnvironment, secretLabels, secretNames, type SecretName, type SecretStatus } from '../../contract/secrets.contract.js';
import { nowIso, type Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors.js';
import type { SecretBox } from './secret-box.js';

export interface SecretSource {
  db: Db;
  box?: SecretBox;
  /** The process environment (web mode and the server); the Electron desk passes none. */
  env?: Readonly<Record<string, string | undefined>>;
}

const hintOf = (value: string): string => `…${value.slice(-4)}`;

function fromEnvironment(src: SecretSource, name: SecretName): string | null {
  const variable = secretEnvironment[name];
  const value = variable ? src.env?.[variable]?.trim() : undefined;
  return value ? value : null;
}

/** The secret's value, or null when none is set. The environment wins over a stored value. */
export async function readSecret(src: SecretSource, name: SecretName): Promise<string | null> {
  const env = fromEnvironment(src, name);
  if (env) return env;
  const row = await src.db.selectFrom('secret').select(['sealed']).where('name', '=', name).executeTakeFirst();
  if (!row) return null;
  if (!src.box) throw new DomainError('secrets/unavailable', 'This desk cannot open stored secrets (no secret storage is available).');
  return src.box.open(Buffer.from(row.sealed));
}

async function statusOf(src: SecretSource, name: SecretName): Promise<SecretStatus> {
  const env = fromEnvironment(src, name);
  const row = await src.db.selectFrom('secret').select(['hint', 'updated_at']).where('name', '=', name).executeTakeFirst();
  const base = { name, label: secretLabels[name] };
  if (env) return { ...base, set: true, hint: hintOf(env), source: 'environment', updatedAt: null };
  if (row) return { ...base, set: true, hint: row.hint, source: 'stored', updatedAt: row.updated_at };
  return { ...base, set: false, hint: '', source: 'none', updatedAt: null };
}

const sourceOf = (ctx: Ctx): SecretSource => ({ db: ctx.db, box: ctx.secrets?.box, env: ctx.secrets?.env });

export async function secretsStatus(ctx: Ctx) {
  const src = sourceOf(ctx);
  const secrets = [];
  for (const name of secretNames) secrets.push(await statusOf(src, name));
  return { storage: src.box?.storage ?? ('none' as const), secrets };
}

export async function setSecret(ctx: Ctx, input: { name: SecretName; value: string | null }) {
  const src = sourceOf(ctx);
  ctx.auditRecord('secret', input.name, input.value === null ? 'cleared' : 'set');
  if (input.value === null) {
    await ctx.db.deleteFrom('secret').where('name', '=', input.name).execute();
    return statusOf(src, input.name);
  }
  if (!src.box) {
    throw new DomainError('secrets/unavailable', 'This desk has no safe place to keep secrets. In web mode, set the environment variable instead.', {
      fieldErrors: { value: ['This desk has no safe place to keep secrets.'] },
    });
  }
  const row = {
    sealed: src.box.seal(input.value),
    storage: src.box.storage,
    hint: hintOf(input.value),
    updated_at: nowIso(ctx),
    updated_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
  };
  await ctx.db
    .insertInto('secret')
    .values({ name: input.name, ...row })
    .onConflict((oc) => oc.column('name').doUpdateSet(row))
    .execute();
  return statusOf(src, input.name);
}
