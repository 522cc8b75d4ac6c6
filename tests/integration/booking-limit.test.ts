import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

let clinic: Clinic;
beforeAll(async () => {
  clinic = await openClinic();
});
afterAll(async () => clinic.dispose());

describe('self-service booking is capped per patient', () => {
  it('refuses a patient’s fourth upcoming booking (default limit 3) but not the desk’s', async () => {
    const patient = clinic.patients[1]!;
    for (const time of ['09:00', '09:15', '09:30']) {
      await clinic.asPatient(patient, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', time) });
    }
    const before = clinic.appointmentCount();
    const error = await clinic.err({ patientToken: patient.accessToken }, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '09:45') }, 'booking/limit');
    expect(error.message).toMatch(/3 upcoming appointments/);
    expect(clinic.appointmentCount()).toBe(before);
    // Staff may still book for the patient.
    await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-02', time: '09:45' });
    // Cancelling one frees a place.
    const mine = await clinic.asPatient(patient, 'appointment/history', { filter: 'upcoming' });
    await clinic.asPatient(patient, 'appointment/cancel', { appointmentId: mine.items[0]!.id });
    await clinic.ok('admin', 'settings/update', { patientBookingLimit: 4 });
    await clinic.asPatient(patient, 'booking/create', { doctorId: IDS.grey, consultationTypeId: IDS.general, startAt: clinic.at('2026-06-02', '10:00') });
  });
});
