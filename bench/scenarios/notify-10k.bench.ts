/**
 * notify-10k: 10,000 confirmations (quick: 1,000) sent by the notification sender to a
 * loopback SMTP server (smtp-server, accepting and discarding), against nodemailer sending the
 * same rendered messages directly over its own pooled connection, in the same run.
 *
 * Data: the demo clinic; every patient gets an e-mail address and consent; N `message` rows
 * (confirmations, e-mail) spread over the demo's upcoming appointments, queued and due, inserted
 * untimed and reset to queued (untimed) before each app pass.
 *
 * App side: NotificationSender.runOnce() until nothing is due: per batch of 200 one claim
 * transaction (re-check of appointment, consent, quiet hours; templates; .ics), then per
 * message the adapter's send over the pooled connection and its own record transaction
 * (synchronous=FULL) — the crash-safety point.
 * Baseline side: nodemailer.sendMail() of the same message (the sender's own templates and
 * invite: text, HTML, inline calendar part and .ics attachment) N times, sequentially, over a
 * pooled transport.
 * msgs_per_s = N / median pass. Goal: ratio ≥ 0.7.
 */
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { openApp } from '../../src-main/app.js';
import { NotificationSender } from '../../src-main/core/notifications/sender.js';
import { defaultNotificationSettings } from '../../src-main/contract/notifications.contract.js';
import { renderMessage } from '../../src-main/core/notifications/templates.js';
import { buildInvite } from '../../src-main/core/notifications/invite.ics.js';
import { alternate } from '../lib/alternate.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { percentile } from '../lib/stats.js';

async function sink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb(null);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, received: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

export const notify10k: Scenario = {
  name: 'notify-10k',
  summary: '10,000 confirmations (quick: 1,000) through the sender to a loopback SMTP server vs nodemailer directly.',
  async run({ quick, log }) {
    const count = quick ? 1_000 : 10_000;
    const rounds = quick ? 2 : 2;
    const scratch = scratchDir('notify-10k');
    const smtp = await sink();
    const app = await openApp({ dataDir: scratch.dir, backgroundWork: false, log, env: {} });
    try {
      const demo = await app.dispatch('setup/load-demo', {});
      if (!demo.result.ok) throw new Error(`demo: ${JSON.stringify(demo.result)}`);
      const settings = {
        ...defaultNotificationSettings,
        quietHours: { enabled: false, start: '21:00', end: '08:00' },
        email: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: 'none' as const, user: '', fromAddress: 'desk@bench.test', fromName: 'Bench Clinic', replyTo: '' },
      };
      const raw = app.raw;
      raw.prepare("INSERT INTO setting (key, value, updated_at) VALUES ('notifications', ?, '')").run(JSON.stringify(settings));
      raw.prepare("UPDATE patient SET email = 'p' || number || '@bench.test', consent_email = 1").run();
      const now = new Date().toISOString();
      const appts = raw.prepare("SELECT id, patient_id, start_at FROM appointment WHERE status = 'booked' AND start_at > ? ORDER BY start_at").all(now) as Array<{ id: string; patient_id: string; start_at: string }>;
      if (appts.length === 0) throw new Error('notify-10k: the demo has no upcoming appointments');
      const deskId = raw.prepare('SELECT id FROM desk').pluck().get() as string;
      const insert = raw.prepare(
        `INSERT INTO message (id, appointment_id, patient_id, chain_id, kind, channel, appointment_version, offset_minutes, resend, sequence, appointment_start_at, due_at, expires_at, status, next_at, message_id, owner_desk_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'confirmation', 'email', 1, 0, ?, 0, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      );
      raw.transaction(() => {
        for (let i = 0; i < count; i++) {
          const a = appts[i % appts.length]!;
          const id = `bench-${i}`;
          insert.run(id, a.id, a.patient_id, a.id, i + 1, a.start_at, now, a.start_at, now, `<${id}@clinic-desk>`, deskId, now, now);
        }
      })();
      const reset = raw.prepare("UPDATE message SET status = 'queued', attempts = 0, next_at = ?, sent_at = NULL, provider_id = NULL, reason = NULL WHERE id LIKE 'bench-%'");
      const sender = new NotificationSender({ db: app.db, raw, clock: { now: () => new Date() }, secrets: app.secrets, clinic: () => app.settings(), changeLog: undefined, batchSize: 200 });
      // One rendered message of the same shape for the baseline (taken from a real send below).
      const direct = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true });
      let sample: Parameters<typeof direct.sendMail>[0] | null = null;
      const appSide = async (sw: import('../lib/timer.js').Stopwatch) => {
        reset.run(new Date(Date.now() - 1000).toISOString());
        const before = smtp.received();
        sw.start();
        let sent = 0;
        for (;;) {
          const r = await sender.runOnce();
          sent += r.sent;
          if (r.sent + r.failed + r.retrying + r.skipped === 0) break;
        }
        sw.stop();
        if (sent !== count || smtp.received() - before !== count) throw new Error(`notify-10k: sent ${sent}, server got ${smtp.received() - before} of ${count}`);
      };
      const baseSide = async () => {
        // The same message the sender builds (templates and invite of one of the appointments).
        sample ??= (() => {
          const a = appts[0]!;
          const text = renderMessage({ kind: 'confirmation', language: 'en', patientGivenName: 'Pat', clinicName: app.settings().clinicName, clinicAddress: '', clinicPhone: '', doctorName: 'Dr A B', locationName: 'Main', locationAddress: '1 Main St', startAt: a.start_at, timeZone: app.settings().timeZone, previousStartAt: null, offsetMinutes: 0 });
          const ics = buildInvite({ uid: `${a.id}@clinic-desk`, sequence: 0, method: 'REQUEST', startAt: a.start_at, endAt: a.start_at, timeZone: app.settings().timeZone, summary: 'Clinic: Dr A B', description: text.text, location: 'Main, 1 Main St', organizer: { name: 'Bench Clinic', email: 'desk@bench.test' }, attendee: { name: 'Pat Bench', email: 'p1@bench.test' }, stamp: now, alarmMinutes: 60 });
          return {
            from: { name: 'Bench Clinic', address: 'desk@bench.test' },
            to: { name: 'Pat Bench', address: 'p1@bench.test' },
            subject: text.subject,
            text: text.text,
            html: text.html,
            icalEvent: { method: 'REQUEST', content: ics },
            attachments: [{ filename: 'invite.ics', content: ics, contentType: 'application/ics; method=REQUEST' }],
          };
        })();
        for (let i = 0; i < count; i++) await direct.sendMail({ ...sample, messageId: `<base-${i}-${Date.now()}@bench>` });
      };
      log(`  ${rounds} alternating passes of ${count.toLocaleString('en-US')} messages per side (+1 warm-up)`);
      const samples = await alternate(appSide, baseSide, rounds, { warmup: 1 });
      direct.close();
      await sender.stop();
      const appRate = count / (percentile(samples.app, 50) / 1000);
      const baseRate = count / (percentile(samples.baseline, 50) / 1000);
      return { rows: [row('notify-10k', 'msgs_per_s', appRate, 'msg/s', baseRate)], notes: { count, rounds, appMs: samples.app, baselineMs: samples.baseline } };
    } finally {
      await app.close();
      await smtp.close();
      scratch.remove();
    }
  },
};
