// The people on one image, as small avatars in their presence colours (the cursor colour the
// annotate page gives them), shown on the grid tile.
import { For, Show } from 'solid-js';
import { personColor } from '../colors.ts';
import { initials } from './PresenceBar.tsx';

export function TilePresence(props: { users: readonly string[]; people: readonly { userId: string; name: string }[] }) {
  const ids = () => props.people.map((p) => p.userId);
  const name = (id: string) => props.people.find((p) => p.userId === id)?.name ?? 'someone';
  return (
    <Show when={props.users.length}>
      <div class="tile-presence" data-testid="tile-presence">
        <For each={props.users}>
          {(id) => (
            <span class="avatar small" style={{ background: personColor(id, ids()) }} title={`${name(id)} is on this image`} data-testid="tile-presence-user" data-user={name(id)} data-color={personColor(id, ids())}>
              {initials(name(id))}
            </span>
          )}
        </For>
      </div>
    </Show>
  );
}
