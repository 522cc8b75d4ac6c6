import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { writeSettings } from '../settings/settings.service.js';
import { createStaff } from '../staff/staff.service.js';
import { DEMO_ACCOUNTS, seedDemoClinic } from './demo.js';
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
  return {
    needsSetup: !done,
    clinicName: done ? ctx.settings.clinicName : null,
    deskName: (await readDesk(ctx.db)).name,
    demoAccounts: done && demo ? DEMO_ACCOUNTS.map(({ username, password, role }) => ({ username, password, role })) : null,
  };
}

export async function initializeClinic(
  ctx: Ctx,
  input: Pick<ClinicSettings, 'clinicName' | 'timeZone' | 'currency'> & {
    deskName?: string;
    admin: { username: string; displayName: string; password: string };
  },
) {
  if (await isSetUp(ctx)) throw alreadyDone();
  await writeSettings(ctx, { clinicName: input.clinicName, timeZone: input.timeZone, currency: input.currency });
  const staff = await createStaff(ctx, { ...input.admin, role: 'admin' });
  if (input.deskName) await renameDesk(ctx, { name: input.deskName });
  ctx.session.start(staff);
  return { staff };
}

export async function loadDemo(ctx: Ctx) {
  if (await isSetUp(ctx)) throw alreadyDone();
  const accounts = await seedDemoClinic(ctx);
  ctx.auditRecord('clinic', 'demo');
  return { accounts };
}
