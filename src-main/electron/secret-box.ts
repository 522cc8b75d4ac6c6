/**
 * The desk's secret box in Electron: the operating system's keychain (Keychain, DPAPI,
 * libsecret/kwallet) through safeStorage. Where the OS offers no keychain (a bare Linux
 * session, where safeStorage would fall back to a hard-coded password), the key-file box is
 * used instead, so a secret is never stored under a key everyone knows.
 */
import type { SafeStorage } from 'electron';
import { keyFileBox, SecretBoxError, type SecretBox } from '../core/secrets/secret-box.js';

export function desktopSecretBox(safeStorage: SafeStorage, dataDir: string): SecretBox {
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) return keyFileBox(dataDir);
  return {
    storage: 'safe-storage',
    seal: (plain) => safeStorage.encryptString(plain),
    open(sealed) {
      try {
        return safeStorage.decryptString(sealed);
      } catch {
        throw new SecretBoxError('A stored secret cannot be opened by this computer’s keychain; set it again in Settings.');
      }
    },
  };
}
