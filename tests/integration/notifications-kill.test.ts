import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IDS, openClinic } from '../helpers/booking.js';
import { MailServer } from '../helpers/mail-server.js';
import { emailSettings, reachable } from '../helpers/notify.js';
import { openRaw } from '../../src-main/core/db/database.js';
import { removeDir } from '../helpers/temp-dir.js';

/**
 * How many times the sender is killed. The figure is 50 (`NOTIFY_KILLS=50 npx vitest run
 * tests/integration/notifications-kill.test.ts`; about 10 minutes on a loaded 2-core machine, where
 * each worker start costs seconds); the everyday suite kills it 20 times.
 */
const KILLS = Number(process.env.NOTIFY_KILLS ?? 20);
/** Copies sent again per appointment: about 11 e-mails per kill, so the kills run out before the mail does. */
const COPIES = Math.max(4, Math.ceil((KILLS * 11) / 24));
const servers: MailServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function runWorker(dataDir: string, now: string, smtp: MailServer, killAfter: number | null): Promise<'done' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(path.resolve('tests/helpers/notify-sender-worker.ts'), [], {
      execPath: process.execPath,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, NOTIFY_DIR: dataDir, NOTIFY_NOW: now },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let seen = 0;
    let killed = false;
    smtp.onMail = () => {
      if (killAfter !== null && ++seen >= killAfter && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      smtp.onMail = null;
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('done');
      else reject(new Error(`worker exited with ${code}`));
    });
  });
}

describe('killing the sender in the middle of a batch', () => {
  it(`loses no message across ${KILLS} kills; a repeat only of a message accepted but not recorded, with the same Message-ID`, async () => {
    const smtp = new MailServer();
    servers.push(smtp);
    await smtp.start();
    const clinic = await openClinic();
    await clinic.ok('admin', 'notifications/save-settings', { settings: emailSettings(smtp.port, { reminders: { email: [], sms: [] } }) });
    for (let p = 0; p < 6; p++) reachable(clinic, p, `patient${p}@example.test`, { email: 1, sms: 0 });
    // 24 appointments, each with its confirmation and COPIES copies sent again.
    for (let p = 0; p < 6; p++) {
      for (const date of ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11']) {
        await clinic.book('deskA', { patient: p, doctorId: p % 2 === 0 ? IDS.stone : IDS.grey, date, time: ['09:00', '10:00', '11:00', '14:00', '15:00', '16:00'][p]! });
      }
    }
    await clinic.app.background.runOnce();
    clinic.app.raw
      .prepare(
        `INSERT INTO message (id, appointment_id, patient_id, chain_id, kind, channel, appointment_version, offset_minutes, resend, sequence, appointment_start_at, due_at, expires_at, status, next_at, message_id, owner_desk_id, created_at, updated_at)
         SELECT m.id || '-' || n.n, appointment_id, patient_id, chain_id, kind, channel, appointment_version, offset_minutes, n.n, sequence, appointment_start_at, due_at, expires_at, status, next_at, '<' || m.id || '-' || n.n || '@clinic-desk>', owner_desk_id, created_at, updated_at
           FROM message m, (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?) SELECT n FROM c) n
          WHERE m.status = 'queued'`,
      )
      .run(COPIES);
    const now = clinic.clock.now().toISOString();
    const dataDir = clinic.app.dataDir;
    const total = (clinic.app.raw.prepare("SELECT count(*) FROM message WHERE status = 'queued'").pluck().get() as number);
    expect(total).toBe(24 * (COPIES + 1));
    await clinic.app.close();

    let kills = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    while (kills < KILLS) {
      const outcome = await runWorker(dataDir, now, smtp, 3 + Math.floor(random() * 13));
      if (outcome === 'done') break;
      kills++;
    }
    expect(await runWorker(dataDir, now, smtp, null)).toBe('done');

    const raw = openRaw(path.join(dataDir, 'clinic-desk.sqlite'));
    try {
      const rows = raw.prepare("SELECT message_id, status, reason FROM message WHERE channel = 'email'").all() as Array<{ message_id: string; status: string; reason: string | null }>;
      const notSent = rows.filter((r) => r.status !== 'sent');
      expect(notSent, JSON.stringify(notSent.slice(0, 3))).toEqual([]);
      const received = new Map<string, number>();
      for (const m of smtp.mails) received.set(m.parsed.messageId!, (received.get(m.parsed.messageId!) ?? 0) + 1);
      // Each at least once…
      for (const r of rows) expect(received.get(r.message_id) ?? 0, r.message_id).toBeGreaterThanOrEqual(1);
      expect(received.size).toBe(rows.length);
      // …and a repeat only where the row says it was interrupted after sending.
      const repeated = [...received].filter(([, n]) => n > 1);
      for (const [id] of repeated) expect(rows.find((r) => r.message_id === id)!.reason).toMatch(/same Message-ID/);
      const duplicates = repeated.reduce((n, [, c]) => n + c - 1, 0);
      console.log(`kill test: ${kills} kills, ${rows.length} messages, ${smtp.mails.length} received, ${duplicates} repeats (same Message-ID) of ${repeated.length} messages`);
      expect(kills).toBe(KILLS);
    } finally {
      raw.close();
      removeDir(dataDir);
    }
  }, 900_000);
});
