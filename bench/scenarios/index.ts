import type { Scenario } from '../lib/scenario.js';
import { book10k } from './book-10k.bench.js';
import { dataOpen } from './data-open.bench.js';
import { eventsDrain100k } from './events-drain-100k.bench.js';
import { history2k } from './history-2k.bench.js';
import { liveNotice } from './live-notice.bench.js';
import { notify10k } from './notify-10k.bench.js';
import { remindersDue } from './reminders-due.bench.js';
import { patientRegister } from './patient-register.bench.js';
import { patientSearch1m } from './patient-search-1m.bench.js';
import { slots50x30 } from './slots-50x30.bench.js';
import { checkout1k } from './checkout-1k.bench.js';
import { dayView30x12 } from './day-view-30x12.bench.js';
import { bookPageBundle } from './book-page-bundle.bench.js';
import { bookPageFirstRender } from './book-page-first-render.bench.js';
import { import50k } from './import-50k.bench.js';

/** Every benchmark scenario, in run order. Add one file per scenario and list it here. */
export const scenarios: readonly Scenario[] = [dataOpen, patientSearch1m, patientRegister, book10k, slots50x30, history2k, liveNotice, eventsDrain100k, notify10k, remindersDue, checkout1k, dayView30x12, import50k, bookPageBundle, bookPageFirstRender];
