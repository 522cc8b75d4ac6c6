/**
 * The SMTP adapter: plain inputs, plain results. The only module that imports nodemailer; the
 * core hands it a finished message and gets back what the server said. Header values are made
 * single-line here too (a second line of defence after the core's own cleaning).
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface SmtpConfig {
  /** smtp://user:pass@host:587 or smtps://… (CLINIC_DESK_SMTP_URL); wins over the fields below. */
  url?: string;
  host?: string;
  port?: number;
  tls?: 'starttls' | 'tls' | 'none';
  user?: string;
  password?: string;
  /** Keep one pooled connection open (the sender); a test e-mail uses a single connection. */
  pool?: boolean;
  /** Connection, greeting and socket timeouts (default 15 s). */
  timeoutMs?: number;
}

export interface Address {
  name: string;
  address: string;
}

export interface MailInput {
  from: Address;
  replyTo?: string;
  to: Address;
  subject: string;
  text: string;
  html: string;
  /** Our Message-ID, '<…@…>': the same on every attempt of one message. */
  messageId: string;
  /** The calendar invite, sent as text/calendar (inline) and as an .ics attachment. */
  invite?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export type SendResult =
  | { ok: true; providerId: string; answer: string }
  | { ok: false; transient: boolean; reason: string };

export interface MailTransport {
  send(mail: MailInput): Promise<SendResult>;
  /** Connect, greet and log in without sending: the server's answer. */
  verify(): Promise<SendResult>;
  close(): void;
}

/** Removes every control character (CR, LF, tabs, NUL…) and line/paragraph separators. */
export const oneLine = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();

function transportOptions(c: SmtpConfig): SMTPTransport.Options & { pool?: boolean } {
  const t = c.timeoutMs ?? 15_000;
  const timeouts = { connectionTimeout: t, greetingTimeout: t, socketTimeout: t * 2, dnsTimeout: t };
  if (c.url) {
    const u = new URL(c.url);
    const secure = u.protocol === 'smtps:';
    return {
      host: u.hostname,
      port: Number(u.port) || (secure ? 465 : 587),
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      ignoreTLS: u.searchParams.get('tls') === 'none',
      pool: c.pool,
      ...timeouts,
    };
  }
  return {
    host: c.host,
    port: c.port,
    secure: c.tls === 'tls',
    requireTLS: c.tls === 'starttls',
    ignoreTLS: c.tls === 'none',
    auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
    pool: c.pool,
    ...timeouts,
  };
}

/** What went wrong with TLS, without OpenSSL's file names and error numbers. */
function tlsDetail(e: { code?: string; message?: string }, text: string): string {
  if (/wrong version number|packet length too long|unknown protocol/i.test(text)) return 'the server does not speak TLS on this port (choose STARTTLS, or the port for TLS, usually 465)';
  if (e.code === 'ETLS' && /STARTTLS/.test(e.message ?? '')) return `the server does not offer STARTTLS, so nothing was sent in clear (it answered ${oneLine(text.replace(/^.*STARTTLS:\s*/, ''))})`;
  return text.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:/i, '').replace(/:\.\.\/deps\/.*$/, '');
}

/**
 * 4xx answers, timeouts and connection trouble are worth another try; 5xx answers are not. TLS
 * trouble (a certificate nobody trusts, no STARTTLS, TLS to a plain port) is the clinic's setup
 * to fix: the message waits for it (retried with backoff) and the reason says TLS in words.
 */
export function classify(err: unknown): { transient: boolean; reason: string } {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const text = oneLine(e.response || e.message || String(err)).slice(0, 500);
  if (e.code === 'ETLS' || /certificate|SSL routines|self[- ]signed|wrong version number/i.test(text)) {
    return { transient: true, reason: `The secure connection (TLS) to the mail server failed: ${tlsDetail(e, oneLine(e.message || text))}` };
  }
  if (typeof e.responseCode === 'number') {
    return { transient: e.responseCode < 500, reason: `The mail server answered ${text}` };
  }
  const what: Record<string, string> = {
    ECONNECTION: 'The mail server could not be reached',
    ETIMEDOUT: 'The mail server did not answer in time',
    ESOCKET: 'The connection to the mail server failed',
    ETLS: 'The secure connection (TLS) to the mail server failed',
    EAUTH: 'The mail server refused the user name or password',
    EDNS: 'The mail server’s name could not be found',
  };
  const code = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ECONNRESET/.test(text) ? 'ECONNECTION' : e.code;
  return { transient: true, reason: `${(code && what[code]) || 'Sending failed'}: ${text}` };
}

export function createMailTransport(config: SmtpConfig): MailTransport {
  const transport = nodemailer.createTransport(transportOptions(config));
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: { name: oneLine(mail.from.name), address: oneLine(mail.from.address) },
          to: { name: oneLine(mail.to.name), address: oneLine(mail.to.address) },
          replyTo: mail.replyTo ? oneLine(mail.replyTo) : undefined,
          subject: oneLine(mail.subject),
          text: mail.text,
          html: mail.html,
          messageId: oneLine(mail.messageId),
          ...(mail.invite
            ? {
                icalEvent: { method: mail.invite.method, content: mail.invite.content },
                attachments: [{ filename: mail.invite.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: mail.invite.content, contentType: `application/ics; method=${mail.invite.method}` }],
              }
            : {}),
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        const answer = oneLine(info.response ?? '');
        if (info.rejected.length > 0) return { ok: false, transient: false, reason: `The mail server refused the address: ${answer}` };
        // "250 2.0.0 Ok: queued as 4F2A…" — the server's own id when it gives one.
        const queued = /queued as\s+(\S+)/i.exec(answer)?.[1];
        return { ok: true, providerId: queued ?? answer.slice(0, 200), answer };
      } catch (err) {
        return { ok: false, ...classify(err) };
      }
    },
    async verify() {
      try {
        await transport.verify();
        return { ok: true, providerId: '', answer: 'The server accepted the connection and the login.' };
      } catch (err) {
        return { ok: false, ...classify(err) };
      }
    },
    close() {
      transport.close();
    },
  };
}
