import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentView } from '../../src-main/contract/index.js';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';

/**
 * appointment/history: the filters, keyset pagination (every appointment exactly once,
 * in order, ties on the start broken by id), bad cursors, and a patient seeing only their own.
 */
let clinic: Clinic;
/** Appointment ids by label. */
const ids: Record<string, string> = {};
const P = 0; // the patient whose history we read
const OTHER = 1;

beforeAll(async () => {
  clinic = await openClinic(); // Monday 1 June 2026, 08:00 New York
  // Two at the same instant for one patient need staff's explicit "book anyway" (issue 8 item 9).
  const book = async (label: string, doctorId: string, date: string, time: string, patient = P) => {
    ids[label] = (await clinic.book('deskA', { patient, doctorId, date, time, ...(label.endsWith('stone') ? { overlapAcknowledged: true as const } : {}) })).id;
  };
  await book('mon0900', IDS.grey, '2026-06-01', '09:00');
  await book('mon1000', IDS.stone, '2026-06-01', '10:00');
  await book('mon1100', IDS.grey, '2026-06-01', '11:00');
  await book('tue0900grey', IDS.grey, '2026-06-02', '09:00'); // two at the same instant: the id breaks the tie
  await book('tue0900stone', IDS.stone, '2026-06-02', '09:00');
  await book('wed1400', IDS.grey, '2026-06-03', '14:00');
  await book('thu0900grey', IDS.grey, '2026-06-04', '09:00');
  await book('thu0900stone', IDS.stone, '2026-06-04', '09:00');
  await book('fri1000', IDS.grey, '2026-06-05', '10:00');
  await book('otherTue', IDS.grey, '2026-06-02', '10:00', OTHER);
  await book('otherPast', IDS.grey, '2026-06-01', '09:15', OTHER);

  await clinic.ok('deskA', 'appointment/cancel', { appointmentId: ids.mon1100, reason: 'Patient called' });
  await clinic.ok('deskA', 'appointment/cancel', { appointmentId: ids.fri1000, reason: 'Patient called' });
  await clinic.setNow('2026-06-01T16:00:00.000Z'); // Monday 12:00
  await clinic.ok('deskA', 'appointment/set-status', { appointmentId: ids.mon0900, status: 'completed' });
  await clinic.ok('deskA', 'appointment/set-status', { appointmentId: ids.mon1000, status: 'no_show' });
  await clinic.ok('deskA', 'appointment/set-status', { appointmentId: ids.tue0900grey, status: 'checked_in' });
});
afterAll(async () => {
  await clinic.dispose();
});

const byStartThenId = (labels: string[]) => {
  const rows = labels.map((l) => clinic.row(ids[l]!)!);
  return rows.sort((a, b) => a.start_at.localeCompare(b.start_at) || a.id.localeCompare(b.id)).map((r) => r.id);
};

const expected = () => ({
  upcoming: byStartThenId(['tue0900grey', 'tue0900stone', 'wed1400', 'thu0900grey', 'thu0900stone']),
  past: byStartThenId(['mon0900', 'mon1000']).reverse(),
  cancelled: byStartThenId(['mon1100', 'fri1000']).reverse(),
  all: byStartThenId(['mon0900', 'mon1000', 'mon1100', 'tue0900grey', 'tue0900stone', 'wed1400', 'thu0900grey', 'thu0900stone', 'fri1000']).reverse(),
});

type Filter = 'upcoming' | 'past' | 'cancelled' | 'all';
const filters: Filter[] = ['upcoming', 'past', 'cancelled', 'all'];

const history = (input: Record<string, unknown>) => clinic.ok('deskB', 'appointment/history', { patientId: clinic.patients[P]!.patientId, ...input });

/** Every page of a filter at a page size, following nextCursor. */
async function allPages(filter: Filter, limit: number): Promise<AppointmentView[][]> {
  const pages: AppointmentView[][] = [];
  let cursor: string | null | undefined;
  do {
    const page = await history({ filter, limit, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor;
    if (pages.length > 20) throw new Error('pagination does not end');
  } while (cursor);
  return pages;
}

describe('filters', () => {
  it.each(filters)('%s returns the patient’s matching appointments in order', async (filter) => {
    const out = await history({ filter, limit: 100 });
    expect(out.items.map((i) => i.id)).toEqual(expected()[filter]);
    expect(out.nextCursor).toBeNull();
    expect(out.items.every((i) => i.patientId === clinic.patients[P]!.patientId)).toBe(true);
  });

  it('upcoming holds booked and checked-in appointments from now on, soonest first', async () => {
    const out = await history({ filter: 'upcoming' });
    expect(out.items.map((i) => [i.id, i.status])).toEqual(expected().upcoming.map((id) => [id, id === ids.tue0900grey ? 'checked_in' : 'booked']));
    expect(out.items.map((i) => `${i.localDate} ${i.localStart}`)).toEqual(['2026-06-02 09:00', '2026-06-02 09:00', '2026-06-03 14:00', '2026-06-04 09:00', '2026-06-04 09:00']);
  });

  it('past holds completed and no-show appointments, newest first; cancelled ones only under cancelled', async () => {
    const past = await history({ filter: 'past' });
    expect(past.items.map((i) => [i.localStart, i.status])).toEqual([
      ['10:00', 'no_show'],
      ['09:00', 'completed'],
    ]);
    const cancelled = await history({ filter: 'cancelled' });
    expect(cancelled.items.map((i) => [i.localDate, i.cancelReason])).toEqual([
      ['2026-06-05', 'Patient called'],
      ['2026-06-01', 'Patient called'],
    ]);
  });

  it('the default filter is all and the default page is 20', async () => {
    const out = await clinic.ok('deskB', 'appointment/history', { patientId: clinic.patients[P]!.patientId });
    expect(out.items.map((i) => i.id)).toEqual(expected().all);
  });
});

describe('keyset pagination', () => {
  it.each(filters.flatMap((filter) => [1, 2, 3, 4].map((limit) => [filter, limit] as const)))(
    '%s, %i per page: every appointment exactly once, in order',
    async (filter, limit) => {
      const pages = await allPages(filter, limit);
      const want = expected()[filter];
      expect(pages.flat().map((i) => i.id)).toEqual(want);
      expect(pages.length).toBe(Math.max(1, Math.ceil(want.length / limit)));
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
      expect(new Set(pages.flat().map((i) => i.id)).size).toBe(want.length);
    },
  );

  it('a page that ends exactly at the last item has no next cursor', async () => {
    const out = await history({ filter: 'past', limit: 2 });
    expect(out.items).toHaveLength(2);
    expect(out.nextCursor).toBeNull();
  });

  it('a booking made between pages appears on a later page when it sorts after the cursor, and nothing repeats', async () => {
    const first = await history({ filter: 'upcoming', limit: 2 });
    const id = (await clinic.book('deskA', { patient: P, doctorId: IDS.grey, date: '2026-06-05', time: '15:00' })).id;
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await history({ filter: 'upcoming', limit: 2, cursor });
      rest.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    const seen = [...first.items.map((i) => i.id), ...rest];
    expect(seen).toEqual([...expected().upcoming, id]);
    await clinic.ok('deskA', 'appointment/cancel', { appointmentId: id, reason: 'Test booking' });
  });

  it.each(['not-a-cursor', '!!!', Buffer.from('no separator').toString('base64url'), Buffer.from('|').toString('base64url')])(
    'a bad cursor (%s) is a field error on cursor',
    async (cursor) => {
      const error = await clinic.err('deskB', 'appointment/history', { patientId: clinic.patients[P]!.patientId, cursor }, 'validation/invalid-input');
      expect(error.fieldErrors).toEqual({ cursor: [expect.any(String)] });
    },
  );

  it('a cursor longer than 200 characters and a limit out of range are field errors', async () => {
    const long = await clinic.err('deskB', 'appointment/history', { patientId: clinic.patients[P]!.patientId, cursor: 'x'.repeat(201) }, 'validation/invalid-input');
    expect(Object.keys(long.fieldErrors ?? {})).toEqual(['cursor']);
    const limit = await clinic.err('deskB', 'appointment/history', { patientId: clinic.patients[P]!.patientId, limit: 0 }, 'validation/invalid-input');
    expect(Object.keys(limit.fieldErrors ?? {})).toEqual(['limit']);
  });
});

describe('whose history', () => {
  const patientCaller = (i: number) => ({ patientToken: clinic.patients[i]!.accessToken });

  it('a patient with their token sees only their own (patientId omitted)', async () => {
    const mine = await clinic.asPatient(clinic.patients[OTHER]!, 'appointment/history', { filter: 'all' });
    expect(mine.items.map((i) => i.id).sort()).toEqual([ids.otherTue!, ids.otherPast!].sort());
    const upcoming = await clinic.asPatient(clinic.patients[OTHER]!, 'appointment/history', { filter: 'upcoming' });
    expect(upcoming.items.map((i) => i.id)).toEqual([ids.otherTue]);
    const own = await clinic.asPatient(clinic.patients[P]!, 'appointment/history', { filter: 'all', limit: 100 });
    expect(own.items.map((i) => i.id)).not.toContain(ids.otherTue);
  });

  it('a patient naming another patient is refused', async () => {
    await clinic.err(patientCaller(OTHER), 'appointment/history', { patientId: clinic.patients[P]!.patientId }, 'auth/forbidden');
  });

  it('a patient cannot open another patient’s appointment, but can open their own', async () => {
    await clinic.err(patientCaller(OTHER), 'appointment/get', { appointmentId: ids.wed1400 }, 'common/not-found');
    const own = await clinic.asPatient(clinic.patients[P]!, 'appointment/get', { appointmentId: ids.wed1400 });
    expect(own.appointment.localStart).toBe('14:00');
  });

  it('staff must name the patient; an unknown one is not found; nobody signed in is refused', async () => {
    const error = await clinic.err('deskB', 'appointment/history', {}, 'validation/invalid-input');
    expect(error.fieldErrors).toEqual({ patientId: ['Choose the patient.'] });
    await clinic.err('deskB', 'appointment/history', { patientId: 'no-such-patient' }, 'common/not-found');
    await clinic.err({}, 'appointment/history', {}, 'auth/patient-token-missing');
  });
});
