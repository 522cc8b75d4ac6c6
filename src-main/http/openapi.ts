import { z } from 'zod';
import { contract, handlerNames } from '../contract/index.js';
import type { HandlerDef } from '../contract/common.js';
import { restRoutes } from './rest-routes.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const errorSchema = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { type: 'boolean', enum: [false] },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        details: { type: 'object' },
      },
    },
  },
};

const okSchema = (data: unknown) => ({
  type: 'object',
  required: ['ok', 'data'],
  properties: { ok: { type: 'boolean', enum: [true] }, data },
});

const who = (def: HandlerDef): string => {
  const parts: string[] = [];
  if (def.access.staff) parts.push(`staff (${def.access.staff.join(', ')})`);
  if (def.access.patient) parts.push('the patient with their access token');
  if (def.access.anonymous) parts.push('anyone');
  return `Who may call: ${parts.join('; ')}.`;
};

/** The OpenAPI document of every HTTP route, generated from the contract's zod schemas. */
export function buildOpenApi(version: string) {
  const paths: Record<string, unknown> = {
    '/api/health': {
      get: {
        summary: 'Liveness, app version and database schema version.',
        responses: {
          200: {
            description: 'Healthy',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { ok: { type: 'boolean' }, version: { type: 'string' }, schemaVersion: { type: 'integer' } },
                },
              },
            },
          },
        },
      },
    },
    '/api/openapi.json': { get: { summary: 'This document.', responses: { 200: { description: 'OpenAPI 3 document' } } } },
  };
  for (const name of handlerNames) {
    const def = contract[name] as HandlerDef;
    paths[`/api/rpc/${name}`] = {
      post: {
        operationId: name,
        summary: def.summary,
        description: who(def),
        tags: [name.split('/')[0]],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.input, 'input') } } },
        responses: {
          200: { description: 'Done', content: { 'application/json': { schema: okSchema(jsonSchema(def.output, 'output')) } } },
          default: { description: 'A typed error', content: { 'application/json': { schema: errorSchema } } },
        },
      },
    };
  }
  for (const route of restRoutes) {
    const def = contract[route.handler] as HandlerDef;
    const entry = ((paths[route.openApiPath] as Record<string, unknown> | undefined) ?? {}) as Record<string, unknown>;
    entry[route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()} ${route.path}`,
      summary: route.summary,
      description: `${who(def)} Same rules as the handler \`${route.handler}\`.`,
      tags: ['patients'],
      parameters: route.parameters,
      ...(route.method !== 'GET'
        ? { requestBody: { required: true, content: { 'application/json': { schema: route.bodySchema ?? jsonSchema(def.input, 'input') } } } }
        : {}),
      responses: {
        200: { description: 'Done', content: { 'application/json': { schema: okSchema(jsonSchema(def.output, 'output')) } } },
        default: { description: 'A typed error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
    paths[route.openApiPath] = entry;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Clinic Desk API', version },
    components: {
      securitySchemes: {
        staffSession: { type: 'apiKey', in: 'cookie', name: 'cd_session' },
        patientToken: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
