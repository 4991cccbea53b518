// QA's home: the releases awaiting a verdict, each with what its cut left out, its own EDA summary
// (from the release's report) and a link to its page (the QA form, the full EDA charts); beside them
// the project's latest validation results and report from the pipeline runs, and the verdicts given.
import { createResource, For, Show } from 'solid-js';
import { messageOf } from '../../api.ts';
import { homeApi } from '../../api/home.ts';
import { releasesApi } from '../../api/releases.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { QaBadge } from '../../components/release-bits.tsx';
import { Link, pipelinesPath, releasePath, releasesPath } from '../../router.tsx';
import { ClassBars } from './ClassBars.tsx';
import { ago, HomeCard } from './home-bits.tsx';
import { ReleaseEda } from './ReleaseEda.tsx';

interface ValidateOutput { images: number; shapes: number; problems: { kind: string }[] }
interface ReportOutput { images: number; shapes: number; classes: { name: string; shapes: number }[]; imagesWithoutShapes: { count: number } }

export function QaHome(props: { projectId: string }) {
  const [releases] = createResource(() => props.projectId, (id) => releasesApi.list(id).then((r) => r.items));
  const [validation] = createResource(() => props.projectId, (id) => homeApi.latestStageJob(id, 'validate'));
  const [eda] = createResource(() => props.projectId, (id) => homeApi.latestStageJob(id, 'report'));
  const waiting = () => (releases() ?? []).filter((r) => !r.qa);
  const decided = () => (releases() ?? []).filter((r) => r.qa).slice(0, 5);
  const problems = () => {
    const out = validation()?.result as ValidateOutput | undefined;
    if (!out) return null;
    const byKind = new Map<string, number>();
    for (const p of out.problems) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
    return { out, byKind: [...byKind.entries()].sort((a, b) => b[1] - a[1]) };
  };
  const report = () => eda()?.result as ReportOutput | undefined;
  const err = () => [releases, validation, eda].map((r) => (r.error ? messageOf(r.error) : null)).find(Boolean) ?? null;
  return (
    <div class="home-grid">
      <ErrorNote message={err()} />
      <HomeCard title={`Awaiting validation (${waiting().length})`} href={releasesPath(props.projectId)} more="All releases" testid="home-qa-waiting">
        <Show when={waiting().length} fallback={<p class="muted">Every release has a verdict.</p>}>
          <ul class="home-list">
            <For each={waiting()}>
              {(r) => (
                <li data-testid="home-qa-release" data-release={r.number}>
                  <Link href={releasePath(props.projectId, r.number)}>@{r.number}</Link>
                  <span class="muted small">
                    {r.counts.images} images, {r.counts.shapes} shapes · train {r.counts.splits.train.images} / val {r.counts.splits.val.images} / test {r.counts.splits.test.images}
                    {r.report.unreviewedEdits ? ` · ${r.report.unreviewedEdits} edited since approval` : ''}
                    {r.report.noRevision ? ` · ${r.report.noRevision} not approved (left out)` : ''} · {ago(r.createdAt)}
                  </span>
                  <Link href={releasePath(props.projectId, r.number)} class="button-link" data-testid="home-qa-open">Validate or fail →</Link>
                  <ReleaseEda projectId={props.projectId} number={r.number} />
                </li>
              )}
            </For>
          </ul>
        </Show>
      </HomeCard>
      <HomeCard title="Latest validation" href={pipelinesPath(props.projectId, validation()?.runId ?? undefined)} more="Its run" testid="home-qa-validation">
        <Show when={problems()} fallback={<p class="muted">{validation.loading ? 'Loading…' : 'No validate stage has run yet.'}</p>}>
          {(v) => (
            <>
              <p>
                <strong data-testid="home-qa-problems">{v().out.problems.length}</strong> problems in {v().out.images} images, {v().out.shapes} shapes{' '}
                <span class="muted small">({ago(validation()!.finishedAt)})</span>
              </p>
              <ul class="home-list compact">
                <For each={v().byKind}>{([kind, n]) => <li><code>{kind}</code> <span>{n}</span></li>}</For>
              </ul>
            </>
          )}
        </Show>
      </HomeCard>
      <HomeCard title="Latest pipeline report" href={pipelinesPath(props.projectId, eda()?.runId ?? undefined)} more="Its run" testid="home-qa-eda">
        <Show when={report()} fallback={<p class="muted">{eda.loading ? 'Loading…' : 'No report stage has run yet.'}</p>}>
          {(r) => (
            <>
              <p class="muted small">{r().images} images, {r().shapes} shapes, {r().imagesWithoutShapes.count} images without shapes ({ago(eda()!.finishedAt)})</p>
              <ClassBars classes={r().classes} />
            </>
          )}
        </Show>
      </HomeCard>
      <HomeCard title="Verdicts given" testid="home-qa-decided">
        <Show when={decided().length} fallback={<p class="muted">No verdict yet.</p>}>
          <ul class="home-list">
            <For each={decided()}>
              {(r) => (
                <li>
                  <Link href={releasePath(props.projectId, r.number)}>@{r.number}</Link>
                  <QaBadge qa={r.qa} />
                  <span class="muted small">{r.qa!.notes} · {ago(r.qa!.at)}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </HomeCard>
    </div>
  );
}
