// Presence states are other clients' claims: the shown name comes from the project's record of the
// id, and only a plain #rrggbb colour is used (no CSS such as url(...)).
import { createRoot } from 'solid-js';
import { Awareness } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { usePresence } from './presence.ts';

describe('usePresence', () => {
  it('shows the recorded name for a user id and refuses a colour that is not #rrggbb', () => {
    const mine = new Awareness(new Y.Doc());
    const theirs = new Awareness(new Y.Doc());
    theirs.setLocalState({ user: { id: 'u2', name: 'reviewer', color: 'url(https://example.invalid/x.png)' }, cursor: { x: 1, y: 2 } });
    // Deliver their state into our awareness as the provider would.
    mine.getStates().set(theirs.clientID, theirs.getLocalState()!);
    createRoot((dispose) => {
      const p = usePresence(mine, (id) => (id === 'u2' ? 'Annie Annotator' : undefined));
      const [peer] = p.peers();
      expect(peer.user).toEqual({ id: 'u2', name: 'Annie Annotator', color: '#888888' });
      expect(peer.cursor).toEqual({ x: 1, y: 2 });
      dispose();
    });
  });
});
