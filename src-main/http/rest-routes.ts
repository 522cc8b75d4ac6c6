import type { HandlerName } from '../contract/index.js';

/**
 * The seed's REST endpoints are thin routes over the dispatcher: each names a handler and
 * says how the request becomes its input; rules, errors and audit are the handler's.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  openApiPath: string;
  handler: HandlerName;
  summary: string;
  parameters?: unknown[];
  bodySchema?: unknown;
  /**
   * The route is for someone not signed in (asking for or exchanging a sign-in link): a Bearer
   * token the page still keeps — live or expired — is ignored rather than refused.
   */
  ignoreBearer?: true;
  toInput(req: { body: unknown; params: Record<string, string>; query: Record<string, string> }): unknown;
}

const ID_PARAM = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

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
  // ---- The patient page (issue 14) ----------------------------------------------------------
  {
    method: 'GET',
    path: '/api/patients/clinic',
    openApiPath: '/api/patients/clinic',
    handler: 'portal/clinic',
    summary:
      'What the patient page shows about the clinic: name, phone, e-mail, address, time zone, currency, locale, languages, emergency number, the cancellation policy in plain words (window and fees), how far ahead one may book, locations, consultation types (duration, price) and specializations.',
    toInput: () => ({}),
  },
  {
    method: 'GET',
    path: '/api/patients/slots',
    openApiPath: '/api/patients/slots',
    handler: 'portal/slots',
    summary:
      'Free slots of a consultation type, day by day from `from` for `days` days (1–14), in the location’s time zone (`label` is the local time, e.g. "09:15"). Without doctorId: the first available doctor for each time. Held and booked times are never listed. `nextFreeDate`: the first later day with a free slot, or null.',
    parameters: [
      { name: 'consultationTypeId', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'doctorId', in: 'query', required: false, schema: { type: 'string' }, description: 'Omit for the first available doctor.' },
      { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
      { name: 'days', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 14, default: 7 } },
    ],
    toInput: ({ query }) => {
      const input: Record<string, unknown> = { ...query };
      if (typeof query.days === 'string' && /^\d{1,3}$/.test(query.days)) input.days = Number(query.days);
      if (query.doctorId === '') delete input.doctorId;
      return input;
    },
  },
  {
    method: 'GET',
    path: '/api/patients/doctors',
    openApiPath: '/api/patients/doctors',
    handler: 'portal/doctors',
    summary: 'The doctors who offer a consultation type, with their specialization and where they work.',
    parameters: [{ name: 'consultationTypeId', in: 'query', required: true, schema: { type: 'string' } }],
    toInput: ({ query }) => ({ ...query }),
  },
  {
    method: 'POST',
    path: '/api/patients/sign-in-link',
    openApiPath: '/api/patients/sign-in-link',
    handler: 'portal/request-link',
    summary:
      'Ask for a one-time sign-in link: `{ contact: e-mail or mobile number, dateOfBirth: YYYY-MM-DD }`. The answer is always `{ sent: true, message }`, whether or not a patient matched. When exactly one does, a link (`<publicBaseUrl>/book#/signin/<token>`, valid 30 minutes, usable once) is sent there by e-mail or text.',
    ignoreBearer: true,
    toInput: ({ body }) => body,
  },
  {
    method: 'POST',
    path: '/api/patients/access/exchange',
    openApiPath: '/api/patients/access/exchange',
    handler: 'portal/exchange-link',
    summary:
      'Exchange the token of a sign-in link (`{ linkToken }`) for a patient access token valid 30 days (`Authorization: Bearer <accessToken>`). A link works once; a used, expired or unknown one is refused in words.',
    ignoreBearer: true,
    toInput: ({ body }) => body,
  },
  {
    method: 'GET',
    path: '/api/patients/me',
    openApiPath: '/api/patients/me',
    handler: 'portal/me',
    summary: 'The signed-in patient’s own details, and whether their medical history questionnaire is filled in.',
    toInput: () => ({}),
  },
  {
    method: 'POST',
    path: '/api/patients/holds',
    openApiPath: '/api/patients/holds',
    handler: 'portal/hold',
    summary:
      'Hold a slot while the booking is completed (`{ consultationTypeId, doctorId, startAt }`): others see it taken until `expiresAt`. One hold per patient: a new one releases the previous. Book it with `holdId` (POST /api/patients/appointments).',
    toInput: ({ body }) => body,
  },
  {
    method: 'POST',
    path: '/api/patients/holds/release',
    openApiPath: '/api/patients/holds/release',
    handler: 'portal/release-hold',
    summary: 'Release the patient’s hold (`{ holdId }`, or `{}` for whichever they have).',
    toInput: ({ body }) => body ?? {},
  },
  {
    method: 'GET',
    path: '/api/patients/appointments/:id',
    openApiPath: '/api/patients/appointments/{id}',
    handler: 'appointment/get',
    summary: 'One of the patient’s own appointments, with its price breakdown and payment status. Another patient’s is answered as not found.',
    parameters: ID_PARAM,
    toInput: ({ params }) => ({ appointmentId: params.id }),
  },
  {
    method: 'GET',
    path: '/api/patients/appointments/:id/cancel-preview',
    openApiPath: '/api/patients/appointments/{id}/cancel-preview',
    handler: 'payment/cancel-preview',
    summary: 'What cancelling the appointment now would cost or refund, in words (`summary`, `policyText`), before the patient confirms.',
    parameters: ID_PARAM,
    toInput: ({ params }) => ({ appointmentId: params.id }),
  },
  {
    method: 'POST',
    path: '/api/patients/appointments/:id/reschedule',
    openApiPath: '/api/patients/appointments/{id}/reschedule',
    handler: 'appointment/reschedule',
    summary:
      'Move the patient’s own appointment (`{ startAt, doctorId?, holdId? }`): the new time is taken and the old one freed together. Refused in words inside the clinic’s cancellation window.',
    parameters: ID_PARAM,
    bodySchema: {
      type: 'object',
      required: ['startAt'],
      properties: { startAt: { type: 'string', format: 'date-time' }, doctorId: { type: 'string' }, holdId: { type: 'string' } },
      additionalProperties: false,
    },
    toInput: ({ body, params }) => ({ ...((body as object | null) ?? {}), appointmentId: params.id }),
  },
  {
    method: 'POST',
    path: '/api/patients/appointments/:id/pay',
    openApiPath: '/api/patients/appointments/{id}/pay',
    handler: 'portal/pay',
    summary:
      'A Stripe payment page for what is due on the patient’s own appointment (`{ url }`); it leads back to `<publicBaseUrl>/book#/booked/<id>`. Without Stripe: `portal/pay-unavailable` ("Paying online is not available; pay at the desk.").',
    parameters: ID_PARAM,
    bodySchema: { type: 'object', additionalProperties: false },
    toInput: ({ params }) => ({ appointmentId: params.id }),
  },
  {
    method: 'GET',
    path: '/api/patients/me/medical-history',
    openApiPath: '/api/patients/me/medical-history',
    handler: 'portal/medical-history',
    summary:
      'The signed-in patient’s own health questions (medical history): `{ data, version, answered, updatedAt }`. Always the token’s own patient; there is no patient id to give.',
    toInput: () => ({}),
  },
  {
    method: 'PUT',
    path: '/api/patients/me/medical-history',
    openApiPath: '/api/patients/me/medical-history',
    handler: 'portal/update-medical-history',
    summary:
      'Save the signed-in patient’s own health questions: `{ expectedVersion, data }` (the whole questionnaire, as read). When they changed since `version` was read, `patient/version-conflict` in plain words and nothing is saved; the previous answers stay in the record’s history, and the clinic sees who changed them (the patient).',
    toInput: ({ body }) => body,
  },
  {
    method: 'POST',
    path: '/api/patients/holds/:id/price',
    openApiPath: '/api/patients/holds/{id}/price',
    handler: 'portal/price-preview',
    summary:
      'The price of the patient’s own hold with a referral code (`{ referralCode }`), before booking: `valid` and `price` (baseMinor, discountMinor, totalMinor, currency, referralCode), or the reason in words (`reason`, `message`) and the plain price. The same checks as booking; nothing is written or reserved. Each check spends the guessing budget (per address and per patient token). Another patient’s hold answers as one that has run out.',
    parameters: ID_PARAM,
    bodySchema: { type: 'object', required: ['referralCode'], properties: { referralCode: { type: 'string', maxLength: 64 } }, additionalProperties: false },
    toInput: ({ body, params }) => ({ ...((body as object | null) ?? {}), holdId: params.id }),
  },
];
