import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { createDispatcher, type Dispatch } from './dispatch.js';
import { systemClock, type Clock } from './core/context.js';
import { kyselyOver, openRaw, type Db, type RawDb } from './core/db/database.js';
import { migrate } from './core/db/migrate.js';
import { startCheckpointer } from './core/db/checkpointer.js';
import { loadSettings, loadSettingsReport } from './core/settings/settings.service.js';
import { SessionStore } from './core/staff/session-store.js';
import type { ClinicSettings } from './contract/settings.contract.js';
import { ChangeHub } from './core/events/change-hub.js';
import { RefusalLog, type Refusal } from './core/audit/refusal-log.js';
import { writeAudit } from './core/audit/audit.service.js';
import { EMPTY_DATABASE_AUDIT, setAsideEmptyDatabase, type MovedEmptyDatabase } from './core/db/empty-file.js';
import { ChangeLog } from './core/events/change-log.js';
import { EventRunner } from './core/events/runner.js';
import { consumers } from './core/events/consumers.js';
import { keyFileBox, type SecretBox } from './core/secrets/secret-box.js';
import { defaultKnowledgeBasePath, installKnowledgeBase, loadKnowledgeBase } from './core/symptoms/knowledge-base.js';
import { NotificationSender } from './core/notifications/sender.js';
import { setSmtpFromEnvironment } from './core/notifications/notifications.consumer.js';
import { SMTP_URL_ENV } from './core/notifications/notification-settings.js';
import type { ChangeNotice } from './contract/changes.js';
import { readSecret, type SecretSource } from './core/secrets/secrets.service.js';
import { StripeFollowUp } from './core/payments/stripe-follow-up.js';
import { createStripeAdapter, stripeApiBaseFrom } from './adapters/stripe/stripe-adapter.js';

export const APP_VERSION = '0.1.0';
export const DB_FILE_NAME = 'clinic-desk.sqlite';

export interface AppOptions {
  dataDir: string;
  clock?: Clock;
  /** better_sqlite3.node built for Electron's ABI (the Electron shell passes it). */
  nativeBinding?: string;
  /** Run the change log's consumers in the background (default true; tests drive them by hand). */
  backgroundWork?: boolean;
  /** Take the data directory's instance lock (default true). */
  lock?: boolean;
  log?: (line: string) => void;
  /** How often counted refusals are written (default 5 s; see RefusalLog). */
  refusalFlushMs?: number;
  /** SQLite's busy timeout per attempt (default 5 s); tests shorten it. */
  busyTimeoutMs?: number;
  /** SMTP connection, greeting and socket timeouts of the sender (default 15 s; tests shorten it). */
  smtpTimeoutMs?: number;
  /**
   * How secrets are sealed: the Electron shell passes its safeStorage box; by default a key
   * file in the data directory (web mode, the server); null: none can be stored.
   */
  secretBox?: SecretBox | null;
  /** Environment that may give secrets (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The symptom checker's knowledge base file (default: the shipped resources/symptom-checker/knowledge-base.json). */
  knowledgeBasePath?: string;
}

export interface App {
  dataDir: string;
  dbFile: string;
  raw: RawDb;
  db: Db;
  dispatch: Dispatch;
  schemaVersion: number;
  version: string;
  settings(): ClinicSettings;
  /** Change notices of committed transactions (live screens subscribe). */
  changes: ChangeHub;
  /** The app's clock (web mode's rate limits use it too). */
  clock: Clock;
  /** What the app had to do at start that a person must hear about (an empty database file moved aside). */
  notices: string[];
  /** Writes the counted refusals gathered so far (they are written every few seconds and on close anyway). */
  flushAudit(): Promise<void>;
  /** Counts a refused attempt from the network outside the dispatcher (e.g. a badly signed Stripe webhook). */
  recordRefusal(refusal: Refusal): void;
  /** The consumers of the change log (started unless `backgroundWork: false`). */
  background: EventRunner;
  /** Where provider adapters (Stripe, SMTP, SMS) read their secrets (core/secrets). */
  secrets: SecretSource;
  /** Sends the decided messages (e-mail, SMS) outside transactions (started with background work). */
  notifications: NotificationSender;
  /** Follows Stripe payments and refunds outside transactions (started unless `backgroundWork: false`). */
  stripeFollowUp: StripeFollowUp;
  /** The web server tells the app its own origin once it listens (the default `publicBaseUrl`). */
  setServerOrigin(origin: string): void;
  /** The patient page's base address: the `publicBaseUrl` setting, else the web server's origin; null without either. */
  publicBaseUrl(): string | null;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Clinic Desk is already running with the data directory ${dataDir}${pid ? ` (process ${pid})` : ''}. ` +
        'Close that window first, or start this one with another CLINIC_DESK_DATA_DIR.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** Lock files this process holds: a second open in the same process is refused too. */
const heldLocks = new Set<string>();

/**
 * One running instance per data directory. The lock is an exclusive SQLite lock on
 * `clinic-desk.lock`, held by an open connection for the app's lifetime: the operating system
 * drops it when the process ends, however it ends, so a crash never leaves a stale lock and a
 * reused process id never blocks a start. `clinic-desk.pid` only names the holder in messages.
 */
function takeInstanceLock(dataDir: string, nativeBinding?: string): () => void {
  const file = path.resolve(dataDir, 'clinic-desk.lock');
  const pidFile = path.resolve(dataDir, 'clinic-desk.pid');
  if (heldLocks.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; ; attempt++) {
    const lock = new Database(file, { nativeBinding, timeout: 0 });
    try {
      lock.pragma('locking_mode = EXCLUSIVE');
      // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept until close.
      lock.exec(`BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; INSERT INTO holder VALUES (${process.pid}); COMMIT;`);
    } catch (err) {
      lock.close();
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_NOTADB' && attempt === 0) {
        rmSync(file, { force: true }); // an older plain-text lock file
        continue;
      }
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        let pid = 0;
        try {
          pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10) || 0;
        } catch {
          // no pid file yet: the holder is starting up
        }
        throw new DataDirInUseError(dataDir, pid);
      }
      throw err;
    }
    writeFileSync(pidFile, String(process.pid));
    heldLocks.add(file);
    return () => {
      heldLocks.delete(file);
      rmSync(pidFile, { force: true });
      lock.close();
    };
  }
}

/** Opens a clinic desk: the database (created and migrated on first run) and its dispatcher. */
export async function openApp(options: AppOptions): Promise<App> {
  // A malformed knowledge base stops the start, naming the bad entry, before anything is opened.
  installKnowledgeBase(loadKnowledgeBase(options.knowledgeBasePath ?? defaultKnowledgeBasePath()));
  mkdirSync(options.dataDir, { recursive: true });
  const release = options.lock === false ? () => {} : takeInstanceLock(options.dataDir, options.nativeBinding);
  const dbFile = path.join(options.dataDir, DB_FILE_NAME);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.error(line));
  let raw: RawDb;
  let schemaVersion: number;
  let moved: MovedEmptyDatabase | null;
  try {
    moved = setAsideEmptyDatabase(dbFile, clock.now());
    if (moved) log(`Clinic Desk: ${moved.message} (${moved.movedTo})`);
    raw = openRaw(dbFile, { nativeBinding: options.nativeBinding, busyTimeoutMs: options.busyTimeoutMs });
    try {
      schemaVersion = migrate(raw, dbFile).schemaVersion;
    } catch (err) {
      raw.close();
      throw err;
    }
  } catch (err) {
    release();
    throw err;
  }
  const db = kyselyOver(raw);
  if (moved) {
    // Remembered in the database itself, so the setup screen says it even after a restart.
    await writeAudit(db, {
      at: clock.now().toISOString(),
      actor: { kind: 'system' },
      handler: EMPTY_DATABASE_AUDIT.handler,
      recordType: EMPTY_DATABASE_AUDIT.recordType,
      recordId: path.basename(moved.movedTo),
      outcome: 'ok',
      detail: 'empty database file (0 bytes) moved aside; a new clinic was started',
    });
  }
  const checkpointer = startCheckpointer(raw, dbFile, { nativeBinding: options.nativeBinding, log: options.log });
  // Idempotency keys protect retries, which happen within minutes: a day is plenty.
  raw.prepare('DELETE FROM idempotency_key WHERE created_at < ?').run(new Date((options.clock ?? systemClock).now().getTime() - 86_400_000).toISOString());
  const report = await loadSettingsReport(db);
  let settings = report.settings;
  for (const bad of report.invalid) {
    log(`Clinic Desk: the setting ${bad.key} is invalid (${bad.problem} Stored: ${bad.stored}); using ${JSON.stringify(bad.usedInstead)} instead. An admin can fix it in Settings.`);
  }
  const notices: string[] = moved ? [moved.message] : [];
  let box: SecretBox | undefined;
  try {
    box = options.secretBox === undefined ? keyFileBox(options.dataDir) : (options.secretBox ?? undefined);
  } catch (err) {
    // A desk must still start; secrets stay unavailable until the key file is fixed.
    const message = `Stored secrets cannot be used: ${(err as Error).message}`;
    log(`Clinic Desk: ${message}`);
    notices.push(message);
  }
  const secrets: SecretSource = { db, box, env: options.env ?? process.env };
  const changes = new ChangeHub();
  let serverOrigin: string | null = null;
  const publicBaseUrl = (): string | null => settings.publicBaseUrl || serverOrigin;
  const refusals = new RefusalLog(db, { log: options.log, intervalMs: options.refusalFlushMs });
  refusals.start();
  const changeLog = new ChangeLog(raw);
  setSmtpFromEnvironment(raw, Boolean(secrets.env?.[SMTP_URL_ENV]?.trim()));
  // Declared before the runner: what consumers write (message rows) is published, and wakes the sender.
  let notifications: NotificationSender | null = null;
  const publishBackground = (notices: readonly ChangeNotice[]) => {
    changes.publish([...notices]);
    if (notices.some((n) => n.entity === 'message')) notifications?.wake();
  };
  const background = new EventRunner({ db, raw, consumers, clock, changeLog, publish: publishBackground, log: options.log ?? ((line) => console.error(line)) });
  notifications = new NotificationSender({ db, raw, clock, secrets, clinic: () => settings, publicBaseUrl, smtpTimeoutMs: options.smtpTimeoutMs, changeLog, publish: (n) => changes.publish([...n]), log: options.log ?? ((line) => console.error(line)) });
  const stripeFollowUp = new StripeFollowUp({
    db,
    clock,
    publicBaseUrl,
    settings: () => settings,
    changeLog,
    changes,
    background,
    log: options.log ?? ((line) => console.error(line)),
    stripe: async () => {
      const key = await readSecret(secrets, 'stripe.secretKey');
      return key ? createStripeAdapter({ secretKey: key, apiBase: stripeApiBaseFrom(secrets.env) }) : null;
    },
  });
  const dispatch = createDispatcher({
    stripeFollowUp,
    publicBaseUrl,
    notifications: notifications ?? undefined,
    refusals,
    changes,
    changeLog,
    background,
    secrets: { box, env: secrets.env },
    db,
    clock,
    sessions: new SessionStore(),
    settings: () => settings,
    reloadSettings: async () => {
      settings = await loadSettings(db);
    },
    log: options.log,
  });
  if (options.backgroundWork !== false) {
    background.start();
    notifications.start();
    stripeFollowUp.start();
  }
  return {
    dataDir: options.dataDir,
    dbFile,
    raw,
    db,
    dispatch,
    schemaVersion,
    version: APP_VERSION,
    settings: () => settings,
    changes,
    clock,
    notices,
    flushAudit: () => refusals.flush(),
    recordRefusal: (refusal) => refusals.record(refusal),
    background,
    secrets,
    notifications,
    stripeFollowUp,
    setServerOrigin(origin) {
      serverOrigin = origin.replace(/\/+$/, '');
    },
    publicBaseUrl,
    async close() {
      await stripeFollowUp.stop();
      await background.stop();
      await notifications.stop();
      await refusals.close();
      await checkpointer.stop();
      try {
        raw.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // another process is reading; its own close will checkpoint
      }
      await db.destroy();
      release();
    },
  };
}
