import type { HandlerName } from '../contract/index.js';

/**
 * The seed's REST endpoints are thin routes over the dispatcher: each names a handler and
 * says how the request becomes its input. Filled in by the patient and booking features.
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

export const restRoutes: RestRoute[] = [];
