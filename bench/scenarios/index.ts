import type { Scenario } from '../lib/scenario.js';
import { dataOpen } from './data-open.bench.js';

/** Every benchmark scenario, in run order. Add one file per scenario and list it here. */
export const scenarios: readonly Scenario[] = [dataOpen];
