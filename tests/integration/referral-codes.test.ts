import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { tableCounts } from '../helpers/test-app.js';
import { confirmRedemption, extendRedemption, releaseRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import type { DomainError } from '../../src-main/core/errors.js';
import { envelopesOf } from '../helpers/events.js';

let clinic: Clinic;
const freshClinicEach = () => {
  beforeEach(async () => {
    clinic = await openClinic({ patients: 3 });
  });
  afterEach(async () => {
    await clinic.dispose();
  });
};

const withoutAudit = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([k]) => k !== 'audit_log'));

async function save(overrides: Record<string, unknown> = {}) {
  return (await clinic.ok('admin', 'referral/save', codeInput(overrides))).code;
}

const check = (code: string, consultationTypeId: string = IDS.general, patient?: number) =>
  clinic.ok('deskA', 'referral/check', { code, consultationTypeId, ...(patient === undefined ? {} : { patientId: clinic.patients[patient]!.patientId }) });

describe('referral codes: the admin part', () => {
  describe('with a fresh clinic each', () => {
  freshClinicEach();
  it('creates, lists, edits with its version, deactivates and reactivates; audited, emitted, never deleted', async () => {
    const created = await save({ code: 'summer-10' });
    expect(created).toMatchObject({ code: 'SUMMER-10', currency: 'USD', active: true, version: 1, used: 0, reserved: 0 });
    const list = await clinic.ok('admin', 'referral/list', {});
    expect(list.codes.map((c) => c.code)).toEqual(['SUMMER-10']);
    expect(list.currency).toBe('USD');

    const edited = await clinic.ok('admin', 'referral/save', codeInput({ id: created.id, version: 1, code: 'SUMMER-10', usageLimit: 5 }));
    expect(edited.code).toMatchObject({ usageLimit: 5, version: 2 });
    // A stale edit (version 1 again) is refused and changes nothing.
    await clinic.err('admin', 'referral/save', codeInput({ id: created.id, version: 1, usageLimit: 9 }), 'referral/stale');
    const off = await clinic.ok('admin', 'referral/set-active', { id: created.id, version: 2, active: false });
    expect(off.code).toMatchObject({ active: false, version: 3, usageLimit: 5 });
    const on = await clinic.ok('admin', 'referral/set-active', { id: created.id, version: 3, active: true });
    expect(on.code).toMatchObject({ active: true, version: 4 });

    // One change envelope per write (create, edit, deactivate, reactivate), with the version.
    expect(envelopesOf(clinic.app, 'referral_code', created.id).map((e) => [e.op, e.version])).toEqual([
      ['upsert', 1],
      ['upsert', 2],
      ['upsert', 3],
      ['upsert', 4],
    ]);
    const audit = clinic.app.raw.prepare("SELECT handler, outcome, record_id FROM audit_log WHERE handler LIKE 'referral/%' ORDER BY seq").all();
    expect(audit).toContainEqual({ handler: 'referral/set-active', outcome: 'ok', record_id: created.id });
    expect(() => clinic.app.raw.prepare('DELETE FROM referral_code').run()).toThrow(/referral\/no-delete/);
  });

  it('codes are unique without regard to case', async () => {
    await save({ code: 'WELCOME' });
    const error = await clinic.err('admin', 'referral/save', codeInput({ code: 'welcome' }), 'validation/invalid-input');
    expect(error.fieldErrors?.code?.[0]).toMatch(/already called this/);
  });

  it('is for admins: a receptionist cannot list or save, and a patient cannot either', async () => {
    await clinic.err('deskA', 'referral/save', codeInput(), 'auth/forbidden');
    await clinic.err('deskA', 'referral/list', {}, 'auth/forbidden');
    await clinic.err({ patientToken: clinic.patients[0]!.accessToken }, 'referral/save', codeInput(), 'auth/forbidden');
    expect(clinic.app.raw.prepare('SELECT count(*) AS n FROM referral_code').get()).toEqual({ n: 0 });
  });

  });

  describe('bad input is refused with a field error and writes nothing', () => {
    // Nothing is written, so one clinic serves every case.
    beforeAll(async () => {
      clinic = await openClinic({ patients: 1 });
    });
    afterAll(async () => {
      await clinic.dispose();
    });
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['a negative amount', { discount: { kind: 'fixed', amountMinor: -100, currency: 'USD' } }, 'discount.amountMinor', /cannot be negative/],
      ['a fractional minor unit', { discount: { kind: 'fixed', amountMinor: 10.5, currency: 'USD' } }, 'discount.amountMinor', /whole minor units/],
      ['an overflowing amount', { minAmountMinor: Number.MAX_SAFE_INTEGER }, 'minAmountMinor', /too large/],
      ['an unsafe number', { minAmountMinor: 1e300 }, 'minAmountMinor', /too large/],
      ['an unknown currency', { discount: { kind: 'fixed', amountMinor: 100, currency: 'ZZZ' } }, 'discount.currency', /Unknown currency/],
      ['a discount over 100 %', { discount: { kind: 'percent', bp: 10_001, capMinor: null } }, 'discount.bp', /At most 100 %/],
      ['a zero percentage', { discount: { kind: 'percent', bp: 0, capMinor: null } }, 'discount.bp', /above 0 %/],
      ['a fractional basis point', { discount: { kind: 'percent', bp: 12.5, capMinor: null } }, 'discount.bp', /two decimals/],
      ['a fixed discount in another currency', { discount: { kind: 'fixed', amountMinor: 500, currency: 'EUR' } }, 'discount.currency', /clinic’s currency, USD/],
      ['a fixed commission in another currency', { commission: { kind: 'fixed', amountMinor: 500, currency: 'EUR' } }, 'commission.currency', /clinic’s currency, USD/],
      ['a commission over 100 %', { commission: { kind: 'percent', bp: 20_000 } }, 'commission.bp', /At most 100 %/],
      ['an inverted validity window', { validFrom: '2026-07-01', validUntil: '2026-06-30' }, 'validUntil', /on or after the first day/],
      ['an impossible date', { validFrom: '2026-02-30' }, 'validFrom', /whole date that exists/],
      ['a code with spaces', { code: 'SUMMER 10' }, 'code', /letters A–Z, digits and dashes/],
      ['a code with a lone surrogate', { code: 'AB\ud800C' }, 'code', /letters A–Z/],
      ['a too long code', { code: 'A'.repeat(33) }, 'code', /at most 32/],
      ['a usage limit of zero', { usageLimit: 0 }, 'usageLimit', /At least 1/],
      ['an unknown consultation type', { consultationTypeIds: ['no-such-type'] }, 'consultationTypeIds', /does not exist/],
      ['a missing agent', { agentName: '  ' }, 'agentName', /required/],
      ['a line break flood in the payout', { agentPayout: 'x\n'.repeat(300) }, 'agentPayout', /At most 500/],
    ];
    it.each(cases)('%s', async (_label, overrides, field, message) => {
      const before = withoutAudit(tableCounts(clinic.app));
      const error = await clinic.err('admin', 'referral/save', codeInput(overrides), 'validation/invalid-input');
      expect(error.fieldErrors?.[field]?.join(' '), JSON.stringify(error.fieldErrors)).toMatch(message);
      expect(withoutAudit(tableCounts(clinic.app))).toEqual(before);
    });
  });

  describe('consultation types', () => {
  freshClinicEach();
  it('are priced in the clinic’s currency only', async () => {
    const input = { name: 'Euro visit', kind: 'other', durationMinutes: 15, priceMinor: 5000, currency: 'EUR', specializationIds: [IDS.gp] };
    const before = withoutAudit(tableCounts(clinic.app));
    const error = await clinic.err('admin', 'roster/save-consultation-type', input, 'validation/invalid-input');
    expect(error.fieldErrors?.currency?.[0]).toMatch(/clinic’s currency, USD/);
    expect(withoutAudit(tableCounts(clinic.app))).toEqual(before);
    const { id } = await clinic.ok('admin', 'roster/save-consultation-type', { ...input, currency: 'USD' });
    expect(clinic.app.raw.prepare('SELECT currency FROM consultation_type WHERE id = ?').get(id)).toEqual({ currency: 'USD' });
  });
  });
});

describe('checking a code as it is typed', () => {
  freshClinicEach();
  it('gives the price breakdown for a valid code, computed once', async () => {
    await save({ code: 'TEN', discount: { kind: 'percent', bp: 1050, capMinor: null } });
    // 10.5 % of 60.00 = 6.30
    expect(await check('ten')).toEqual({
      valid: true,
      reason: null,
      message: 'Code TEN: $6.30 off.',
      breakdown: { currency: 'USD', baseMinor: 6000, discountMinor: 630, totalMinor: 5370 },
    });
    await save({ code: 'CAPPED', discount: { kind: 'percent', bp: 5000, capMinor: 2000 } });
    expect((await check('CAPPED', IDS.cardiology)).breakdown).toEqual({ currency: 'USD', baseMinor: 15000, discountMinor: 2000, totalMinor: 13000 });
    await save({ code: 'BIGFIX', discount: { kind: 'fixed', amountMinor: 999_999, currency: 'USD' } });
    expect((await check('BIGFIX')).breakdown).toEqual({ currency: 'USD', baseMinor: 6000, discountMinor: 6000, totalMinor: 0 });
  });

  it('says why a code fails, in plain words, for each reason', async () => {
    // The clinic is in New York; now is 2026-06-01 08:00 there.
    const off = await save({ code: 'OFF' });
    await clinic.ok('admin', 'referral/set-active', { id: off.id, version: 1, active: false });
    await save({ code: 'LATER', validFrom: '2026-06-02' });
    await save({ code: 'TODAY-ONLY', validFrom: '2026-06-01', validUntil: '2026-06-01' });
    await save({ code: 'OLD', validUntil: '2026-05-31' });
    await save({ code: 'CARDIO', consultationTypeIds: [IDS.cardiology] });
    await save({ code: 'BIG-ONLY', minAmountMinor: 10_000 });
    // Broken text is a field error (the contract's one rule), not an unknown code.
    const garbage = await clinic.err('deskA', 'referral/check', { code: 'x\ud800\n', consultationTypeId: IDS.general }, 'validation/invalid-input');
    expect(Object.keys(garbage.fieldErrors ?? {})).toEqual(['code']);
    const results = {
      unknown: await check('NOPE'),
      deactivated: await check('off'),
      later: await check('LATER'),
      old: await check('OLD'),
      cardio: await check('CARDIO'),
      big: await check('BIG-ONLY'),
    };
    expect(Object.fromEntries(Object.entries(results).map(([k, r]) => [k, [r.valid, r.reason, r.message]]))).toEqual({
      unknown: [false, 'unknown', 'There is no referral code “NOPE”. Check the spelling.'],
      deactivated: [false, 'deactivated', 'The code OFF has been deactivated.'],
      later: [false, 'not-yet-valid', 'The code LATER can be used from 2 June 2026.'],
      old: [false, 'expired', 'The code OLD expired on 31 May 2026.'],
      cardio: [false, 'not-for-consultation', 'The code CARDIO is not for this consultation.'],
      big: [false, 'below-minimum', 'The code BIG-ONLY needs a price of at least $100.00.'],
    });
    // A failing code still shows the plain price.
    expect(results.old.breakdown).toEqual({ currency: 'USD', baseMinor: 6000, discountMinor: 0, totalMinor: 6000 });
    expect((await check('TODAY-ONLY')).valid).toBe(true);
    expect((await check('CARDIO', IDS.cardiology)).valid).toBe(true);
    // The window is in the clinic's zone: 03:59 UTC on 2 June is still 1 June in New York.
    await clinic.setNow('2026-06-02T03:59:00.000Z');
    expect((await check('TODAY-ONLY')).valid).toBe(true);
    expect((await check('LATER')).reason).toBe('not-yet-valid');
    await clinic.setNow('2026-06-02T04:00:00.000Z');
    expect((await check('TODAY-ONLY')).reason).toBe('expired');
    expect((await check('LATER')).valid).toBe(true);
  });

  it('used up, and already used by this patient (reservations count until they expire)', async () => {
    await save({ code: 'ONCE-EACH', usageLimit: 2, perPatientLimit: 1 });
    const p = clinic.patients.map((x) => x.patientId);
    const reserve = (patient: string) =>
      inTransaction(clinic.app, clinic.clock, (ctx) =>
        reserveRedemption(ctx, { code: 'once-each', patientId: patient, consultationTypeId: IDS.general, baseAmount: { minor: 6000, currency: 'USD' } }),
      );
    const first = await reserve(p[0]!);
    expect(first.breakdown).toEqual({ currency: 'USD', baseMinor: 6000, discountMinor: 600, totalMinor: 5400 });
    expect(await check('ONCE-EACH', IDS.general, 0)).toMatchObject({ valid: false, reason: 'patient-limit', message: 'This patient has already used the code ONCE-EACH.' });
    expect(await clinic.asPatient(clinic.patients[0]!, 'referral/check', { code: 'ONCE-EACH', consultationTypeId: IDS.general })).toMatchObject({
      reason: 'patient-limit',
      message: 'You have already used the code ONCE-EACH.',
    });
    await expect(reserve(p[0]!)).rejects.toMatchObject({ code: 'referral/patient-limit' } satisfies Partial<DomainError>);
    await reserve(p[1]!);
    expect(await check('ONCE-EACH', IDS.general, 2)).toMatchObject({ reason: 'used-up', message: 'The code ONCE-EACH has been used up.' });
    await expect(reserve(p[2]!)).rejects.toMatchObject({ code: 'referral/used-up' });

    // Releasing gives the use back, at once.
    await inTransaction(clinic.app, clinic.clock, (ctx) => releaseRedemption(ctx, first.redemptionId, 'payment failed'));
    expect((await check('ONCE-EACH', IDS.general, 2)).valid).toBe(true);
    const third = await reserve(p[2]!);
    expect((await clinic.ok('admin', 'referral/list', {})).codes[0]).toMatchObject({ used: 0, reserved: 2 });

    // A reservation expires with its hold (the clinic's 5 minutes here): then it no longer counts.
    await clinic.advance({ minutes: 6 });
    expect((await clinic.ok('admin', 'referral/list', {})).codes[0]).toMatchObject({ used: 0, reserved: 0 });
    expect((await check('ONCE-EACH', IDS.general, 0)).valid).toBe(true);
    const fresh = await reserve(p[0]!);
    // Confirming an expired reservation works only while a use is left: two are free, so it does.
    const appointment = await clinic.book('deskA', { patient: 2, doctorId: IDS.grey, date: '2026-06-02', time: '09:00' });
    await inTransaction(clinic.app, clinic.clock, (ctx) => confirmRedemption(ctx, third.redemptionId, appointment.id));
    expect((await clinic.ok('admin', 'referral/list', {})).codes[0]).toMatchObject({ used: 1, reserved: 1 });
    // Confirming again for the same appointment is a no-op; for another one it is refused.
    await inTransaction(clinic.app, clinic.clock, (ctx) => confirmRedemption(ctx, third.redemptionId, appointment.id));
    await expect(inTransaction(clinic.app, clinic.clock, (ctx) => confirmRedemption(ctx, fresh.redemptionId, 'no-such-appointment'))).rejects.toThrow();
    // A released reservation cannot be revived, not even by raw SQL.
    await inTransaction(clinic.app, clinic.clock, (ctx) => releaseRedemption(ctx, fresh.redemptionId, 'hold released'));
    await expect(inTransaction(clinic.app, clinic.clock, (ctx) => confirmRedemption(ctx, fresh.redemptionId, appointment.id))).rejects.toMatchObject({ code: 'referral/redemption-closed' });
    expect(() => clinic.app.raw.prepare("UPDATE referral_redemption SET status = 'reserved' WHERE id = ?").run(fresh.redemptionId)).toThrow(/referral\/redemption-closed/);
  });

  it('an expired reservation that is extended takes a use again only if one is left', async () => {
    await save({ code: 'ONE', usageLimit: 1 });
    const [a, b] = clinic.patients.map((x) => x.patientId);
    const reserve = (patient: string) =>
      inTransaction(clinic.app, clinic.clock, (ctx) => reserveRedemption(ctx, { code: 'ONE', patientId: patient, consultationTypeId: IDS.general, baseAmount: { minor: 6000, currency: 'USD' } }));
    const first = await reserve(a!);
    await clinic.advance({ minutes: 6 });
    await reserve(b!);
    const later = new Date(clinic.clock.now().getTime() + 600_000).toISOString();
    await expect(inTransaction(clinic.app, clinic.clock, (ctx) => extendRedemption(ctx, first.redemptionId, later))).rejects.toMatchObject({ code: 'referral/used-up' });
  });

  it('the database refuses a use beyond the limit even when code skips the checks', async () => {
    const code = await save({ code: 'RAW', usageLimit: 1 });
    const insert = clinic.app.raw.prepare(
      `INSERT INTO referral_redemption (id, code_id, patient_id, consultation_type_id, status, currency, base_minor, discount_minor, total_minor, expires_at, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'reserved', 'USD', 6000, 600, 5400, '2026-06-01T13:00:00.000Z', 1, '2026-06-01T12:00:00.000Z', '2026-06-01T12:00:00.000Z')`,
    );
    insert.run('r1', code.id, clinic.patients[0]!.patientId, IDS.general);
    expect(() => insert.run('r2', code.id, clinic.patients[1]!.patientId, IDS.general)).toThrow(/referral\/used-up/);
    expect(() => clinic.app.raw.prepare("UPDATE referral_redemption SET total_minor = -1 WHERE id = 'r1'").run()).toThrow(/CHECK/);
  });

  it('a patient checks only for themselves; staff for an existing patient; the consultation must exist', async () => {
    await save({ code: 'MINE' });
    await clinic.err({ patientToken: clinic.patients[0]!.accessToken }, 'referral/check', { code: 'MINE', consultationTypeId: IDS.general, patientId: clinic.patients[1]!.patientId }, 'auth/forbidden');
    const noPatient = await clinic.err('deskA', 'referral/check', { code: 'MINE', consultationTypeId: IDS.general, patientId: 'nobody' }, 'validation/invalid-input');
    expect(noPatient.fieldErrors).toEqual({ patientId: ['This patient does not exist.'] });
    const noType = await clinic.err('deskA', 'referral/check', { code: 'MINE', consultationTypeId: 'nothing' }, 'validation/invalid-input');
    expect(noType.fieldErrors).toEqual({ consultationTypeId: ['This consultation type does not exist.'] });
    await clinic.err({}, 'referral/check', { code: 'MINE', consultationTypeId: IDS.general }, 'auth/patient-token-missing');
    // An empty code is not an error: just the plain price.
    expect(await check('  ')).toEqual({ valid: false, reason: null, message: '', breakdown: { currency: 'USD', baseMinor: 6000, discountMinor: 0, totalMinor: 6000 } });
  });
});
