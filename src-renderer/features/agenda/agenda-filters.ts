import type { AgendaItem } from '../../../src-main/contract/index.js';

export type AgendaStatus = AgendaItem['status'];
export const agendaStatuses: readonly AgendaStatus[] = ['booked', 'checked_in', 'completed', 'no_show', 'cancelled'];

/** The agenda's filters, kept in the address (`#/agenda/date=…&doctor=…`) so a reload keeps them. */
export interface AgendaFilters {
  /** A clinic date; none means today. */
  date?: string;
  doctorId: string;
  locationId: string;
  /** The statuses shown; empty means all (cancelled ones unless hidden). */
  statuses: AgendaStatus[];
  hideCancelled: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads the filters from a hash such as `#/agenda/date=2026-06-02&status=booked,checked_in`; anything odd is ignored. */
export function readFilters(hash: string): AgendaFilters {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const params = new URLSearchParams(parts[0] === 'agenda' && parts[1] ? decodeURIComponent(parts[1]) : '');
  const date = params.get('date') ?? '';
  const doctor = params.get('doctor') ?? '';
  const location = params.get('location') ?? '';
  const statuses = (params.get('status') ?? '').split(',').filter((s): s is AgendaStatus => (agendaStatuses as string[]).includes(s));
  return {
    date: DATE.test(date) ? date : undefined,
    doctorId: ID.test(doctor) ? doctor : '',
    locationId: ID.test(location) ? location : '',
    statuses: [...new Set(statuses)],
    hideCancelled: params.get('cancelled') === 'hide',
  };
}

export function filtersHash(f: AgendaFilters): string {
  const params = new URLSearchParams();
  if (f.date) params.set('date', f.date);
  if (f.doctorId) params.set('doctor', f.doctorId);
  if (f.locationId) params.set('location', f.locationId);
  if (f.statuses.length) params.set('status', f.statuses.join(','));
  if (f.hideCancelled) params.set('cancelled', 'hide');
  const query = params.toString();
  return query ? `#/agenda/${encodeURIComponent(query)}` : '#/agenda';
}

/** Whether a row is shown under the filters. */
export const shownBy = (f: AgendaFilters) => (item: Pick<AgendaItem, 'status'>) =>
  f.statuses.length ? f.statuses.includes(item.status) : !(f.hideCancelled && item.status === 'cancelled');
