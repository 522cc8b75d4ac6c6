import type { AssignmentSlot } from '../../../src-main/contract/index.js';

/** '2026-03-16', '09:30' at Riverside → 'Mon 16 Mar 09:30 at Riverside Main' (the location's wall time). */
export const slotLabel = (slot: AssignmentSlot): string =>
  `${new Date(`${slot.localDate}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })} ${slot.localTime}${slot.locationName ? ` at ${slot.locationName}` : ''}`;

export const whenLabel = (iso: string): string => new Date(iso).toLocaleString();
