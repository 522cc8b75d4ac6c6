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
