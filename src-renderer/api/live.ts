/**
 * The notice client: hears what changed and refreshes the affected queries. Over the
 * preload's `onChange` in Electron, else over Server-Sent Events at /api/events (web mode),
 * chosen at start like client.ts chooses the transport. The SSE connection reconnects with
 * backoff; every (re)connect starts with a `ready` event, upon which everything cached is
 * invalidated — notices are not replayed, so a gap is covered by refetching.
 */
import { entityTypes, type ChangeNotice } from '../../src-main/contract/changes.js';

export interface LiveHandlers {
  onNotices(notices: ChangeNotice[]): void;
  /** The connection (re)opened: anything may have changed meanwhile. */
  onResync(): void;
  /** The server ended the stream because the session ended or locked. */
  onSessionEnded(): void;
}

const entities = new Set<string>(entityTypes);

/** Keeps only well-formed notices (the stream is trusted, but a screen must not crash on it). */
export function parseNotices(value: unknown): ChangeNotice[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (n): n is ChangeNotice =>
      !!n && typeof n === 'object' && entities.has((n as ChangeNotice).entity) && typeof (n as ChangeNotice).id === 'string',
  );
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

export function startLiveUpdates(handlers: LiveHandlers): () => void {
  const bridge = window.clinicDesk;
  if (bridge?.onChange) {
    handlers.onResync();
    return bridge.onChange((notices) => handlers.onNotices(parseNotices(notices)));
  }
  if (typeof EventSource === 'undefined') return () => {};

  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;

  const retry = () => {
    source?.close();
    source = null;
    if (stopped) return;
    const base = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
    failures += 1;
    timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  };

  function connect() {
    timer = null;
    if (stopped) return;
    const es = new EventSource('/api/events');
    source = es;
    es.addEventListener('ready', () => {
      failures = 0;
      handlers.onResync();
    });
    es.addEventListener('change', (e) => {
      try {
        handlers.onNotices(parseNotices(JSON.parse((e as MessageEvent<string>).data)));
      } catch {
        // a malformed frame: ignore it
      }
    });
    es.addEventListener('end', () => {
      es.close();
      source = null;
      handlers.onSessionEnded();
    });
    // The browser's own reconnect gives up on a refusal (401/429); ours backs off and retries.
    es.onerror = () => retry();
  }

  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}
