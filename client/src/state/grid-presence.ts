// Who is on which image of a project, for the grid: the server's list (GET /presence) kept current
// by `presence` events on the project event stream, refetched after the stream reconnects.
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { api } from '../api.ts';
import { onProjectEvent } from '../project-events.ts';

/** image id → the user ids on it, in arrival order. */
export type GridPresence = ReadonlyMap<string, readonly string[]>;

export function createGridPresence(projectId: string): Accessor<GridPresence> {
  const [map, setMap] = createSignal<GridPresence>(new Map());
  let live = true;
  const load = async () => {
    try {
      const r = await api.presence(projectId);
      if (!live) return;
      const m = new Map<string, string[]>();
      for (const e of r.items) m.set(e.imageId, [...(m.get(e.imageId) ?? []), e.userId]);
      setMap(m);
    } catch {
      /* offline: keep what we had */
    }
  };
  const off = onProjectEvent(
    projectId,
    'presence',
    (e) => {
      const m = new Map(map());
      const users = (m.get(e.imageId) ?? []).filter((u) => u !== e.userId);
      if (e.present) users.push(e.userId);
      if (users.length) m.set(e.imageId, users);
      else m.delete(e.imageId);
      setMap(m);
    },
    () => void load(),
  );
  void load();
  onCleanup(() => {
    live = false;
    off();
  });
  return map;
}
