// Managers: add a member by username with a role, change roles, remove members.
import { createSignal, For } from 'solid-js';
import { api, type Member } from '../api.ts';
import { useAction } from '../state/action.ts';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function MembersTab(props: { projectId: string; members: readonly Member[]; onChanged(): void }) {
  const [username, setUsername] = createSignal('');
  const [role, setRole] = createSignal<Role>('annotator');
  const { error, setError, run } = useAction(() => props.onChanged());
  const add = (e: Event) => {
    e.preventDefault();
    const u = username().trim();
    if (!u) return;
    void run(async () => {
      await api.addMember(props.projectId, u, role());
      setUsername('');
    });
  };

  return (
    <section class="panel-section">
      <form class="inline-form" onSubmit={add}>
        <input placeholder="username" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} aria-label="Username" />
        <select value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)} aria-label="Role">
          <For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For>
        </select>
        <button type="submit" class="primary">Add member</button>
      </form>
      <ErrorNote message={error()} onDismiss={() => setError(null)} />
      <table class="table">
        <thead>
          <tr>
            <th>User</th>
            <th>Name</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={props.members}>
            {(m) => (
              <tr>
                <td>{m.username}</td>
                <td>{m.displayName}</td>
                <td>
                  <select value={m.role} onChange={(e) => void run(() => api.setMemberRole(props.projectId, m.userId, e.currentTarget.value as Role))} aria-label={`Role of ${m.username}`}>
                    <For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For>
                  </select>
                </td>
                <td class="right">
                  <button
                    type="button"
                    class="danger small"
                    onClick={() => {
                      if (confirm(`Remove ${m.username} from this project?`)) void run(() => api.removeMember(props.projectId, m.userId));
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
