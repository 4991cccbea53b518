// The review queues of a project: "My work" (the caller's images: changes requested first, with
// the reason, then assigned, then in progress) and, for reviewers and managers, "To review"
// (submitted, the longest waiting first). Both update live from the project's event stream;
// opening an image remembers the queue's order so the annotate page steps through it.
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, blobUrl, messageOf, type QueueItem } from '../api.ts';
import { can } from '../../../shared/policy.ts';
import { rememberGridOrder } from '../browse.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';
import { STATUS_LABEL, StatusChip } from '../components/StatusChip.tsx';
import type { ImageStatus } from '../../../shared/roles.ts';
import { annotatePath, navigate } from '../router.tsx';
import { onImageStatus } from '../state/project-events.ts';
import { createUnread } from '../state/unread.ts';
import { UnreadBadge } from '../components/UnreadBadge.tsx';

type Tab = 'mine' | 'review';

const ago = (at: number | null) => {
  if (at === null) return '';
  const m = Math.round((Date.now() - at) / 60_000);
  return m < 1 ? 'just now' : m < 60 ? `${m} min ago` : m < 48 * 60 ? `${Math.round(m / 60)} h ago` : `${Math.round(m / 1440)} days ago`;
};

export function ReviewPage(props: { projectId: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const role = () => (project.state === 'ready' ? project()!.role : null);
  const [people] = createResource(() => props.projectId, (id) => api.people(id).then((r) => new Map(r.items.map((p) => [p.userId, p.displayName]))).catch(() => new Map<string, string>()));
  const [tab, setTab] = createSignal<Tab | null>(null);
  const shown = (): Tab => tab() ?? (can(role(), 'review.decide') ? 'review' : 'mine');
  const [items, { refetch }] = createResource(
    () => (role() ? { pid: props.projectId, tab: shown() } : null),
    async ({ pid, tab }) => (tab === 'review' ? api.reviewQueue(pid) : api.myWork(pid)).then((r) => r.items),
  );
  // Any status change may add or remove an item: list again (the lists are small).
  onImageStatus(props.projectId, () => void refetch(), () => void refetch());
  const unread = createUnread(props.projectId);
  const nameOf = (id: string | null) => (id ? people()?.get(id) ?? 'someone' : '');
  const open = (item: QueueItem) => {
    rememberGridOrder(props.projectId, (items() ?? []).map((i) => i.image.id));
    navigate(annotatePath(props.projectId, item.image.id));
  };
  const all = () => (items.state === 'ready' ? items()! : []);
  // Filter chips by status (in the status colours), with counts; the list keeps the queue's order.
  const [only, setOnly] = createSignal<ImageStatus | null>(null);
  const statuses = () => [...new Set(all().map((i) => i.image.status))];
  const list = () => (only() && statuses().includes(only()!) ? all().filter((i) => i.image.status === only()) : all());

  return (
    <>
      <ProjectHeader projectId={props.projectId} projectName={project.state === 'ready' ? project()!.name : '…'}>
        <span>Review</span>
      </ProjectHeader>
      <main class="page">
        <ErrorNote message={items.error ? messageOf(items.error) : null} />
        <div class="page-head">
          <h2>{shown() === 'review' ? 'To review' : 'My work'}</h2>
          <Show when={list().length > 0}>
            <button type="button" class="primary" onClick={() => open(list()[0]!)} data-testid="queue-start">
              {shown() === 'review' ? 'Start reviewing' : 'Open the first'} ({list().length})
            </button>
          </Show>
        </div>
        <div class="tabs" role="tablist">
          <Show when={can(role(), 'review.decide')}>
            <button type="button" role="tab" class={shown() === 'review' ? 'tab active' : 'tab'} onClick={() => setTab('review')} data-testid="tab-review">
              To review
            </button>
          </Show>
          <Show when={can(role(), 'review.submit')}>
            <button type="button" role="tab" class={shown() === 'mine' ? 'tab active' : 'tab'} onClick={() => setTab('mine')} data-testid="tab-mine">
              My work
            </button>
          </Show>
        </div>
        <Show when={statuses().length > 1}>
          <div class="status-filters" data-testid="queue-filters">
            <button type="button" class={only() === null ? 'chip-filter active' : 'chip-filter'} onClick={() => setOnly(null)}>
              all ({all().length})
            </button>
            <For each={statuses()}>
              {(s) => (
                <button type="button" class={`chip-filter badge status-${s}${only() === s ? ' active' : ''}`} onClick={() => setOnly(only() === s ? null : s)} data-testid="queue-filter" data-status={s}>
                  {STATUS_LABEL[s]} ({all().filter((i) => i.image.status === s).length})
                </button>
              )}
            </For>
          </div>
        </Show>
        <Show when={items.state === 'ready' && list().length === 0}>
          <p class="muted" data-testid="queue-empty">{shown() === 'review' ? 'Nothing is waiting for review.' : 'Nothing assigned to you needs work.'}</p>
        </Show>
        <ul class="queue" data-testid="queue">
          <For each={list()}>
            {(item) => (
              <li class="queue-item" data-testid="queue-item" data-image={item.image.id} data-status={item.image.status}>
                <button type="button" class="queue-open" onClick={() => open(item)} title={item.image.fileName}>
                  <img src={blobUrl(item.image.thumbSha256 ?? item.image.sha256)} alt="" loading="lazy" />
                </button>
                <div class="queue-body">
                  <div class="queue-title">
                    <button type="button" class="link" onClick={() => open(item)}>{item.image.fileName}</button>
                    <StatusChip status={item.image.status} />
                    <UnreadBadge count={unread.of(item.image.id)} />
                  </div>
                  <Show when={item.reason}>
                    <p class="queue-reason" data-testid="queue-reason">“{item.reason}” — {nameOf(item.by)}</p>
                  </Show>
                  <p class="muted small">
                    {shown() === 'review' ? `submitted by ${nameOf(item.by)} ${ago(item.since)}` : item.since ? `since ${ago(item.since)}` : ''}
                  </p>
                </div>
              </li>
            )}
          </For>
        </ul>
      </main>
    </>
  );
}
