// The engineer's home: the latest releases (aliases, QA verdict, images), pipeline runs and model
// runs of the project, each linked to its page.
import { createResource, For, Show } from 'solid-js';
import { messageOf } from '../../api.ts';
import { homeApi } from '../../api/home.ts';
import { jobsApi } from '../../api/jobs.ts';
import { releasesApi } from '../../api/releases.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { QaBadge } from '../../components/release-bits.tsx';
import { Link, pipelinesPath, releasePath, releasesPath } from '../../router.tsx';
import { ago, HomeCard, metricText, RunRows } from './home-bits.tsx';

export function EngineerHome(props: { projectId: string }) {
  const [releases] = createResource(() => props.projectId, (id) => releasesApi.list(id).then((r) => r.items.slice(0, 5)));
  const [runs] = createResource(() => props.projectId, (id) => jobsApi.runs(id).then((r) => r.items.slice(0, 5)));
  const [models] = createResource(() => props.projectId, (id) => homeApi.modelRuns(id));
  const err = () => [releases, runs, models].map((r) => (r.error ? messageOf(r.error) : null)).find(Boolean) ?? null;
  return (
    <div class="home-grid">
      <ErrorNote message={err()} />
      <HomeCard title="Releases" href={releasesPath(props.projectId)} more="Releases, cut a new one" testid="home-releases">
        <Show when={releases()?.length} fallback={<p class="muted">No release yet.</p>}>
          <ul class="home-list">
            <For each={releases()}>
              {(r) => (
                <li data-testid="home-release">
                  <Link href={releasePath(props.projectId, r.number)}>@{r.number}</Link>
                  <For each={r.aliases}>{(a) => <span class="pill">{a}</span>}</For>
                  <QaBadge qa={r.qa} />
                  <span class="muted small">{r.counts.images} images · {ago(r.createdAt)}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </HomeCard>
      <HomeCard title="Pipeline runs" href={pipelinesPath(props.projectId)} more="Pipelines, start one" testid="home-pipelines">
        <RunRows projectId={props.projectId} runs={runs() ?? []} empty="No pipeline has run yet." />
      </HomeCard>
      <HomeCard title="Model runs" testid="home-model-runs">
        <Show when={models() !== null} fallback={<p class="muted">Model runs are not recorded on this server yet.</p>}>
          <Show when={models()?.length} fallback={<p class="muted">No model run recorded yet (<code>tessera runs add</code>).</p>}>
            <ul class="home-list">
              <For each={models()}>
                {(m) => (
                  <li data-testid="home-model-run">
                    <span>{m.model} <span class="muted">{m.version}</span></span>
                    <Link href={releasePath(props.projectId, m.releaseNumber)}>@{m.releaseNumber}</Link>
                    <span class="muted small">{metricText(m.metrics)}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </HomeCard>
    </div>
  );
}
