/**
 * events-drain-100k: a consumer reads and acknowledges 100,000 change envelopes (quick:
 * 10,000) through the runner (src-main/core/events/runner.ts), against raw better-sqlite3
 * reading the same table with a cursor, in the same run.
 *
 * Data: a new desk database with 100,000 `event` rows (appointment after-images of about
 * 600 bytes, as booking/create writes them), inserted untimed.
 *
 * App side: EventRunner.drainBatch() until the cursor reaches the end, batches of 1,000:
 * per batch BEGIN IMMEDIATE → cursor read → events after it → open failed items of the
 * consumer (per-record blocking) → the consumer's handle() (counts them) → cursor write →
 * COMMIT (fsync).
 * Baseline side, on the app's own connection, statements prepared once: the same cursor
 * scan in batches of 1,000, each acknowledged by writing the cursor row in its own
 * BEGIN IMMEDIATE … COMMIT (what any durable consumer must do). A second row reports the
 * pure read (no acknowledgement) for scale.
 *
 * Rounds: 3 (quick: 2) alternating passes per side over the whole table, each from cursor 0
 * (reset untimed), after one warm-up pass per side. events_per_s = events / median pass.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { openApp } from '../../src-main/app.js';
import { EventRunner, type Consumer } from '../../src-main/core/events/runner.js';
import { alternate } from '../lib/alternate.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { percentile } from '../lib/stats.js';
import { msSince, nowNs } from '../lib/timer.js';

const BATCH = 1_000;

function seedEvents(raw: Database.Database, count: number): void {
  const deskId = raw.prepare('SELECT id FROM desk').pluck().get() as string;
  const insert = raw.prepare(
    `INSERT INTO event (id, desk_id, desk_seq, at, entity, entity_id, op, version, record, actor_kind, actor_id, schema_version, patient_id, doctor_id)
     VALUES (?, ?, ?, ?, 'appointment', ?, 'upsert', 1, ?, 'staff', 'staff-1', 1, ?, ?)`,
  );
  raw.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const id = uuidv7();
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      const record = {
        id, patient_id: `patient-${i % 5000}`, doctor_id: `doctor-${i % 50}`, location_id: 'loc-main', consultation_type_id: 'type-general',
        start_at: at, end_at: at, block_end_at: at, status: 'booked', requirements: '{"accessibility":[],"interpreterLanguage":"","notes":""}',
        price_minor: 6000, currency: 'USD', created_at: at, created_by_kind: 'staff', created_by: 'staff-1', updated_at: at, status_changed_at: null,
        status_changed_by: null, cancelled_by_party: null, cancel_reason: null, cancelled_within_policy_window: null, rescheduled_from_id: null,
        rescheduled_to_id: null, version: 1,
      };
      insert.run(uuidv7(), deskId, i, at, id, JSON.stringify(record), record.patient_id, record.doctor_id);
    }
  })();
}

export const eventsDrain100k: Scenario = {
  name: 'events-drain-100k',
  summary: 'A consumer reads and acknowledges 100,000 change envelopes (quick: 10,000) through the runner vs a raw cursor scan.',
  async run({ quick, log }) {
    const count = quick ? 10_000 : 100_000;
    const rounds = quick ? 2 : 3;
    const scratch = scratchDir('events-drain-100k');
    const app = await openApp({ dataDir: scratch.dir, backgroundWork: false, log });
    try {
      seedEvents(app.raw, count);
      let handled = 0;
      const consumer: Consumer = {
        name: 'bench-ack',
        summary: 'counts events',
        batchSize: BATCH,
        handle(events) {
          handled += events.length;
        },
      };
      const runner = new EventRunner({ db: app.db, raw: app.raw, consumers: [consumer], clock: { now: () => new Date() } });
      const reset = app.raw.prepare("DELETE FROM consumer_cursor WHERE consumer IN ('bench-ack', 'bench-raw')");
      const s = {
        begin: app.raw.prepare('BEGIN IMMEDIATE'),
        commit: app.raw.prepare('COMMIT'),
        cursor: app.raw.prepare("SELECT last_seq FROM consumer_cursor WHERE consumer = 'bench-raw'").pluck(),
        scan: app.raw.prepare('SELECT * FROM event WHERE seq > ? ORDER BY seq LIMIT ?'),
        ack: app.raw.prepare(
          "INSERT INTO consumer_cursor (consumer, last_seq, updated_at) VALUES ('bench-raw', ?, ?) ON CONFLICT (consumer) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at",
        ),
      };
      let rawSeen = 0;
      const appSide = async () => {
        reset.run();
        handled = 0;
        while (await runner.drainBatch(consumer));
        if (handled !== count) throw new Error(`events-drain-100k: the consumer saw ${handled} of ${count}`);
      };
      const baseSide = () => {
        reset.run();
        rawSeen = 0;
        for (;;) {
          s.begin.run();
          const cursor = (s.cursor.get() as number | undefined) ?? 0;
          const rows = s.scan.all(cursor, BATCH) as Array<{ seq: number }>;
          if (rows.length === 0) {
            s.commit.run();
            break;
          }
          rawSeen += rows.length;
          s.ack.run(rows.at(-1)!.seq, new Date().toISOString());
          s.commit.run();
        }
        if (rawSeen !== count) throw new Error(`events-drain-100k: the baseline saw ${rawSeen} of ${count}`);
      };
      log(`  ${rounds} alternating passes over ${count.toLocaleString('en-US')} events per side (+1 warm-up)`);
      const samples = await alternate(appSide, baseSide, rounds, { warmup: 1 });
      // The pure read, for scale: no transaction, no acknowledgement.
      const readOnly: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const started = nowNs();
        let cursor = 0;
        for (;;) {
          const rows = s.scan.all(cursor, BATCH) as Array<{ seq: number }>;
          if (rows.length === 0) break;
          cursor = rows.at(-1)!.seq;
        }
        readOnly.push(msSince(started));
      }
      const perSecond = (ms: number) => count / (ms / 1000);
      const appMs = percentile(samples.app, 50);
      return {
        rows: [
          row('events-drain-100k', 'events_per_s', perSecond(appMs), 'events/s', perSecond(percentile(samples.baseline, 50))),
          row('events-drain-100k', 'events_per_s_vs_read_only', perSecond(appMs), 'events/s', perSecond(percentile(readOnly, 50))),
        ],
        notes: { events: count, batch: BATCH, rounds, passMs: { app: samples.app, baseline: samples.baseline, readOnly } },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
