// The EDA report of a release as plain SVG charts: class distribution, box sizes, aspect ratios and
// shapes per annotator, for the whole release or one split, with the images left without shapes
// and who approved the images. A release cut before reports were kept gets a button that runs the
// release-report stage (engineers, managers) and shows the report when its job ends.
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { ApiError, messageOf } from '../api.ts';
import { releasesApi } from '../api/releases.ts';
import type { ReleaseReport } from '../../../shared/release/report.ts';
import type { Histogram } from '../../../shared/eda/report.ts';
import { SPLIT_ORDER } from '../../../shared/release/manifest.ts';
import { isFinished } from '../../../shared/jobs.ts';
import { onProjectEvent } from '../project-events.ts';
import { ErrorNote } from './ErrorNote.tsx';
import type { ProjectNames } from './release-bits.tsx';

type Scope = 'all' | (typeof SPLIT_ORDER)[number];
interface Bar { label: string; value: number; color?: string }

/** Horizontal bars, one row each (classes, annotators); the Pipelines page draws a `report` job's output with it too. */
export function BarsChart(props: { title: string; bars: Bar[]; testid: string; empty: string }) {
  const W = 340;
  const row = 20;
  const labelW = 110;
  const max = () => Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <figure class="chart eda-chart" data-testid={props.testid}>
      <figcaption>{props.title}</figcaption>
      <Show when={props.bars.length > 0} fallback={<p class="muted small">{props.empty}</p>}>
        <svg width={W} height={props.bars.length * row + 4} viewBox={`0 0 ${W} ${props.bars.length * row + 4}`} role="img" aria-label={props.title}>
          <For each={props.bars}>
            {(b, i) => {
              const w = () => ((W - labelW - 40) * b.value) / max();
              return (
                <g transform={`translate(0 ${i() * row})`}>
                  <text x={labelW - 6} y={14} font-size="11" text-anchor="end" fill="#3a4150">{b.label.length > 16 ? `${b.label.slice(0, 15)}…` : b.label}</text>
                  <rect x={labelW} y={3} width={Math.max(b.value ? 1 : 0, w())} height={row - 6} rx="2" fill={b.color ?? '#2f6fed'} />
                  <text x={labelW + w() + 4} y={14} font-size="11" fill="#677083">{b.value}</text>
                </g>
              );
            }}
          </For>
        </svg>
      </Show>
    </figure>
  );
}

/** Vertical bars over a histogram's bins (box sizes, aspect ratios, shapes per image). */
export function HistogramChart(props: { title: string; h: Histogram; testid: string; color: string }) {
  const W = 340;
  const H = 130;
  const max = () => Math.max(1, ...props.h.counts);
  const bw = () => (W - 10) / Math.max(1, props.h.counts.length);
  return (
    <figure class="chart eda-chart" data-testid={props.testid}>
      <figcaption>{props.title}</figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        <line x1="5" y1={H - 28} x2={W - 5} y2={H - 28} stroke="#c9ced8" />
        <For each={props.h.counts}>
          {(n, i) => {
            const h = () => ((H - 48) * n) / max();
            const x = () => 5 + i() * bw();
            return (
              <g>
                <rect x={x() + 2} y={H - 28 - h()} width={bw() - 4} height={h()} rx="2" fill={props.color} />
                <Show when={n > 0}><text x={x() + bw() / 2} y={H - 32 - h()} font-size="10" text-anchor="middle" fill="#677083">{n}</text></Show>
                <text x={x() + bw() / 2} y={H - 14} font-size="8" text-anchor="middle" fill="#677083">{props.h.labels[i()]}</text>
              </g>
            );
          }}
        </For>
      </svg>
    </figure>
  );
}

export function EdaCharts(props: { projectId: string; number: number; canCompute: boolean; names: ProjectNames }) {
  const [report, { refetch }] = createResource(
    () => props.number,
    (n) => releasesApi.report(props.projectId, n).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  );
  const [scope, setScope] = createSignal<Scope>('all');
  const [jobId, setJobId] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  if (typeof EventSource !== 'undefined') {
    onCleanup(
      onProjectEvent(props.projectId, 'job', (e) => {
        if (e.job.id !== jobId() || !isFinished(e.job.state)) return;
        setJobId(null);
        if (e.job.state !== 'succeeded') setError(`the report job ended ${e.job.state}: ${e.job.progress.message}`);
        void refetch();
      }),
    );
  }
  const compute = async () => {
    setError(null);
    try {
      setJobId((await releasesApi.computeReport(props.projectId, props.number)).job.id);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const part = (r: ReleaseReport) => (scope() === 'all' ? r.all : r.splits[scope() as Exclude<Scope, 'all'>]);
  return (
    <section class="panel-section" data-testid="eda-report">
      <h3>EDA report</h3>
      <ErrorNote message={report.error ? messageOf(report.error) : error()} />
      <Show when={report.state === 'ready' && report() === null}>
        <p class="muted small">No report for this release yet.</p>
        <Show when={props.canCompute}>
          <button type="button" data-testid="eda-compute" disabled={jobId() !== null} onClick={() => void compute()}>{jobId() ? 'Computing…' : 'Compute the report'}</button>
        </Show>
      </Show>
      <Show when={report.state === 'ready' && report()}>
        {(r) => (
          <>
            <div class="tabs" role="tablist">
              <For each={['all', ...SPLIT_ORDER] as Scope[]}>
                {(s) => (
                  <button type="button" role="tab" class={scope() === s ? 'tab active' : 'tab'} aria-selected={scope() === s} data-testid={`eda-scope-${s}`} onClick={() => setScope(s)}>
                    {s === 'all' ? 'whole release' : s} ({s === 'all' ? r().all.images : r().splits[s].images})
                  </button>
                )}
              </For>
            </div>
            <p class="small" data-testid="eda-summary">
              {part(r()).images} images, {part(r()).shapes} shapes, {part(r()).tags} tags; {part(r()).imagesWithoutShapes.count} images without shapes
              <Show when={part(r()).imagesWithoutShapes.count > 0}>
                <span class="muted"> ({part(r()).imagesWithoutShapes.examples.slice(0, 5).join(', ')}{part(r()).imagesWithoutShapes.count > 5 ? ', …' : ''})</span>
              </Show>
              .
            </p>
            <div class="eda-grid">
              <BarsChart title="Shapes per class" testid="eda-classes" empty="No classes." bars={part(r()).classes.map((c) => ({ label: c.name, value: c.shapes, color: props.names.classColor(c.id) }))} />
              <HistogramChart title="Box size, √(width × height) in pixels" testid="eda-box-size" h={part(r()).boxSize} color="#4363d8" />
              <HistogramChart title="Box aspect ratio, width / height" testid="eda-aspect" h={part(r()).aspectRatio} color="#3cb44b" />
              <HistogramChart title="Shapes per image" testid="eda-per-image" h={part(r()).shapesPerImage} color="#911eb4" />
              <BarsChart
                title="Shapes per annotator (server provenance)"
                testid="eda-annotators"
                empty="No shape of this release has server provenance (approved before it was kept)."
                bars={part(r()).annotators.map((a) => ({ label: a.username, value: a.shapes, color: '#f58231' }))}
              />
              <BarsChart title="Images per approver (whole release)" testid="eda-approvers" empty="No approver recorded." bars={r().approvers.map((a) => ({ label: a.username, value: a.images, color: '#1f8a4c' }))} />
            </div>
            <Show when={r().unattributed > 0}>
              <p class="muted small">{r().unattributed} shapes of the release have no server provenance (their revisions were approved before it was kept): no annotator is credited with them.</p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
