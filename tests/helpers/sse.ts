/**
 * A minimal Server-Sent Events reader over fetch (Node has no EventSource): collects the
 * frames of GET /api/events so tests can wait for one.
 */
export interface SseFrame {
  event: string;
  id?: string;
  data?: string;
  /** The raw text of the frame, comments included. */
  raw: string;
}

export interface SseStream {
  status: number;
  frames: SseFrame[];
  /** Every byte received, for "contains no names" checks. */
  text(): string;
  /** Resolves with the first frame (from the start) that matches, or rejects after timeoutMs. */
  waitFor(match: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const frames: SseFrame[] = [];
  let all = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const parse = (raw: string) => {
    const frame: SseFrame = { event: 'message', raw };
    for (const line of raw.split('\n')) {
      if (line.startsWith(':')) frame.event = frame.event === 'message' ? 'comment' : frame.event;
      else if (line.startsWith('event: ')) frame.event = line.slice(7);
      else if (line.startsWith('id: ')) frame.id = line.slice(4);
      else if (line.startsWith('data: ')) frame.data = line.slice(6);
    }
    frames.push(frame);
    for (const w of waiters) w();
  };
  if (res.body && res.headers.get('content-type')?.startsWith('text/event-stream')) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const text = decoder.decode(chunk, { stream: true });
          all += text;
          buffer += text;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            parse(buffer.slice(0, at));
            buffer = buffer.slice(at + 2);
          }
        }
      } catch {
        // aborted
      }
      resolveEnded();
      for (const w of waiters) w();
    })();
  } else {
    all = await res.text();
    resolveEnded();
  }
  return {
    status: res.status,
    frames,
    text: () => all,
    ended,
    waitFor(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.raw))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
