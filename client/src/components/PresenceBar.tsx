// Who is on this image: you, then one avatar per other user (however many tabs they have open),
// each in their own colour (the same colour as their cursor).
import { For, Show } from 'solid-js';
import type { Peer, PresenceUser } from '../state/presence.ts';

export const initials = (name: string) => name.split(/[\s._-]+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';

export function PresenceBar(props: { me?: PresenceUser; peers: readonly Peer[] }) {
  const users = () => [...new Map(props.peers.filter((p) => p.user.id !== props.me?.id).map((p) => [p.user.id, p.user])).values()];
  return (
    <div class="presence" data-testid="presence">
      <Show when={props.me}>
        {(m) => (
          <span class="avatar me" style={{ background: m().color }} title={`You (${m().name})`} data-testid="presence-me" data-color={m().color}>
            {initials(m().name)}
          </span>
        )}
      </Show>
      <Show when={users().length > 0} fallback={<span class="muted small">Only you</span>}>
        <For each={users()}>
          {(u) => (
            <span class="avatar" style={{ background: u.color }} title={`${u.name} is here`} data-testid="presence-user" data-color={u.color}>
              {initials(u.name)}
            </span>
          )}
        </For>
        <span class="muted small">{users().length === 1 ? `${users()[0]!.name} is here` : `${users().length} others here`}</span>
      </Show>
    </div>
  );
}
