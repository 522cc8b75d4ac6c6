/** The roster handlers: every change that can strand bookings goes plan → acknowledge → commit. */
import type { ParsedInputOf } from '../../contract/index.js';
import type { Ctx } from '../context.js';
import { planDoctor, planLocation } from './roster-entities.service.js';
import { planAddException, planRemoveException, planWeeklyHours } from './roster-hours.service.js';
import { applyPlan } from './roster-plan.js';

export { saveConsultationType, saveSpecialization } from './roster-entities.service.js';
export { doctorWeek, getDoctor, listRoster } from './roster-read.service.js';

export const saveLocation = async (ctx: Ctx, input: ParsedInputOf<'roster/save-location'>) =>
  applyPlan(ctx, 'roster/save-location', await planLocation(ctx, input), input.acknowledgeAffected);

export const saveDoctor = async (ctx: Ctx, input: ParsedInputOf<'roster/save-doctor'>) =>
  applyPlan(ctx, 'roster/save-doctor', await planDoctor(ctx, input), input.acknowledgeAffected);

export const setWeeklyHours = async (ctx: Ctx, input: ParsedInputOf<'roster/set-weekly-hours'>) =>
  applyPlan(ctx, 'roster/set-weekly-hours', await planWeeklyHours(ctx, input), input.acknowledgeAffected);

export async function addException(ctx: Ctx, input: ParsedInputOf<'roster/add-exception'>) {
  const out = await applyPlan(ctx, 'roster/add-exception', await planAddException(ctx, input), input.acknowledgeAffected);
  return { ids: out.ids, affected: out.affected };
}

export const removeException = async (ctx: Ctx, input: ParsedInputOf<'roster/remove-exception'>) =>
  applyPlan(ctx, 'roster/remove-exception', await planRemoveException(ctx, input), input.acknowledgeAffected);

/** What a change would do to future bookings; nothing is written. */
export async function previewChange(ctx: Ctx, input: ParsedInputOf<'roster/preview-change'>) {
  switch (input.change) {
    case 'weekly-hours':
      return { affected: (await planWeeklyHours(ctx, input)).affected };
    case 'add-exception':
      return { affected: (await planAddException(ctx, input)).affected };
    case 'remove-exception':
      return { affected: (await planRemoveException(ctx, input)).affected };
    case 'doctor':
      return { affected: (await planDoctor(ctx, input)).affected };
    case 'location':
      return { affected: (await planLocation(ctx, input)).affected };
  }
}
