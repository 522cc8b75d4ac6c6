import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSlots } from '../../src-main/core/scheduling/availability.js';
import { haversineKm } from '../../src-main/core/roster/distance.rules.js';
import { auditRowsAfter, call, callErr, callOk, count, DEMO, demoApp, lastAuditSeq, loginAs, tableCounts, type TestApp } from '../helpers/test-app.js';
import { demoPatient, demoRoster } from '../helpers/roster.js';

// The fake clock says Wednesday 2026-03-11, 11:00 in New York.
let app: TestApp;
let admin: string;
let reception: string;
let ids: Awaited<ReturnType<typeof demoRoster>>;
let patient: { id: string; name: string };

beforeAll(async () => {
  app = await demoApp();
  admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
  reception = await loginAs(app, DEMO.reception.username, DEMO.reception.password);
  ids = await demoRoster(app, admin);
  patient = demoPatient(app, 30); // the demo assigns doctors to the first 20 only
});
afterAll(async () => {
  await app.dispose();
});

describe('ranked suggestions', () => {
  it('ranks the doctor who practises the need first and explains every score', async () => {
    const out = await callOk(app, 'assignment/suggestions', { patientId: patient.id, kind: 'primary', needSpecializationId: ids.specialization('Pediatrics') }, admin);
    expect(out.need).toEqual({ specializationId: ids.specialization('Pediatrics'), name: 'Pediatrics', source: 'request' });
    expect(out.patientName).toBe(patient.name);
    expect(out.suggestions).toHaveLength(5);
    const [first, ...rest] = out.suggestions;
    expect(first!.doctorName).toBe('Dr Henrik Larsen');
    expect(first!.specializationMatch).toBe('need');
    expect(first!.reasons[0]).toBe('Pediatrics — matches the need');
    expect(first!.reasons[1]).toMatch(/^Next free: \w{3} \d{1,2} \w{3} \d{2}:\d{2}$/);
    expect(first!.reasons[2]).toMatch(/^Load \d+% over 14 days$/);
    expect(first!.reasons[3]).toMatch(/^\d+(\.\d)? km from home \(Hillcrest Branch\)$/);
    for (const s of rest) expect(s.reasons[0]).toBe('Does not practise Pediatrics');
    const scores = out.suggestions.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('uses the real next free slot of the slot engine and the distance from the patient’s home', async () => {
    const out = await callOk(app, 'assignment/suggestions', { patientId: patient.id, kind: 'primary' }, admin);
    expect(out.need).toBeNull();
    const chen = out.suggestions.find((s) => s.doctorName === 'Dr Maya Chen')!;
    const [slot] = await freeSlots(app.db, {
      doctorIds: [ids.doctor('Chen')],
      durationMinutes: 15,
      fromIso: app.clock.now().toISOString(),
      toIso: '2026-04-30T00:00:00.000Z',
      now: app.clock.now(),
      settings: app.settings(),
      limitPerDoctor: 1,
    });
    expect(chen.nextFreeSlot).toMatchObject({ startAt: slot!.startAt, localTime: slot!.localTime, locationName: 'Riverside Main' });
    const home = app.raw.prepare('SELECT latitude, longitude FROM patient WHERE id = ?').get(patient.id) as { latitude: number; longitude: number };
    const km = haversineKm(home, { latitude: 40.7128, longitude: -74.006 });
    expect(chen.distanceKm).toBeCloseTo(km, 1);
    expect(chen.load14d).toBeGreaterThan(0);
    expect(chen.load14d).toBeLessThan(1);
  });

  it('offers only doctors of the specialization for a specialist', async () => {
    const out = await callOk(app, 'assignment/suggestions', { patientId: patient.id, kind: 'specialist', specializationId: ids.specialization('Cardiology') }, admin);
    expect(out.suggestions.map((s) => [s.doctorName, s.reasons[0]])).toEqual([['Dr Samuel Adeyemi', 'Cardiology — matches the need']]);
  });

  it('takes the need from the symptom checker’s result, in its order', async () => {
    const out = await callOk(app, 'assignment/suggestions', {
      patientId: patient.id,
      kind: 'primary',
      symptomSpecializationIds: [ids.specialization('Dermatology'), ids.specialization('Orthopedics')],
    }, admin);
    expect(out.need).toMatchObject({ name: 'Dermatology', source: 'symptom-checker' });
    expect(out.suggestions.slice(0, 2).map((s) => [s.doctorName, s.reasons[0]])).toEqual([
      ['Dr Lucía Fernández', 'Dermatology — suggested by the symptom checker'],
      ['Dr Aisha Rahman', 'Orthopedics — suggested by the symptom checker (choice 2)'],
    ]);
  });

  it('gives field errors for unknown specializations and a missing one for a specialist', async () => {
    const err = await callErr(app, 'assignment/suggestions', { patientId: patient.id, kind: 'primary', needSpecializationId: 'nope', symptomSpecializationIds: ['x'] }, admin, 'validation/invalid-input');
    expect(err.fieldErrors).toEqual({ needSpecializationId: ['Unknown specialization.'], 'symptomSpecializationIds.0': ['Unknown specialization.'] });
    const missing = await callErr(app, 'assignment/suggestions', { patientId: patient.id, kind: 'specialist' }, admin, 'validation/invalid-input');
    expect(missing.fieldErrors).toEqual({ specializationId: ['Choose the specialization.'] });
  });

  it('is for admins: a receptionist is refused and the attempt audited', async () => {
    const seq = lastAuditSeq(app);
    await callErr(app, 'assignment/suggestions', { patientId: patient.id, kind: 'primary' }, reception, 'auth/forbidden');
    const before = count(app, 'patient_doctor_assignment');
    await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Chen'), kind: 'primary' }, reception, 'auth/forbidden');
    expect(count(app, 'patient_doctor_assignment')).toBe(before);
    expect(auditRowsAfter(app, seq).map((r) => [r.handler, r.outcome, r.detail])).toEqual([
      ['assignment/suggestions', 'denied', 'auth/forbidden'],
      ['assignment/assign', 'denied', 'auth/forbidden'],
    ]);
  });
});

describe('assigning and reassigning', () => {
  it('assigns a primary doctor; everyone sees it with location and next available slot', async () => {
    const seq = lastAuditSeq(app);
    const out = await callOk(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Chen'), kind: 'primary', reason: 'Lives near Riverside' }, admin);
    expect(out.endedAssignmentId).toBeNull();
    expect(auditRowsAfter(app, seq)).toMatchObject([{ handler: 'assignment/assign', outcome: 'ok', record_type: 'patient', record_id: patient.id }]);
    const list = await callOk(app, 'assignment/list', { patientId: patient.id }, reception);
    expect(list.current).toHaveLength(1);
    expect(list.current[0]).toMatchObject({
      id: out.assignmentId,
      kind: 'primary',
      specialization: null,
      doctor: { name: 'Dr Maya Chen', specializations: ['General Practice'], active: true },
      assignedBy: 'Alex Admin',
      reason: 'Lives near Riverside',
      location: { name: 'Riverside Main', timeZone: 'America/New_York' },
      nextAvailableSlot: { locationName: 'Riverside Main' },
    });
    expect(list.history).toEqual([]);
    const suggestions = await callOk(app, 'assignment/suggestions', { patientId: patient.id, kind: 'primary' }, admin);
    expect(suggestions.suggestions.find((s) => s.isCurrent)?.doctorName).toBe('Dr Maya Chen');
  });

  it('refuses to assign the same doctor twice', async () => {
    const err = await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Chen'), kind: 'primary' }, admin, 'assignment/already-assigned');
    expect(err.message).toBe('Dr Maya Chen is already this patient’s primary doctor.');
  });

  it('asks why before a reassignment, then keeps the history: who, when, why', async () => {
    const before = tableCounts(app);
    const err = await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Larsen'), kind: 'primary' }, admin, 'validation/invalid-input');
    expect(err.fieldErrors).toEqual({ reason: ['Say why the patient changes doctor; it is kept in the history.'] });
    expect(tableCounts(app)).toEqual({ ...before, audit_log: before.audit_log! + 1 });

    app.clock.advance({ minutes: 5 });
    const out = await callOk(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Larsen'), kind: 'primary', reason: 'Moved to Hillcrest' }, admin);
    expect(out.endedAssignmentId).not.toBeNull();
    const list = await callOk(app, 'assignment/list', { patientId: patient.id, includeHistory: true }, admin);
    expect(list.current.map((a) => a.doctor.name)).toEqual(['Dr Henrik Larsen']);
    expect(list.history).toHaveLength(1);
    expect(list.history[0]).toMatchObject({
      id: out.endedAssignmentId,
      doctor: { name: 'Dr Maya Chen' },
      assignedBy: 'Alex Admin',
      reason: 'Lives near Riverside',
      endedAt: '2026-03-11T15:05:00.000Z',
      endedBy: 'Alex Admin',
      endReason: 'Moved to Hillcrest',
    });
  });

  it('keeps one doctor per specialization besides the primary one', async () => {
    await callOk(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Adeyemi'), kind: 'specialist', specializationId: ids.specialization('Cardiology') }, admin);
    await callOk(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Rahman'), kind: 'specialist', specializationId: ids.specialization('Orthopedics') }, admin);
    const list = await callOk(app, 'assignment/list', { patientId: patient.id }, admin);
    expect(list.current.map((a) => [a.kind, a.specialization?.name ?? null, a.doctor.name])).toEqual([
      ['primary', null, 'Dr Henrik Larsen'],
      ['specialist', 'Cardiology', 'Dr Samuel Adeyemi'],
      ['specialist', 'Orthopedics', 'Dr Aisha Rahman'],
    ]);
  });

  it('refuses a specialist who does not practise the specialization, and inactive or unknown doctors', async () => {
    const err = await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Chen'), kind: 'specialist', specializationId: ids.specialization('Dermatology') }, admin, 'validation/invalid-input');
    expect(err.fieldErrors).toEqual({ doctorId: ['Dr Maya Chen does not practise Dermatology.'] });
    const unknown = await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: 'ghost', kind: 'primary', reason: 'x' }, admin, 'validation/invalid-input');
    expect(unknown.fieldErrors).toEqual({ doctorId: ['Unknown doctor.'] });
    const primaryWithSpec = await callErr(app, 'assignment/assign', { patientId: patient.id, doctorId: ids.doctor('Chen'), kind: 'primary', specializationId: ids.specialization('Cardiology') }, admin, 'validation/invalid-input');
    expect(primaryWithSpec.fieldErrors).toEqual({ specializationId: ['A primary doctor is not assigned per specialization.'] });
    await callErr(app, 'assignment/assign', { patientId: 'nobody', doctorId: ids.doctor('Chen'), kind: 'primary' }, admin, 'common/not-found');
  });

  it('ends an assignment without a successor and keeps it in the history', async () => {
    const list = await callOk(app, 'assignment/list', { patientId: patient.id }, admin);
    const ortho = list.current.find((a) => a.specialization?.name === 'Orthopedics')!;
    await callErr(app, 'assignment/end', { assignmentId: ortho.id, reason: '' }, admin, 'validation/invalid-input');
    await callOk(app, 'assignment/end', { assignmentId: ortho.id, reason: 'Treatment finished' }, admin);
    await callErr(app, 'assignment/end', { assignmentId: ortho.id, reason: 'again' }, admin, 'assignment/already-ended');
    const after = await callOk(app, 'assignment/list', { patientId: patient.id, includeHistory: true }, admin);
    expect(after.current.map((a) => a.doctor.name)).toEqual(['Dr Henrik Larsen', 'Dr Samuel Adeyemi']);
    expect(after.history.map((h) => h.endReason)).toEqual(['Treatment finished', 'Moved to Hillcrest']);
  });

  it('lets the database refuse a second active assignment of the same kind', () => {
    const insert = app.raw.prepare(
      `INSERT INTO patient_doctor_assignment (id, patient_id, doctor_id, kind, specialization_id, assigned_at, reason)
       VALUES (?, ?, ?, 'primary', NULL, '2026-03-11T00:00:00.000Z', '')`,
    );
    expect(() => insert.run('dup-1', patient.id, ids.doctor('Chen'))).toThrow(/UNIQUE constraint failed/);
    expect(() =>
      app.raw
        .prepare(`INSERT INTO patient_doctor_assignment (id, patient_id, doctor_id, kind, specialization_id, assigned_at) VALUES ('bad', ?, ?, 'specialist', NULL, 'x')`)
        .run(patient.id, ids.doctor('Chen')),
    ).toThrow(/CHECK constraint failed/);
  });

  it('shows the demo clinic’s assignments', async () => {
    const list = await callOk(app, 'assignment/list', { patientId: demoPatient(app, 0).id }, reception);
    expect(list.current.map((a) => [a.kind, a.doctor.name])).toEqual([
      ['primary', 'Dr Maya Chen'],
      ['specialist', 'Dr Samuel Adeyemi'],
    ]);
    expect(count(app, 'patient_doctor_assignment')).toBeGreaterThanOrEqual(24);
  });

  it('asks staff which patient', async () => {
    const outcome = await call(app, 'assignment/list', {}, reception);
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'validation/invalid-input', fieldErrors: { patientId: ['Which patient? Give patientId.'] } } });
  });
});
