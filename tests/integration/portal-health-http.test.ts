/**
 * The patient's own health questions on the patient page (issue 14: "the medical-history
 * questionnaire can be completed after booking from a link"): GET and PUT
 * /api/patients/me/medical-history. The token's own patient only; the staff write path (same
 * section, same history, audited as the patient); a stale version refused in words with nothing
 * written; hostile text. Real HTTP server, real SQLite file, fake clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { IDS, openClinic, type Clinic, type SeededPatient } from '../helpers/booking.js';
import { listen, jsonRequest } from '../helpers/http.js';
import { MailServer } from '../helpers/mail-server.js';
import { confirmationFacts, emailSettings, pump, reachable } from '../helpers/notify.js';
import { fitsOneSegment, renderMessage } from '../../src-main/core/notifications/templates.js';

let clinic: Clinic;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  clinic = await openClinic();
  ({ server, base } = await listen(clinic.app));
});
let mail: MailServer | null = null;
afterEach(async () => {
  await server.close();
  await clinic.dispose();
  // After the clinic: its mail transport keeps its connection until then.
  await mail?.stop();
  mail = null;
});

const http = (method: 'GET' | 'POST' | 'PUT', path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => jsonRequest(base, method, path, token, body, headers);

const PATH = '/api/patients/me/medical-history';
const A = (): SeededPatient => clinic.patients[0]!;
const B = (): SeededPatient => clinic.patients[1]!;
const read = (p: SeededPatient) => http('GET', PATH, p.accessToken);
const save = (p: SeededPatient, expectedVersion: number, data: unknown) => http('PUT', PATH, p.accessToken, { expectedVersion, data });

const answers = {
  allergies: [
    { substance: 'Penicillin', reaction: 'Rash and swelling', severity: 'severe' },
    { substance: 'Peanuts', severity: 'life_threatening' },
  ],
  medications: [{ name: 'Metformin', dose: '500 mg', frequency: 'Twice a day' }],
  chronicConditions: [{ name: 'Type 2 diabetes', notes: 'Since 2019' }],
  previousConsultations: [{ date: '2021-03-04', clinicOrDoctor: 'City Hospital', reason: 'Appendix removed' }],
  familyHistory: [{ relative: 'Mother', condition: 'Breast cancer' }],
};

const historyRows = (patientId: string) =>
  clinic.app.raw.prepare(`SELECT version, changed_by_kind, changed_by FROM patient_section_change WHERE patient_id = ? AND section = 'medical_history' ORDER BY version`).all(patientId) as Array<{
    version: number;
    changed_by_kind: string;
    changed_by: string | null;
  }>;

describe('a patient reads and answers their own health questions', () => {
  it('reads the questionnaire empty after registering, saves answers, reads them back; the clinic sees them as the patient’s', async () => {
    const first = await read(A());
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ answered: false, updatedAt: null, data: { allergies: [], medications: [] } });
    const version = first.body.data.version as number;

    const saved = await save(A(), version, answers);
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ version: version + 1, answered: true, data: answers });
    expect(saved.body.data.updatedAt).toBe(clinic.clock.now().toISOString());

    const again = await read(A());
    expect(again.body.data).toEqual(saved.body.data);
    const me = await http('GET', '/api/patients/me', A().accessToken);
    expect(me.body.data.medicalHistoryComplete).toBe(true);

    // The staff record shows the patient's answers, changed "by the patient" (no staff name).
    const profile = await clinic.ok('deskA', 'patient/get', { patientId: A().patientId });
    expect(profile.medicalHistory.data).toEqual(saved.body.data.data);
    expect(profile.medicalHistory.meta).toMatchObject({ version: version + 1, updatedBy: null });
    // The staff side's own history: the previous version is kept, the new one is the patient's.
    const rows = historyRows(A().patientId);
    expect(rows.at(-1)).toEqual({ version: version + 1, changed_by_kind: 'patient', changed_by: null });
    const staffHistory = await clinic.ok('deskA', 'patient/section-history', { patientId: A().patientId, section: 'medical_history' });
    expect(staffHistory.changes.map((c) => c.version)).toEqual(expect.arrayContaining([version, version + 1]));
    // The audit says the patient did it, on their own record.
    const audit = clinic.app.raw
      .prepare(`SELECT actor_kind, actor_id, record_type, record_id, outcome FROM audit_log WHERE handler = 'portal/update-medical-history'`)
      .all();
    expect(audit).toEqual([{ actor_kind: 'patient', actor_id: A().patientId, record_type: 'patient', record_id: A().patientId, outcome: 'ok' }]);
  });

  it('"Nothing to declare" saved counts as answered', async () => {
    const { version } = (await read(A())).body.data as { version: number };
    const saved = await save(A(), version, {});
    expect(saved.body.data).toMatchObject({ answered: true, data: { allergies: [], medications: [], chronicConditions: [] } });
  });

  it('a staff change made meanwhile wins: the stale save is refused in plain words and writes nothing', async () => {
    const { version } = (await read(A())).body.data as { version: number };
    await clinic.ok('deskA', 'patient/update-medical-history', { patientId: A().patientId, expectedVersion: version, data: { allergies: [{ substance: 'Latex' }] } });
    const before = historyRows(A().patientId).length;

    const stale = await save(A(), version, answers);
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('patient/version-conflict');
    expect(stale.body.error?.message).toMatch(/changed since you opened them.*Nothing was saved/);
    expect(historyRows(A().patientId)).toHaveLength(before);
    expect((await read(A())).body.data.data.allergies).toEqual([{ substance: 'Latex', reaction: '', severity: 'unknown' }]);

    // A replay of the same save (same version) after a success is stale too.
    const fresh = (await read(A())).body.data.version as number;
    expect((await save(A(), fresh, answers)).status).toBe(200);
    expect((await save(A(), fresh, { allergies: [] })).body.error?.code).toBe('patient/version-conflict');
    expect((await read(A())).body.data.data).toMatchObject(answers);
  });
});

describe('hostile text', () => {
  it('keeps line breaks and other scripts as typed', async () => {
    const { version } = (await read(A())).body.data as { version: number };
    const notes = 'Line one\nLine two\r\n\tIndented — ñandú 日本語 🙂';
    const saved = await save(A(), version, { chronicConditions: [{ name: 'Asthma', notes }] });
    expect(saved.status).toBe(200);
    expect((await read(A())).body.data.data.chronicConditions).toEqual([{ name: 'Asthma', notes }]);
  });

  it('refuses a lone surrogate and a 5,000-character answer at the field, and writes nothing', async () => {
    const { version } = (await read(A())).body.data as { version: number };
    const before = historyRows(A().patientId).length;

    const surrogate = await save(A(), version, { allergies: [{ substance: 'Pollen\uD800' }] });
    expect(surrogate.status).toBe(400);
    expect(Object.keys(surrogate.body.error?.fieldErrors ?? {})).toEqual(['data.allergies.0.substance']);
    expect(surrogate.body.error?.fieldErrors?.['data.allergies.0.substance']?.join(' ')).not.toMatch(/zod|expected|string/i);

    const long = 'x'.repeat(5000);
    const tooLong = await save(A(), version, { medications: [{ name: 'Aspirin', dose: long }], chronicConditions: [{ name: long }] });
    expect(tooLong.status).toBe(400);
    expect(Object.keys(tooLong.body.error?.fieldErrors ?? {}).sort()).toEqual(['data.chronicConditions.0.name', 'data.medications.0.dose']);

    const emptyRow = await save(A(), version, { allergies: [{ substance: '   ', severity: 'mild' }] });
    expect(emptyRow.body.error?.fieldErrors?.['data.allergies.0.substance']).toEqual(['Substance is required.']);

    expect(historyRows(A().patientId)).toHaveLength(before);
    expect((await read(A())).body.data.version).toBe(version);
  });
});

describe('only the token’s own patient', () => {
  it('no id in the body, query or RPC input reaches another patient; B’s answers stay B’s', async () => {
    const bVersion = (await read(B())).body.data.version as number;
    expect((await save(B(), bVersion, { allergies: [{ substance: 'Bee stings', severity: 'severe' }] })).status).toBe(200);
    const bBefore = (await read(B())).body.data;

    // A names B in the body: refused as an unknown field, nothing written anywhere.
    const aVersion = (await read(A())).body.data.version as number;
    const named = await http('PUT', PATH, A().accessToken, { patientId: B().patientId, expectedVersion: bBefore.version, data: {} });
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).not.toContain('Bee stings');
    // …in the query string of a read: ignored, A reads A.
    const viaQuery = await http('GET', `${PATH}?patientId=${B().patientId}`, A().accessToken);
    expect(viaQuery.body.data.data.allergies).toEqual([]);
    // …through the RPC transport, with the id in the input: refused as well.
    const rpc = await http('POST', '/api/rpc/portal/update-medical-history', A().accessToken, { patientId: B().patientId, expectedVersion: bBefore.version, data: {} });
    expect(rpc.body.ok).toBe(false);
    const rpcRead = await http('POST', '/api/rpc/portal/medical-history', A().accessToken, { patientId: B().patientId });
    expect(rpcRead.body.ok).toBe(false);
    // …and the staff handler with B's id is staff-only.
    const staffRoute = await http('POST', '/api/rpc/patient/update-medical-history', A().accessToken, { patientId: B().patientId, expectedVersion: bBefore.version, data: {} });
    expect(staffRoute.body.error?.code).toBe('auth/forbidden');

    expect((await read(B())).body.data).toEqual(bBefore);
    expect((await read(A())).body.data.version).toBe(aVersion);
  });

  it('without a token, with a dead token or as staff: refused, nothing read', async () => {
    expect((await http('GET', PATH, null)).status).toBe(401);
    expect((await http('PUT', PATH, null, { expectedVersion: 1, data: {} })).status).toBe(401);
    const dead = await http('GET', PATH, 'x'.repeat(32));
    expect(dead.status).toBe(401);
    expect(dead.body.error?.code).toBe('auth/patient-token-invalid');
    // A revoked token stops at once.
    await clinic.ok('deskA', 'patient/revoke-access', { patientId: A().patientId });
    expect((await read(A())).status).toBe(401);
    // Staff have their own handler; the patient route is not theirs.
    const staff = await clinic.call('deskA', 'portal/medical-history', {});
    expect(staff.result.ok).toBe(false);
  });

  it('a write from another site is refused before it reaches the handler', async () => {
    const { version } = (await read(A())).body.data as { version: number };
    const res = await http('PUT', PATH, A().accessToken, { expectedVersion: version, data: answers }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await read(A())).body.data.version).toBe(version);
  });

  it('is in the OpenAPI document as GET and PUT', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(Object.keys(doc.paths[PATH] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.paths[PATH]!.put!.requestBody).toBeTruthy();
  });
});

describe('the link in the confirmation leads to the questions', () => {
  it('the confirmation e-mail says the manage link leads to the health questions while they are unanswered', async () => {
    const smtp = (mail = new MailServer());
    await smtp.start();
    await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(smtp.port) });
    reachable(clinic, 0, 'ada@example.test', { email: 1, sms: 0 });
    const confirmationText = async (date: string) => {
      const before = smtp.mails.length;
      await clinic.book('deskA', { patient: 0, doctorId: IDS.grey, date, time: '14:00' });
      await pump(clinic);
      const found = smtp.mails.slice(before).find((m) => /Your appointment at/.test(String(m.parsed.subject)))!;
      return { text: String(found.parsed.text), html: String(found.parsed.html) };
    };
    const first = await confirmationText('2026-06-03');
    expect(first.text).toMatch(/book#\/signin\/[A-Za-z0-9_-]+\n\nBefore your visit, please answer a few health questions \(2 minutes\): the same link takes you there\./);
    expect(first.html).toContain('Before your visit, please answer a few health questions');

    const { version } = (await read(A())).body.data as { version: number };
    expect((await save(A(), version, answers)).status).toBe(200);
    const second = await confirmationText('2026-06-04');
    expect(second.text).toMatch(/Manage your booking/);
    expect(second.text).not.toMatch(/health questions/);
  });

  it('texts keep to one segment: the health line is for e-mail only', () => {
    for (const language of ['en', 'es'] as const) {
      const facts = confirmationFacts(language);
      const open = renderMessage({ ...facts, healthQuestionsOpen: true });
      expect(open.sms).toBe(renderMessage(facts).sms);
      expect(fitsOneSegment(open.sms), open.sms).toBe(true);
      expect(open.text).toMatch(language === 'en' ? /health questions/ : /preguntas de salud/);
    }
  });
});
