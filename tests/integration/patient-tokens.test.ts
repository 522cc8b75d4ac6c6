import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openApp } from '../../src-main/app.js';
import { openRaw } from '../../src-main/core/db/database.js';
import { migrate } from '../../src-main/core/db/migrate.js';
import { sha256Hex } from '../../src-main/core/util/hash.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';
import { auditRowsAfter, callErr, callOk, count, DEMO, demoApp, lastAuditSeq, loginAs, type TestApp } from '../helpers/test-app.js';
import { basicRegistration, dispatchErr, dispatchOk, register, type FreshRegistration } from '../helpers/patients.js';

const INVALID = "Your access link has expired or was replaced. Ask the clinic's front desk for a new one, or use the link in your latest confirmation e-mail.";
const DAY_MINUTES = 24 * 60;
/** Anonymous callers must use keys of at least 32 characters. */
const KEY = '5d0f7c1e-8a3b-4c2d-9e6f-0a1b2c3d4e5f';

let app: TestApp;
let reception: string;
let admin: string;
let seq = 0;

const asPatient = (token: string) => ({ patientToken: token });
const tokenRows = (patientId: string) =>
  app.raw.prepare('SELECT * FROM patient_token WHERE patient_id = ? ORDER BY created_at, rowid').all(patientId) as Array<Record<string, unknown>>;

async function kiosk(given: string, extra: Record<string, unknown> = {}): Promise<FreshRegistration> {
  seq += 1;
  return register(app, basicRegistration({ givenName: given, familyName: 'Tokens', dateOfBirth: '1980-02-02', phone: `202 555 ${String(3000 + seq)}` }, extra), null);
}

beforeAll(async () => {
  app = await demoApp();
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
});
afterAll(async () => {
  await app.dispose();
});

describe('the dispatcher resolves a patient token through patient_token', () => {
  it('a registration stores one device token as a hash, valid for 30 days; the patient column keeps no token', async () => {
    const me = await kiosk('Hashed');
    expect(tokenRows(me.patientId)).toEqual([
      {
        id: expect.any(String),
        patient_id: me.patientId,
        kind: 'device',
        token_hash: sha256Hex(me.accessToken),
        created_at: '2026-03-11T15:00:00.000Z',
        expires_at: '2026-04-10T15:00:00.000Z',
        last_used_at: null,
        revoked_at: null,
        revoked_reason: null,
      },
    ]);
    expect(app.raw.prepare('SELECT access_token_hash FROM patient WHERE id = ?').get(me.patientId)).toEqual({ access_token_hash: null });
  });

  it('a revoked token row is refused with the patient wording', async () => {
    const me = await kiosk('Revoked');
    await dispatchOk(app, 'patient/get', { patientId: me.patientId }, asPatient(me.accessToken));
    app.raw.prepare("UPDATE patient_token SET revoked_at = '2026-03-11T15:00:00.000Z', revoked_reason = 'staff' WHERE patient_id = ?").run(me.patientId);
    const { status, error } = await dispatchErr(app, 'patient/get', { patientId: me.patientId }, asPatient(me.accessToken), 'auth/patient-token-invalid');
    expect(status).toBe(401);
    expect(error).toEqual({ code: 'auth/patient-token-invalid', message: INVALID });
  });

  it('an expired token row is refused; one that expires later still works', async () => {
    const me = await kiosk('Expiring');
    app.raw.prepare("UPDATE patient_token SET created_at = '2026-02-09T15:00:00.000Z', expires_at = '2026-03-11T15:00:00.000Z' WHERE patient_id = ?").run(me.patientId);
    await dispatchErr(app, 'appointment/history', {}, asPatient(me.accessToken), 'auth/patient-token-invalid');
    app.raw.prepare("UPDATE patient_token SET expires_at = '2026-03-11T15:00:00.001Z' WHERE patient_id = ?").run(me.patientId);
    await dispatchOk(app, 'appointment/history', {}, asPatient(me.accessToken));
  });

  it('a one-time sign-in link is never accepted as a bearer token', async () => {
    const me = await kiosk('Linked');
    app.raw.prepare("UPDATE patient_token SET kind = 'sign_in_link' WHERE patient_id = ?").run(me.patientId);
    await dispatchErr(app, 'patient/get', { patientId: me.patientId }, asPatient(me.accessToken), 'auth/patient-token-invalid');
  });

  it('notes when a token was last used, at most every 5 minutes', async () => {
    const me = await kiosk('Used');
    await dispatchOk(app, 'appointment/history', {}, asPatient(me.accessToken));
    expect(tokenRows(me.patientId)[0]!.last_used_at).toBe('2026-03-11T15:00:00.000Z');
    try {
      app.clock.advance({ minutes: 4 });
      await dispatchOk(app, 'appointment/history', {}, asPatient(me.accessToken));
      expect(tokenRows(me.patientId)[0]!.last_used_at).toBe('2026-03-11T15:00:00.000Z');
      app.clock.advance({ minutes: 1 });
      await dispatchOk(app, 'appointment/history', {}, asPatient(me.accessToken));
      expect(tokenRows(me.patientId)[0]!.last_used_at).toBe('2026-03-11T15:05:00.000Z');
    } finally {
      app.clock.advance({ minutes: -5 });
    }
  });

  it('a missing token on a patient endpoint says what a patient should do; staff-only handlers keep "Please sign in."', async () => {
    const missing = await dispatchErr(app, 'appointment/history', {}, {}, 'auth/patient-token-missing');
    expect(missing.status).toBe(401);
    expect(missing.error.message).toBe(
      "This needs your patient access link. Ask the clinic's front desk for one, or use the link in your latest confirmation e-mail. (Clinic staff: sign in first.)",
    );
    const staffOnly = await dispatchErr(app, 'patient/search', { query: 'x' }, { patientToken: 'nonsense' }, 'auth/unauthenticated');
    expect(staffOnly.error.message).toBe('Please sign in.');
    // A desk whose session ended keeps the staff wording (its screen signs in again on it).
    await dispatchErr(app, 'appointment/history', { patientId: 'p' }, { sessionToken: 'ended-session' }, 'auth/unauthenticated');
  });
});

describe('a replayed registration (the same idempotency key and body again)', () => {
  it('anonymously: the same patient id, no token, a message; the original token keeps working and no token is added', async () => {
    const input = basicRegistration({ givenName: 'Replayed', familyName: 'Kiosk', phone: '202 555 3901' }, { idempotencyKey: KEY });
    const first = await register(app, input, null);
    const seqBefore = lastAuditSeq(app);
    const replay = await dispatchOk(app, 'patient/register', input, {});
    expect(replay).toEqual({
      patientId: first.patientId,
      replayed: true,
      message:
        "You are already registered. For access to your appointments, ask the clinic's front desk, or use the link in the confirmation e-mail the clinic sends you.",
    });
    expect(tokenRows(first.patientId)).toHaveLength(1);
    await dispatchOk(app, 'patient/get', { patientId: first.patientId }, asPatient(first.accessToken));
    expect(auditRowsAfter(app, seqBefore)[0]).toMatchObject({ handler: 'patient/register', actor_kind: 'anonymous', outcome: 'ok', detail: 'idempotent replay' });
  });

  it('the same key with another body answers key-reused and discloses nothing', async () => {
    const other = basicRegistration({ givenName: 'Someone', familyName: 'Else', phone: '202 555 3902' }, { idempotencyKey: KEY });
    const { error } = await dispatchErr(app, 'patient/register', other, {}, 'idempotency/key-reused');
    expect(JSON.stringify(error)).not.toMatch(/Replayed|patientId|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('anonymous keys must have at least 32 characters; staff keys are their own and may be shorter', async () => {
    const patients = count(app, 'patient');
    const short = basicRegistration({ givenName: 'Short', familyName: 'Key', phone: '202 555 3903' }, { idempotencyKey: 'k'.repeat(31) });
    const { error } = await dispatchErr(app, 'patient/register', short, {}, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ idempotencyKey: ['Without signing in, use a random key of at least 32 characters (for example a UUID).'] });
    expect(count(app, 'patient')).toBe(patients);
    await dispatchOk(app, 'patient/register', { ...short, idempotencyKey: 'k'.repeat(32) }, {});
    await callOk(app, 'patient/register', { ...short, basic: { ...short.basic, phone: '202 555 3904' }, idempotencyKey: 'desk-key', overrideDuplicates: true }, reception);
  });
});

describe('patient/rotate-access', () => {
  it('issues a fresh token with a new lifetime and revokes the one it was called with', async () => {
    const me = await kiosk('Rotating');
    const seqBefore = lastAuditSeq(app);
    app.clock.advance({ minutes: 10 * DAY_MINUTES });
    try {
      const next = await dispatchOk(app, 'patient/rotate-access', {}, asPatient(me.accessToken));
      expect(next).toEqual({ accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), expiresAt: '2026-04-20T15:00:00.000Z' });
      expect(next.accessToken).not.toBe(me.accessToken);
      await dispatchErr(app, 'patient/get', { patientId: me.patientId }, asPatient(me.accessToken), 'auth/patient-token-invalid');
      await dispatchOk(app, 'patient/get', { patientId: me.patientId }, asPatient(next.accessToken));
      expect(tokenRows(me.patientId).map((r) => [r.revoked_reason, r.expires_at])).toEqual([
        ['rotated', '2026-04-10T15:00:00.000Z'],
        [null, '2026-04-20T15:00:00.000Z'],
      ]);
      expect(auditRowsAfter(app, seqBefore)[0]).toMatchObject({ handler: 'patient/rotate-access', actor_kind: 'patient', actor_id: me.patientId, record_id: me.patientId, outcome: 'ok' });
    } finally {
      app.clock.advance({ minutes: -10 * DAY_MINUTES });
    }
  });

  it('two rotations racing with one token: exactly one gets a successor', async () => {
    const me = await kiosk('Racing');
    const outcomes = await Promise.all([1, 2, 3].map(() => app.dispatch('patient/rotate-access', {}, asPatient(me.accessToken))));
    expect(outcomes.filter((o) => o.result.ok)).toHaveLength(1);
    for (const o of outcomes.filter((x) => !x.result.ok)) {
      expect(o.result).toEqual({ ok: false, error: { code: 'auth/patient-token-invalid', message: INVALID } });
    }
    expect(tokenRows(me.patientId).filter((r) => r.revoked_at === null)).toHaveLength(1);
  });

  it('is for patients only', async () => {
    await callErr(app, 'patient/rotate-access', {}, reception, 'auth/forbidden');
    await dispatchErr(app, 'patient/rotate-access', {}, {}, 'auth/patient-token-missing');
  });
});

describe('staff revoke a patient’s tokens from the record', () => {
  it('a receptionist sees the active tokens and revokes them all; the revocation is audited (and, being local, not synced)', async () => {
    const me = await kiosk('Lost Phone');
    await dispatchOk(app, 'appointment/history', {}, asPatient(me.accessToken));
    expect(await callOk(app, 'patient/access-summary', { patientId: me.patientId }, reception)).toEqual({
      activeTokens: 1,
      lastUsedAt: '2026-03-11T15:00:00.000Z',
      tokens: [{ kind: 'device', createdAt: '2026-03-11T15:00:00.000Z', expiresAt: '2026-04-10T15:00:00.000Z', lastUsedAt: '2026-03-11T15:00:00.000Z' }],
    });
    const seqBefore = lastAuditSeq(app);
    const events = count(app, 'event');
    expect(await callOk(app, 'patient/revoke-access', { patientId: me.patientId }, reception)).toEqual({ revoked: 1 });
    await dispatchErr(app, 'appointment/history', {}, asPatient(me.accessToken), 'auth/patient-token-invalid');
    expect((await callOk(app, 'patient/access-summary', { patientId: me.patientId }, admin)).activeTokens).toBe(0);
    expect(auditRowsAfter(app, seqBefore)[0]).toMatchObject({ handler: 'patient/revoke-access', actor_kind: 'staff', record_type: 'patient', record_id: me.patientId, outcome: 'ok' });
    // Tokens are this desk's credentials: never copied to other desks, so no change envelope.
    expect(count(app, 'event')).toBe(events);
    expect(tokenRows(me.patientId)[0]).toMatchObject({ revoked_at: '2026-03-11T15:00:00.000Z', revoked_reason: 'staff' });
    // Again: nothing left to revoke.
    expect(await callOk(app, 'patient/revoke-access', { patientId: me.patientId }, admin)).toEqual({ revoked: 0 });
  });

  it('a patient cannot revoke or list tokens; an unknown patient is not found', async () => {
    const me = await kiosk('Curious');
    await dispatchErr(app, 'patient/revoke-access', { patientId: me.patientId }, asPatient(me.accessToken), 'auth/forbidden');
    await dispatchErr(app, 'patient/access-summary', { patientId: me.patientId }, asPatient(me.accessToken), 'auth/forbidden');
    await dispatchErr(app, 'patient/revoke-access', { patientId: me.patientId }, {}, 'auth/unauthenticated');
    await callErr(app, 'patient/revoke-access', { patientId: 'no-such-patient' }, reception, 'common/not-found');
    await dispatchOk(app, 'patient/get', { patientId: me.patientId }, asPatient(me.accessToken));
  });
});

describe('migration 0006 carries existing tokens over', () => {
  it('a token stored on patient.access_token_hash keeps working for 30 days after the upgrade, then stops', async () => {
    const dir = tempDataDir();
    try {
      const file = path.join(dir, 'clinic-desk.sqlite');
      const raw = openRaw(file);
      migrate(raw, file, migrations.slice(0, 5));
      raw
        .prepare(
          `INSERT INTO patient (id, number, given_name, family_name, date_of_birth, sex, access_token_hash, created_at, created_by_kind, updated_at)
           VALUES ('old-patient', 1, 'Olga', 'Older', '1950-01-01', 'female', ?, '2026-01-01T00:00:00.000Z', 'anonymous', '2026-01-01T00:00:00.000Z')`,
        )
        .run(sha256Hex('an-old-token-from-before-0006-xyz'));
      raw.close();

      const clock = new FakeClock(new Date().toISOString());
      const upgraded = await openApp({ dataDir: dir, clock, log: () => {} });
      try {
        const caller = { patientToken: 'an-old-token-from-before-0006-xyz' };
        const ok = await upgraded.dispatch('appointment/history', {}, caller);
        expect(ok.result.ok).toBe(true);
        expect(upgraded.raw.prepare('SELECT access_token_hash FROM patient').get()).toEqual({ access_token_hash: null });
        expect(upgraded.raw.prepare('SELECT kind, patient_id, revoked_at FROM patient_token').all()).toEqual([{ kind: 'device', patient_id: 'old-patient', revoked_at: null }]);
        clock.advance({ minutes: 30 * DAY_MINUTES + 5 });
        const late = await upgraded.dispatch('appointment/history', {}, caller);
        expect(late.result).toEqual({ ok: false, error: { code: 'auth/patient-token-invalid', message: INVALID } });
      } finally {
        await upgraded.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
