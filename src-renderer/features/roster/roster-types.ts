import type { OutputOf } from '../../../src-main/contract/index.js';

/** What roster/list returns: the lists every roster screen works from. */
export type RosterData = OutputOf<'roster/list'>;
