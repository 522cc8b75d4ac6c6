import type { ChangeNotice, EntityType } from '../../contract/changes.js';

export type { ChangeNotice, EntityType };

/**
 * Change notices: what changed, never the record itself. The dispatcher publishes them after
 * a transaction commits (never on rollback); live transports (SSE in web mode, IPC in
 * Electron) forward them to signed-in staff so open screens refresh.
 */
export type ChangeListener = (notices: readonly ChangeNotice[]) => void;

/** In-process fan-out of committed change notices. A failing listener never affects others. */
export class ChangeHub {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notices: readonly ChangeNotice[]): void {
    if (notices.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(notices);
      } catch {
        // a broken subscriber (a closed stream) must not stop the others
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

const topicEntities: ReadonlyArray<[prefix: string, entity: EntityType]> = [
  ['patient.doctor-', 'assignment'],
  ['patient.section-', 'patient_section'],
  ['patient.', 'patient'],
  ['appointment.', 'appointment'],
  ['hold.', 'hold'],
  ['roster.hours-', 'doctor_hours'],
  ['roster.exception-', 'doctor_exception'],
  ['roster.location-', 'location'],
  ['roster.specialization-', 'specialization'],
  ['roster.doctor-', 'doctor'],
  ['roster.consultation-type-', 'consultation_type'],
  ['roster.bookings-kept', 'appointment'],
  ['settings.', 'settings'],
  ['staff.', 'staff'],
  ['referral.', 'referral_code'],
];

/** The notice for an outbox topic (until every writer emits a typed change envelope). */
export function noticeForTopic(topic: string, recordId: string, payload: unknown): ChangeNotice | null {
  const entry = topicEntities.find(([prefix]) => topic.startsWith(prefix));
  if (!entry) return null;
  const p = (payload ?? {}) as Record<string, unknown>;
  const refs: ChangeNotice['refs'] = {};
  if (typeof p.patientId === 'string') refs.patientId = p.patientId;
  if (typeof p.doctorId === 'string') refs.doctorId = p.doctorId;
  if (entry[1] === 'patient' || entry[1] === 'patient_section' || entry[1] === 'assignment') refs.patientId ??= recordId;
  return { entity: entry[1], id: recordId, op: topic.endsWith('-removed') || topic.endsWith('-unassigned') ? 'delete' : 'upsert', refs };
}
