import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { writeSettings } from '../settings/settings.service.js';
import { createStaff } from '../staff/staff.service.js';
import { DEMO_ACCOUNTS, seedDemoClinic } from './demo.js';
import { EMPTY_DATABASE_AUDIT } from '../db/empty-file.js';
import { readDesk, renameDesk } from '../desk/desk.service.js';

async function isSetUp(ctx: Ctx): Promise<boolean> {
  const row = await ctx.db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

const alreadyDone = () =>
  new DomainError('setup/already-done', 'This clinic is already set up. Sign in instead.');

export async function setupStatus(ctx: Ctx) {
  const done = await isSetUp(ctx);
  const demo = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo').executeTakeFirst();
  // Before setup: was this new database started because the old file was empty? (See db/empty-file.ts.)
  const moved = done
    ? undefined
    : await ctx.db
        .selectFrom('audit_log')
        .select('record_id')
        .where('handler', '=', EMPTY_DATABASE_AUDIT.handler)
        .where('record_type', '=', EMPTY_DATABASE_AUDIT.recordType)
        .orderBy('seq', 'desc')
        .executeTakeFirst();
  return {
    needsSetup: !done,
    clinicName: done ? ctx.settings.clinicName : null,
    deskName: (await readDesk(ctx.db)).name,
    demoAccounts: done && demo ? DEMO_ACCOUNTS.map(({ username, password, role }) => ({ username, password, role })) : null,
    notice: moved
      ? `The database file was empty (0 bytes) and was moved aside to ${moved.record_id} in the data folder. ` +
        'If you expected your clinic’s data, do not set up a new clinic: close Clinic Desk and restore a backup ' +
        '(see “Where the data lives, and backups” in the README).'
      : null,
  };
}

export async function initializeClinic(
  ctx: Ctx,
  input: Pick<ClinicSettings, 'clinicName' | 'timeZone' | 'currency'> & {
    defaultCountry?: string;
    deskName?: string;
    admin: { username: string; displayName: string; password: string };
  },
) {
  if (await isSetUp(ctx)) throw alreadyDone();
  await writeSettings(ctx, {
    clinicName: input.clinicName,
    timeZone: input.timeZone,
    currency: input.currency,
    ...(input.defaultCountry ? { defaultCountry: input.defaultCountry } : {}),
  });
  const staff = await createStaff(ctx, { ...input.admin, role: 'admin' });
  // The new admin is signed in now: that is their first sign-in ("never" would be wrong).
  const at = ctx.clock.now().toISOString();
  await ctx.db.updateTable('staff').set({ last_login_at: at }).where('id', '=', staff.id).execute();
  if (input.deskName) await renameDesk(ctx, { name: input.deskName });
  ctx.session.start(staff.id, 0); // a new account's session epoch
  return { staff };
}

export async function loadDemo(ctx: Ctx) {
  if (await isSetUp(ctx)) throw alreadyDone();
  const accounts = await seedDemoClinic(ctx);
  ctx.auditRecord('clinic', 'demo');
  return { accounts };
}
