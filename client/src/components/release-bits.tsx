// Small pieces the Releases pages share: names of a project's people and classes for the ids in
// release records, the QA badge, short ids and times.
import { createResource } from 'solid-js';
import { api } from '../api.ts';
import type { ReleaseSummary } from '../api/releases.ts';

/** Names of the project's people and classes, for ids in release records. */
export function projectNames(projectId: string) {
  const [people] = createResource(() => projectId, (id) => api.people(id).then((r) => new Map<string, string>(r.items.map((u) => [u.userId, u.displayName]))));
  const [classes] = createResource(() => projectId, (id) => api.classes(id).then((r) => r.items));
  return {
    person: (id: string) => (people.state === 'ready' ? people()!.get(id) : undefined) ?? id.slice(0, 8),
    className: (id: string) => (classes.state === 'ready' ? classes()!.find((c) => c.id === id)?.name : undefined) ?? id.slice(0, 8),
    classColor: (id: string) => (classes.state === 'ready' ? classes()!.find((c) => c.id === id)?.color : undefined) ?? '#888',
    classIds: () => (classes.state === 'ready' ? classes()!.map((c) => c.id) : []),
  };
}
export type ProjectNames = ReturnType<typeof projectNames>;

export const shortId = (id: string) => id.slice(0, 12);
export const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function QaBadge(props: { qa: ReleaseSummary['qa'] }) {
  return (
    <span class={`badge qa-${props.qa?.status ?? 'none'}`} data-testid="qa-state" title={props.qa?.notes}>
      {props.qa?.status ?? 'not checked'}
    </span>
  );
}

