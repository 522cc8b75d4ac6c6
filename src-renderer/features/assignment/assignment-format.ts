import type { AssignmentSlot } from '../../../src-main/contract/index.js';
import { longDateWithDay, whenIn } from '../../components/format.js';

/** '2026-03-16', '09:30' at Riverside → 'Mon, Mar 16, 2026 09:30 at Riverside Main' (the location's wall time, the clinic's date format). */
export const slotLabel = (slot: AssignmentSlot, locale?: string): string =>
  `${longDateWithDay(slot.localDate, locale)} ${slot.localTime}${slot.locationName ? ` at ${slot.locationName}` : ''}`;

/** An instant as the clinic's date and time (nothing until the clinic's zone is known). */
export const whenLabel = (iso: string, zone: string | null, locale?: string): string => (zone ? whenIn(iso, zone, locale) : '');
