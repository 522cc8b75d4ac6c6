import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src-main/core/staff/password.js';

describe('password hashing (scrypt)', () => {
  it('stores scrypt parameters, a random salt and the key, and verifies only the right password', async () => {
    const [h1, h2] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword('correct horse battery', h1)).toBe(true);
    expect(await verifyPassword('correct horse battery', h2)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h1)).toBe(false);
    expect(await verifyPassword('', h1)).toBe(false);
  });

  it('compares passwords after NFKC normalisation', async () => {
    const composed = 'caf\u00e9-password';
    const decomposed = 'cafe\u0301-password';
    const hash = await hashPassword(composed);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it.each(['', 'plain-text', 'bcrypt$10$abc', 'scrypt$32768$8$1$onlysalt'])('rejects a malformed stored hash %j', async (stored) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});
