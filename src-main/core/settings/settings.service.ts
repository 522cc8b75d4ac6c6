import type { z } from 'zod';
import { clinicSettings, defaultSettings, type ClinicSettings, type InvalidSetting } from '../../contract/settings.contract.js';
import type { Db } from '../db/database.js';
import { nowIso, type Ctx } from '../context.js';

export interface SettingsReport {
  settings: ClinicSettings;
  /** Rows that could not be used: each falls back to its own default, the others are kept. */
  invalid: InvalidSetting[];
}

const shortened = (value: string): string => {
  const chars = Array.from(value); // whole characters: never half an emoji
  return chars.length > 80 ? `${chars.slice(0, 77).join('')}…` : value;
};

/**
 * Reads every setting row over the defaults, key by key: a row that cannot be read or fails
 * its rule falls back to ITS default and is reported; every valid row is kept. (One bad row
 * must never reset the clinic's name, zone and currency.)
 */
export async function loadSettingsReport(db: Db): Promise<SettingsReport> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).execute();
  const merged: Record<string, unknown> = { ...defaultSettings };
  const invalid: InvalidSetting[] = [];
  const shape = clinicSettings.shape as Record<string, z.ZodType>;
  for (const row of rows) {
    const rule = Object.hasOwn(defaultSettings, row.key) ? shape[row.key] : undefined;
    if (!rule) continue; // not a clinic setting (e.g. the demo flag)
    const usedInstead = (defaultSettings as Record<string, unknown>)[row.key];
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      invalid.push({ key: row.key, stored: shortened(row.value), problem: 'The stored value cannot be read.', usedInstead });
      continue;
    }
    const parsed = rule.safeParse(value);
    if (parsed.success) merged[row.key] = parsed.data;
    else invalid.push({ key: row.key, stored: shortened(typeof value === 'string' ? value : row.value), problem: parsed.error.issues[0]?.message ?? 'Not a valid value.', usedInstead });
  }
  return { settings: clinicSettings.parse(merged), invalid };
}

/** The settings in force (see loadSettingsReport). */
export async function loadSettings(db: Db): Promise<ClinicSettings> {
  return (await loadSettingsReport(db)).settings;
}

/** settings/get: the settings in force, and the stored values that could not be used. */
export async function getSettings(ctx: Ctx) {
  const report = await loadSettingsReport(ctx.db);
  return { ...report.settings, invalid: report.invalid };
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
  return next;
}
