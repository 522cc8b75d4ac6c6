/**
 * reminders-due: finding the messages due now — the sender's claim query — among the reminders
 * of 1,000,000 appointments (quick: 100,000), two reminders each (24 h and 2 h before), spread
 * over a year; everything before "now" already sent, the rest queued.
 *
 * App side: the sender's own statement (`status = 'queued' AND owner_desk_id = ? AND next_at <= ?
 * ORDER BY next_at, id LIMIT 50`, index message_due) at 500 random instants of the year.
 * No raw baseline (the app's query is already a prepared raw statement). Goal: p95 < 5 ms.
 */
import { openApp } from '../../src-main/app.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { summarize } from '../lib/stats.js';
import { msSince, nowNs } from '../lib/timer.js';
import { prng } from '../lib/random.js';

export const remindersDue: Scenario = {
  name: 'reminders-due',
  summary: 'The reminders due now among 1,000,000 appointments (quick: 100,000): the sender’s claim query, p95.',
  async run({ quick, log }) {
    const appointments = quick ? 100_000 : 1_000_000;
    const scratch = scratchDir('reminders-due');
    const app = await openApp({ dataDir: scratch.dir, backgroundWork: false, log, env: {} });
    try {
      const raw = app.raw;
      const deskId = raw.prepare('SELECT id FROM desk').pluck().get() as string;
      const start = Date.UTC(2026, 0, 1);
      const year = 365 * 86_400_000;
      const nowMs = start + year / 2;
      const rand = prng(11);
      raw.pragma('foreign_keys = OFF'); // message rows without their appointments (bulk seed only)
      const insert = raw.prepare(
        `INSERT INTO message (id, appointment_id, patient_id, chain_id, kind, channel, appointment_version, offset_minutes, resend, sequence, appointment_start_at, due_at, expires_at, status, next_at, message_id, owner_desk_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'reminder', 'email', 1, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const t = nowNs();
      raw.transaction(() => {
        for (let i = 0; i < appointments; i++) {
          const at = start + Math.floor(rand() * year);
          const startAt = new Date(at).toISOString();
          for (const offset of [1440, 120]) {
            const due = new Date(at - offset * 60_000).toISOString();
            const id = `r${i}-${offset}`;
            const status = at - offset * 60_000 < nowMs ? 'sent' : 'queued';
            insert.run(id, `a${i}`, `p${i % 50_000}`, `a${i}`, offset, startAt, due, startAt, status, due, `<${id}@x>`, deskId, due, due);
          }
        }
      })();
      raw.pragma('foreign_keys = ON');
      raw.exec('ANALYZE');
      log(`  seeded ${(appointments * 2).toLocaleString('en-US')} reminders in ${Math.round(msSince(t))} ms`);
      const due = raw.prepare("SELECT * FROM message WHERE status = 'queued' AND owner_desk_id = ? AND next_at <= ? ORDER BY next_at, id LIMIT 50");
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN SELECT * FROM message WHERE status = 'queued' AND owner_desk_id = ? AND next_at <= ? ORDER BY next_at, id LIMIT 50`).all(deskId, new Date(nowMs).toISOString()) as Array<{ detail: string }>).map((r) => r.detail);
      const samples: number[] = [];
      let found = 0;
      for (let i = 0; i < 520; i++) {
        // "Now" moves on from the seeded instant, as the desk's clock does: up to a day later.
        const at = new Date(nowMs + Math.floor(rand() * 86_400_000)).toISOString();
        const s = nowNs();
        found += (due.all(deskId, at) as unknown[]).length;
        if (i >= 20) samples.push(msSince(s));
      }
      const sum = summarize(samples);
      return {
        rows: [row('reminders-due', 'p95_ms', sum.p95, 'ms', null), row('reminders-due', 'p50_ms', sum.p50, 'ms', null)],
        notes: { appointments, reminders: appointments * 2, plan, meanFound: found / 520 },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
