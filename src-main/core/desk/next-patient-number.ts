import type { Db } from '../db/database.js';
import { deskNumberRange } from './patient-number.js';

/** This desk's next patient number: the highest in its own range plus one (an index range read). */
export async function nextPatientNumber(db: Db): Promise<number> {
  const desk = await db.selectFrom('desk').select('prefix_index').executeTakeFirstOrThrow();
  const [first, last] = deskNumberRange(desk.prefix_index);
  const top = await db
    .selectFrom('patient')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('number', '>=', first)
    .where('number', '<=', last)
    .executeTakeFirst();
  const next = top?.n == null ? first : Number(top.n) + 1;
  if (next > last) throw new Error('This desk has issued all of its patient numbers.');
  return next;
}
