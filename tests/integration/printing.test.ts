import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const TUESDAY = '2026-06-02';

async function settingsWithoutEnvFlag() {
  const { smtpFromEnvironment: _env, ...settings } = await clinic.ok('admin', 'notifications/get-settings', {});
  return settings;
}

async function accentedPatient(): Promise<string> {
  const out = await clinic.ok('admin', 'patient/register', {
    basic: { givenName: 'Zoë', familyName: 'Ångström-Núñez', dateOfBirth: '1981-04-05', sex: 'female', phone: '+1 202 555 0999' },
    overrideDuplicates: true,
  });
  return out.patientId;
}

describe('printing/day-sheet', () => {
  it('groups a day’s live appointments by doctor, in the clinic’s time, with birth dates and what to prepare', async () => {
    const zoe = await accentedPatient();
    const withNeeds = await clinic.ok('deskA', 'booking/create', {
      patientId: zoe,
      doctorId: IDS.stone,
      consultationTypeId: IDS.general,
      startAt: clinic.at(TUESDAY, '10:00'),
      requirements: { accessibility: ['wheelchair'], interpreterLanguage: 'es', notes: 'Bring the X-ray from March' },
    });
    await clinic.book('deskA', { patient: 0, doctorId: IDS.stone, date: TUESDAY, time: '09:00' });
    await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: TUESDAY, time: '11:00' });
    const cancelled = await clinic.book('deskA', { patient: 2, doctorId: IDS.grey, date: TUESDAY, time: '09:00' });
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: cancelled.id, party: 'clinic', reason: 'Doctor away' });
    // Another day is not on the sheet.
    await clinic.book('deskA', { patient: 3, doctorId: IDS.grey, date: '2026-06-04', time: '09:00' });

    const sheet = await clinic.ok('deskB', 'printing/day-sheet', { date: TUESDAY });
    expect(sheet.clinic.name).toBe('Booking Test Clinic');
    expect(sheet.dateText).toBe('Tuesday, June 2, 2026');
    expect(sheet.timeZone).toBe('America/New_York');
    expect(sheet.doctors.map((d) => [d.name, d.rows.map((r) => `${r.localStart}-${r.localEnd} ${r.patientName}`)])).toEqual([
      ['Dr Meredith Grey', ['11:00-11:15 Boris Booker1']],
      ['Dr Sam Stone', ['09:00-09:15 Ada Booker0', '10:00-10:15 Zoë Ångström-Núñez']],
    ]);
    const row = sheet.doctors[1]!.rows[1]!;
    expect(row).toMatchObject({
      id: withNeeds.appointment.id,
      dateOfBirth: 'Apr 5, 1981',
      consultationType: 'General consultation',
      locationName: 'Main Street',
      status: 'booked',
      requirements: { interpreterLanguage: 'es', accessibility: ['wheelchair'], notes: 'Bring the X-ray from March' },
    });

    const one = await clinic.ok('deskB', 'printing/day-sheet', { date: TUESDAY, doctorId: IDS.grey });
    expect(one.doctors.map((d) => d.name)).toEqual(['Dr Meredith Grey']);
    // A doctor with nothing that day still gets a (empty) sheet with their name.
    const empty = await clinic.ok('deskB', 'printing/day-sheet', { date: TUESDAY, doctorId: IDS.diaz });
    expect(empty.doctors).toEqual([{ id: IDS.diaz, name: 'Dr Rosa Diaz', rows: [] }]);
  });

  it('refuses a bad date in plain words, an unknown doctor, and callers who are not staff', async () => {
    const bad = await clinic.err('deskA', 'printing/day-sheet', { date: '2026-13-40' }, 'validation/invalid-input');
    expect(bad.fieldErrors?.date?.[0]).toMatch(/date/i);
    await clinic.err('deskA', 'printing/day-sheet', { date: TUESDAY, doctorId: 'nobody' }, 'common/not-found');
    await clinic.err({}, 'printing/day-sheet', { date: TUESDAY }, 'auth/unauthenticated');
    const patient = clinic.patients[0]!;
    const asPatient = await clinic.app.dispatch('printing/patient-label', { patientId: patient.patientId }, { patientToken: patient.accessToken });
    expect(asPatient.result.ok).toBe(false);
  });
});

describe('printing/appointment-card', () => {
  it('says when in words in the location’s zone, with whom, what to bring and how to cancel', async () => {
    await clinic.ok('admin', 'notifications/save-settings', {
      settings: { ...(await settingsWithoutEnvFlag()), clinicPhone: '+1 202 555 0100', clinicAddress: '1 Demo Way' },
    });
    const zoe = await accentedPatient();
    const booked = await clinic.ok('deskA', 'booking/create', {
      patientId: zoe,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at(TUESDAY, '09:15'),
      requirements: { accessibility: [], interpreterLanguage: 'pt-BR', notes: '' },
    });
    const card = await clinic.ok('deskB', 'printing/appointment-card', { appointmentId: booked.appointment.id });
    expect(card).toMatchObject({
      clinic: { name: 'Booking Test Clinic', phone: '+1 202 555 0100', address: '1 Demo Way' },
      patientName: 'Zoë Ångström-Núñez',
      doctorName: 'Dr Meredith Grey',
      locationName: 'Main Street',
      locationAddress: '1 Main St',
      dateText: 'Tuesday, June 2, 2026',
      timeText: '9:15 AM EDT – 9:30 AM EDT',
      requirements: { interpreterLanguage: 'pt-BR' },
      cancelText: 'To cancel or change this appointment, please call us on +1 202 555 0100 at least 24 hours before it.',
    });
    await clinic.err('deskB', 'printing/appointment-card', { appointmentId: 'not-an-appointment' }, 'common/not-found');
  });
});

describe('printing/patient-label', () => {
  it('prints name, birth date, number and phone', async () => {
    const zoe = await accentedPatient();
    const label = await clinic.ok('deskA', 'printing/patient-label', { patientId: zoe });
    expect(label).toMatchObject({ name: 'Zoë Ångström-Núñez', dateOfBirth: '1981-04-05', dateOfBirthText: 'Apr 5, 1981', phone: '+1 202 555 0999' });
    expect(label.patientNumber).toMatch(/\d/);
    await clinic.err('deskA', 'printing/patient-label', { patientId: 'nobody' }, 'common/not-found');
  });
});
