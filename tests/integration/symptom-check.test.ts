import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { defaultKnowledgeBasePath, loadKnowledgeBase } from '../../src-main/core/symptoms/knowledge-base.js';
import { ageInYears } from '../../src-main/core/symptoms/symptom-check.service.js';
import { callErr, callOk, count, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';

let app: TestApp;
let desk: string;
let admin: string;
const kb = loadKnowledgeBase(defaultKnowledgeBasePath());

beforeAll(async () => {
  app = await demoApp();
  desk = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
});
afterAll(async () => {
  await app.dispose();
});

const patients = () => app.raw.prepare('SELECT id, date_of_birth, sex FROM patient ORDER BY number').all() as Array<{ id: string; date_of_birth: string; sex: string }>;
const sections = () => count(app, 'patient_section');
const soreThroat = [{ symptomId: 'sore_throat', severity: 'mild', duration: 'days' }];

async function patientWithToken(givenName: string) {
  const out = await callOk(app, 'patient/register', {
    basic: { givenName, familyName: 'Checker', dateOfBirth: '1990-04-02', sex: 'female', phone: `+1202555${String(1000 + givenName.length * 111).slice(-4)}` },
    overrideDuplicates: true,
    issueAccessToken: true,
  }, desk);
  return { patientId: out.patientId, token: out.accessToken! };
}
const asPatient = (name: string, input: unknown, token: string) => app.dispatch(name, input, { patientToken: token });

describe('the knowledge base and the demo clinic', () => {
  it('names only specializations the demo clinic has (active), each offered by a consultation type', () => {
    const clinic = app.raw
      .prepare('SELECT s.name, count(ts.consultation_type_id) AS types FROM specialization s LEFT JOIN consultation_type_specialization ts ON ts.specialization_id = s.id WHERE s.active = 1 GROUP BY s.id')
      .all() as Array<{ name: string; types: number }>;
    const names = [
      ...kb.specializations.map((s) => s.name),
      ...kb.symptoms.flatMap((s) => s.specializations.map((m) => m.name)),
      ...kb.rules.flatMap((r) => (r.add ?? []).map((a) => a.specialization)),
      kb.fallbackSpecialization,
    ];
    for (const name of new Set(names)) {
      const found = clinic.find((c) => c.name === name);
      expect(found, `${name} is missing from the demo clinic`).toBeDefined();
      expect(found!.types).toBeGreaterThan(0);
    }
  });

  it('answers the screen its symptoms, body areas and questions, and the statement that it does not diagnose — to anyone', async () => {
    const view = await callOk(app, 'symptoms/knowledge-base', {});
    expect(view.version).toBe(kb.version);
    expect(view.symptoms).toHaveLength(kb.symptoms.length);
    expect(view.symptoms.find((s) => s.id === 'sore_throat')).toEqual({ id: 'sore_throat', name: 'Sore throat', synonyms: expect.arrayContaining(['strep']), bodyArea: 'ent' });
    expect(view.questions.find((q) => q.id === 'pregnant')?.sexes).toEqual(['female', 'intersex', 'unknown']);
    expect(view.disclaimer).toMatch(/does not diagnose and does not replace/);
  });
});

describe('a check for a patient at the desk', () => {
  it('takes age and sex from the record, saves answers and result as a new version of the record section each time, with the knowledge base version', async () => {
    const p = patients()[0]!;
    const before = await callOk(app, 'patient/get', { patientId: p.id }, desk);
    expect(before.symptomCheck).toEqual({ data: null, meta: null });
    const first = await callOk(app, 'patient/symptom-check', {
      patientId: p.id,
      symptoms: soreThroat,
      answers: [{ questionId: 'chest_breathless', answer: 'yes' }],
      ageYears: 3,
      sex: 'intersex',
    }, desk);
    expect(first.ageSexFrom).toBe('record');
    expect(first.ageYears).toBe(ageInYears(p.date_of_birth, '2026-03-11'));
    expect(first.sex).toBe(p.sex);
    expect(first.saved).toEqual({ patientId: p.id, version: 1 });
    expect(first.knowledgeBaseVersion).toBe(kb.version);
    expect(first.disclaimer).toMatch(/does not diagnose/);
    expect(first.firedRules.map((r) => r.id)).toContain('symptom:sore_throat');

    const second = await callOk(app, 'patient/symptom-check', { patientId: p.id, symptoms: [{ symptomId: 'rash', severity: 'moderate', duration: 'weeks' }] }, desk);
    expect(second.saved?.version).toBe(2);
    const profile = await callOk(app, 'patient/get', { patientId: p.id }, desk);
    expect(profile.symptomCheck.meta).toMatchObject({ version: 2, updatedBy: 'Robin Reception' });
    expect(profile.symptomCheck.data).toMatchObject({
      knowledgeBaseVersion: kb.version,
      symptoms: [{ symptomId: 'rash', name: 'Rash', severity: 'moderate', duration: 'weeks' }],
      result: { urgency: second.urgency, specializations: second.specializations },
    });
    const history = await callOk(app, 'patient/section-history', { patientId: p.id, section: 'symptom_check' }, desk);
    expect(history.changes.map((c) => c.version)).toEqual([2, 1]);
    // An answer to a question that was not asked for the chosen symptoms is not kept.
    expect((history.changes[1]!.data as { answers: unknown[] }).answers).toEqual([]);
  });

  it('shows an emergency first, with the number for the clinic’s country, offers no booking, and keeps the desk’s note', async () => {
    const p = patients()[1]!;
    const out = await callOk(app, 'patient/symptom-check', {
      patientId: p.id,
      symptoms: [{ symptomId: 'chest_pain', severity: 'severe', duration: 'hours' }],
      answers: [{ questionId: 'chest_sweating', answer: 'yes' }],
      note: 'Called 911 for the patient at 11:05.',
    }, desk);
    expect(out.urgency).toBe('emergency');
    expect(out.emergency).toMatchObject({ emergencyNumber: '911', redFlags: [{ id: 'chest_pain_breathless_sweating' }] });
    expect(out.emergency!.message).toMatch(/Call the emergency number now/);
    expect(out.booking).toBeNull();
    expect(out.firedRules[0]).toMatchObject({ id: 'chest_pain_breathless_sweating', kind: 'red_flag' });
    const profile = await callOk(app, 'patient/get', { patientId: p.id }, desk);
    expect(profile.symptomCheck.data?.note).toBe('Called 911 for the patient at 11:05.');

    await callOk(app, 'settings/update', { emergencyNumber: '112' }, admin);
    const again = await callOk(app, 'patient/symptom-check', { symptoms: [{ symptomId: 'face_drooping', severity: 'mild', duration: 'hours' }] }, desk);
    expect(again.emergency?.emergencyNumber).toBe('112');
    expect(await callErr(app, 'settings/update', { emergencyNumber: 'call Bob' }, admin, 'validation/invalid-input')).toMatchObject({
      fieldErrors: { emergencyNumber: [expect.stringMatching(/Use digits only/)] },
    });
    await callOk(app, 'settings/update', { emergencyNumber: '' }, admin);
  });

  it('preselects the booking: specialization and consultation type, the earliest slots first when it is for today', async () => {
    const routine = await callOk(app, 'patient/symptom-check', { symptoms: soreThroat, ageYears: 30 }, desk);
    expect(routine.urgency).toBe('routine');
    expect(routine.booking).toMatchObject({ specializationName: 'General Practice', consultationTypeName: 'General consultation', earliestFirst: false, note: null });
    expect(routine.saved).toBeNull();

    const heart = await callOk(app, 'patient/symptom-check', { symptoms: [{ symptomId: 'chest_pain', severity: 'moderate', duration: 'hours' }], ageYears: 55 }, desk);
    expect(heart.urgency).toBe('same_day');
    expect(heart.consultationKind).toBe('specialist');
    expect(heart.booking).toMatchObject({ specializationName: 'Cardiology', consultationTypeName: 'Specialist consultation', earliestFirst: true });
    const cardiology = heart.specializations[0]!;
    expect(cardiology).toMatchObject({ name: 'Cardiology', offeredHere: true, specializationId: heart.booking!.specializationId });
    expect(cardiology.reasons.join(' ')).toMatch(/From 40 years on/);

    // No demo doctor practises Neurology: the family doctor is offered first, and the result says why.
    const nerves = await callOk(app, 'patient/symptom-check', { symptoms: [{ symptomId: 'headache', severity: 'moderate', duration: 'days' }], ageYears: 62 }, desk);
    expect(nerves.specializations[0]).toMatchObject({ name: 'Neurology', offeredHere: false });
    expect(nerves.booking).toMatchObject({ specializationName: 'General Practice', consultationTypeName: 'General consultation' });
    expect(nerves.booking!.note).toMatch(/No doctor here offers a brain and nerve doctor \(Neurology\) yet/);
  });

  it('feeds the doctor-assignment suggestions with the latest saved check', async () => {
    const p = patients().find((x) => x.date_of_birth < '2000-01-01')!;
    await callOk(app, 'patient/symptom-check', { patientId: p.id, symptoms: [{ symptomId: 'changing_mole', severity: 'mild', duration: 'weeks' }] }, desk);
    const out = await callOk(app, 'assignment/suggestions', { patientId: p.id, kind: 'primary' }, admin);
    expect(out.need).toMatchObject({ name: 'Dermatology', source: 'symptom-checker' });
    expect(out.suggestions[0]).toMatchObject({ doctorName: 'Dr Lucía Fernández', specializationMatch: 'symptom' });
    // An explicit list still wins.
    const cardiology = app.raw.prepare("SELECT id FROM specialization WHERE name = 'Cardiology'").pluck().get();
    const other = await callOk(app, 'assignment/suggestions', { patientId: p.id, kind: 'primary', symptomSpecializationIds: [cardiology] }, admin);
    expect(other.need).toMatchObject({ name: 'Cardiology' });
    // A check from months ago no longer counts.
    app.raw.prepare("UPDATE patient_section SET data = json_set(data, '$.checkedAt', '2025-12-10T00:00:00.000Z') WHERE patient_id = ? AND section = 'symptom_check'").run(p.id);
    expect((await callOk(app, 'assignment/suggestions', { patientId: p.id, kind: 'primary' }, admin)).need).toBeNull();
  });

  it('refuses unknown symptoms and questions with field errors, and writes nothing', async () => {
    const before = sections();
    const error = await callErr(app, 'patient/symptom-check', {
      patientId: patients()[2]!.id,
      symptoms: [...soreThroat, { symptomId: 'sore_throat', severity: 'mild', duration: 'days' }, { symptomId: 'unicorn_pox', severity: 'mild', duration: 'days' }],
      answers: [{ questionId: 'favourite_colour', answer: 'yes' }],
    }, desk, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({
      'symptoms.1.symptomId': ['This symptom is already chosen.'],
      'symptoms.2.symptomId': ['Unknown symptom: choose one from the list.'],
      'answers.0.questionId': ['Unknown question.'],
    });
    const lostNote = await callErr(app, 'patient/symptom-check', { symptoms: soreThroat, note: 'Sent home.' }, desk, 'validation/invalid-input');
    expect(lostNote.fieldErrors).toEqual({ note: ['A note is kept on a patient’s record: choose the patient first.'] });
    const empty = await callErr(app, 'patient/symptom-check', { symptoms: [] }, desk, 'validation/invalid-input');
    expect(empty.fieldErrors).toEqual({ symptoms: ['Choose at least one symptom.'] });
    const hostile = await callErr(app, 'patient/symptom-check', { symptoms: soreThroat, note: `x\uD800y${'z'.repeat(2000)}` }, desk, 'validation/invalid-input');
    expect(Object.keys(hostile.fieldErrors ?? {})).toEqual(['note']);
    expect(sections()).toBe(before);
  });
});

describe('a check by a patient, or by nobody', () => {
  it('anonymously: age and sex as given, nothing saved', async () => {
    const before = sections();
    const out = await callOk(app, 'patient/symptom-check', { symptoms: soreThroat, ageYears: 7, sex: 'male' });
    expect(out).toMatchObject({ ageYears: 7, sex: 'male', ageSexFrom: 'answers', saved: null });
    expect(out.specializations[0]!.name).toBe('Pediatrics');
    expect(sections()).toBe(before);
    const unknown = await callOk(app, 'patient/symptom-check', { symptoms: soreThroat });
    expect(unknown).toMatchObject({ ageYears: null, sex: null, ageSexFrom: 'unknown' });
  });

  it('anonymously naming a patient, or adding a note, is refused', async () => {
    const error = await callErr(app, 'patient/symptom-check', { patientId: patients()[0]!.id, symptoms: soreThroat }, null, 'auth/forbidden');
    expect(error.message).toMatch(/Without your patient access link/);
    const note = await callErr(app, 'patient/symptom-check', { symptoms: soreThroat, note: 'hi' }, null, 'validation/invalid-input');
    expect(note.fieldErrors).toEqual({ note: ['Only the clinic’s staff add notes.'] });
  });

  it('with their token: saved on their own record only', async () => {
    const { patientId, token } = await patientWithToken('Petra');
    const other = patients()[3]!.id;
    const own = await asPatient('patient/symptom-check', { symptoms: soreThroat }, token);
    expect(own.result).toMatchObject({ ok: true, data: { saved: { patientId, version: 1 }, ageSexFrom: 'record', sex: 'female' } });
    const same = await asPatient('patient/symptom-check', { patientId, symptoms: soreThroat }, token);
    expect(same.result).toMatchObject({ ok: true, data: { saved: { patientId, version: 2 } } });
    const theirs = await asPatient('patient/symptom-check', { patientId: other, symptoms: soreThroat }, token);
    expect(theirs.result).toMatchObject({ ok: false, error: { code: 'auth/forbidden' } });
    expect(app.raw.prepare("SELECT count(*) FROM patient_section WHERE patient_id = ? AND section = 'symptom_check'").pluck().get(other)).toBe(0);
    const stale = await asPatient('patient/symptom-check', { symptoms: soreThroat }, 'not-a-token-at-all');
    // A dead token is refused, not quietly taken for an anonymous check that saves nothing.
    expect(stale.result).toMatchObject({ ok: false, error: { code: 'auth/patient-token-invalid' } });
  });
});

describe('a malformed knowledge base at start', () => {
  it('stops the app from opening, naming the bad entry', async () => {
    const dataDir = tempDataDir();
    const broken = path.join(dataDir, 'kb.json');
    const json = JSON.parse(JSON.stringify(kb)) as typeof kb;
    json.redFlags[2]!.when = { symptom: 'sneezing_loudly' };
    writeFileSync(broken, JSON.stringify(json));
    try {
      await expect(openApp({ dataDir, knowledgeBasePath: broken, log: () => {} })).rejects.toThrow(
        `redFlags[2] ("${kb.redFlags[2]!.id}") names the unknown symptom "sneezing_loudly".`,
      );
      // Nothing was opened: the data folder is free for a corrected start.
      const ok = await openApp({ dataDir, log: () => {}, backgroundWork: false });
      await ok.close();
    } finally {
      removeDir(dataDir);
    }
  });
});

