import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

let clinic: Clinic;
beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => clinic.dispose());

describe('the appointment returned by booking/create', () => {
  it('is exactly what appointment/get reads back from the database', async () => {
    const booked = await clinic.ok('deskA', 'booking/create', {
      patientId: clinic.patients[2]!.patientId,
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at('2026-06-02', '10:00'),
      requirements: { accessibility: ['wheelchair', 'hearing'], interpreterLanguage: 'pt-BR', notes: 'Prefers the ground floor' },
    });
    const read = await clinic.ok('deskB', 'appointment/get', { appointmentId: booked.appointment.id });
    expect(booked.appointment).toEqual(read.appointment);
    expect(booked.appointment).toMatchObject({ locationId: IDS.main, localStart: '10:00', status: 'booked' });

    const own = await clinic.asPatient(clinic.patients[3]!, 'booking/create', {
      doctorId: IDS.grey,
      consultationTypeId: IDS.general,
      startAt: clinic.at('2026-06-03', '16:45'),
    });
    expect(own.appointment).toEqual((await clinic.ok('deskA', 'appointment/get', { appointmentId: own.appointment.id })).appointment);
  });
});
