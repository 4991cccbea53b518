// One release's EDA at a glance on the QA home (issue 14 items 4 and 6): its report's class bars,
// images without shapes, unknown labels and who stands behind it — from the release's own report
// (the release-report stage's output over its manifest), not the latest pipeline run. A release
// whose report has not been computed yet says so and links to its page, where it can be started.
import { createResource, Show } from 'solid-js';
import { ApiError, messageOf } from '../../api.ts';
import { releasesApi } from '../../api/releases.ts';
import { Link, releasePath } from '../../router.tsx';
import { ClassBars } from './ClassBars.tsx';
import { plural } from '../../../../shared/plural.ts';

export function ReleaseEda(props: { projectId: string; number: number }) {
  const [report] = createResource(
    () => ({ id: props.projectId, n: props.number }),
    (k) => releasesApi.report(k.id, k.n).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  );
  return (
    <div class="release-eda" data-testid="home-qa-release-eda">
      <Show when={!report.loading} fallback={<p class="muted small">Loading its EDA…</p>}>
        <Show when={!report.error} fallback={<p class="error small">{messageOf(report.error)}</p>}>
          <Show
            when={report()}
            fallback={
              <p class="muted small" data-testid="home-qa-eda-missing">
                No EDA report yet: <Link href={releasePath(props.projectId, props.number)}>compute it on the release page</Link>.
              </p>
            }
          >
            {(r) => (
              <>
                <p class="small">
                  {plural(r().all.classes.length, 'class', 'classes')}
                  {' · '}
                  <span classList={{ warn: r().all.imagesWithoutShapes.count > 0 }} data-testid="home-qa-empty-images">{plural(r().all.imagesWithoutShapes.count, 'image')} without shapes</span>
                  {r().all.unknownLabels ? <span class="warn"> · {plural(r().all.unknownLabels, 'shape')} with an unknown label</span> : ''}
                  {' · '}
                  {plural(r().all.annotators.length, 'annotator')}, {plural(r().approvers.length, 'approver')}
                </p>
                <ClassBars classes={r().all.classes} limit={5} />
              </>
            )}
          </Show>
        </Show>
      </Show>
    </div>
  );
}
