import { describe, expect, it } from 'vitest';
import { contract, handlerNames } from '../../src-main/contract/index.js';
import { entityTypes, type ChangeNotice } from '../../src-main/contract/changes.js';
import { isReadName, noticeAffects, readDependencies } from '../../src-main/contract/reads.js';

/** The map from reads to the entities their answers depend on, and how notices narrow it. */
describe('readDependencies', () => {
  it('lists every handler; writes are never cached; every other staff read names what it depends on', () => {
    expect(Object.keys(readDependencies).sort()).toEqual([...handlerNames].sort());
    const sessionOps = new Set(['auth/logout', 'auth/session', 'auth/lock']);
    for (const name of handlerNames) {
      const deps = readDependencies[name];
      if (contract[name].mutates || sessionOps.has(name)) expect(deps, name).toBeNull();
      else {
        expect(deps, name).not.toBeNull();
        expect(deps!.length, name).toBeGreaterThan(0);
        for (const e of deps!) expect(entityTypes, name).toContain(e);
      }
    }
    expect(isReadName('agenda/day')).toBe(true);
    expect(isReadName('booking/create')).toBe(false);
    expect(isReadName('__proto__')).toBe(false);
  });
});

describe('noticeAffects', () => {
  const booked = (patientId: string, doctorId: string): ChangeNotice => ({ entity: 'appointment', id: 'a1', op: 'upsert', refs: { patientId, doctorId } });

  it('matches by entity', () => {
    expect(noticeAffects('agenda/day', {}, booked('p1', 'd1'))).toBe(true);
    expect(noticeAffects('agenda/day', {}, { entity: 'hold', id: 'h1', op: 'upsert' })).toBe(true);
    expect(noticeAffects('settings/get', {}, booked('p1', 'd1'))).toBe(false);
    expect(noticeAffects('patient/search', { query: 'x' }, { entity: 'patient', id: 'p9', op: 'upsert', refs: { patientId: 'p9' } })).toBe(true);
    expect(noticeAffects('booking/create', {}, booked('p1', 'd1'))).toBe(false);
  });

  it('narrows by the patient, doctor or appointment the query names', () => {
    expect(noticeAffects('agenda/day', { doctorId: 'd1' }, booked('p1', 'd1'))).toBe(true);
    expect(noticeAffects('agenda/day', { doctorId: 'd2' }, booked('p1', 'd1'))).toBe(false);
    expect(noticeAffects('appointment/history', { patientId: 'p1' }, booked('p1', 'd1'))).toBe(true);
    expect(noticeAffects('appointment/history', { patientId: 'p2' }, booked('p1', 'd1'))).toBe(false);
    expect(noticeAffects('patient/get', { patientId: 'p2' }, { entity: 'patient', id: 'p1', op: 'upsert' })).toBe(false);
    expect(noticeAffects('patient/get', { patientId: 'p1' }, { entity: 'patient_section', id: 'p1', op: 'upsert', refs: { patientId: 'p1' } })).toBe(true);
    expect(noticeAffects('appointment/get', { appointmentId: 'a2' }, booked('p1', 'd1'))).toBe(false);
    expect(noticeAffects('appointment/get', { appointmentId: 'a1' }, booked('p1', 'd1'))).toBe(true);
    expect(noticeAffects('roster/doctor-week', { doctorId: 'd2' }, { entity: 'doctor', id: 'd1', op: 'upsert' })).toBe(false);
  });

  it('never narrows on what a notice does not say (conservative)', () => {
    // A cancellation notice without refs still refreshes a one-doctor agenda.
    expect(noticeAffects('agenda/day', { doctorId: 'd2' }, { entity: 'appointment', id: 'a1', op: 'upsert' })).toBe(true);
    // A doctor's name shows in a patient's assignments: not narrowed by patient.
    expect(noticeAffects('assignment/list', { patientId: 'p1' }, { entity: 'doctor', id: 'd1', op: 'upsert' })).toBe(true);
    // Hours and exceptions notices carry the doctor only in refs (their id may be the row's own).
    expect(noticeAffects('roster/doctor-week', { doctorId: 'd2' }, { entity: 'doctor_exception', id: 'd1', op: 'upsert' })).toBe(true);
    expect(noticeAffects('roster/doctor-week', { doctorId: 'd2' }, { entity: 'doctor_exception', id: 'x1', op: 'upsert', refs: { doctorId: 'd1' } })).toBe(false);
  });
});
