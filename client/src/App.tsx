// The app shell: waits for the session, sends signed-out users to the login page, and renders the
// page for the current route.
import { createEffect, createMemo, Match, Switch } from 'solid-js';
import { AnnotatePage } from './pages/Annotate.tsx';
import { LoginPage } from './pages/Login.tsx';
import { ProjectPage } from './pages/Project.tsx';
import { ProjectsPage } from './pages/Projects.tsx';
import { PipelinesPage } from './pages/Pipelines.tsx';
import { HomePage } from './pages/home/Home.tsx';
import { afterSignIn } from './pages/home/landing.ts';
import { ReviewPage } from './pages/Review.tsx';
import { StatsPage } from './pages/Stats.tsx';
import { ReleasePage, ReleasesPage } from './pages/Releases.tsx';
import { LineagePage } from './pages/Lineage.tsx';
import { AdminAuditPage } from './pages/AdminAudit.tsx';
import { navigate, parseRoute, path } from './router.tsx';
import { me } from './session.ts';

export function App() {
  const route = createMemo(() => parseRoute(path()));
  const projectRoute = createMemo(() => {
    const r = route();
    return r.name === 'project' ? r : null;
  });
  const annotateRoute = createMemo(() => {
    const r = route();
    return r.name === 'annotate' ? r : null;
  });
  const reviewRoute = createMemo(() => {
    const r = route();
    return r.name === 'review' || r.name === 'stats' ? r : null;
  });
  const releasesRoute = createMemo(() => {
    const r = route();
    return r.name === 'releases' || r.name === 'release' ? r : null;
  });
  const pipelinesRoute = createMemo(() => {
    const r = route();
    return r.name === 'pipelines' ? r : null;
  });
  const lineageRoute = createMemo(() => {
    const r = route();
    return r.name === 'lineage' ? r : null;
  });
  /** The page stays mounted while only the selected run changes. */
  const pipelinesProject = createMemo(() => pipelinesRoute()?.projectId ?? null);
  const homeProject = createMemo(() => {
    const r = route();
    return r.name === 'home' ? r.projectId : null;
  });
  let wanted = '/';
  createEffect(() => {
    const m = me();
    const r = route();
    if (m === null && r.name !== 'login') {
      wanted = path();
      navigate('/login', true);
    } else if (m && r.name === 'login') navigate(afterSignIn(wanted, m.memberships), true);
  });
  return (
    <Switch fallback={<div class="splash">Loading…</div>}>
      <Match when={me() === null && route().name === 'login'}>
        <LoginPage next={wanted} />
      </Match>
      <Match when={me()}>
        <Switch fallback={<NotFound />}>
          <Match when={route().name === 'projects'}>
            <ProjectsPage />
          </Match>
          <Match when={route().name === 'adminAudit'}>
            <AdminAuditPage />
          </Match>
          <Match when={projectRoute()} keyed>
            {(p) => <ProjectPage projectId={p.projectId} />}
          </Match>
          <Match when={annotateRoute()} keyed>
            {(a) => <AnnotatePage projectId={a.projectId} imageId={a.imageId} />}
          </Match>
          <Match when={homeProject()} keyed>
            {(projectId) => <HomePage projectId={projectId} />}
          </Match>
          <Match when={pipelinesProject()} keyed>
            {(projectId) => <PipelinesPage projectId={projectId} runId={pipelinesRoute()?.runId} />}
          </Match>
          <Match when={reviewRoute()} keyed>
            {(r) => (r.name === 'review' ? <ReviewPage projectId={r.projectId} /> : <StatsPage projectId={r.projectId} />)}
          </Match>
          <Match when={lineageRoute()} keyed>
            {(r) => <LineagePage projectId={r.projectId} />}
          </Match>
          <Match when={releasesRoute()} keyed>
            {(r) => (r.name === 'release' ? <ReleasePage projectId={r.projectId} number={r.number} /> : <ReleasesPage projectId={r.projectId} />)}
          </Match>
        </Switch>
      </Match>
    </Switch>
  );
}

function NotFound() {
  return (
    <main class="page">
      <h2>Not found</h2>
      <p>
        <a href="/">Back to projects</a>
      </p>
    </main>
  );
}
