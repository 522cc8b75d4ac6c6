/**
 * How this desk seals secrets at rest. Two boxes:
 *  - Electron: the operating system's keychain through `safeStorage` (the Electron shell builds
 *    that box in src-main/electron/secret-box.ts — this module never imports electron);
 *  - web mode and the server: AES-256-GCM with a 32-byte key in `<data dir>/secret.key`,
 *    created with mode 0600 and refused if anyone but its owner may read it.
 * A sealed value is useless without its box: copying the database file alone leaks nothing.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface SecretBox {
  /** Where the key lives, in words for the Settings screen ("the operating system's keychain"). */
  readonly storage: 'safe-storage' | 'key-file';
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export const KEY_FILE_NAME = 'secret.key';
const VERSION = 1;

/** AES-256-GCM: [version 1 byte][iv 12][tag 16][ciphertext]. */
export function aesBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError('The secret key must be 32 bytes.');
  return {
    storage: 'key-file',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed.length < 29 || sealed[0] !== VERSION) throw new SecretBoxError('A stored secret is damaged; set it again in Settings.');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('A stored secret cannot be opened with this desk’s key (the key file was replaced?); set it again in Settings.');
      }
    },
  };
}

/**
 * The key-file box of a data directory: reads `secret.key`, or creates it (0600, exclusive
 * create, so two processes starting together never write two keys). A key file that group or
 * others may read is refused with the command that fixes it.
 */
export function keyFileBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, KEY_FILE_NAME);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(32));
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new SecretBoxError(`The secret key file ${file} may be read by other users. Run: chmod 600 "${file}"`);
  }
  const key = readFileSync(file);
  if (key.length !== 32) throw new SecretBoxError(`The secret key file ${file} is damaged (it must hold 32 bytes). Restore it from a backup, or remove it and set the secrets again.`);
  return aesBox(key);
}
