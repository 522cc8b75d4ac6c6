/**
 * live-notice: time from a committed booking to its change notice arriving at an SSE client
 * on loopback (issue 9: p95 under 50 ms).
 *
 * Data: the busy-clinic fixture (as book-10k). The real web-mode server (buildServer) listens
 * on 127.0.0.1; one client holds GET /api/events open with the staff session cookie of
 * openSignedIn() (a fetch stream, parsed frame by frame as EventSource would).
 *
 * Each sample: app.dispatch('booking/create', …) for a free target slot drawn before timing
 * (pickBookingTargets); a listener subscribed to the change hub BEFORE the stream (so it runs
 * first, right after COMMIT, when the dispatcher publishes) stamps the commit time; the
 * client stamps the moment the frame naming that appointment id has been parsed. Bookings go
 * one at a time (the next starts after the notice arrived). The path timed: hub publish →
 * the stream's session check (auth/session through the dispatcher) → SSE frame write →
 * loopback TCP → client parse. Rows: p50/p95/p99 of commit → arrival; p95 of
 * dispatch start → arrival for context. There is no raw baseline (nothing simpler to compare
 * with on the same path), so baseline and ratio are null.
 */
import { okData, openSignedIn } from '../lib/app-session.js';
import { pickBookingTargets } from '../lib/booking-targets.js';
import { busyClinicFixture, copyFixture, ensureFixture } from '../lib/fixtures.js';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';
import { nowNs } from '../lib/timer.js';
import { buildServer, SESSION_COOKIE } from '../../src-main/http/server.js';

const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

export const liveNotice: Scenario = {
  name: 'live-notice',
  summary: 'committed booking → its change notice parsed by an SSE client on loopback (p95 < 50 ms)',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(busyClinicFixture(quick), log);
    usedFixture(fixture);
    const scratch = scratchDir('live-notice');
    copyFixture(fixture, scratch.dir);
    const { app, caller } = await openSignedIn(fixture, scratch.dir, log);
    const server = await buildServer(app);
    const controller = new AbortController();
    try {
      const samples = quick ? 100 : 500;
      const warmup = 20;
      const settings = app.settings();
      const targets = pickBookingTargets(app.raw, {
        count: samples + warmup,
        today: fixture.today,
        nowIso: fixture.now,
        timeZone: settings.timeZone,
        days: 365,
        seed: 4_243,
        patients: fixture.stats.rows.patients,
      });

      // Commit stamps: this listener is subscribed before the stream's, so it runs first.
      const committedAt = new Map<string, bigint>();
      const stopStamping = app.changes.subscribe((notices) => {
        const at = nowNs();
        for (const n of notices) if (n.entity === 'appointment') committedAt.set(n.id, at);
      });

      await server.listen({ host: '127.0.0.1', port: 0 });
      const address = server.server.address();
      if (!address || typeof address === 'string') throw new Error('bench: no port');
      const res = await fetch(`http://127.0.0.1:${address.port}/api/events`, {
        headers: { cookie: `${SESSION_COOKIE}=${caller.sessionToken}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (res.status !== 200 || !res.body) throw new Error(`bench: /api/events answered ${res.status}`);

      const arrivedAt = new Map<string, bigint>();
      const waiter: { wake: (() => void) | null } = { wake: null };
      let ready = false;
      void (async () => {
        const decoder = new TextDecoder();
        let buffer = '';
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += decoder.decode(chunk, { stream: true });
            let at: number;
            while ((at = buffer.indexOf('\n\n')) >= 0) {
              const frame = buffer.slice(0, at);
              buffer = buffer.slice(at + 2);
              if (frame.includes('event: ready')) ready = true;
              const data = /^data: (.*)$/m.exec(frame);
              if (frame.includes('event: change') && data) {
                const now = nowNs();
                for (const n of JSON.parse(data[1]!) as Array<{ id: string }>) arrivedAt.set(n.id, now);
              }
              waiter.wake?.();
            }
          }
        } catch {
          // aborted at the end
        }
      })();
      const arrival = (id: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`bench: no notice for ${id} within 10 s`)), 10_000);
          const check = () => {
            if (arrivedAt.has(id)) {
              clearTimeout(timer);
              waiter.wake = null;
              resolve();
            }
          };
          waiter.wake = check;
          check();
        });
      for (let i = 0; i < 500 && !ready; i++) await new Promise((r) => setTimeout(r, 5));
      if (!ready) throw new Error('bench: the stream never said ready');

      const commitToArrival: number[] = [];
      const dispatchToArrival: number[] = [];
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        const start = nowNs();
        const out = await app.dispatch(
          'booking/create',
          { patientId: t.patientId, doctorId: t.doctorId, consultationTypeId: t.consultationTypeId, startAt: t.startAt },
          caller,
        );
        const id = okData<{ appointment: { id: string } }>('booking/create', out).appointment.id;
        await arrival(id);
        if (i < warmup) continue;
        commitToArrival.push(ms(committedAt.get(id)!, arrivedAt.get(id)!));
        dispatchToArrival.push(ms(start, arrivedAt.get(id)!));
      }
      stopStamping();

      const s = summarize(commitToArrival);
      const d = summarize(dispatchToArrival);
      log(`live-notice: commit → SSE client p50 ${roundValue(s.p50)} ms, p95 ${roundValue(s.p95)} ms, p99 ${roundValue(s.p99)} ms over ${s.n} bookings`);
      return {
        rows: [
          row('live-notice', 'p50_ms', s.p50, 'ms', null),
          row('live-notice', 'p95_ms', s.p95, 'ms', null),
          row('live-notice', 'p99_ms', s.p99, 'ms', null),
          row('live-notice', 'dispatch_to_notice_p95_ms', d.p95, 'ms', null),
        ],
        notes: {
          samples: s.n,
          warmup,
          goal: 'p95_ms < 50',
          commitToArrival: { min: roundValue(s.min), max: roundValue(s.max), mean: roundValue(s.mean) },
          dispatchToArrival: { p50: roundValue(d.p50), p95: roundValue(d.p95) },
        },
      };
    } finally {
      controller.abort();
      await server.close();
      await app.close();
      scratch.remove();
    }
  },
};
