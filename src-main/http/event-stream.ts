/**
 * `GET /api/events`: committed change notices for signed-in staff, as Server-Sent Events.
 *
 * - Only a staff session cookie opens a stream; a locked session, a patient's Bearer token or
 *   nobody gets 401 and no stream.
 * - Each message carries what changed (entity, id, op, refs ids), never a record's contents.
 * - Every message has an id; there is no replay: a client that reconnects after a gap gets a
 *   fresh `ready` event and simply invalidates everything it has cached.
 * - A comment line every `heartbeatMs` lets proxies and the client notice a dead connection;
 *   the session is checked before each send and on each heartbeat, so a stream ends soon
 *   after its session does (logout, lock, expiry, staff disabled).
 * - Streams are limited per session and per client address.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { toWireNotices } from '../core/events/wire-notice.js';
import { sha256Hex } from '../core/util/hash.js';

export interface EventStreamOptions {
  /** Comment line (and session check) interval; default 15 s. */
  heartbeatMs?: number;
  /** Open streams per staff session; default 4 (a few tabs). */
  maxPerSession?: number;
  /** Open streams per client address; default 32. */
  maxPerAddress?: number;
  /**
   * Called for a refused stream request (no staff session): returns the seconds to wait when
   * the address is over its budget (web mode's rate limit), else 0 after spending a token.
   */
  refuse?: (address: string) => number;
}

const unauthorized = { ok: false, error: { code: 'auth/unauthenticated', message: 'Please sign in.' } };
const tooManyFor = (seconds: number) => ({
  ok: false,
  error: { code: 'http/too-many-requests', message: `Too many attempts from this address. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.` },
});

export function registerEventStream(server: FastifyInstance, app: App, sessionCookie: string, options: EventStreamOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxPerSession = options.maxPerSession ?? 4;
  const maxPerAddress = options.maxPerAddress ?? 32;
  const bootId = randomUUID().slice(0, 8);
  let seq = 0;
  const perSession = new Map<string, number>();
  const perAddress = new Map<string, number>();
  const open = new Set<() => void>();
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };

  /** Whether the token is a signed-in, unlocked staff session right now (never touches it). */
  const staffSignedIn = async (token: string): Promise<boolean> => {
    const outcome = await app.dispatch('auth/session', {}, { sessionToken: token });
    const data = outcome.result.ok ? (outcome.result.data as { staff: unknown; locked: boolean }) : null;
    return !!data?.staff && !data.locked;
  };

  // Open streams never let the server close: end them first.
  server.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  server.get('/api/events', async (req: FastifyRequest, reply) => {
    const token = req.cookies[sessionCookie];
    if (!token || !(await staffSignedIn(token))) {
      // Not signed in: the request spends from the address's budget like any other.
      const wait = options.refuse?.(req.ip) ?? 0;
      if (wait) return reply.status(429).header('Retry-After', String(wait)).send(tooManyFor(wait));
      return reply.status(401).send(unauthorized);
    }
    const sessionKey = sha256Hex(token);
    const address = req.ip;
    if ((perSession.get(sessionKey) ?? 0) >= maxPerSession || (perAddress.get(address) ?? 0) >= maxPerAddress) {
      return reply.status(429).send({ ok: false, error: { code: 'http/too-many-streams', message: 'Too many live connections are open. Close some tabs.' } });
    }
    bump(perSession, sessionKey, 1);
    bump(perAddress, address, 1);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Accel-Buffering': 'no',
    });

    let closed = false;
    let chain = Promise.resolve();
    const end = (reason?: string) => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(timer);
      open.delete(end);
      bump(perSession, sessionKey, -1);
      bump(perAddress, address, -1);
      if (reason && !res.writableEnded) res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      res.end();
    };
    /** Sends after checking the session; sends stay in order. */
    const send = (frame: string) => {
      chain = chain.then(async () => {
        if (closed) return;
        if (!(await staffSignedIn(token))) return end('signed-out');
        if (!closed) res.write(frame);
      });
    };
    const unsubscribe = app.changes.subscribe((notices) => {
      const wire = toWireNotices(notices);
      if (wire.length === 0) return;
      seq += 1;
      send(`id: ${bootId}-${seq}\nevent: change\ndata: ${JSON.stringify(wire)}\n\n`);
    });
    const timer = setInterval(() => send(': ping\n\n'), heartbeatMs);
    timer.unref?.();
    open.add(end);
    req.raw.on('close', () => end());
    res.on('close', () => end());
    res.on('error', () => end());

    // Reconnection delay for the browser; `ready` tells the client to resync after a gap.
    res.write(`retry: 2000\nid: ${bootId}-${seq}\nevent: ready\ndata: {}\n\n`);
  });
}
