// Who else is on this image (one avatar per user, however many tabs they have open).
import { For, Show } from 'solid-js';
import type { Peer } from '../state/presence.ts';

const initials = (name: string) => name.split(/[\s._-]+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';

export function PresenceBar(props: { peers: readonly Peer[] }) {
  const users = () => [...new Map(props.peers.map((p) => [p.user.id, p.user])).values()];
  return (
    <div class="presence" data-testid="presence">
      <Show when={users().length > 0} fallback={<span class="muted small">Only you</span>}>
        <For each={users()}>
          {(u) => (
            <span class="avatar" style={{ background: u.color }} title={`${u.name} is here`} data-testid="presence-user">
              {initials(u.name)}
            </span>
          )}
        </For>
        <span class="muted small">{users().length === 1 ? `${users()[0]!.name} is here` : `${users().length} others here`}</span>
      </Show>
    </div>
  );
}
