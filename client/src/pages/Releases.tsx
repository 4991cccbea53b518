// The Releases page of a project (list: number, short id, aliases, QA state, counts per split and
// class, creator; "Cut release" for engineers and managers) and one release's page (diff and notes,
// QA and aliases, exports, the `tessera pull` command). Both refetch on the stream's release events.
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, messageOf } from '../api.ts';
import { releasesApi } from '../api/releases.ts';
import { can } from '../../../shared/policy.ts';
import { SPLIT_ORDER } from '../../../shared/release/manifest.ts';
import { CutReleaseDialog } from '../components/CutReleaseDialog.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';
import { ReleaseView } from '../components/ReleaseView.tsx';
import { projectNames, QaBadge, shortId, when } from '../components/release-bits.tsx';
import { onProjectEvent } from '../project-events.ts';
import { Link, navigate, releasePath, releasesPath } from '../router.tsx';

/** Refetches when the project's stream reports a release change (and when it comes back). */
function onReleaseChange(projectId: string, refetch: () => void): void {
  if (typeof EventSource === 'undefined') return;
  onCleanup(onProjectEvent(projectId, 'release', () => refetch(), refetch));
}

function Crumbs(props: { projectId: string; projectName: string; last?: string }) {
  return (
    <ProjectHeader projectId={props.projectId} projectName={props.projectName}>
      <Show when={props.last} fallback={<span>Releases</span>}>
        <Link href={releasesPath(props.projectId)}>Releases</Link>
        <span class="sep">/</span>
        <span>{props.last}</span>
      </Show>
    </ProjectHeader>
  );
}

export function ReleasesPage(props: { projectId: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const [list, { refetch }] = createResource(() => props.projectId, (id) => releasesApi.list(id));
  const names = projectNames(props.projectId);
  const [cutting, setCutting] = createSignal(false);
  onReleaseChange(props.projectId, () => void refetch());
  const loaded = () => (project.state === 'ready' ? project() : undefined);
  const items = () => (list.state === 'ready' ? list()!.items : []);
  return (
    <>
      <Crumbs projectId={props.projectId} projectName={loaded()?.name ?? '…'} />
      <main class="page">
        <ErrorNote message={list.error ? messageOf(list.error) : project.error ? messageOf(project.error) : null} />
        <div class="page-head">
          <div>
            <h2>Releases</h2>
            <p class="muted small">Immutable snapshots of the approved annotations; the id is the SHA-256 of the release's manifest.</p>
          </div>
          <div class="page-links">
            <GateSwitch projectId={props.projectId} canSet={can(loaded()?.role ?? null, 'project.update')} />
            <Show when={can(loaded()?.role ?? null, 'releases.create')}>
              <button type="button" class="primary" data-testid="cut-release" onClick={() => setCutting(true)}>Cut release</button>
            </Show>
          </div>
        </div>
        <Show when={list.state === 'ready' && items().length === 0}>
          <div class="empty-state" data-testid="no-releases">No release yet. Approve images, then cut the first release.</div>
        </Show>
        <Show when={items().length > 0}>
          <table class="table releases" data-testid="releases-table">
            <thead>
              <tr><th>release</th><th>id</th><th>aliases</th><th>QA</th><th>images per split</th><th>shapes per class</th><th>created</th></tr>
            </thead>
            <tbody>
              <For each={items()}>
                {(r) => (
                  <tr data-testid="release-row" data-number={r.number}>
                    <td><Link href={releasePath(props.projectId, r.number)}><strong>{loaded()?.name}@{r.number}</strong></Link></td>
                    <td><code title={r.id}>{shortId(r.id)}</code></td>
                    <td><For each={r.aliases}>{(a) => <span class="pill alias" data-testid="alias">{a}</span>}</For></td>
                    <td><QaBadge qa={r.qa} /></td>
                    <td class="nowrap">
                      <For each={SPLIT_ORDER}>{(s) => <span class="split-count"><span class="muted">{s}</span> {r.counts.splits[s].images}</span>}</For>
                    </td>
                    <td>
                      <For each={Object.entries(r.counts.classes).filter(([, n]) => n.train + n.val + n.test > 0)}>
                        {([id, n]) => (
                          <span class="class-count" title={SPLIT_ORDER.map((s) => `${s} ${n[s]}`).join(', ')}>
                            <span class="swatch" style={{ background: names.classColor(id) }} /> {names.className(id)} {n.train + n.val + n.test}
                          </span>
                        )}
                      </For>
                    </td>
                    <td class="small">{names.person(r.createdBy)}<br /><span class="muted">{when(r.createdAt)}</span></td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </main>
      <Show when={cutting() && loaded()}>
        {(p) => (
          <CutReleaseDialog
            projectId={props.projectId}
            projectName={p().name}
            onClose={() => setCutting(false)}
            onCut={(n) => {
              setCutting(false);
              navigate(releasePath(props.projectId, n));
            }}
          />
        )}
      </Show>
    </>
  );
}

/** The release gate's state; managers switch it on (validate, IoU 0.95) and off. */
function GateSwitch(props: { projectId: string; canSet: boolean }) {
  const [gate, { mutate }] = createResource(() => props.projectId, (id) => releasesApi.gate(id));
  const [error, setError] = createSignal<string | null>(null);
  const on = () => (gate.state === 'ready' ? gate()!.validate !== null : false);
  const toggle = async () => {
    setError(null);
    try {
      mutate(await releasesApi.setGate(props.projectId, on() ? null : {}));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <span class="small" data-testid="gate-state" data-on={String(on())} title={error() ?? 'When on, a cut whose manifest fails validation (bounds, area, labels, duplicates) is refused with the report linked'}>
      Release gate: {on() ? 'validate' : 'off'}
      <Show when={gate.state === 'ready' && gate()!.lastRefusal}>{(r) => <> · <a href={r().report} target="_blank" rel="noopener">last refusal</a></>}</Show>
      <Show when={props.canSet}>
        {' '}<button type="button" class="link" data-testid="gate-toggle" onClick={() => void toggle()}>{on() ? 'turn off' : 'turn on'}</button>
      </Show>
      <Show when={error()}><span class="error-text"> {error()}</span></Show>
    </span>
  );
}

export function ReleasePage(props: { projectId: string; number: number }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const [detail, { refetch }] = createResource(() => props.number, (n) => releasesApi.detail(props.projectId, n));
  const names = projectNames(props.projectId);
  onReleaseChange(props.projectId, () => void refetch());
  const loaded = () => (project.state === 'ready' ? project() : undefined);
  return (
    <>
      <Crumbs projectId={props.projectId} projectName={loaded()?.name ?? '…'} last={`@${props.number}`} />
      <main class="page">
        <ErrorNote message={detail.error ? messageOf(detail.error) : null} />
        <Show when={detail.state === 'ready' && loaded() ? { d: detail()!, p: loaded()! } : null}>
          {(x) => <ReleaseView projectId={props.projectId} projectName={x().p.name} role={x().p.role} release={x().d} names={names} onChanged={() => void refetch()} />}
        </Show>
      </main>
    </>
  );
}
