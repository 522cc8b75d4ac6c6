import type { WeeklyIntervalInput } from '../../contract/roster.contract.js';
import type { Ctx } from '../context.js';

const sameInterval = (row: { location_id: string; weekday: number; start_minute: number; end_minute: number }, h: WeeklyIntervalInput) =>
  row.location_id === h.locationId && row.weekday === h.weekday && row.start_minute === h.startMinute && row.end_minute === h.endMinute;

/**
 * Replaces a doctor's weekly hours keeping stable ids: an interval that stays keeps its row
 * (no change, no envelope), a removed one is deleted (a tombstone envelope), a new one is
 * inserted. Deleting everything and inserting it again would tell every other desk that all
 * the doctor's hours were removed and others added.
 */
export async function replaceWeeklyHours(ctx: Ctx, doctorId: string, hours: readonly WeeklyIntervalInput[]): Promise<void> {
  const existing = await ctx.db
    .selectFrom('working_hours')
    .select(['id', 'location_id', 'weekday', 'start_minute', 'end_minute'])
    .where('doctor_id', '=', doctorId)
    .execute();
  const kept = new Set<string>();
  const added: WeeklyIntervalInput[] = [];
  for (const h of hours) {
    const row = existing.find((r) => !kept.has(r.id) && sameInterval(r, h));
    if (row) kept.add(row.id);
    else added.push(h);
  }
  const removed = existing.filter((r) => !kept.has(r.id)).map((r) => r.id);
  if (removed.length > 0) await ctx.db.deleteFrom('working_hours').where('id', 'in', removed).execute();
  if (added.length > 0) {
    await ctx.db
      .insertInto('working_hours')
      .values(
        added.map((h) => ({
          id: ctx.newId(),
          doctor_id: doctorId,
          location_id: h.locationId,
          weekday: h.weekday,
          start_minute: h.startMinute,
          end_minute: h.endMinute,
        })),
      )
      .execute();
  }
}
