/**
 * The calendar invite (.ics, RFC 5545), written by hand so every property is escaped the same
 * way: TEXT values escape backslash, ';', ',' and line breaks; parameter values are quoted and
 * lose '"'; every control character is removed; lines are folded at 75 octets. The location's
 * zone goes out as TZID with its VTIMEZONE (timezones-ical-library).
 */
import { tzlib_get_ical_block } from 'timezones-ical-library';

export interface InviteInput {
  /** Stable across reschedules: the first appointment of the chain. */
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  startAt: string;
  endAt: string;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string } | null;
  stamp: string;
  /** Minutes before the start for the display alarm. */
  alarmMinutes: number;
}

const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** A TEXT value: one logical line, RFC 5545 §3.3.11 escapes. */
export const icsText = (s: string): string =>
  s
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, '\n')
    .replace(/[^\S\n]*\n[^\S\n]*/g, '\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : ''))
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');

/** A parameter value (CN=…): quoted, without '"' and control characters. */
export const icsParam = (s: string): string => `"${s.replace(CONTROL, ' ').replace(/"/g, "'").trim()}"`;

/** A mailto: address: only the characters an address may have. */
const mailto = (email: string): string => `mailto:${email.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]/g, '')}`;

/** Folds a content line at 75 octets (never inside a UTF-8 character). */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (octets + n > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (iso: string): string => iso.slice(0, 19).replace(/[-:]/g, '') + 'Z';
const stampFormats = new Map<string, Intl.DateTimeFormat>();
/** Wall time of an instant in a zone as 20260604T100000 (one cached formatter per zone). */
function localStamp(iso: string, zone: string): string {
  let f = stampFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    stampFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

const vtimezones = new Map<string, string[] | null>();
/** The zone's VTIMEZONE lines (looked up once per zone: the library parses its data on every call). */
function vtimezone(zone: string): string[] | null {
  if (!vtimezones.has(zone)) vtimezones.set(zone, lookupVtimezone(zone));
  return vtimezones.get(zone)!;
}

function lookupVtimezone(zone: string): string[] | null {
  if (zone === 'UTC' || zone === 'Etc/UTC') return null;
  try {
    const block = tzlib_get_ical_block(zone);
    const text = Array.isArray(block) ? block[0] : null;
    if (!text || !text.includes('BEGIN:VTIMEZONE')) return null;
    return text.split(/\r?\n/).filter((l) => l.length > 0);
  } catch {
    return null;
  }
}

export function buildInvite(i: InviteInput): string {
  const tz = vtimezone(i.timeZone);
  const when = (prop: string, iso: string) => (tz ? `${prop};TZID=${i.timeZone}:${localStamp(iso, i.timeZone)}` : `${prop}:${utcStamp(iso)}`);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Clinic Desk//Notifications//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${i.method}`,
    ...(tz ?? []),
    'BEGIN:VEVENT',
    `UID:${i.uid.replace(/[^A-Za-z0-9@._-]/g, '')}`,
    `SEQUENCE:${i.sequence}`,
    `DTSTAMP:${utcStamp(i.stamp)}`,
    when('DTSTART', i.startAt),
    when('DTEND', i.endAt),
    `SUMMARY:${icsText(i.summary)}`,
    `DESCRIPTION:${icsText(i.description)}`,
    `LOCATION:${icsText(i.location)}`,
    `ORGANIZER;CN=${icsParam(i.organizer.name)}:${mailto(i.organizer.email)}`,
    ...(i.attendee ? [`ATTENDEE;CN=${icsParam(i.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:${mailto(i.attendee.email)}`] : []),
    `STATUS:${i.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    ...(i.method === 'CANCEL'
      ? []
      : ['BEGIN:VALARM', 'ACTION:DISPLAY', `TRIGGER:-PT${Math.max(0, Math.round(i.alarmMinutes))}M`, `DESCRIPTION:${icsText(i.summary)}`, 'END:VALARM']),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
