// A pipeline run's DAG as plain SVG (client/src/pipeline-layout.ts): one box per step with its
// stage, status and a live progress bar; clicking a step that has a job selects it.
import { For, Show } from 'solid-js';
import type { JobProgress, JobState } from '../../../../shared/jobs.ts';
import type { RunView } from '../../api/jobs.ts';
import { layoutPipeline, NODE } from '../../pipeline-layout.ts';

export interface LiveJob {
  state: JobState;
  progress: JobProgress;
  attempts: number;
}

export function RunGraph(props: { run: RunView; live: Record<string, LiveJob | undefined>; selected: string | null; onSelect(jobId: string): void }) {
  const layout = () => layoutPipeline(props.run);
  const step = (id: string) => props.run.steps.find((s) => s.stepId === id)!;
  return (
    <svg class="run-graph" width={layout().width} height={layout().height} viewBox={`0 0 ${layout().width} ${layout().height}`} role="img" aria-label={`DAG of ${props.run.name}`} data-testid="run-graph">
      <defs>
        <marker id="run-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" fill="#9aa3b2" />
        </marker>
      </defs>
      <For each={layout().edges}>{(e) => <path class="run-edge" d={e.d} marker-end="url(#run-arrow)" />}</For>
      <For each={layout().nodes}>
        {(n) => {
          const s = () => step(n.stepId);
          const job = () => s().job;
          const live = () => (job() ? props.live[job()!.id] : undefined);
          const state = () => live()?.state ?? job()?.state;
          const fraction = () => (state() === 'succeeded' ? 1 : live()?.progress.fraction ?? job()?.progress.fraction ?? 0);
          return (
            <g
              class={`run-node step-${s().status}${job() && job()!.id === props.selected ? ' selected' : ''}${job() ? ' clickable' : ''}`}
              transform={`translate(${n.x},${n.y})`}
              data-testid="run-node"
              data-step={n.stepId}
              data-status={s().status}
              onClick={() => job() && props.onSelect(job()!.id)}
            >
              <title>{`${n.stepId} (${s().uses}): ${s().status}${live()?.progress.message ? ` — ${live()!.progress.message}` : ''}`}</title>
              <rect width={NODE.width} height={NODE.height} rx="6" />
              <text x="10" y="19" class="run-node-id">{n.stepId}</text>
              <text x={NODE.width - 10} y="19" class="run-node-status" text-anchor="end">{s().status}</text>
              <text x="10" y="35" class="run-node-uses">{s().uses}{job()?.cachedFrom ? ' · cached' : ''}</text>
              <Show when={job()}>
                <rect class="run-bar-track" x="10" y="42" width={NODE.width - 20} height="4" rx="2" />
                <rect class="run-bar" x="10" y="42" width={(NODE.width - 20) * Math.max(0, Math.min(1, fraction()))} height="4" rx="2" data-testid="run-node-bar" />
              </Show>
            </g>
          );
        }}
      </For>
    </svg>
  );
}
