// The browser side of the project event stream (GET /api/projects/:id/events, server-sent events):
// one EventSource per project however many components listen, closed when the last one leaves.
// EventSource reconnects by itself; `onReconnect` listeners are told so they can refetch what they
// may have missed while the stream was down.
import type { ProjectEvent } from '../../shared/api/events.ts';

type Listener = (e: ProjectEvent) => void;

interface Stream {
  source: EventSource;
  listeners: Map<string, Set<Listener>>;
  reconnects: Set<() => void>;
  opened: boolean;
}

const streams = new Map<string, Stream>();

function streamFor(projectId: string): Stream {
  let s = streams.get(projectId);
  if (s) return s;
  const source = new EventSource(`/api/projects/${encodeURIComponent(projectId)}/events`);
  const stream: Stream = { source, listeners: new Map(), reconnects: new Set(), opened: false };
  // The server greets every (re)connection with `ready`: a second greeting means a reconnect.
  source.addEventListener('ready', () => {
    if (stream.opened) for (const r of stream.reconnects) r();
    stream.opened = true;
  });
  streams.set(projectId, (s = stream));
  return s;
}

function release(projectId: string, s: Stream): void {
  const empty = [...s.listeners.values()].every((l) => l.size === 0) && s.reconnects.size === 0;
  if (empty && streams.get(projectId) === s) {
    s.source.close();
    streams.delete(projectId);
  }
}

/** Calls `listener` with every event of `type` on the project's stream; returns the unsubscribe function. */
export function onProjectEvent<T extends ProjectEvent['type']>(projectId: string, type: T, listener: (e: Extract<ProjectEvent, { type: T }>) => void, onReconnect?: () => void): () => void {
  const s = streamFor(projectId);
  let set = s.listeners.get(type);
  if (!set) {
    s.listeners.set(type, (set = new Set()));
    const forType = set;
    s.source.addEventListener(type, (m) => {
      let e: ProjectEvent;
      try {
        e = JSON.parse((m as MessageEvent<string>).data) as ProjectEvent;
      } catch {
        return;
      }
      for (const l of [...forType]) l(e);
    });
  }
  const l = listener as Listener;
  set.add(l);
  if (onReconnect) s.reconnects.add(onReconnect);
  return () => {
    set!.delete(l);
    if (onReconnect) s.reconnects.delete(onReconnect);
    release(projectId, s);
  };
}
