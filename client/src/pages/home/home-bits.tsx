// Pieces the role homes share: a titled card with a link to the full page, relative times, and
// the latest pipeline runs as a short list.
import { For, Show, type JSX } from 'solid-js';
import type { RunSummary } from '../../api/jobs.ts';
import { Link, pipelinesPath } from '../../router.tsx';

export const ago = (at: number | null | undefined) => {
  if (!at) return '';
  const m = Math.round((Date.now() - at) / 60_000);
  return m < 1 ? 'just now' : m < 60 ? `${m} min ago` : m < 48 * 60 ? `${Math.round(m / 60)} h ago` : `${Math.round(m / 1440)} days ago`;
};

export function HomeCard(props: { title: string; href?: string; more?: string; testid: string; children: JSX.Element }) {
  return (
    <section class="panel-section home-card" data-testid={props.testid}>
      <div class="home-card-head">
        <h3>{props.title}</h3>
        <Show when={props.href}>
          <Link href={props.href!}>{props.more ?? 'Open'} →</Link>
        </Show>
      </div>
      {props.children}
    </section>
  );
}

export function RunRows(props: { projectId: string; runs: readonly RunSummary[]; empty: string }) {
  return (
    <Show when={props.runs.length > 0} fallback={<p class="muted">{props.empty}</p>}>
      <ul class="home-list">
        <For each={props.runs}>
          {(r) => (
            <li data-testid="home-run">
              <Link href={pipelinesPath(props.projectId, r.id)}>{r.name}</Link>
              <span class={`badge run-${r.status}`}>{r.status}</span>
              <span class="muted small">{ago(r.createdAt)}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** A metric map's first few numbers as `name value` text. */
export function metricText(metrics: Record<string, unknown>, n = 3): string {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, n)
    .map(([k, v]) => `${k} ${Number(v).toFixed(3).replace(/\.?0+$/, '')}`)
    .join(' · ');
}
