import { DateTime } from 'luxon';

/** "Tue 2 Jun, 09:00" — an instant as wall time in a zone, for refusal messages. */
export const whenText = (at: string | number, zone: string): string =>
  DateTime.fromMillis(typeof at === 'number' ? at : Date.parse(at), { zone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');

/** "09:00" — the wall-clock time of an instant in a zone. */
export const clockText = (at: string | number, zone: string): string =>
  DateTime.fromMillis(typeof at === 'number' ? at : Date.parse(at), { zone }).toFormat('HH:mm');
