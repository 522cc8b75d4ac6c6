import { clinicSettings, defaultSettings, type ClinicSettings } from '../../contract/settings.contract.js';
import type { Db } from '../db/database.js';
import { nowIso, type Ctx } from '../context.js';

/** Reads every setting row over the defaults. Unknown or broken rows fall back to defaults. */
export async function loadSettings(db: Db): Promise<ClinicSettings> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).execute();
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const row of rows) {
    if (row.key in defaultSettings) {
      try {
        merged[row.key] = JSON.parse(row.value);
      } catch {
        // keep the default
      }
    }
  }
  const parsed = clinicSettings.safeParse(merged);
  return parsed.success ? parsed.data : defaultSettings;
}

export async function writeSettings(ctx: Ctx, changes: Partial<ClinicSettings>): Promise<ClinicSettings> {
  const at = nowIso(ctx);
  const by = ctx.actor.kind === 'staff' ? ctx.actor.id : null;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    await ctx.db
      .insertInto('setting')
      .values({ key, value: JSON.stringify(value), updated_at: at, updated_by: by })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at, updated_by: by }))
      .execute();
  }
  ctx.auditRecord('settings', Object.keys(changes).join(','));
  ctx.settingsChanged();
  const next = await loadSettings(ctx.db);
  await ctx.emit('settings.updated', 'settings', changes);
  return next;
}
