import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { App } from '../app.js';
import type { DispatchOutcome } from '../dispatch.js';
import { buildOpenApi } from './openapi.js';
import { restRoutes } from './rest-routes.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { AddressBudget, gateFor, type CallerLimits } from './rate-limit.js';
import { registerEventStream, type EventStreamOptions } from './event-stream.js';
import { registerStripeWebhook, type OnStripeEvent } from './stripe-webhook.js';

export const SESSION_COOKIE = 'cd_session';
const BODY_LIMIT = 256 * 1024;

/** The Content-Security-Policy of the web-mode pages; the Electron window sets the same one. */
export { CONTENT_SECURITY_POLICY };

export interface ServerOptions {
  /** The built renderer (dist/renderer); omitted in API-only tests. */
  staticDir?: string;
  /** Mark the session cookie Secure (behind HTTPS). */
  secureCookie?: boolean;
  /** Host names (besides loopback) that requests may be addressed to, e.g. the desk's LAN name. */
  allowedHosts?: string[];
  /**
   * Requests per client address per minute from callers who are not signed in as staff:
   * every anonymous request, and every failing one (default 60). Signed-in staff are never limited.
   */
  anonymousPerMinute?: number;
  /** Sign-in, self-registration and setup attempts per client address per minute (default 30). */
  guessesPerMinute?: number;
  /** Requests per patient token per minute, from any address (default 60). */
  tokenPerMinute?: number;
  /** Holds, sign-in links and bookings per patient token per minute (default 10). */
  tokenCostlyPerMinute?: number;
  /** Referral code guesses per patient token per minute: checks, price previews, bookings with a code (default 30, like the per-address guessing budget). */
  tokenGuessesPerMinute?: number;
  /** Live change notices at GET /api/events (heartbeat, stream limits). */
  eventStream?: EventStreamOptions;
  /** Verified Stripe events from POST /api/stripe/webhook (default: none recorded, answered 200). */
  onStripeEvent?: OnStripeEvent;
  /** Age a Stripe webhook signature may have, in seconds (default 300). */
  stripeWebhookToleranceSeconds?: number;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The host name of a Host header or an origin's authority, without the port. */
const hostName = (authority: string): string => authority.toLowerCase().replace(/:\d+$/, '');

const bearer = (req: FastifyRequest): string | null => {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
};

/** Web mode: the HTTP transport over the one dispatcher, plus the built renderer. */
export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({ bodyLimit: BODY_LIMIT, logger: false, trustProxy: false });
  await server.register(fastifyCookie);
  // Per-address budgets (see rate-limit.ts); the dispatcher asks them once it knows the caller.
  const now = () => app.clock.now().getTime();
  const limits: CallerLimits = {
    general: new AddressBudget(options.anonymousPerMinute ?? 60, now),
    guesses: new AddressBudget(options.guessesPerMinute ?? 30, now),
    perToken: new AddressBudget(options.tokenPerMinute ?? 60, now),
    costlyPerToken: new AddressBudget(options.tokenCostlyPerMinute ?? 10, now),
    guessesPerToken: new AddressBudget(options.tokenGuessesPerMinute ?? 30, now),
  };
  const tooMany = (reply: FastifyReply, seconds: number) =>
    reply
      .status(429)
      .header('Retry-After', String(seconds))
      .send({
        ok: false,
        error: { code: 'http/too-many-requests', message: `Too many attempts from this address. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.` },
      });
  // Only JSON bodies: a cross-site form cannot send them, so cookies cannot be ridden (CSRF).
  server.removeContentTypeParser('text/plain');

  // DNS rebinding: a web page may point its own name at 127.0.0.1, so only requests addressed
  // to our own names are served; and a browser's cross-origin write is refused outright.
  const allowedHosts = new Set([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  server.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(hostName(host))) {
      return reply.status(421).send({ ok: false, error: { code: 'http/host-not-allowed', message: 'This server does not answer to that host name.' } });
    }
    const origin = req.headers.origin;
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin && origin !== 'null') {
      let originHost: string;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = '';
      }
      if (originHost.toLowerCase() !== host.toLowerCase()) {
        return reply.status(403).send({ ok: false, error: { code: 'http/cross-origin', message: 'Requests from other sites are not accepted.' } });
      }
    }
  });

  server.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', reply.getHeader('Cache-Control') ?? 'no-store');
  });

  server.setErrorHandler((error: { statusCode?: number; code?: string; message: string; error?: unknown }, req, reply) => {
    const status = error.statusCode ?? 500;
    // A body that never reaches the dispatcher (not JSON, too large) still spends the address's budget.
    if (status >= 400 && status < 500) {
      const wait = limits.general.take(req.ip);
      if (wait) return tooMany(reply, wait);
    }
    const code =
      status === 413
        ? 'validation/too-large'
        : status === 415
          ? 'validation/unsupported-media-type'
          : status === 400
            ? 'validation/invalid-json'
            : 'internal/error';
    const message =
      status === 413
        ? `The request is larger than ${BODY_LIMIT / 1024} KiB.`
        : status === 415
          ? 'Send the request body as application/json.'
          : status === 400
            ? 'The request body is not valid JSON.'
            : 'Something went wrong; nothing was saved.';
    void reply.status(status >= 400 && status < 600 ? status : 500).send({ ok: false, error: { code, message } });
  });

  const send = (reply: FastifyReply, outcome: DispatchOutcome) => {
    if (outcome.retryAfterSeconds) void reply.header('Retry-After', String(outcome.retryAfterSeconds));
    if (outcome.session?.set) {
      void reply.setCookie(SESSION_COOKIE, outcome.session.set, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookie ?? false,
      });
    } else if (outcome.session?.clear) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return reply.status(outcome.status).send(outcome.result);
  };

  /** Dispatches with the caller's credentials, address and rate limit; failures spend the budget. */
  const dispatch = async (req: FastifyRequest, name: string, input: unknown, ignoreBearer = false): Promise<DispatchOutcome> => {
    const gate = gateFor(limits, req.ip);
    const outcome = await app.dispatch(name, input, {
      sessionToken: req.cookies[SESSION_COOKIE] ?? null,
      patientToken: ignoreBearer ? null : bearer(req),
      address: req.ip,
      gate,
    });
    gate.settle(outcome.status);
    return outcome;
  };

  // The patient page's links default to this server's own address (see the publicBaseUrl setting).
  server.addHook('onListen', async () => {
    const address = server.server.address();
    if (!address || typeof address === 'string') return;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const shown = host === '0.0.0.0' || host === '[::]' ? 'localhost' : host;
    app.setServerOrigin(`http://${shown}:${address.port}`);
  });

  server.get('/api/health', async () => ({ ok: true, version: app.version, schemaVersion: app.schemaVersion }));

  const openApi = buildOpenApi(app.version);
  server.get('/api/openapi.json', async () => openApi);

  server.post<{ Params: { '*': string } }>('/api/rpc/*', async (req, reply) => send(reply, await dispatch(req, req.params['*'], req.body)));

  for (const route of restRoutes) {
    server.route({
      method: route.method,
      url: route.path,
      handler: async (req, reply) => {
        const input = route.toInput({
          body: req.body,
          params: req.params as Record<string, string>,
          query: req.query as Record<string, string>,
        });
        const idempotencyKey = req.headers['idempotency-key'];
        const withKey =
          typeof idempotencyKey === 'string' && input && typeof input === 'object' && !('idempotencyKey' in input)
            ? { ...(input as object), idempotencyKey }
            : input;
        return send(reply, await dispatch(req, route.handler, withKey, route.ignoreBearer === true));
      },
    });
  }

  registerStripeWebhook(server, app, { budget: limits.general, tooMany }, { onStripeEvent: options.onStripeEvent ?? ((event) => app.stripeFollowUp.handleEvent(event)), toleranceSeconds: options.stripeWebhookToleranceSeconds });

  registerEventStream(server, app, SESSION_COOKIE, { ...options.eventStream, refuse: (address) => limits.general.take(address) });

  server.all('/api/*', async (req, reply) => {
    const wait = limits.general.take(req.ip);
    if (wait) return tooMany(reply, wait);
    return reply.status(404).send({ ok: false, error: { code: 'http/not-found', message: 'No such API route.' } });
  });

  if (options.staticDir && existsSync(options.staticDir)) {
    await server.register(fastifyStatic, {
      root: path.resolve(options.staticDir),
      // The build writes .br and .gz beside its scripts and pages (vite.renderer.config.ts).
      preCompressed: true,
      setHeaders(res) {
        res.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        res.header('Cache-Control', 'no-cache');
      },
    });
    // The patient booking page: its own small bundle (src-renderer/book), no staff screens.
    for (const url of ['/book', '/book/']) {
      server.get(url, (_req, reply) => reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY).header('Cache-Control', 'no-cache').sendFile('book/index.html'));
    }
    server.setNotFoundHandler((_req, reply) => {
      void reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY).sendFile('index.html');
    });
  }
  return server;
}
