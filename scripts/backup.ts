/**
 * `npm run backup -- [destination]`: a consistent copy of the clinic database, safe while
 * Clinic Desk is running (SQLite's online backup API), then checked with quick_check.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { defaultDataDir } from '../src-main/http/data-dir.js';
import { DB_FILE_NAME } from '../src-main/app.js';

const dataDir = path.resolve(process.env.CLINIC_DESK_DATA_DIR ?? defaultDataDir());
const source = path.join(dataDir, DB_FILE_NAME);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const destination = path.resolve(process.argv[2] ?? path.join(dataDir, 'backups', `clinic-desk-${stamp}.sqlite`));

const db = new Database(source, { readonly: true, fileMustExist: true });
await db.backup(destination);
db.close();
const copy = new Database(destination, { readonly: true });
const check = copy.pragma('quick_check', { simple: true });
copy.close();
if (check !== 'ok') {
  console.error(`Backup written to ${destination} but it failed its check: ${String(check)}`);
  process.exit(1);
}
console.log(`Backed up ${source} → ${destination}`);
