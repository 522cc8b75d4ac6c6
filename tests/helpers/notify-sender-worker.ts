/**
 * A sender in its own process, for the kill test: opens the desk's data directory, sends what
 * is due until nothing is left, and exits. The parent kills it at random moments.
 */
import { openApp } from '../../src-main/app.js';

const dataDir = process.env.NOTIFY_DIR!;
const now = new Date(process.env.NOTIFY_NOW!);
const app = await openApp({ dataDir, backgroundWork: false, log: () => {}, env: {}, clock: { now: () => now } });
process.send?.({ type: 'ready' });
for (;;) {
  const r = await app.notifications.runOnce();
  if (r.sent + r.failed + r.retrying + r.skipped + r.recovered === 0) break;
}
await app.close();
process.send?.({ type: 'done' });
process.exit(0);
