/**
 * Start-up helpers without Electron: which data directory to open, what to tell the user
 * when the clinic database cannot be opened, and `--demo`.
 */
import path from 'node:path';
import { DataDirInUseError, type App } from '../app.js';
import { DatabaseIntegrityError, NativeModuleError } from '../core/db/database.js';
import { DatabaseTooNewError } from '../core/db/migrate.js';

export interface DataDirSources {
  /** CLINIC_DESK_DATA_DIR: wins, so a test or a second clinic can point elsewhere. */
  env?: string;
  /** Chosen on this machine and kept in the preferences. */
  prefs?: string;
  /** Electron's userData folder; the clinic's files go into its `data` subfolder. */
  userData: string;
}

export function chooseDataDir(sources: DataDirSources): string {
  const chosen = sources.env?.trim() || sources.prefs?.trim();
  return path.resolve(chosen || path.join(sources.userData, 'data'));
}

export interface StartupProblem {
  title: string;
  message: string;
}

/** A clear sentence for each way opening the clinic can fail. */
export function describeStartupError(err: unknown): StartupProblem {
  const message = (err as Error)?.message ?? String(err);
  if (err instanceof DataDirInUseError) {
    return { title: 'Clinic Desk is already open', message };
  }
  if (err instanceof DatabaseTooNewError) {
    return { title: 'This clinic needs a newer Clinic Desk', message };
  }
  if (err instanceof NativeModuleError) {
    return { title: 'Clinic Desk’s database engine is not built for this version', message };
  }
  if (err instanceof DatabaseIntegrityError) {
    // better-sqlite3 loads its native addon when the first database opens, so an addon
    // built for another runtime surfaces here; say so instead of blaming the file.
    if (/NODE_MODULE_VERSION|compiled against a different|not a valid Win32|invalid ELF|wrong ELF|dlopen|Cannot find module .*\.node/i.test(message)) {
      return {
        title: 'Clinic Desk’s database engine is not built for this version',
        message:
          'The SQLite module (better-sqlite3) was built for a different runtime than this Electron. ' +
          'Reinstall Clinic Desk, or in a development checkout run `npm start`, which builds it for Electron.\n\n' +
          message,
      };
    }
    return { title: 'The clinic database could not be opened', message };
  }
  return { title: 'Clinic Desk could not start', message };
}

/** `--demo`: fills a new, empty data directory with the demo clinic (as `npm run serve -- --demo`). */
export async function loadDemoIfEmpty(app: App, log: (line: string) => void = console.log): Promise<void> {
  const status = await app.dispatch('setup/status', {});
  if (!status.result.ok || !(status.result.data as { needsSetup: boolean }).needsSetup) {
    log('This data directory already holds a clinic; --demo only fills a new one.');
    return;
  }
  const demo = await app.dispatch('setup/load-demo', {});
  if (!demo.result.ok) {
    log(`Could not load the demo clinic: ${demo.result.error.message}`);
    return;
  }
  log('Loaded the demo clinic. Demo accounts:');
  for (const a of (demo.result.data as { accounts: Array<{ username: string; password: string; role: string }> }).accounts) {
    log(`  ${a.role.padEnd(13)} ${a.username} / ${a.password}`);
  }
}
