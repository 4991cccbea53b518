// One project: the image grid, and for managers the Members, Classes, Audit and Settings tabs.
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, messageOf, type Member } from '../api.ts';
import { can } from '../../../shared/policy.ts';
import { AuditTab } from '../components/AuditTab.tsx';
import { projectAudit } from '../api/audit.ts';
import { ClassesTab } from '../components/ClassesTab.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Header } from '../components/Header.tsx';
import { ImageGrid } from '../components/ImageGrid.tsx';
import { MembersTab } from '../components/MembersTab.tsx';
import { ProgressSummary } from '../components/ProgressSummary.tsx';
import { SettingsTab } from '../components/SettingsTab.tsx';
import { Link, lineagePath, pipelinesPath, releasesPath, reviewPath, statsPath } from '../router.tsx';
import { warmOfflineCache } from '../sw-client.ts';
import { homePath } from './home/landing.ts';

type Tab = 'images' | 'members' | 'classes' | 'audit' | 'settings';

export function ProjectPage(props: { projectId: string }) {
  const [project, { refetch: refetchProject }] = createResource(() => props.projectId, (id) => api.project(id));
  // What this page and the annotate page need to start without a network.
  const pid = encodeURIComponent(props.projectId);
  void warmOfflineCache(['/api/auth/session', `/api/projects/${pid}`, `/api/projects/${pid}/classes`, `/api/projects/${pid}/people`]).catch((e) =>
    console.warn('offline cache not warmed:', e),
  );
  // Reading an errored resource throws: read it only when it holds a value.
  const loaded = () => (project.state === 'ready' ? project() : undefined);
  const role = () => loaded()?.role ?? null;
  const [members, { refetch: refetchMembers }] = createResource(
    () => (can(role(), 'members.read') ? props.projectId : null),
    (id) => api.members(id).then((r) => r.items),
  );
  const [tab, setTab] = createSignal<Tab>('images');
  /** Bumped when the grid changed images, so the progress summary recounts. */
  const [gridVersion, setGridVersion] = createSignal(0);
  const tabs = (): { id: Tab; label: string }[] => [
    { id: 'images', label: 'Images' },
    ...(can(role(), 'members.manage') ? [{ id: 'members' as const, label: 'Members' }] : []),
    ...(can(role(), 'classes.manage') ? [{ id: 'classes' as const, label: 'Classes' }] : []),
    ...(can(role(), 'audit.read') ? [{ id: 'audit' as const, label: 'Audit log' }] : []),
    ...(can(role(), 'project.update') ? [{ id: 'settings' as const, label: 'Settings' }] : []),
  ];
  const memberList = (): Member[] => members() ?? [];

  return (
    <>
      <Header>
        <Link href="/">Projects</Link>
        <span class="sep">/</span>
        <span>{loaded()?.name ?? '…'}</span>
      </Header>
      <main class="page">
        <ErrorNote message={project.error ? messageOf(project.error) : null} />
        <Show when={loaded()}>
          {(p) => (
            <>
              <div class="page-head">
                <div>
                  <h2>{p().name}</h2>
                  <p class="muted small">{p().description}</p>
                </div>
                <div class="page-links">
                  <Show when={can(p().role, 'review.submit') || can(p().role, 'review.decide')}>
                    <Link href={reviewPath(p().id)} data-testid="review-link">{can(p().role, 'review.decide') ? 'Review queue' : 'My work'}</Link>
                  </Show>
                  <Show when={['engineer', 'qa', 'manager'].includes(p().role)}><Link href={homePath(p().id)} data-testid="home-link">Home</Link></Show>
                  <Show when={can(p().role, 'pipelines.read')}><Link href={pipelinesPath(p().id)} data-testid="pipelines-link">Pipelines</Link></Show>
                  <Show when={can(p().role, 'review.stats')}>
                    <Link href={statsPath(p().id)} data-testid="stats-link">Review statistics</Link>
                  </Show>
                  <Show when={can(p().role, 'releases.read')}><Link href={releasesPath(p().id)} data-testid="releases-link">Releases</Link></Show>
                  <Show when={can(p().role, 'runs.read')}><Link href={lineagePath(p().id)} data-testid="lineage-link">Lineage</Link></Show>
                  <span class={`badge role-${p().role}`} data-testid="role-badge">{p().role}</span>
                </div>
              </div>
              <Show when={tabs().length > 1}>
                <div class="tabs" role="tablist">
                  <For each={tabs()}>
                    {(t) => (
                      <button type="button" role="tab" aria-selected={tab() === t.id} class={tab() === t.id ? 'tab active' : 'tab'} onClick={() => setTab(t.id)}>
                        {t.label}
                      </button>
                    )}
                  </For>
                </div>
              </Show>
              <Switch>
                <Match when={tab() === 'images'}>
                  <Show when={can(p().role, 'images.readAll')}>
                    <ProgressSummary projectId={p().id} members={memberList()} version={gridVersion()} />
                  </Show>
                  <ImageGrid projectId={p().id} role={p().role} members={memberList()} onChanged={() => setGridVersion((v) => v + 1)} />
                </Match>
                <Match when={tab() === 'members'}>
                  <MembersTab projectId={p().id} members={memberList()} onChanged={() => void refetchMembers()} />
                </Match>
                <Match when={tab() === 'classes'}>
                  <ClassesTab projectId={p().id} />
                </Match>
                <Match when={tab() === 'audit'}>
                  <AuditTab source={projectAudit(p().id)} people={memberList()} />
                </Match>
                <Match when={tab() === 'settings'}>
                  <SettingsTab project={p()} onChanged={() => void refetchProject()} />
                </Match>
              </Switch>
            </>
          )}
        </Show>
      </main>
    </>
  );
}
