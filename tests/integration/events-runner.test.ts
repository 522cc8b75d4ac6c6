import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { withImmediateTransaction } from '../../src-main/core/db/transaction.js';
import { EventRunner, type Consumer } from '../../src-main/core/events/runner.js';
import type { EventRow } from '../../src-main/core/events/change-log.js';
import { implementations } from '../../src-main/handlers.js';
import { DomainError } from '../../src-main/core/errors.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { removeDir, tempDataDir } from '../helpers/temp-dir.js';
import { callOk, DEMO, demoApp, loginAs, type TestApp } from '../helpers/test-app.js';
import { lastEventSeq } from '../helpers/events.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

/** A consumer that records what it handled in its own table (same transaction as its cursor). */
function recordingConsumer(a: App, fails: (e: EventRow) => boolean, name = 'recorder'): Consumer {
  a.raw.exec('CREATE TABLE IF NOT EXISTS handled (consumer TEXT, seq INTEGER, entity_id TEXT)');
  return {
    name,
    summary: 'test',
    batchSize: 50,
    handle(events, tx) {
      const insert = tx.raw.prepare('INSERT INTO handled VALUES (?, ?, ?)');
      for (const e of events) {
        insert.run(name, e.seq, e.entity_id);
        if (fails(e)) throw new Error(`cannot handle ${e.entity} ${e.entity_id}`);
      }
    },
  };
}

const handledSeqs = (a: App, name = 'recorder') => a.raw.prepare('SELECT seq FROM handled WHERE consumer = ? ORDER BY rowid').pluck().all(name) as number[];
const items = (a: App) => a.raw.prepare('SELECT event_seq, entity_id, state, attempts, last_error, next_at FROM consumer_item ORDER BY event_seq').all() as Array<Record<string, unknown>>;

describe('the consumer runner', () => {
  it('drains every event once, advancing its cursor with its own writes (change-digest)', async () => {
    app = await demoApp();
    const total = lastEventSeq(app);
    expect(total).toBeGreaterThan(100);
    await app.background.runOnce();
    expect(app.raw.prepare("SELECT last_seq FROM consumer_cursor WHERE consumer = 'change-digest'").pluck().get()).toBe(total);
    expect(app.raw.prepare('SELECT sum(changes) FROM change_digest').pluck().get()).toBe(total);
    await app.background.runOnce(); // nothing new: nothing counted twice
    expect(app.raw.prepare('SELECT sum(changes) FROM change_digest').pluck().get()).toBe(total);
  });

  it('retries a failing event with backoff and jitter, parks it after the limit, and does not block other records', async () => {
    app = await demoApp();
    let admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const start = lastEventSeq(app);
    const [p1, p2] = app.raw.prepare('SELECT id FROM patient ORDER BY number LIMIT 2').pluck().all() as string[];
    let broken = true;
    const consumer = recordingConsumer(app, (e) => broken && e.entity === 'patient' && e.entity_id === p1);
    const runner = new EventRunner({ db: app.db, raw: app.raw, consumers: [consumer], clock: app.clock, random: () => 0.5, baseMs: 1000, maxMs: 60_000, maxAttempts: 3 });
    // Skip the demo's events: this consumer starts at the current end.
    app.raw.prepare("INSERT INTO consumer_cursor VALUES ('recorder', ?, '')").run(start);
    const rename = async (id: string, name: string) => {
      const p = await callOk(app!, 'patient/get', { patientId: id }, admin);
      await callOk(app!, 'patient/update-basic', { patientId: id, expectedVersion: p.version, basic: { ...p.basic, givenName: name } }, admin);
      return lastEventSeq(app!);
    };
    const a1 = await rename(p1!, 'One');
    const b1 = await rename(p2!, 'Two');
    const a2 = await rename(p1!, 'Uno');

    await runner.runOnce();
    expect(handledSeqs(app).filter((s) => s !== a1)).toEqual([b1]); // p2 went through; p1's later change waits behind its earlier one
    const now = app.clock.now().getTime();
    expect(items(app)).toEqual([
      { event_seq: a1, entity_id: p1, state: 'retry', attempts: 1, last_error: `cannot handle patient ${p1}`, next_at: new Date(now + 750).toISOString() },
      { event_seq: a2, entity_id: p1, state: 'waiting', attempts: 0, last_error: null, next_at: new Date(now).toISOString() },
    ]);

    await runner.runOnce(); // not due yet
    expect(items(app)[0]).toMatchObject({ attempts: 1 });
    app.clock.advance({ ms: 750 });
    await runner.runOnce();
    expect(items(app)[0]).toMatchObject({ state: 'retry', attempts: 2, next_at: new Date(app.clock.now().getTime() + 1500).toISOString() });
    app.clock.advance({ ms: 1500 });
    await runner.runOnce();
    expect(items(app)[0]).toMatchObject({ state: 'parked', attempts: 3 });
    app.clock.advance({ minutes: 60 });
    await runner.runOnce();
    expect(items(app)[0]).toMatchObject({ state: 'parked', attempts: 3 }); // parked stays parked

    // Later events of other records still flow.
    admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const b2 = await rename(p2!, 'Deux');
    await runner.runOnce();
    expect(handledSeqs(app).filter((s) => s !== a1)).toEqual([b1, b2]);

    // Fixed; an admin retries: the parked event and the one behind it go through, in order, once.
    broken = false;
    await withImmediateTransaction(app.db, async () => runner.retryNow('recorder', a1));
    await runner.runOnce();
    expect(items(app)).toEqual([]);
    expect(handledSeqs(app).slice(-2)).toEqual([a1, a2]);
    // Failed attempts' writes were rolled back: each event is recorded exactly once.
    expect(handledSeqs(app).sort((x, y) => x - y)).toEqual([a1, b1, a2, b2].sort((x, y) => x - y));
  });

  it('loses nothing and handles nothing twice when the process stops in the middle of a batch', async () => {
    const dataDir = tempDataDir();
    const clock = new FakeClock();
    try {
      const first = await openApp({ dataDir, clock, lock: false, backgroundWork: false, log: () => {} });
      await first.dispatch('setup/load-demo', {});
      const total = lastEventSeq(first);
      let reached!: () => void;
      const atCrash = new Promise<void>((resolve) => (reached = resolve));
      const crashing: Consumer = {
        ...recordingConsumer(first, () => false),
        async handle(events, tx) {
          const insert = tx.raw.prepare("INSERT INTO handled VALUES ('recorder', ?, ?)");
          for (const [i, e] of events.entries()) {
            insert.run(e.seq, e.entity_id);
            if (tx.raw.prepare('SELECT count(*) FROM handled').pluck().get() === 120 && i > 0) {
              reached();
              await new Promise(() => {}); // the power goes out here, mid-batch
            }
          }
        },
      };
      void new EventRunner({ db: first.db, raw: first.raw, consumers: [crashing], clock }).runOnce();
      await atCrash;
      first.raw.close(); // the open transaction dies with the connection

      const second = await openApp({ dataDir, clock, lock: false, backgroundWork: false, log: () => {} });
      try {
        expect(handledSeqs(second).length).toBe(100); // two batches of 50 committed; the third was lost whole
        const runner = new EventRunner({ db: second.db, raw: second.raw, consumers: [recordingConsumer(second, () => false)], clock });
        while (second.raw.prepare("SELECT last_seq FROM consumer_cursor WHERE consumer = 'recorder'").pluck().get() !== total) await runner.runOnce();
        const seqs = handledSeqs(second);
        expect(seqs.length).toBe(total);
        expect(new Set(seqs).size).toBe(total);
      } finally {
        await second.close();
      }
    } finally {
      removeDir(dataDir);
    }
  });
});

describe('work after commit', () => {
  it('runs after the transaction commits, never on rollback, and a failing job does not fail the call', async () => {
    app = await demoApp();
    const admin = await loginAs(app, DEMO.admin.username, DEMO.admin.password);
    const original = implementations['settings/update'];
    const ran: string[] = [];
    try {
      implementations['settings/update'] = async (ctx, input) => {
        const out = await original(ctx, input);
        ctx.afterCommit(() => {
          // After COMMIT: another connection already sees the change.
          ran.push(`committed horizon ${String(app!.raw.prepare("SELECT value FROM setting WHERE key = 'horizonDays'").pluck().get())}`);
        });
        ctx.afterCommit(() => {
          throw new Error('mail server down');
        });
        if (input.horizonDays === 13) throw new DomainError('test/refused', 'Refused after scheduling work.');
        return out;
      };
      const refused = await app.dispatch('settings/update', { horizonDays: 13 }, { sessionToken: admin });
      expect(refused.result.ok).toBe(false);
      expect(ran).toEqual([]);
      const saved = await app.dispatch('settings/update', { horizonDays: 14 }, { sessionToken: admin });
      expect(saved.result).toMatchObject({ ok: true, data: { horizonDays: 14 } });
      expect(ran).toEqual(['committed horizon 14']);
    } finally {
      implementations['settings/update'] = original;
    }
  });
});
