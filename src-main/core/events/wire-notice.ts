import { entityTypes, type ChangeNotice, type EntityType } from '../../contract/changes.js';

const entities = new Set<string>(entityTypes);
const idOk = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;

/**
 * What crosses to a screen (SSE or IPC): only the entity, id, op and the refs ids of a notice,
 * whatever else a publisher attaches. Notices that do not fit the contract are dropped.
 */
export function toWireNotices(notices: readonly ChangeNotice[]): ChangeNotice[] {
  const out: ChangeNotice[] = [];
  for (const n of notices) {
    if (!n || !entities.has(n.entity) || !idOk(n.id)) continue;
    const wire: ChangeNotice = { entity: n.entity as EntityType, id: n.id, op: n.op === 'delete' ? 'delete' : 'upsert' };
    const refs: NonNullable<ChangeNotice['refs']> = {};
    if (idOk(n.refs?.patientId)) refs.patientId = n.refs.patientId;
    if (idOk(n.refs?.doctorId)) refs.doctorId = n.refs.doctorId;
    if (refs.patientId !== undefined || refs.doctorId !== undefined) wire.refs = refs;
    out.push(wire);
  }
  return out;
}
