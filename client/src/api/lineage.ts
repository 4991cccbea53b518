// REST calls of the Lineage page (DESIGN.md "Model runs (REST)"): the lineage graph around a
// release (or the latest) or a run, and the project's runs.
import { request, type Page } from '../api.ts';
import type { LineageView } from '../../../shared/api/lineage.ts';
import type { RunView } from '../../../shared/api/runs.ts';

export type { LineageView } from '../../../shared/api/lineage.ts';
export type { RunView } from '../../../shared/api/runs.ts';

const p = (id: string) => `/projects/${encodeURIComponent(id)}`;

export const lineageApi = {
  /** Around the latest release when `focus` is absent. */
  graph: (id: string, focus?: { run: string } | { release: string | number }) =>
    request<LineageView>('GET', `${p(id)}/lineage${focus ? `?${new URLSearchParams('run' in focus ? { run: focus.run } : { release: String(focus.release) })}` : ''}`),
  runs: (id: string) => request<Page<RunView>>('GET', `${p(id)}/runs?limit=1000`),
};
