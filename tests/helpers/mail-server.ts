/** A real SMTP server on loopback (smtp-server) that keeps every mail it accepts, parsed (mailparser). */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  envelopeTo: string[];
}

export type MailMode = 'accept' | 'greylist' | 'reject';

export class MailServer {
  mails: ReceivedMail[] = [];
  mode: MailMode = 'accept';
  /** Called after the server has answered 250 to a mail (the kill test ends the sender here). */
  onMail: ((mail: ReceivedMail) => void) | null = null;
  private server: SMTPServer;
  port = 0;
  private queueSeq = 0;

  constructor() {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        if (this.mode === 'greylist') return cb(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }));
        if (this.mode === 'reject') return cb(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            const mail = { raw, parsed, envelopeTo: session.envelope.rcptTo.map((r) => r.address) };
            this.mails.push(mail);
            cb(null, `Ok: queued as Q${++this.queueSeq}` as unknown as undefined);
            if (this.onMail) setImmediate(() => this.onMail?.(mail));
          }, cb);
        });
      },
    });
  }

  async start(port = 0): Promise<number> {
    // A client killed mid-conversation resets its socket: not an error of the test.
    this.server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port nobody listens on (connection refused). */
export async function deadPort(): Promise<number> {
  const s = new MailServer();
  const port = await s.start();
  await s.stop();
  return port;
}
