// Bridges awareness (presence) to Solid: who else is on this image, their cursor and selection.
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessUser } from '../sync/connection.ts';

export type PresenceUser = AwarenessUser;

export interface Peer {
  clientId: number;
  user: PresenceUser;
  cursor: { x: number; y: number } | null;
  selection: string | null;
}

export interface PresenceState {
  peers: Accessor<Peer[]>;
  setCursor(p: { x: number; y: number } | null): void;
  setSelection(shapeId: string | null): void;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Presence states come from other clients: the server vouches only for `user.id`. The name shown
 * is the project's record of that id when known; the colour is the viewer's own choice for that id
 * when known, else the claimed one if it is a plain #rrggbb.
 */
function asPeer(clientId: number, s: Record<string, unknown>, nameOf: (id: string) => string | undefined, colorOf: (id: string) => string | undefined): Peer | null {
  const u = s.user as Partial<PresenceUser> | undefined;
  if (!u || typeof u.id !== 'string' || typeof u.name !== 'string') return null;
  const c = s.cursor as { x?: unknown; y?: unknown } | null | undefined;
  return {
    clientId,
    user: { id: u.id, name: nameOf(u.id) ?? u.name, color: colorOf(u.id) ?? (typeof u.color === 'string' && COLOR.test(u.color) ? u.color : '#888888') },
    cursor: c && typeof c.x === 'number' && typeof c.y === 'number' ? { x: c.x, y: c.y } : null,
    selection: typeof s.selection === 'string' ? s.selection : null,
  };
}

/** The local user is announced by the sync layer (openDoc); this adds cursor and selection. */
export function usePresence(
  awareness: Awareness,
  nameOf: (id: string) => string | undefined = () => undefined,
  /** The viewer's own colour for a user id (from the project's people), preferred over the claim. */
  colorOf: (id: string) => string | undefined = () => undefined,
): PresenceState {
  const read = () => {
    const out: Peer[] = [];
    awareness.getStates().forEach((s, clientId) => {
      if (clientId === awareness.clientID) return;
      const p = asPeer(clientId, s, nameOf, colorOf);
      if (p) out.push(p);
    });
    return out.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
  };
  const [peers, setPeers] = createSignal<Peer[]>(read());
  const onChange = () => setPeers(read());
  awareness.on('change', onChange);
  let pending: { x: number; y: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  onCleanup(() => {
    awareness.off('change', onChange);
    if (timer) clearTimeout(timer);
  });
  return {
    peers,
    setCursor(p) {
      pending = p;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        awareness.setLocalStateField('cursor', pending);
      }, 50);
    },
    setSelection: (id) => awareness.setLocalStateField('selection', id),
  };
}
