// A Server-Sent Events client for tests: reads the stream as it comes and keeps every event, so
// that a test can wait for the one it expects (and see all the others when it does not come).
export interface StreamEvent {
  event: string;
  data: any;
  at: number;
}

export interface EventStream {
  status: number;
  events: StreamEvent[];
  /** The first event after `from` (an index into `events`) that matches. */
  next(event: string, pred?: (data: any) => boolean, opts?: { timeoutMs?: number; from?: number }): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length === 0) continue; // a comment: keep-alive
          const text = data.join('\n');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
          events.push({ event, data: parsed, at: Date.now() });
          for (const w of waiters) w();
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  })();
  ended.catch(() => undefined);
  return {
    status: res.status,
    events,
    ended,
    close: () => abort.abort(),
    next(event, pred = () => true, { timeoutMs = 30_000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = events.slice(from).find((e) => e.event === event && pred(e.data));
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const check = () => void look();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${event} event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.event, e.data?.state ?? e.data?.reservation?.recordId]))}`,
            ),
          );
        }, timeoutMs);
        if (!look()) waiters.add(check);
      });
    },
  };
}
