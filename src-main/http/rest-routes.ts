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
    path: '/api/patients/register',
    openApiPath: '/api/patients/register',
    handler: 'patient/register',
    summary:
      'Register a patient. Returns the patient id and a patient access token (send it as `Authorization: Bearer <token>` to the other /api/patients endpoints). An `Idempotency-Key` header makes a retried request create one patient.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 100 } }],
    toInput: ({ body }) => body,
  },
];
