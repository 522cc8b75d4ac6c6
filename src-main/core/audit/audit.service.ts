import type { Db } from '../db/database.js';
import type { Actor, Ctx } from '../context.js';
import type { AuditLogTable } from '../db/schema.js';
import { dayBounds } from '../time/time.js';
import { doctorName } from '../display-names.js';
import type { AuditKind } from '../../contract/audit.contract.js';
import { AUDIT_WORDS, codeInWords, fieldInWords, wordsFor } from './audit-words.js';

export interface AuditEntry {
  at: string;
  actor: Actor;
  handler: string;
  recordType?: string | null;
  recordId?: string | null;
  outcome: AuditLogTable['outcome'];
  /** Never clinical data: an error code, the names of invalid fields. */
  detail?: string | null;
  /** Counted refusals: how many attempts the row stands for, and the last one's time. */
  count?: number;
  lastAt?: string | null;
  /** The caller's network address (web mode); none for the local desk. */
  source?: string | null;
}

const actorId = (actor: Actor): string | null =>
  actor.kind === 'staff' ? actor.id : actor.kind === 'patient' ? actor.patientId : null;

/** Text from the caller (an unknown field's name in `detail`) may hold lone surrogates: never store them. */
const wellFormed = (text: string | null | undefined): string | null => (text == null ? null : text.replace(/\p{Cs}/gu, '\uFFFD'));

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_kind: entry.actor.kind,
      actor_id: actorId(entry.actor),
      handler: entry.handler,
      record_type: entry.recordType ?? null,
      record_id: wellFormed(entry.recordId),
      outcome: entry.outcome,
      detail: wellFormed(entry.detail),
      count: entry.count ?? 1,
      last_at: entry.lastAt ?? null,
      source: entry.source ?? null,
    })
    .execute();
}

export interface AuditFilter {
  beforeSeq?: number;
  limit?: number;
  /** Who: a staff member's id. */
  staffId?: string;
  kind?: AuditKind;
  /** Rows about this patient: their record, their appointments and payments, or done by them. */
  patientId?: string;
  /** Clinic-local dates, inclusive. */
  from?: string;
  to?: string;
}

export async function listAudit(ctx: Ctx, input: AuditFilter) {
  const zone = ctx.settings.timeZone;
  let query = ctx.db
    .selectFrom('audit_log')
    .leftJoin('staff', (join) => join.onRef('staff.id', '=', 'audit_log.actor_id').on('audit_log.actor_kind', '=', 'staff'))
    .select([
      'audit_log.seq',
      'audit_log.at',
      'audit_log.actor_kind',
      'audit_log.actor_id',
      'staff.display_name',
      'audit_log.handler',
      'audit_log.record_type',
      'audit_log.record_id',
      'audit_log.outcome',
      'audit_log.detail',
      'audit_log.count',
      'audit_log.last_at',
      'audit_log.source',
    ])
    .orderBy('audit_log.seq', 'desc')
    .limit(input.limit ?? 50);
  if (input.beforeSeq) query = query.where('audit_log.seq', '<', input.beforeSeq);
  if (input.staffId) query = query.where('audit_log.actor_kind', '=', 'staff').where('audit_log.actor_id', '=', input.staffId);
  if (input.kind) {
    const kind = input.kind;
    const handlers = Object.entries(AUDIT_WORDS)
      .filter(([, words]) => words.kind === kind)
      .map(([name]) => name);
    query = query.where('audit_log.handler', 'in', handlers);
  }
  if (input.from) query = query.where('audit_log.at', '>=', dayBounds(input.from, zone).start);
  if (input.to) query = query.where('audit_log.at', '<', dayBounds(input.to, zone).end);
  if (input.patientId) {
    const patientId = input.patientId;
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('audit_log.record_type', '=', 'patient'), eb('audit_log.record_id', '=', patientId)]),
        eb.and([eb('audit_log.actor_kind', '=', 'patient'), eb('audit_log.actor_id', '=', patientId)]),
        eb.and([
          eb('audit_log.record_type', '=', 'appointment'),
          eb('audit_log.record_id', 'in', eb.selectFrom('appointment').select('appointment.id').where('appointment.patient_id', '=', patientId)),
        ]),
        eb.and([
          eb('audit_log.record_type', '=', 'payment'),
          eb('audit_log.record_id', 'in', eb.selectFrom('payment').select('payment.id').where('payment.patient_id', '=', patientId)),
        ]),
      ]),
    );
  }
  const rows = await query.execute();
  const names = await recordNames(ctx, rows);
  return {
    rows: rows.map((r) => {
      const words = wordsFor(r.handler);
      const actorName = r.display_name ?? (r.actor_kind === 'patient' && r.actor_id ? names.patient.get(r.actor_id) ?? null : null);
      return {
        seq: r.seq,
        at: r.at,
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        actorName: r.display_name,
        handler: r.handler,
        recordType: r.record_type,
        recordId: r.record_id,
        outcome: r.outcome,
        detail: r.detail,
        count: r.count,
        lastAt: r.last_at,
        source: r.source,
        kind: words?.kind ?? 'system',
        summary: auditSentence({
          actor: actorInWords(r.actor_kind, actorName, r.source),
          handler: r.handler,
          outcome: r.outcome,
          subject: r.handler.startsWith('auth/') ? signInSubject(names, r) : subjectOf(names, r.record_type, r.record_id, zone),
          detail: detailInWords(names, r.handler, r.outcome, r.record_type, r.record_id, r.detail),
          count: r.count,
        }),
      };
    }),
  };
}

type Row = { actor_kind: string; actor_id: string | null; record_type: string | null; record_id: string | null };
interface Names {
  patient: Map<string, string>;
  appointment: Map<string, { patient: string | null; startAt: string; cancelReason: string | null }>;
  other: Map<string, string>;
}

/** The names of the records the rows speak of, read in one query per kind of record. */
async function recordNames(ctx: Ctx, rows: Row[]): Promise<Names> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.record_type === type && r.record_id).map((r) => r.record_id!))];
  const names: Names = { patient: new Map(), appointment: new Map(), other: new Map() };
  const apptIds = idsOf('appointment');
  const payIds = idsOf('payment');
  const pays = payIds.length
    ? await ctx.db.selectFrom('payment').select(['id', 'patient_id', 'appointment_id']).where('id', 'in', payIds).execute()
    : [];
  const allAppts = [...new Set([...apptIds, ...pays.map((p) => p.appointment_id).filter((x): x is string => !!x)])];
  const appts = allAppts.length
    ? await ctx.db.selectFrom('appointment').select(['id', 'patient_id', 'start_at', 'cancel_reason']).where('id', 'in', allAppts).execute()
    : [];
  const patientIds = [
    ...new Set([
      ...idsOf('patient'),
      ...rows.filter((r) => r.actor_kind === 'patient' && r.actor_id).map((r) => r.actor_id!),
      ...appts.map((a) => a.patient_id),
      ...pays.map((p) => p.patient_id),
    ]),
  ];
  if (patientIds.length) {
    for (const p of await ctx.db.selectFrom('patient').select(['id', 'given_name', 'family_name']).where('id', 'in', patientIds).execute()) {
      names.patient.set(p.id, `${p.given_name} ${p.family_name}`.trim());
    }
  }
  for (const a of appts) names.appointment.set(a.id, { patient: names.patient.get(a.patient_id) ?? null, startAt: a.start_at, cancelReason: a.cancel_reason });
  for (const p of pays) {
    const a = p.appointment_id ? names.appointment.get(p.appointment_id) : undefined;
    const who = names.patient.get(p.patient_id);
    names.other.set(`payment:${p.id}`, a ? `the payment for ${a.patient ?? 'a patient'}’s appointment of ${WHEN}${a.startAt}` : who ? `${who}’s payment` : 'a payment');
  }
  const simple = async (type: string, table: 'doctor' | 'staff' | 'location' | 'specialization' | 'consultation_type' | 'referral_code') => {
    const ids = idsOf(type);
    if (ids.length === 0) return;
    if (table === 'doctor') {
      for (const d of await ctx.db.selectFrom('doctor').select(['id', 'title', 'given_name', 'family_name']).where('id', 'in', ids).execute()) {
        names.other.set(`${type}:${d.id}`, doctorName(d));
      }
    } else if (table === 'staff') {
      for (const s of await ctx.db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', ids).execute()) names.other.set(`${type}:${s.id}`, s.display_name);
    } else if (table === 'referral_code') {
      for (const c of await ctx.db.selectFrom('referral_code').select(['id', 'code']).where('id', 'in', ids).execute()) names.other.set(`${type}:${c.id}`, c.code);
    } else {
      for (const e of await ctx.db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute()) names.other.set(`${type}:${e.id}`, `“${e.name}”`);
    }
  };
  await simple('doctor', 'doctor');
  await simple('staff', 'staff');
  await simple('location', 'location');
  await simple('specialization', 'specialization');
  await simple('consultation_type', 'consultation_type');
  await simple('referral_code', 'referral_code');
  return names;
}

/** A marker for an instant inside a name, formatted in the clinic's zone when the sentence is made. */
const WHEN = '\u0000when:';
const whenFormats = new Map<string, Intl.DateTimeFormat>();
/** "Tue 3 Mar 09:15", in the clinic's zone. */
export function whenInWords(iso: string, zone: string): string {
  let f = whenFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    whenFormats.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

function subjectOf(names: Names, type: string | null, id: string | null, zone: string): string | null {
  if (!type || !id) return null;
  let text: string | undefined;
  if (type === 'patient') text = names.patient.get(id);
  else if (type === 'appointment') {
    const a = names.appointment.get(id);
    text = a ? `${a.patient ?? 'a patient'}’s appointment of ${a.startAt.startsWith(WHEN) ? a.startAt : `${WHEN}${a.startAt}`}` : undefined;
  } else text = names.other.get(`${type}:${id}`);
  return text ? text.replace(new RegExp(`${WHEN}(\\S+)`, 'g'), (_m, iso: string) => whenInWords(iso, zone)) : null;
}

/** Signing in names the account only when it is not the one acting (a refused attempt on someone's account). */
function signInSubject(names: Names, r: Row): string | null {
  if (r.record_type !== 'staff' || !r.record_id || (r.actor_kind === 'staff' && r.actor_id === r.record_id)) return null;
  const name = names.other.get(`staff:${r.record_id}`);
  return name ? `as ${name}` : null;
}

function detailInWords(names: Names, handler: string, outcome: string, type: string | null, id: string | null, detail: string | null): string | null {
  if (outcome === 'ok') {
    if (handler === 'appointment/cancel' && type === 'appointment' && id) {
      const reason = names.appointment.get(id)?.cancelReason;
      if (reason) return `reason: ${reason}`;
    }
    if (handler === 'settings/update' && type === 'settings' && id) return id.split(',').map(fieldInWords).join(', ');
    if (detail === 'idempotent replay') return 'the same request sent again; nothing changed';
    return detail;
  }
  if (!detail) return null;
  if (detail.startsWith('fields: ')) return detail.slice(8).split(', ').map(fieldInWords).join(', ');
  if (/^[a-z-]+\/[a-z-]+$/.test(detail)) return codeInWords(detail);
  return detail;
}

export function actorInWords(kind: string, name: string | null, source: string | null): string {
  const from = source ? ` (from ${source})` : '';
  if (kind === 'staff') return `${name ?? 'A staff member who no longer exists'}${from}`;
  if (kind === 'patient') return `${name ? `The patient ${name}` : 'A patient'}${from}`;
  if (kind === 'anonymous') return `Someone not signed in${from}`;
  return 'The app';
}

/** One audit row as a sentence: "Robin Reception cancelled Ana Ruiz’s appointment of Tue 3 Mar 09:15 (reason: …)". */
export function auditSentence(row: { actor: string; handler: string; outcome: string; subject: string | null; detail: string | null; count: number }): string {
  const words = wordsFor(row.handler);
  const object = row.subject ?? words?.what ?? '';
  const joined = (verb: string) => (object ? `${verb} ${object}` : verb);
  const action = words ? (row.outcome === 'ok' ? joined(words.did) : `tried to ${joined(words.tried)}`) : `did an operation the app has no words for`;
  const result =
    row.outcome === 'ok'
      ? ''
      : row.outcome === 'denied'
        ? ', and was refused'
        : row.outcome === 'invalid'
          ? ', but some fields were not filled in correctly'
          : ', and it failed';
  const times = row.count > 1 ? ` (${row.count} attempts)` : '';
  const detail = row.detail ? ` (${row.outcome === 'denied' || row.outcome === 'error' ? 'why: ' : ''}${row.detail})` : '';
  return `${row.actor} ${action}${result}${times}${detail}`.replace(/\s+/g, ' ').trim();
}
