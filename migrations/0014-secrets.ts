import type { Migration } from './types.js';

/**
 * Secrets (the Stripe secret key, the SMTP password, an SMS provider's token): one row per
 * name, sealed by the desk's secret box (Electron's safeStorage, or AES-256-GCM with a key file
 * readable only by its owner). A local table: never a change envelope, never synced, never
 * sent to the renderer. `hint` is what staff may see ("…4242").
 */
export const m0014Secrets: Migration = {
  name: '0014-secrets',
  up(raw) {
    raw.exec(`
      CREATE TABLE secret (
        name TEXT PRIMARY KEY,
        sealed BLOB NOT NULL,
        storage TEXT NOT NULL,
        hint TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT
      ) STRICT;
    `);
  },
};
