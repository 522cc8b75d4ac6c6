/** A second process that opens a data directory and holds it until killed (instance-lock tests). */
import { openApp } from '../../src-main/app.js';

const dataDir = process.argv[2]!;
await openApp({ dataDir, log: () => {} });
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
