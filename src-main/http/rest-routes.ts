import type { HandlerName } from '../contract/index.js';

/**
 * The seed's REST endpoints are thin routes over the dispatcher: each names a handler and
 * says how the request becomes its input; rules, errors and audit are the handler's.
 */
export interface RestRoute {
  method: 'GET' | 'POST';
  path: string;
  openApiPath: string;
  handler: HandlerName;
  summary: string;
  parameters?: unknown[];
  bodySchema?: unknown;
  toInput(req: { body: unknown; params: Record<string, string>; query: Record<string, string> }): unknown;
}

export const restRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/patients/symptom-check',
    openApiPath: '/api/patients/symptom-check',
    handler: 'patient/symptom-check',
    summary:
      'Run the symptom checker. It does not diagnose and does not replace a clinician: it suggests specializations (ranked, with reasons in plain words), an urgency (emergency, same day, within a week, routine) and a consultation type, and red flags come first with the emergency number to call. With a patient access token (`Authorization: Bearer <token>`) the answers and result are saved on that patient’s record and age and sex come from it; without one, nothing is saved (give ageYears and sex yourself). The symptoms and questions to choose from: POST /api/rpc/symptoms/knowledge-base.',
    toInput: ({ body }) => body,
  },
  {
    method: 'POST',
    path: '/api/patients/register',
    openApiPath: '/api/patients/register',
    handler: 'patient/register',
    summary:
      'Register a patient. Returns the patient id and a patient access token valid for 30 days (send it as `Authorization: Bearer <token>` to the other /api/patients endpoints). An `Idempotency-Key` header (at least 32 random characters without signing in, e.g. a UUID) makes a retried request create one patient; a retry answers with the patient id and `replayed: true` but never with a token.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 100 } }],
    toInput: ({ body }) => body,
  },
  {
    method: 'POST',
    path: '/api/patients/access/rotate',
    openApiPath: '/api/patients/access/rotate',
    handler: 'patient/rotate-access',
    summary:
      'A patient swaps their access token (the Bearer token of this request) for a fresh one with a new 30-day lifetime; the old one stops working at once.',
    toInput: () => ({}),
  },
  {
    method: 'POST',
    path: '/api/patients/appointments',
    openApiPath: '/api/patients/appointments',
    handler: 'booking/create',
    summary:
      'Book an appointment. A patient (Bearer token) books for themselves; staff name patientId. Refused slots say why; a taken slot comes with the nearest free alternatives in error.details.alternatives. An optional `referralCode` is used at once (one use of the code, confirmed with the booking); the appointment\'s `price` is the breakdown (baseMinor, discountMinor, totalMinor, currency, referralCode). A code that cannot be used refuses the booking with the reason in error.fieldErrors.referralCode, and nothing is booked.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 100 } }],
    toInput: ({ body }) => body,
  },
  {
    method: 'GET',
    path: '/api/patients/appointments',
    openApiPath: '/api/patients/appointments',
    handler: 'appointment/history',
    summary: 'The patient’s appointment history, one page at a time (pass nextCursor as cursor for the next page).',
    parameters: [
      { name: 'patientId', in: 'query', required: false, schema: { type: 'string' }, description: 'Staff only: whose history.' },
      { name: 'filter', in: 'query', required: false, schema: { type: 'string', enum: ['upcoming', 'past', 'cancelled', 'all'] } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
    ],
    toInput: ({ query }) => {
      const input: Record<string, unknown> = { ...query };
      if (typeof query.limit === 'string' && /^\d+$/.test(query.limit)) input.limit = Number(query.limit);
      return input;
    },
  },
  {
    method: 'POST',
    path: '/api/patients/appointments/:id/cancel',
    openApiPath: '/api/patients/appointments/{id}/cancel',
    handler: 'appointment/cancel',
    summary: 'Cancel an appointment (a patient cancels their own; staff give a reason and whether the patient or the clinic cancelled).',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    bodySchema: {
      type: 'object',
      properties: { reason: { type: 'string', maxLength: 500 }, party: { type: 'string', enum: ['patient', 'clinic'] } },
      additionalProperties: false,
    },
    toInput: ({ body, params }) => ({ ...((body as object | null) ?? {}), appointmentId: params.id }),
  },
  {
    method: 'GET',
    path: '/api/patients/doctors/assigned',
    openApiPath: '/api/patients/doctors/assigned',
    handler: 'assignment/list',
    summary:
      'The patient’s assigned doctor(s): primary and per specialization, each with specialization, location and next available slot. A patient sends their Bearer token; staff name patientId.',
    parameters: [
      { name: 'patientId', in: 'query', required: false, schema: { type: 'string' }, description: 'Staff only: whose doctors.' },
      { name: 'includeHistory', in: 'query', required: false, schema: { type: 'boolean' }, description: 'Also past assignments (who, when, why).' },
    ],
    toInput: ({ query }) => {
      const input: Record<string, unknown> = { ...query };
      if (query.includeHistory === 'true' || query.includeHistory === 'false') input.includeHistory = query.includeHistory === 'true';
      return input;
    },
  },
];
