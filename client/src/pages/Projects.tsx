// The projects the signed-in user belongs to, with their role in each.
import { createResource, For, Show } from 'solid-js';
import { api, messageOf } from '../api.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Header } from '../components/Header.tsx';
import { adminAuditPath, Link, projectPath } from '../router.tsx';
import { me } from '../session.ts';

export function ProjectsPage() {
  const [projects] = createResource(() => api.projects());
  return (
    <>
      <Header>
        <span>Projects</span>
      </Header>
      <main class="page">
        <div class="page-head">
          <h2>Projects</h2>
          <Show when={me()?.user.isAdmin}>
            <Link href={adminAuditPath} data-testid="admin-audit-link">Audit log (all projects) →</Link>
          </Show>
        </div>
        <ErrorNote message={projects.error ? messageOf(projects.error) : null} />
        <Show when={projects()} fallback={<p class="muted">{projects.loading ? 'Loading…' : ''}</p>}>
          {(list) => (
            <div class="project-list">
              <For each={list().items} fallback={<p class="muted">You are not a member of any project yet.</p>}>
                {(p) => (
                  <Link href={projectPath(p.id)} class="card project-card" data-testid="project-card">
                    <div class="project-head">
                      <strong>{p.name}</strong>
                      <span class={`badge role-${p.role}`} data-testid="role-badge">{p.role}</span>
                    </div>
                    <p class="muted small">{p.description || 'No description.'}</p>
                  </Link>
                )}
              </For>
            </div>
          )}
        </Show>
      </main>
    </>
  );
}
