// The browser side of the project event stream (GET /api/projects/:id/events, server-sent events):
// one EventSource per project however many components listen, closed when the last one leaves.
// While the browser is offline the stream is closed (no futile reconnects, no console noise) and
// opened again when it comes back. `onReconnect` listeners are told whenever the stream comes back
// after the first connection, so they can refetch what they may have missed meanwhile.
import type { ProjectEvent } from '../../shared/api/events.ts';

type Listener = (e: ProjectEvent) => void;

interface Stream {
  projectId: string;
  source: EventSource | null;
  listeners: Map<string, Set<Listener>>;
  reconnects: Set<() => void>;
  /** The server greeted this page at least once. */
  greeted: boolean;
  stop(): void;
}

const streams = new Map<string, Stream>();
const online = () => typeof navigator === 'undefined' || navigator.onLine !== false;

function dispatch(s: Stream, type: string, m: Event): void {
  let e: ProjectEvent;
  try {
    e = JSON.parse((m as MessageEvent<string>).data) as ProjectEvent;
  } catch {
    return;
  }
  for (const l of [...(s.listeners.get(type) ?? [])]) l(e);
}

function open(s: Stream): void {
  if (s.source || !online()) return;
  const source = (s.source = new EventSource(`/api/projects/${encodeURIComponent(s.projectId)}/events`));
  // The server greets every (re)connection with `ready`: any greeting after the first is a reconnect.
  source.addEventListener('ready', () => {
    if (s.greeted) for (const r of [...s.reconnects]) r();
    s.greeted = true;
  });
  for (const type of s.listeners.keys()) source.addEventListener(type, (m) => dispatch(s, type, m));
}

function close(s: Stream): void {
  s.source?.close();
  s.source = null;
}

function streamFor(projectId: string): Stream {
  let s = streams.get(projectId);
  if (s) return s;
  const goOnline = () => open(stream);
  const goOffline = () => close(stream);
  const stream: Stream = {
    projectId,
    source: null,
    listeners: new Map(),
    reconnects: new Set(),
    greeted: false,
    stop() {
      close(stream);
      removeEventListener('online', goOnline);
      removeEventListener('offline', goOffline);
    },
  };
  addEventListener('online', goOnline);
  addEventListener('offline', goOffline);
  streams.set(projectId, (s = stream));
  return s;
}

function release(s: Stream): void {
  const empty = [...s.listeners.values()].every((l) => l.size === 0) && s.reconnects.size === 0;
  if (empty && streams.get(s.projectId) === s) {
    s.stop();
    streams.delete(s.projectId);
  }
}

/** Calls `listener` with every event of `type` on the project's stream; returns the unsubscribe function. */
export function onProjectEvent<T extends ProjectEvent['type']>(projectId: string, type: T, listener: (e: Extract<ProjectEvent, { type: T }>) => void, onReconnect?: () => void): () => void {
  const s = streamFor(projectId);
  let set = s.listeners.get(type);
  if (!set) {
    s.listeners.set(type, (set = new Set()));
    s.source?.addEventListener(type, (m) => dispatch(s, type, m));
  }
  const l = listener as Listener;
  set.add(l);
  if (onReconnect) s.reconnects.add(onReconnect);
  open(s);
  return () => {
    set!.delete(l);
    if (onReconnect) s.reconnects.delete(onReconnect);
    release(s);
  };
}
