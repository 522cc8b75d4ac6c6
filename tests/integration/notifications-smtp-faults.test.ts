import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { emailSettings, messages, pump, reachable } from '../helpers/notify.js';

/**
 * The mail server misbehaving in the ways real ones do: silent after connecting, stalling in the
 * middle of a message, offering a certificate nobody trusts, not offering TLS at all, or speaking
 * plain text to a TLS client. Each time the message waits with the reason in words, nothing is
 * sent in clear when TLS was asked for, and the message goes out exactly once when the server
 * behaves again. Timeouts are shortened to 400 ms (the sender's default is 15 s).
 */
const TIMEOUT_MS = 400;
let clinic: Clinic | null = null;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await clinic?.dispose();
  clinic = null;
  for (const close of closers.splice(0)) await close();
});

/** A TCP server on loopback that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

interface Recorder {
  port: number;
  /** Completed messages (answered 250). */
  accepted: string[];
  /** Every MAIL FROM the server saw, completed or not. */
  mailFrom: number;
  /** While true, DATA is read and never answered. */
  stall: boolean;
}

/** A real SMTP server (smtp-server) whose behaviour a test switches. */
async function smtp(options: { starttls: boolean; port?: number }): Promise<Recorder> {
  const rec: Recorder = { port: 0, accepted: [], mailFrom: 0, stall: false };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    logger: false,
    // smtp-server's own self-signed certificate serves STARTTLS when it is not disabled.
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    onMailFrom: (_a, _s, cb) => {
      rec.mailFrom++;
      cb();
    },
    onData: (stream, _session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rec.stall) return; // never answered: the client times out
        rec.accepted.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  rec.port = (server.server.address() as AddressInfo).port;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return rec;
}

async function setup(port: number, tls: 'none' | 'starttls' | 'tls' = 'none') {
  clinic = await openClinic({ smtpTimeoutMs: TIMEOUT_MS });
  const settings = emailSettings(port);
  await clinic.ok('admin', 'notifications/save-settings', { settings: { ...settings, email: { ...settings.email, tls } } });
  reachable(clinic, 0, 'ada@example.test', { email: 1, sms: 0 });
  const appt = await clinic.book('deskA', { doctorId: IDS.grey, date: '2026-06-04', time: '10:00' });
  const row = () => messages(clinic!, appt.id).find((m) => m.kind === 'confirmation' && m.channel === 'email')!;
  return { c: clinic, row };
}

describe('a misbehaving mail server loses nothing and leaks nothing', () => {
  it('a server that connects and never greets: the message waits, "did not answer in time", and goes once the server answers', async () => {
    const port = await silentServer();
    const { c, row } = await setup(port);
    const first = await pump(c);
    expect(first.retrying).toBe(1);
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/^Will try again: The mail server did not answer in time/);
    // The clinic fixes the address: a real server, the same message, sent once.
    const good = await smtp({ starttls: false });
    await c.ok('admin', 'notifications/save-settings', { settings: emailSettings(good.port) });
    c.clock.advance({ minutes: 2 });
    await c.app.notifications.runOnce();
    expect(good.accepted).toHaveLength(1);
    expect([row().status, row().attempts, row().reason]).toEqual(['sent', 2, null]);
  });

  it('a server that stalls after the message was sent and never answers 250: tried again, delivered once', async () => {
    const server = await smtp({ starttls: false });
    server.stall = true;
    const { c, row } = await setup(server.port);
    await pump(c);
    expect(server.mailFrom).toBe(1);
    expect(server.accepted).toHaveLength(0);
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/^Will try again: The mail server did not answer in time/);
    server.stall = false;
    c.clock.advance({ minutes: 2 });
    await c.app.notifications.runOnce();
    expect(server.accepted).toHaveLength(1);
    expect(row().status).toBe('sent');
  });

  it('STARTTLS with a certificate nobody trusts: refused in words, the message waits, nothing goes in clear', async () => {
    const server = await smtp({ starttls: true });
    const { c, row } = await setup(server.port, 'starttls');
    await pump(c);
    expect(server.mailFrom).toBe(0);
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/^Will try again: The secure connection \(TLS\) to the mail server failed: .*certificate/i);
    expect(row().reason).not.toMatch(/SSL routines|deps\/openssl/);
  });

  it('STARTTLS asked for but the server does not offer it: nothing goes in clear, the reason says TLS', async () => {
    const server = await smtp({ starttls: false });
    const { c, row } = await setup(server.port, 'starttls');
    await pump(c);
    expect(server.mailFrom).toBe(0);
    expect(row().status).toBe('queued');
    expect(row().reason).toMatch(/^Will try again: The secure connection \(TLS\) to the mail server failed: the server does not offer STARTTLS, so nothing was sent in clear/);
  });

  it('TLS from the first byte against a server that speaks plain text: the reason says TLS, nothing is sent', async () => {
    const server = await smtp({ starttls: false });
    const { c, row } = await setup(server.port, 'tls');
    await pump(c);
    expect(server.mailFrom).toBe(0);
    expect(row().status).toBe('queued');
    expect(row().reason).toBe('Will try again: The secure connection (TLS) to the mail server failed: the server does not speak TLS on this port (choose STARTTLS, or the port for TLS, usually 465)');
  });
});
