// The Lineage page of a project: the releases in order with the model runs hanging off them
// (dagre layout, drawn in SVG; parent edges carry the diff counts), a metric chosen from a menu
// plotted across releases (one line per model and split: did the new labels help?), and for a
// clicked run its release's images and the annotators and reviewers behind them, with counts.
import { createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, messageOf } from '../api.ts';
import { lineageApi, type LineageView } from '../api/lineage.ts';
import type { LineageEdge, LineageNode } from '../../../shared/api/lineage.ts';
import { metricNumber } from '../../../shared/api/runs.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';
import { onProjectEvent } from '../project-events.ts';
import { LINEAGE_NODE, layoutLineage, metricNames, metricSeries, type DrawnNode, type MetricSeries } from '../lineage-layout.ts';
import { annotatePath, Link, releasePath } from '../router.tsx';
import { plural } from '../../../shared/plural.ts';
import './lineage.css';

const SERIES_COLORS = ['#2f6fed', '#e6194b', '#1f8a4c', '#b7791f', '#911eb4', '#0f9ca8'];
const fmt = (v: number) => (Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1));

/** "+2 images, 3 shapes relabelled" from a parent edge's diff counts. */
function diffLabel(c: Record<string, number> | undefined): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.imagesAdded) parts.push(`+${c.imagesAdded} img`);
  if (c.imagesRemoved) parts.push(`−${c.imagesRemoved} img`);
  if (c.shapesAdded) parts.push(`+${c.shapesAdded} shapes`);
  if (c.shapesRemoved) parts.push(`−${c.shapesRemoved} shapes`);
  if (c.shapesRelabelled) parts.push(`${c.shapesRelabelled} relabel`);
  if (c.shapesMoved) parts.push(`${c.shapesMoved} moved`);
  if (c.imagesChanged && parts.length === 0) parts.push(`${c.imagesChanged} img changed`);
  return parts.join(', ') || 'no change';
}

export function LineagePage(props: { projectId: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const [graph, { refetch }] = createResource(() => props.projectId, (id) => lineageApi.graph(id));
  const [selected, setSelected] = createSignal<string | null>(null);
  const [runView, { refetch: refetchRun }] = createResource(
    () => (selected() ? { id: props.projectId, run: selected()! } : null),
    (k) => lineageApi.graph(k.id, { run: k.run }),
  );
  // A run recorded (or noted) by anyone, e.g. a training script's `tessera runs add`, appears at once;
  // releases cut meanwhile too. After a reconnect the graph is fetched again for what was missed.
  const refetchAll = () => {
    void refetch();
    if (selected()) void refetchRun();
  };
  onCleanup(onProjectEvent(props.projectId, 'modelRun', refetchAll, refetchAll));
  onCleanup(onProjectEvent(props.projectId, 'release', () => void refetch()));
  // `latest` keeps the drawn graph while a live refetch runs, so nothing flickers.
  const g = () => (graph.state === 'ready' || graph.state === 'refreshing' ? graph.latest : undefined);
  const names = createMemo(() => (g() ? metricNames(g()!.nodes) : []));
  const [metric, setMetric] = createSignal<string | null>(null);
  const chosen = () => metric() ?? (names().includes('mAP') ? 'mAP' : (names()[0] ?? null));
  const projectName = () => (project.state === 'ready' ? project()!.name : '…');
  return (
    <>
      <ProjectHeader projectId={props.projectId} projectName={projectName()}>
        <span>Lineage</span>
      </ProjectHeader>
      <main class="page">
        <ErrorNote message={graph.error ? messageOf(graph.error) : runView.error ? messageOf(runView.error) : null} />
        <div class="page-head">
          <div>
            <h2>Lineage</h2>
            <p class="muted small">Releases in order with the model runs measured on them. Click a run for the images and the people behind it.</p>
          </div>
        </div>
        <Show when={g() && g()!.nodes.length === 0}>
          <div class="empty-state" data-testid="no-lineage">No release yet: cut one, then record runs with <code>tessera runs add</code>.</div>
        </Show>
        <Show when={g() && g()!.nodes.length > 0}>
          <div class="lineage-layout">
            <div class="lineage-main">
              <section class="panel-section">
                <h3>Releases and runs</h3>
                <LineageGraph view={g()!} projectName={projectName()} metric={chosen()} selected={selected()} onSelect={setSelected} />
              </section>
              <section class="panel-section" data-testid="metric-chart-section">
                <h3>
                  Metric across releases
                  <select data-testid="metric-menu" value={chosen() ?? ''} onChange={(e) => setMetric(e.currentTarget.value)}>
                    <For each={names()}>{(n) => <option value={n}>{n}</option>}</For>
                  </select>
                </h3>
                <Show when={chosen()} fallback={<p class="muted">No run reports a metric yet.</p>}>
                  <MetricChart series={metricSeries(g()!.nodes, g()!.edges, chosen()!)} releases={releaseNumbers(g()!.nodes)} metric={chosen()!} onSelect={setSelected} />
                </Show>
              </section>
            </div>
            <aside class="lineage-side">
              <Show when={selected()} fallback={<section class="panel-section muted" data-testid="run-hint">Select a run in the graph or the chart.</section>}>
                <Show when={(runView.state === 'ready' || runView.state === 'refreshing') && runView.latest} fallback={<section class="panel-section muted">Loading…</section>}>
                  {(v) => <RunPanel view={v()} runId={selected()!} projectId={props.projectId} projectName={projectName()} />}
                </Show>
              </Show>
            </aside>
          </div>
        </Show>
      </main>
    </>
  );
}

const releaseNumbers = (nodes: readonly LineageNode[]) =>
  nodes.filter((n): n is Extract<LineageNode, { kind: 'release' }> => n.kind === 'release').map((n) => n.number).sort((a, b) => a - b);

function LineageGraph(props: { view: LineageView; projectName: string; metric: string | null; selected: string | null; onSelect(runId: string): void }) {
  const layout = createMemo(() => layoutLineage(props.view.nodes, props.view.edges));
  const title = (n: DrawnNode) => (n.kind === 'release' ? `${props.projectName}@${n.number}` : `${n.model} ${n.version}`);
  const sub = (n: DrawnNode) => {
    if (n.kind === 'release') return `${n.images} images · ${n.shapes} shapes`;
    const v = props.metric ? metricNumber(n.metrics, props.metric) : null;
    return `${n.split ?? 'all splits'}${v !== null ? ` · ${props.metric} ${fmt(v)}` : ''}`;
  };
  const edgeClass = (e: LineageEdge) => `lineage-edge ${e.kind}`;
  /** A release's change against its parent, from the parent edge's diff counts. */
  const parentDiff = (id: string) => {
    const e = props.view.edges.find((x) => x.kind === 'parent' && x.to === id);
    const parent = e && props.view.nodes.find((n) => n.id === e.from);
    return parent && parent.kind === 'release' ? `vs @${parent.number}: ${diffLabel(e.counts)}` : null;
  };
  return (
    <div class="lineage-graph-wrap">
      <svg class="lineage-graph" data-testid="lineage-graph" width={layout().width} height={layout().height} viewBox={`0 0 ${layout().width} ${layout().height}`}>
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" fill="#9aa3b2" />
          </marker>
        </defs>
        <For each={layout().edges}>
          {(e) => (
            <g>
              <path class={edgeClass(e.edge)} d={e.d} marker-end="url(#lineage-arrow)" />
            </g>
          )}
        </For>
        <For each={layout().nodes}>
          {(p) => (
            <g
              class={`lineage-node ${p.node.kind}${p.node.kind === 'run' && props.selected === p.node.runId ? ' selected' : ''}`}
              data-testid={`lineage-${p.node.kind}`}
              data-id={p.node.kind === 'run' ? p.node.runId : p.node.releaseId}
              transform={`translate(${p.x},${p.y})`}
              onClick={() => p.node.kind === 'run' && props.onSelect(p.node.runId)}
            >
              <rect width={LINEAGE_NODE.width} height={LINEAGE_NODE.height} rx="6" />
              <text class="lineage-node-title" x="10" y="19">{title(p.node)}</text>
              <text class="lineage-node-sub" x="10" y="35">{sub(p.node)}</text>
              <Show when={p.node.kind === 'release' && parentDiff(p.node.id)}>
                {(d) => <text class="lineage-node-sub diff" x="10" y="51" data-testid="diff-label">{d()}</text>}
              </Show>
            </g>
          )}
        </For>
      </svg>
    </div>
  );
}

function MetricChart(props: { series: MetricSeries[]; releases: number[]; metric: string; onSelect(runId: string): void }) {
  const W = 560, H = 220, L = 48, R = 16, T = 12, B = 28;
  const values = () => props.series.flatMap((s) => s.points.map((p) => p.value));
  const range = () => {
    const v = values();
    if (v.length === 0) return { lo: 0, hi: 1 };
    let lo = Math.min(...v), hi = Math.max(...v);
    if (lo === hi) (lo -= 0.05 * (Math.abs(lo) || 1)), (hi += 0.05 * (Math.abs(hi) || 1));
    const pad = (hi - lo) * 0.15;
    return { lo: lo - pad, hi: hi + pad };
  };
  const x = (release: number) => {
    const rs = props.releases;
    const i = rs.indexOf(release);
    return rs.length <= 1 ? L + (W - L - R) / 2 : L + (i / (rs.length - 1)) * (W - L - R);
  };
  const y = (v: number) => T + (1 - (v - range().lo) / (range().hi - range().lo)) * (H - T - B);
  const ticks = () => [0, 0.25, 0.5, 0.75, 1].map((f) => range().lo + f * (range().hi - range().lo));
  return (
    <div>
      <svg class="metric-chart" data-testid="metric-chart" width={W} height={H} viewBox={`0 0 ${W} ${H}`}>
        <For each={ticks()}>
          {(t) => (
            <g>
              <line class="grid" x1={L} x2={W - R} y1={y(t)} y2={y(t)} />
              <text x={L - 6} y={y(t) + 4} text-anchor="end">{fmt(t)}</text>
            </g>
          )}
        </For>
        <line class="axis" x1={L} x2={W - R} y1={H - B} y2={H - B} />
        <For each={props.releases}>{(r) => <text x={x(r)} y={H - 8} text-anchor="middle">@{r}</text>}</For>
        <For each={props.series}>
          {(s, i) => (
            <g data-testid="metric-series" data-name={s.name}>
              <path class="series-line" stroke={SERIES_COLORS[i() % SERIES_COLORS.length]} d={s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p.release)},${y(p.value)}`).join(' ')} />
              <For each={s.points}>
                {(p) => (
                  <circle cx={x(p.release)} cy={y(p.value)} r="5" fill={SERIES_COLORS[i() % SERIES_COLORS.length]} style={{ cursor: 'pointer' }} data-testid="metric-point" onClick={() => props.onSelect(p.runId)}>
                    <title>{`${s.name} @${p.release}: ${props.metric} ${fmt(p.value)}`}</title>
                  </circle>
                )}
              </For>
            </g>
          )}
        </For>
      </svg>
      <div class="metric-legend">
        <For each={props.series}>{(s, i) => <span><span class="swatch" style={{ background: SERIES_COLORS[i() % SERIES_COLORS.length] }} />{s.name}</span>}</For>
      </div>
    </div>
  );
}

function RunPanel(props: { view: LineageView; runId: string; projectId: string; projectName: string }) {
  const run = () => props.view.nodes.find((n) => n.kind === 'run' && n.runId === props.runId) as Extract<LineageNode, { kind: 'run' }> | undefined;
  const release = () => {
    const e = props.view.edges.find((x) => x.kind === 'run' && x.to === `run:${props.runId}`);
    return props.view.nodes.find((n) => n.id === e?.from) as Extract<LineageNode, { kind: 'release' }> | undefined;
  };
  const person = (id: string) => props.view.nodes.find((n) => n.id === id) as Extract<LineageNode, { kind: 'person' }> | undefined;
  const annotators = () => props.view.edges.filter((e) => e.kind === 'annotated').map((e) => ({ name: person(e.from)?.username ?? e.from, images: e.counts?.images ?? 0, shapes: e.counts?.shapes ?? 0 }));
  const reviewers = () => props.view.edges.filter((e) => e.kind === 'reviewed').map((e) => ({ name: person(e.from)?.username ?? e.from, images: e.counts?.images ?? 0 }));
  const scalar = () => Object.entries(run()?.metrics ?? {});
  return (
    <section class="panel-section" data-testid="run-panel">
      <h3>Run</h3>
      <p>
        <strong>{run()?.model} {run()?.version}</strong>
        <span class="muted"> on </span>
        <Show when={release()}>{(r) => <Link href={releasePath(props.projectId, r().number)}>{props.projectName}@{r().number}</Link>}</Show>
        <span class="muted"> · {props.view.split ? `${props.view.split} split` : 'all splits'}</span>
      </p>
      <table class="table small">
        <tbody>
          <For each={scalar()}>
            {([k, v]) => (
              <tr>
                <td>{k}</td>
                <td>{typeof v === 'number' ? fmt(v) : Object.entries(v).map(([c, x]) => `${c} ${fmt(x)}`).join(' · ')}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <h3>Whose labels are in it</h3>
      <p class="muted small" data-testid="run-images-count">{plural(props.view.images?.length ?? 0, 'image')}{props.view.split ? ` in the ${props.view.split} split` : ''}</p>
      <table class="table people-table" data-testid="annotators">
        <thead><tr><th>annotator</th><th class="num">images</th><th class="num">shapes created</th></tr></thead>
        <tbody>
          <For each={annotators()}>{(a) => <tr data-testid="annotator-row"><td>{a.name}</td><td class="num">{a.images}</td><td class="num">{a.shapes}</td></tr>}</For>
        </tbody>
      </table>
      <table class="table people-table" data-testid="reviewers">
        <thead><tr><th>reviewer</th><th class="num">images approved</th></tr></thead>
        <tbody>
          <For each={reviewers()}>{(r) => <tr data-testid="reviewer-row"><td>{r.name}</td><td class="num">{r.images}</td></tr>}</For>
        </tbody>
      </table>
      <h3>Images</h3>
      <div class="lineage-images">
        <table class="table small" data-testid="run-images">
          <thead><tr><th>file</th><th>shapes</th><th>annotated by</th><th>approved by</th></tr></thead>
          <tbody>
            <For each={props.view.images ?? []}>
              {(im) => (
                <tr>
                  <td>
                    <Show when={im.imageId} fallback={im.fileName}>
                      {(id) => <Link href={annotatePath(props.projectId, id())}>{im.fileName}</Link>}
                    </Show>
                  </td>
                  <td class="num">{im.shapes}</td>
                  <td>{im.annotators.join(', ') || '—'}</td>
                  <td>{im.reviewer ?? '—'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
