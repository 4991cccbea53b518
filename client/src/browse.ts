// The image order the user last saw in a project's grid, so the annotate page can step to the
// previous and next image without another listing request.
import { createSignal } from 'solid-js';

const [list, setList] = createSignal<{ projectId: string; ids: string[] }>({ projectId: '', ids: [] });

export function rememberGridOrder(projectId: string, ids: string[]): void {
  setList({ projectId, ids });
}

/** The neighbours of an image in the remembered order (null at either end or when unknown). */
export function neighbours(projectId: string, imageId: string): { prev: string | null; next: string | null } {
  const l = list();
  const i = l.projectId === projectId ? l.ids.indexOf(imageId) : -1;
  if (i < 0) return { prev: null, next: null };
  return { prev: l.ids[i - 1] ?? null, next: l.ids[i + 1] ?? null };
}
