// A server-sent events client for tests: reads `event:`/`data:` blocks from a fetch body and
// resolves waits on the events themselves (no polling).
import { readSse } from '../../shared/api/sse.ts';
export interface SseEvent {
  event: string;
  data: any;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves with the first event (already received or arriving) that matches. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, token: string): Promise<SseClient> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: ctrl.signal });
  if (res.status !== 200) throw new Error(`event stream answered ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }>();
  void (async () => {
    try {
      for await (const m of readSse(res.body!)) {
        const e: SseEvent = { event: m.event, data: m.data };
        events.push(e);
        for (const w of [...waiters]) if (w.match(e)) (waiters.delete(w), w.resolve(e));
      }
    } catch {
      /* closed */
    }
  })();
  return {
    events,
    next(match, timeoutMs = 20_000, what = 'an event') {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (e: SseEvent) => (clearTimeout(t), resolve(e)) };
        const t = setTimeout(() => (waiters.delete(w), reject(new Error(`timed out waiting for ${what}; got ${events.map((e) => e.event).join(', ')}`))), timeoutMs);
        waiters.add(w);
      });
    },
    close: () => ctrl.abort(),
  };
}
