import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';

export async function readDesk(db: Db): Promise<{ id: string; name: string; prefix: string }> {
  return db.selectFrom('desk').select(['id', 'name', 'prefix']).executeTakeFirstOrThrow();
}

export async function renameDesk(ctx: Ctx, input: { name: string }) {
  const desk = await readDesk(ctx.db);
  await ctx.db.updateTable('desk').set({ name: input.name }).where('id', '=', desk.id).execute();
  ctx.auditRecord('desk', desk.id);
  return { ...desk, name: input.name };
}
