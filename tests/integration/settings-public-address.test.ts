import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClinic, type Clinic } from '../helpers/booking.js';

/**
 * The patient page's public address (`publicBaseUrl`): links in e-mails and texts open it. An
 * admin sets it in Settings; the contract takes only an http(s) address without user name,
 * password, query or fragment, and says in plain words what is wrong, writing nothing.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const stored = () => clinic.app.raw.prepare("SELECT value FROM setting WHERE key = 'publicBaseUrl'").pluck().get() as string | undefined;

describe('the patient page’s public address', () => {
  it('an admin saves it (trailing slashes dropped); it is read back and used for links; empty goes back to the server’s own address', async () => {
    const saved = await clinic.ok('admin', 'settings/update', { publicBaseUrl: '  https://book.clinic.example/desk/  ' });
    expect(saved.publicBaseUrl).toBe('https://book.clinic.example/desk');
    expect((await clinic.ok('deskA', 'settings/get', {})).publicBaseUrl).toBe('https://book.clinic.example/desk');
    expect(clinic.app.publicBaseUrl()).toBe('https://book.clinic.example/desk');
    expect((await clinic.ok('admin', 'settings/update', { publicBaseUrl: '' })).publicBaseUrl).toBe('');
    expect(clinic.app.publicBaseUrl()).not.toBe('https://book.clinic.example/desk');
  });

  it('refuses what is not a plain http(s) address, naming the problem at the field, and writes nothing', async () => {
    await clinic.ok('admin', 'settings/update', { publicBaseUrl: 'https://clinic.example' });
    const before = stored();
    const cases: Array<[string, string]> = [
      ['clinic.example', 'Enter the whole address, starting with https://, such as https://clinic.example (or leave it empty).'],
      ['https://', 'Enter the whole address, starting with https://, such as https://clinic.example (or leave it empty).'],
      ['ftp://clinic.example', 'The address must start with https:// (or http://).'],
      ['javascript:alert(1)', 'The address must start with https:// (or http://).'],
      ['https://admin:secret@clinic.example', 'Leave out the user name and password (the part before @): patients must never see them.'],
      ['https://admin@clinic.example', 'Leave out the user name and password (the part before @): patients must never see them.'],
      ['https://clinic.example/?ref=mail', 'Leave out everything from ? or # on: links add their own part after the address.'],
      // A bare "?" or "#" vanishes when the address is parsed, but would end up in every link.
      ['https://clinic.example/?', 'Leave out everything from ? or # on: links add their own part after the address.'],
      ['https://clinic.example#', 'Leave out everything from ? or # on: links add their own part after the address.'],
      ['https://clinic.example/\nhttps://evil.example', 'Remove the spaces and line breaks from the address.'],
      [`https://clinic.example/${'a'.repeat(200)}`, 'At most 200 characters.'],
    ];
    for (const [value, message] of cases) {
      const err = await clinic.err('admin', 'settings/update', { publicBaseUrl: value }, 'validation/invalid-input');
      expect(err.fieldErrors?.publicBaseUrl, value).toEqual([message]);
    }
    const broken = await clinic.err('admin', 'settings/update', { publicBaseUrl: 'https://clinic.example/\uD800' }, 'validation/invalid-input');
    expect(broken.fieldErrors?.publicBaseUrl?.length).toBe(1);
    expect(stored()).toBe(before);
  });

  it('only an admin may change it', async () => {
    const out = await clinic.call('deskA', 'settings/update', { publicBaseUrl: 'https://evil.example' });
    expect(out.result.ok).toBe(false);
    expect((await clinic.ok('deskA', 'settings/get', {})).publicBaseUrl).toBe('');
  });
});
