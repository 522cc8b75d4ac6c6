import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusalLog, type Refusal } from '../../src-main/core/audit/refusal-log.js';
import { AddressBudget } from '../../src-main/http/rate-limit.js';
import { auditRowsAfter, lastAuditSeq, openTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
beforeEach(async () => {
  app = await openTestApp();
});
afterEach(async () => app.dispose());

const attempt = (at: string, over: Partial<Refusal> = {}): Refusal => ({
  at,
  source: '203.0.113.9',
  actor: { kind: 'anonymous' },
  handler: 'auth/login',
  outcome: 'denied',
  detail: 'auth/invalid-credentials',
  ...over,
});

describe('the refusal log', () => {
  it('counts per address, handler, outcome and minute, with the first and last time', async () => {
    const seq = lastAuditSeq(app);
    const lines: string[] = [];
    const log = new RefusalLog(app.db, { log: (l) => lines.push(l) });
    log.record(attempt('2026-03-11T15:00:05.000Z'));
    log.record(attempt('2026-03-11T15:00:50.000Z'));
    log.record(attempt('2026-03-11T15:00:20.000Z'));
    log.record(attempt('2026-03-11T15:01:01.000Z')); // next minute
    log.record(attempt('2026-03-11T15:00:30.000Z', { source: '198.51.100.7' })); // another address
    log.record(attempt('2026-03-11T15:00:31.000Z', { outcome: 'invalid', detail: 'fields: username' }));
    expect(log.pendingAttempts).toBe(6);
    expect(auditRowsAfter(app, seq)).toEqual([]);
    await log.flush();
    expect(log.pendingAttempts).toBe(0);
    const rows = auditRowsAfter(app, seq).map((r) => [r.source, r.outcome, r.at, r.last_at, r.count]);
    expect(rows).toEqual([
      ['203.0.113.9', 'denied', '2026-03-11T15:00:05.000Z', '2026-03-11T15:00:50.000Z', 3],
      ['203.0.113.9', 'denied', '2026-03-11T15:01:01.000Z', '2026-03-11T15:01:01.000Z', 1],
      ['198.51.100.7', 'denied', '2026-03-11T15:00:30.000Z', '2026-03-11T15:00:30.000Z', 1],
      ['203.0.113.9', 'invalid', '2026-03-11T15:00:31.000Z', '2026-03-11T15:00:31.000Z', 1],
    ]);
    expect(lines).toEqual([]);
  });

  it('keeps the counts when a write fails and writes them with the next ones', async () => {
    const seq = lastAuditSeq(app);
    const lines: string[] = [];
    const log = new RefusalLog(app.db, { log: (l) => lines.push(l) });
    app.raw.exec("CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;");
    for (let i = 0; i < 3; i++) log.record(attempt('2026-03-11T15:00:10.000Z'));
    await log.flush();
    expect(lines.join('\n')).toMatch(/could not write 1 counted refusal row\(s\), will retry: disk full \(test\)/);
    expect(log.pendingAttempts).toBe(3);
    app.raw.exec('DROP TRIGGER temp.no_audit');
    log.record(attempt('2026-03-11T15:00:40.000Z'));
    await log.close();
    expect(auditRowsAfter(app, seq).map((r) => [r.count, r.at, r.last_at])).toEqual([[4, '2026-03-11T15:00:10.000Z', '2026-03-11T15:00:40.000Z']]);
  });

  it('writes early when too many distinct rows are waiting (memory stays bounded)', async () => {
    const seq = lastAuditSeq(app);
    const log = new RefusalLog(app.db, { maxPending: 10 });
    for (let i = 0; i < 25; i++) log.record(attempt('2026-03-11T15:00:10.000Z', { source: `10.0.0.${i}` }));
    expect(log.pendingAttempts).toBeLessThan(10);
    await log.close();
    expect(auditRowsAfter(app, seq)).toHaveLength(25);
  });
});

describe('an address budget', () => {
  it('allows perMinute requests, then says how long to wait, and refills evenly', () => {
    let now = 0;
    const budget = new AddressBudget(60, () => now);
    for (let i = 0; i < 60; i++) expect(budget.take('a')).toBe(0);
    expect(budget.take('a')).toBe(1);
    expect(budget.peek('b')).toBe(0); // other addresses are not affected
    now += 5_000;
    for (let i = 0; i < 5; i++) expect(budget.take('a')).toBe(0);
    expect(budget.take('a')).toBe(1);
    const slow = new AddressBudget(6, () => now);
    for (let i = 0; i < 6; i++) slow.take('a');
    expect(slow.take('a')).toBe(10);
  });

  it('forgets the oldest addresses beyond its capacity', () => {
    const now = 0;
    const budget = new AddressBudget(2, () => now, 3);
    for (const a of ['a', 'b', 'c', 'd']) {
      budget.take(a);
      budget.take(a);
    }
    expect(budget.take('d')).toBeGreaterThan(0); // still known
    expect(budget.take('a')).toBe(0); // forgotten, starts full again
  });
});
