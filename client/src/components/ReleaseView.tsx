// One release: its identity (number, id, parent, creator, aliases, QA state), the free-text notes
// beside the notes generated from the diff, the diff against the parent, counts per split and
// class, the EDA report's charts, and the actions of ReleaseActions (pull, exports, QA, aliases).
import { For, Show } from 'solid-js';
import type { Role } from '../../../shared/roles.ts';
import type { ReleaseDetail } from '../api/releases.ts';
import { SPLIT_ORDER } from '../../../shared/release/manifest.ts';
import type { ShapeRef } from '../../../shared/release/diff.ts';
import { Link, releasePath } from '../router.tsx';
import { QaBadge, when, type ProjectNames } from './release-bits.tsx';
import { ReleaseActions } from './ReleaseActions.tsx';
import { EdaCharts } from './EdaCharts.tsx';
import { can } from '../../../shared/policy.ts';

const DIFF_ROWS = [
  ['imagesAdded', 'images added'],
  ['imagesRemoved', 'images removed'],
  ['imagesChanged', 'images changed'],
  ['shapesAdded', 'shapes added'],
  ['shapesRemoved', 'shapes removed'],
  ['shapesMoved', 'shapes moved'],
  ['shapesRelabelled', 'shapes relabelled'],
  ['shapesChanged', 'shapes otherwise changed'],
] as const;

export function ReleaseView(props: { projectId: string; projectName: string; role: Role; release: ReleaseDetail; names: ProjectNames; onChanged(): void }) {
  const r = () => props.release;
  const n = props.names;
  const shapeLine = (s: ShapeRef) => `${s.fileName}: ${s.kind} ${s.shape.slice(0, 8)} (${n.className(s.label)})`;
  return (
    <div class="release" data-testid="release-detail" data-number={r().number}>
      <div class="page-head">
        <div>
          <h2>
            {props.projectName}@{r().number} <QaBadge qa={r().qa} />
          </h2>
          <p class="muted small">
            <code data-testid="release-id">{r().id}</code>
            <br />
            cut by {n.person(r().createdBy)} on {when(r().createdAt)}
            <Show when={r().parentNumber !== null}>
              {' '}· parent <Link href={releasePath(props.projectId, r().parentNumber!)}>@{r().parentNumber}</Link>
            </Show>
            {' '}· split train {r().split.train} / val {r().split.val} / test {r().split.test}
            <Show when={r().split.groupBy}> grouped by {r().split.groupBy}</Show>
          </p>
        </div>
        <div class="page-links">
          <For each={r().aliases}>{(a) => <span class="pill alias" data-testid="alias">{a}</span>}</For>
        </div>
      </div>

      <div class="release-cols">
        <section class="panel-section">
          <h3>Notes</h3>
          <Show when={r().notes} fallback={<p class="muted small">No notes.</p>}>
            <p class="release-notes" data-testid="release-notes">{r().notes}</p>
          </Show>
        </section>
        <section class="panel-section">
          <h3>Generated from the diff</h3>
          <ul class="generated-notes" data-testid="generated-notes">
            <For each={r().generatedNotes}>{(line) => <li>{line}</li>}</For>
          </ul>
          <Show when={r().report.unreviewedEdits + r().report.noRevision > 0}>
            <p class="muted small">
              Left out at the cut: {r().report.noRevision} images without an approved revision; {r().report.unreviewedEdits} included images had edits since approval (not in the release).
            </p>
          </Show>
        </section>
      </div>

      <ReleaseActions projectId={props.projectId} projectName={props.projectName} role={props.role} release={r()} names={n} onChanged={props.onChanged} />

      <Show when={r().parentNumber !== null}>
        <section class="panel-section" data-testid="release-diff">
          <h3>Changes since @{r().parentNumber}</h3>
          <table class="table diff-counts">
            <tbody>
              <For each={DIFF_ROWS.filter(([k]) => r().diff.counts[k] > 0)} fallback={<tr><td class="muted">The same content as @{r().parentNumber}.</td></tr>}>
                {([k, label]) => (
                  <tr data-testid={`diff-${k}`}><td class="num">{r().diff.counts[k]}</td><td>{label}</td></tr>
                )}
              </For>
            </tbody>
          </table>
          <DiffList title="Images added" items={r().diff.images.added.map((i) => i.fileName)} />
          <DiffList title="Images removed" items={r().diff.images.removed.map((i) => i.fileName)} />
          <DiffList title="Images changed" items={r().diff.images.changed.map((i) => i.fileName)} />
          <DiffList title="Shapes relabelled" items={r().diff.shapes.relabelled.map((s) => `${s.fileName}: ${s.kind} ${s.shape.slice(0, 8)} ${n.className(s.from)} → ${n.className(s.label)}`)} testid="diff-relabelled" />
          <DiffList title="Shapes moved" items={r().diff.shapes.moved.map(shapeLine)} />
          <DiffList title="Shapes added" items={r().diff.shapes.added.map(shapeLine)} />
          <DiffList title="Shapes removed" items={r().diff.shapes.removed.map(shapeLine)} />
        </section>
      </Show>

      <EdaCharts projectId={props.projectId} number={r().number} canCompute={can(props.role, 'releases.create')} names={n} />

      <section class="panel-section">
        <h3>Counts per split and class</h3>
        <table class="table" data-testid="release-counts">
          <thead>
            <tr><th /><For each={SPLIT_ORDER}>{(s) => <th class="num">{s}</th>}</For><th class="num">all</th><Show when={r().parentNumber !== null}><th class="num">at @{r().parentNumber}</th></Show></tr>
          </thead>
          <tbody>
            <tr><td>images</td><For each={SPLIT_ORDER}>{(s) => <td class="num">{r().counts.splits[s].images}</td>}</For><td class="num">{r().counts.images}</td><Show when={r().parentNumber !== null}><td /></Show></tr>
            <For each={Object.entries(r().counts.classes)}>
              {([id, c]) => (
                <tr>
                  <td><span class="swatch" style={{ background: n.classColor(id) }} /> {n.className(id)}</td>
                  <For each={SPLIT_ORDER}>{(s) => <td class="num">{c[s]}</td>}</For>
                  <td class="num">{c.train + c.val + c.test}</td>
                  <Show when={r().parentNumber !== null}><td class="num muted">{r().diff.classes.find((x) => x.id === id)?.before ?? 0}</td></Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
    </div>
  );
}

function DiffList(props: { title: string; items: string[]; testid?: string }) {
  return (
    <Show when={props.items.length > 0}>
      <details class="diff-list" open={props.items.length <= 8} data-testid={props.testid}>
        <summary>{props.title} ({props.items.length})</summary>
        <ul class="small">
          <For each={props.items}>{(i) => <li>{i}</li>}</For>
        </ul>
      </details>
    </Show>
  );
}
