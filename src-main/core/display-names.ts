/** How patients and doctors are named on screens and in messages, written once. */
export { formatPatientNumber as patientNumber } from './desk/patient-number.js';

export const doctorName = (d: { title: string; given_name: string; family_name: string }): string =>
  `${d.title ? `${d.title} ` : ''}${d.given_name} ${d.family_name}`;
