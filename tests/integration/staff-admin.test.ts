import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditRowsAfter,
  call,
  callErr,
  callOk,
  DEMO,
  demoApp,
  lastAuditSeq,
  loginAs,
  tableCounts,
  type TestApp,
} from '../helpers/test-app.js';
import { envelopesAfter, lastEventSeq } from '../helpers/events.js';

/** Staff management handlers over a real SQLite file: role, active flag, passwords. */
let app: TestApp;
let admin: string;

beforeEach(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
});
afterEach(async () => app.dispose());

const staffRow = (username: string) =>
  app.raw.prepare('SELECT id, role, active, password_hash, session_epoch, failed_logins FROM staff WHERE username = ?').get(username) as {
    id: string;
    role: string;
    active: number;
    password_hash: string;
    session_epoch: number;
    failed_logins: number;
  };
const idOf = (username: string) => staffRow(username).id;
const outboxAfter = (seq: number) => envelopesAfter(app, seq);
const lastOutboxSeq = () => lastEventSeq(app);

/** Calls a handler that must refuse `input` with field errors and write nothing (but its audit row). */
async function refusedWithoutWrites(name: string, input: unknown, token: string, code = 'validation/invalid-input') {
  const before = { ...tableCounts(app), audit_log: 0 };
  const staffBefore = app.raw.prepare('SELECT * FROM staff ORDER BY id').all();
  const error = await callErr(app, name, input, token, code);
  expect({ ...tableCounts(app), audit_log: 0 }).toEqual(before);
  expect(app.raw.prepare('SELECT * FROM staff ORDER BY id').all()).toEqual(staffBefore);
  return error;
}

async function addAdmin(username = 'boss', password = 'second-admin-pw') {
  await callOk(app, 'staff/create', { username, displayName: 'Second Admin', role: 'admin', password }, admin);
  return loginAs(app, username, password);
}

describe('staff/set-role', () => {
  it('changes the role, audits who did it, emits the staff change and ends the person’s sessions', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const seq = lastAuditSeq(app);
    const out = lastOutboxSeq();
    const result = await callOk(app, 'staff/set-role', { staffId: idOf('reception'), role: 'admin' }, admin);
    expect(result.staff).toMatchObject({ username: 'reception', role: 'admin', active: true });
    expect(staffRow('reception')).toMatchObject({ role: 'admin', session_epoch: 1 });
    expect(auditRowsAfter(app, seq)).toMatchObject([
      { handler: 'staff/set-role', outcome: 'ok', actor_id: idOf('admin'), record_type: 'staff', record_id: idOf('reception') },
    ]);
    const [event, ...more] = outboxAfter(out);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ entity: 'staff', entityId: idOf('reception'), op: 'upsert', record: { role: 'admin', active: 1 } });
    const ended = await callErr(app, 'agenda/day', {}, desk, 'auth/session-ended');
    expect(ended.message).toBe('You were signed out because your role was changed to admin. Please sign in again.');
  });

  it('refuses bad input with field errors in plain words, writing nothing', async () => {
    const badRole = await refusedWithoutWrites('staff/set-role', { staffId: idOf('reception'), role: 'superuser' }, admin);
    expect(badRole.fieldErrors).toEqual({ role: ['Choose admin or receptionist.'] });
    const missing = await refusedWithoutWrites('staff/set-role', { role: 'admin' }, admin);
    expect(missing.fieldErrors).toEqual({ staffId: ['This field is required.'] });
    const extra = await refusedWithoutWrites('staff/set-role', { staffId: idOf('reception'), role: 'admin', active: false }, admin);
    expect(extra.fieldErrors).toEqual({ active: ['Unknown field.'] });
    const empty = await refusedWithoutWrites('staff/set-role', { staffId: '', role: 'admin' }, admin);
    expect(empty.fieldErrors).toEqual({ staffId: ['Choose a staff member.'] });
    const unknown = await refusedWithoutWrites('staff/set-role', { staffId: 'no-such-person', role: 'admin' }, admin, 'common/not-found');
    expect(unknown.message).toBe('That staff member was not found.');
  });

  it('is for admins only', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await refusedWithoutWrites('staff/set-role', { staffId: idOf('reception'), role: 'admin' }, desk, 'auth/forbidden');
    await refusedWithoutWrites('staff/set-active', { staffId: idOf('admin'), active: false }, desk, 'auth/forbidden');
    await refusedWithoutWrites('staff/reset-password', { staffId: idOf('admin'), newPassword: 'taken-over-123' }, desk, 'auth/forbidden');
  });

  it('never demotes the last active admin', async () => {
    const error = await refusedWithoutWrites('staff/set-role', { staffId: idOf('admin'), role: 'receptionist' }, admin, 'staff/last-admin');
    expect(error.message).toMatch(
      /^.+ is the last active admin\. Make another account an admin first, so someone can still manage staff and settings\.$/,
    );
  });

  it('lets an admin step down while another admin remains: this session goes on as receptionist, the others end', async () => {
    const elsewhere = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    await addAdmin();
    const outcome = await call(app, 'staff/set-role', { staffId: idOf('admin'), role: 'receptionist' }, admin);
    expect(outcome.result.ok).toBe(true);
    const rotated = outcome.session?.set;
    expect(rotated).toBeDefined();
    expect(await callOk(app, 'auth/session', {}, rotated)).toMatchObject({ staff: { username: 'admin', role: 'receptionist' } });
    await callErr(app, 'staff/list', {}, rotated, 'auth/forbidden');
    await callErr(app, 'staff/list', {}, elsewhere, 'auth/session-ended');
  });

  it('changing a role to the one it has is a no-op that ends nobody’s session', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await callOk(app, 'staff/set-role', { staffId: idOf('reception'), role: 'receptionist' }, admin);
    expect(staffRow('reception').session_epoch).toBe(0);
    await callOk(app, 'agenda/day', {}, desk);
  });
});

describe('staff/set-active', () => {
  it('deactivates (sessions end, sign-in refused) and reactivates, each audited', async () => {
    const seq = lastAuditSeq(app);
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const off = await callOk(app, 'staff/set-active', { staffId: idOf('reception'), active: false }, admin);
    expect(off.staff).toMatchObject({ username: 'reception', active: false });
    const ended = await callErr(app, 'agenda/day', {}, desk, 'auth/session-ended');
    expect(ended.message).toMatch(/^This account has been deactivated/);
    await callErr(app, 'auth/login', DEMO.reception, null, 'auth/invalid-credentials');
    const on = await callOk(app, 'staff/set-active', { staffId: idOf('reception'), active: true }, admin);
    expect(on.staff.active).toBe(true);
    await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const rows = auditRowsAfter(app, seq).filter((r) => r.handler === 'staff/set-active');
    expect(rows).toMatchObject([
      { outcome: 'ok', actor_id: idOf('admin'), record_id: idOf('reception') },
      { outcome: 'ok', actor_id: idOf('admin'), record_id: idOf('reception') },
    ]);
  });

  it('refuses bad input and protects the last admin and the admin’s own account', async () => {
    const notBool = await refusedWithoutWrites('staff/set-active', { staffId: idOf('reception'), active: 'no' }, admin);
    expect(notBool.fieldErrors).toEqual({ active: ['Choose active or deactivated.'] });
    const last = await refusedWithoutWrites('staff/set-active', { staffId: idOf('admin'), active: false }, admin, 'staff/last-admin');
    expect(last.message).toMatch(/last active admin/);
    await addAdmin();
    const self = await refusedWithoutWrites('staff/set-active', { staffId: idOf('admin'), active: false }, admin, 'staff/self-deactivate');
    expect(self.message).toBe('You cannot deactivate your own account. Another admin can do it.');
  });

  it('another admin may deactivate an admin; a deactivated admin no longer counts as one', async () => {
    const boss = await addAdmin();
    await callOk(app, 'staff/set-active', { staffId: idOf('admin'), active: false }, boss);
    await callErr(app, 'staff/list', {}, admin, 'auth/session-ended');
    // boss is now the only active admin: she cannot step down.
    await refusedWithoutWrites('staff/set-role', { staffId: idOf('boss'), role: 'receptionist' }, boss, 'staff/last-admin');
  });
});

describe('staff/reset-password', () => {
  it('sets a new password, clears the failure counter, ends the person’s sessions, and emits no password data', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await callErr(app, 'auth/login', { username: 'reception', password: 'wrong-guess' }, null, 'auth/invalid-credentials');
    const before = staffRow('reception');
    const out = lastOutboxSeq();
    await callOk(app, 'staff/reset-password', { staffId: before.id, newPassword: 'fresh-from-admin' }, admin);
    const after = staffRow('reception');
    expect(after.password_hash).not.toBe(before.password_hash);
    expect(after.failed_logins).toBe(0);
    const ended = await callErr(app, 'agenda/day', {}, desk, 'auth/session-ended');
    expect(ended.message).toBe('You were signed out because an administrator reset your password. Please sign in again.');
    await loginAs(app, 'reception', 'fresh-from-admin');
    const events = outboxAfter(out);
    // The account changed (its session epoch), and the envelope carries no password data.
    expect(events.map((e) => [e.entity, e.entityId])).toEqual([['staff', before.id]]);
    expect(JSON.stringify(events)).not.toMatch(/scrypt|fresh-from-admin|password_hash/);
  });

  it('refuses a weak password or an admin resetting their own, writing nothing', async () => {
    const weak = await refusedWithoutWrites('staff/reset-password', { staffId: idOf('reception'), newPassword: 'short' }, admin);
    expect(weak.fieldErrors).toEqual({ newPassword: ['Use at least 10 characters.'] });
    const own = await refusedWithoutWrites('staff/reset-password', { staffId: idOf('admin'), newPassword: 'my-own-new-pass' }, admin, 'staff/reset-own-password');
    expect(own.message).toMatch(/Change my password/);
  });
});

describe('auth/change-password', () => {
  it('needs the current password; keeps this session under a new token, ends the others', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const other = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const seq = lastAuditSeq(app);
    const outcome = await call(app, 'auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'my-better-password' }, desk);
    expect(outcome.result).toEqual({ ok: true, data: { ok: true } });
    const next = outcome.session!.set!;
    await callOk(app, 'agenda/day', {}, next);
    const ended = await callErr(app, 'agenda/day', {}, other, 'auth/session-ended');
    expect(ended.message).toBe('You were signed out because your password was changed. Please sign in again.');
    expect(auditRowsAfter(app, seq).filter((r) => r.handler === 'auth/change-password')).toMatchObject([{ handler: 'auth/change-password', outcome: 'ok', actor_id: idOf('reception'), record_id: idOf('reception') }]);
    await loginAs(app, 'reception', 'my-better-password');
  });

  it('a wrong current password changes nothing but the failure counter, and repeated ones are slowed down', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const before = staffRow('reception');
    const wrong = await callErr(app, 'auth/change-password', { currentPassword: 'not-it', newPassword: 'my-better-password' }, desk, 'auth/invalid-credentials');
    expect(wrong.fieldErrors).toEqual({ currentPassword: ['Wrong password.'] });
    expect(staffRow('reception')).toEqual({ ...before, failed_logins: 1 });
    await callErr(app, 'auth/change-password', { currentPassword: 'not-it', newPassword: 'my-better-password' }, desk, 'auth/invalid-credentials');
    await callErr(app, 'auth/change-password', { currentPassword: 'not-it', newPassword: 'my-better-password' }, desk, 'auth/invalid-credentials');
    // Now throttled: even the right password waits.
    const throttled = await callErr(
      app,
      'auth/change-password',
      { currentPassword: DEMO.reception.password, newPassword: 'my-better-password' },
      desk,
      'auth/throttled',
    );
    expect(throttled.message).toMatch(/Try again in \d+ seconds?\./);
    expect(staffRow('reception').password_hash).toBe(before.password_hash);
    await callOk(app, 'agenda/day', {}, desk); // the session itself is untouched
  });

  it('refuses bad input in plain words, writing nothing', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const short = await refusedWithoutWrites('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'short' }, desk);
    expect(short.fieldErrors).toEqual({ newPassword: ['Use at least 10 characters.'] });
    const noCurrent = await refusedWithoutWrites('auth/change-password', { currentPassword: '', newPassword: 'my-better-password' }, desk);
    expect(noCurrent.fieldErrors).toEqual({ currentPassword: ['Enter your current password.'] });
    const same = await refusedWithoutWrites('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: DEMO.reception.password }, desk);
    expect(same.fieldErrors).toEqual({ newPassword: ['Choose a password different from the current one.'] });
    const huge = await refusedWithoutWrites('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'x'.repeat(300) }, desk);
    expect(huge.fieldErrors).toEqual({ newPassword: ['At most 256 characters.'] });
    await refusedWithoutWrites('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'my-better-password' }, null as unknown as string, 'auth/unauthenticated');
  });

  it('a locked session must unlock first', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    app.clock.advance({ minutes: 11 });
    await refusedWithoutWrites('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'my-better-password' }, desk, 'auth/locked');
  });

  it('hashes outside the write lock: another writer gets the lock while the change is being checked', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    const other = new Database(app.dbFile);
    other.pragma('busy_timeout = 0');
    let settled = false;
    const change = app
      .dispatch('auth/change-password', { currentPassword: DEMO.reception.password, newPassword: 'my-better-password' }, { sessionToken: desk })
      .finally(() => {
        settled = true;
      });
    let got = 0;
    while (!settled) {
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec('COMMIT');
        got++;
      } catch {
        // the short write at the end holds it
      }
      await new Promise((r) => setImmediate(r));
    }
    other.close();
    expect((await change).result.ok).toBe(true);
    expect(got).toBeGreaterThan(0);
  });
});

describe('auth/session says why a desk was signed out', () => {
  it('reports the reason once the session ended, and nothing for a desk that never signed in', async () => {
    const desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
    await callOk(app, 'staff/set-active', { staffId: idOf('reception'), active: false }, admin);
    expect(await callOk(app, 'auth/session', {}, desk)).toMatchObject({ staff: null, signedOutReason: expect.stringMatching(/deactivated/) });
    expect(await callOk(app, 'auth/session', {}, null)).toMatchObject({ staff: null, signedOutReason: null });
  });
});
