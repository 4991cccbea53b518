// A project's home for the signed-in user's role (issue 14 item 4): annotators and reviewers go on
// to the Review page (My work / the review queue); engineers, QA and managers get their own view.
import { createEffect, createResource, Match, Show, Switch } from 'solid-js';
import { api, messageOf } from '../../api.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { ProjectHeader } from '../../components/Header.tsx';
import { Link, navigate, projectPath } from '../../router.tsx';
import { me } from '../../session.ts';
import { EngineerHome } from './EngineerHome.tsx';
import { roleHome } from './landing.ts';
import { ManagerHome } from './ManagerHome.tsx';
import { QaHome } from './QaHome.tsx';
import './home.css';

export function HomePage(props: { projectId: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const loaded = () => (project.state === 'ready' ? project() : undefined);
  createEffect(() => {
    const p = loaded();
    if (p && (p.role === 'annotator' || p.role === 'reviewer')) navigate(roleHome(p.id, p.role), true);
  });
  return (
    <>
      <ProjectHeader projectId={props.projectId} projectName={loaded()?.name ?? '…'}>
        <span>Home</span>
      </ProjectHeader>
      <main class="page home-page">
        <ErrorNote message={project.error ? messageOf(project.error) : null} />
        <Show when={loaded()}>
          {(p) => (
            <>
              <div class="page-head">
                <div>
                  <h2 data-testid="home-title" data-role={p().role}>
                    {p().name} · {p().role === 'manager' ? 'dashboard' : p().role === 'qa' ? 'releases to validate' : 'releases, pipelines, runs'}
                  </h2>
                  <p class="muted small">Signed in as {me()?.user.displayName ?? ''} ({p().role}). <Link href={projectPath(p().id)}>All images →</Link></p>
                </div>
                <span class={`badge role-${p().role}`}>{p().role}</span>
              </div>
              <Switch>
                <Match when={p().role === 'engineer'}><EngineerHome projectId={p().id} /></Match>
                <Match when={p().role === 'qa'}><QaHome projectId={p().id} /></Match>
                <Match when={p().role === 'manager'}><ManagerHome projectId={p().id} /></Match>
              </Switch>
            </>
          )}
        </Show>
      </main>
    </>
  );
}
