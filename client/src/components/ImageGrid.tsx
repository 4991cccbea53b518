// The image grid of a project: thumbnails, status and assignee filters, "load more" paging; for
// managers selection (click, Shift-click for a range, select all) and assignment; for anyone with
// assigned images "Take my batch offline". Works offline from its last known state.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, blobUrl, messageOf, type ImageInfo, type Member } from '../api.ts';
import { can, canBeAssigned } from '../../../shared/policy.ts';
import { IMAGE_STATUSES, type ImageStatus, type Role } from '../../../shared/roles.ts';
import { batchTakenAt, takeBatchOffline, type BatchProgress } from '../offline-batch.ts';
import { annotatePath, Link } from '../router.tsx';
import { me } from '../session.ts';
import { rememberGridOrder } from '../browse.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { onImageStatus } from '../state/project-events.ts';
import { createGridPresence } from '../state/grid-presence.ts';
import { TilePresence } from './TilePresence.tsx';
import { UnreadBadge } from './UnreadBadge.tsx';
import { createUnread } from '../state/unread.ts';
import { plural } from '../../../shared/plural.ts';

const PAGE = 24;
export const statusLabel = (s: ImageStatus) => s.replace('_', ' ');

/** `onChanged` is told after this grid assigned or uploaded images (the progress summary recounts). */
export function ImageGrid(props: { projectId: string; role: Role; members: readonly Member[]; onChanged?: () => void }) {
  const [status, setStatus] = createSignal<ImageStatus | ''>('');
  const [assignee, setAssignee] = createSignal('');
  const [items, setItems] = createSignal<ImageInfo[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let generation = 0;

  const load = async (reset: boolean) => {
    const gen = reset ? ++generation : generation;
    setLoading(true);
    setError(null);
    try {
      const page = await api.images(props.projectId, { status: status(), assignee: assignee() || undefined, limit: PAGE, cursor: reset ? null : next() });
      if (gen !== generation) return;
      setItems(reset ? page.items : [...items(), ...page.items]);
      rememberGridOrder(props.projectId, items().map((i) => i.id));
      setNext(page.next);
    } catch (e) {
      if (gen === generation) setError(messageOf(e));
    } finally {
      if (gen === generation) setLoading(false);
    }
  };
  createEffect(on([() => props.projectId, status, assignee], () => void load(true)));
  // Review status changes arrive live; after the stream was down, list again.
  onImageStatus(props.projectId, (c) => setItems(items().map((i) => (i.id === c.id ? { ...i, status: c.status } : i))), () => void load(true));

  const nameOf = (id: string | null) => {
    if (!id) return 'unassigned';
    if (id === me()?.user.id) return 'you';
    const m = props.members.find((x) => x.userId === id);
    return m ? m.displayName || m.username : 'someone';
  };
  const seesAll = () => can(props.role, 'images.readAll');
  // Who is on which image, live (the server shows it to roles that see every image).
  const presence = can(props.role, 'images.readAll') ? createGridPresence(props.projectId) : null;
  // Comments the signed-in member has not read yet, per image, live.
  const unread = createUnread(props.projectId);
  const people = () => props.members.map((m) => ({ userId: m.userId, name: m.displayName || m.username }));
  const [uploadNote, setUploadNote] = createSignal<string | null>(null);
  const canAssign = () => can(props.role, 'images.assign');
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [assignTo, setAssignTo] = createSignal('');
  let anchor: number | null = null;
  /** A click toggles one tile; Shift-click sets the whole range from the last clicked tile. */
  const pick = (index: number, on: boolean, shift: boolean) => {
    const next = new Set(selected());
    const ids = items().map((i) => i.id);
    const [a, b] = shift && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
    for (let i = a; i <= b; i++) on ? next.add(ids[i]!) : next.delete(ids[i]!);
    anchor = index;
    setSelected(next);
  };
  const allShown = () => items().length > 0 && items().every((i) => selected().has(i.id));
  const assignable = () => props.members.filter((m) => canBeAssigned(m.role));
  const assign = async () => {
    setError(null);
    try {
      const r = await api.assignImages(props.projectId, [...selected()], assignTo() || null);
      const byId = new Map(r.items.map((i) => [i.id, i]));
      setItems(items().map((i) => byId.get(i.id) ?? i));
      setSelected(new Set<string>());
      props.onChanged?.();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const uploadFiles = async (list: FileList | null) => {
    const files = [...(list ?? [])];
    if (!files.length) return;
    setError(null);
    setUploadNote(`uploading ${plural(files.length, 'image')}…`);
    try {
      const r = await api.uploadImages(props.projectId, files);
      const added = r.items.filter((i) => i.created).length;
      setUploadNote(`${added} added${r.items.length > added ? `, ${r.items.length - added} already in the project` : ''}`);
      await load(true);
      if (added) props.onChanged?.();
    } catch (e) {
      setUploadNote(null);
      setError(messageOf(e));
    }
  };

  const userId = () => me()?.user.id ?? '';
  const [batch, setBatch] = createSignal<BatchProgress | null>(null);
  const [batchAt, setBatchAt] = createSignal(batchTakenAt(props.projectId, userId()));
  const takeOffline = async () => {
    setError(null);
    try {
      const p = await takeBatchOffline(props.projectId, userId(), setBatch);
      setBatch(p);
      setBatchAt(batchTakenAt(props.projectId, userId()));
    } catch (e) {
      setBatch(null);
      setError(`Could not take the batch offline: ${messageOf(e)}`);
    }
  };
  const batchText = (p: BatchProgress) =>
    p.done < p.total
      ? `${p.done} of ${p.total} images ready offline…`
      : p.total === 0
        ? 'No images are assigned to you'
        : `${p.total - p.failed.length} of ${p.total} images ready offline${p.failed.length ? ` (not available: ${p.failed.join(', ')})` : ''}`;

  return (
    <section>
      <div class="filters">
        <label>
          Status
          <select value={status()} onChange={(e) => setStatus(e.currentTarget.value as ImageStatus | '')} data-testid="status-filter">
            <option value="">any</option>
            <For each={IMAGE_STATUSES}>{(s) => <option value={s}>{statusLabel(s)}</option>}</For>
          </select>
        </label>
        <Show when={seesAll()}>
          <label>
            Assignee
            <select value={assignee()} onChange={(e) => setAssignee(e.currentTarget.value)} data-testid="assignee-filter">
              <option value="">anyone</option>
              <option value="none">unassigned</option>
              <For each={props.members}>{(m) => <option value={m.userId}>{m.displayName || m.username}</option>}</For>
            </select>
          </label>
        </Show>
        <Show when={can(props.role, 'images.upload')}>
          <label class="button" title="JPEG, PNG or WebP; the same file twice is stored once">
            Upload images
            <input
              type="file"
              multiple
              accept="image/jpeg,image/png,image/webp"
              hidden
              data-testid="upload-input"
              onChange={(e) => {
                const input = e.currentTarget;
                void uploadFiles(input.files).finally(() => (input.value = ''));
              }}
            />
          </label>
          <Show when={uploadNote()}>
            <span class="muted small" data-testid="upload-note">{uploadNote()}</span>
          </Show>
        </Show>
        <Show when={canBeAssigned(props.role)}>
          <button
            type="button"
            onClick={() => void takeOffline()}
            disabled={!!batch() && batch()!.done < batch()!.total}
            title="Keep every image assigned to you, and its annotations, on this device"
            data-testid="batch-offline"
          >
            Take my batch offline
          </button>
          <Show when={batch()} fallback={<Show when={batchAt()}>{(t) => <span class="muted small">batch kept offline {new Date(t()).toLocaleString()}</span>}</Show>}>
            {(p) => (
              <span class="batch-progress" data-testid="batch-progress" data-done={p().done} data-total={p().total}>
                <progress value={p().done} max={Math.max(1, p().total)} />
                <span class="muted small">{batchText(p())}</span>
              </span>
            )}
          </Show>
        </Show>
        <span class="muted small grow right">
          {items().length} shown{next() ? ', more available' : ''}
          {seesAll() ? '' : ' · images assigned to you'}
        </span>
      </div>
      <ErrorNote message={error()} />
      <Show when={canAssign() && items().length > 0}>
        <div class="filters assign-bar" data-testid="assign-bar" data-active={selected().size > 0 ? 'true' : 'false'}>
          <label class="check">
            <input type="checkbox" checked={allShown()} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items().map((i) => i.id)) : new Set<string>())} data-testid="select-all" />
            Select all shown
          </label>
          <span data-testid="selected-count">{selected().size} selected</span>
          <Show when={selected().size > 0}>
            <label>
              Assign to
              <select value={assignTo()} onChange={(e) => setAssignTo(e.currentTarget.value)} data-testid="assign-to">
                <option value="">nobody (unassign)</option>
                <For each={assignable()}>{(m) => <option value={m.userId}>{m.displayName || m.username} ({m.role})</option>}</For>
              </select>
            </label>
            <button type="button" class="primary" onClick={() => void assign()} data-testid="assign">
              Assign
            </button>
            <button type="button" class="link" onClick={() => setSelected(new Set<string>())}>
              Clear
            </button>
            <span class="muted small">Shift-click selects a range. Engineers and QA cannot be assigned images.</span>
          </Show>
        </div>
      </Show>
      <div class="grid" data-testid="image-grid">
        <For each={items()}>
          {(img, i) => (
            <div class={selected().has(img.id) ? 'tile-wrap picked' : 'tile-wrap'}>
              <Show when={canAssign()}>
                <input
                  type="checkbox"
                  class="tile-check"
                  aria-label={`Select ${img.fileName}`}
                  checked={selected().has(img.id)}
                  onClick={(e) => pick(i(), e.currentTarget.checked, e.shiftKey)}
                  data-testid="tile-select"
                />
              </Show>
              <Link href={annotatePath(props.projectId, img.id)} class="tile" title={img.fileName} data-testid="image-tile">
                <div class="thumb">
                  <Show when={presence}>
                    <TilePresence users={presence!().get(img.id) ?? []} people={people()} />
                  </Show>
                  <Show when={img.thumbSha256} fallback={<span class="muted small">no preview</span>}>
                    <img src={blobUrl(img.thumbSha256!)} alt="" loading="lazy" />
                  </Show>
                  <UnreadBadge count={unread.of(img.id)} />
                </div>
                <div class="tile-body">
                  <div class="tile-name">{img.fileName}</div>
                  <div class="tile-meta">
                    <span class={`badge status-${img.status}`}>{statusLabel(img.status)}</span>
                    <span class="muted small" data-testid="tile-assignee">{nameOf(img.assignee)}</span>
                  </div>
                </div>
              </Link>
            </div>
          )}
        </For>
      </div>
      <Show when={!loading() && items().length === 0 && !error()}>
        <p class="muted empty-state">No images match these filters.</p>
      </Show>
      <div class="more">
        <Show when={next()}>
          <button type="button" onClick={() => void load(false)} disabled={loading()} data-testid="load-more">
            {loading() ? 'Loading…' : 'Load more'}
          </button>
        </Show>
        <Show when={loading() && !next()}>
          <span class="muted">Loading…</span>
        </Show>
      </div>
    </section>
  );
}
