import type { FastifyInstance } from 'fastify';
import type { App } from '../../src-main/app.js';
import { buildServer } from '../../src-main/http/server.js';

/** The real web-mode server over an app, listening on 127.0.0.1 on a free port. */
export async function listen(app: App): Promise<{ server: FastifyInstance; base: string }> {
  const server = await buildServer(app);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, base: `http://127.0.0.1:${address.port}` };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of many shapes, checked by the assertions
export type JsonAnswer = { ok: boolean; data?: any; error?: { code: string; message: string; fieldErrors?: Record<string, string[]> } };

/** One JSON request to the server (with a bearer token when given): the status and the parsed answer. */
export async function jsonRequest(base: string, method: 'GET' | 'POST' | 'PUT', path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: JsonAnswer }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as JsonAnswer };
}
