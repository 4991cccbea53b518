// The image grid of a project: thumbnails, status and assignee filters, "load more" paging.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, blobUrl, messageOf, type ImageInfo, type Member } from '../api.ts';
import { can } from '../../../shared/policy.ts';
import { IMAGE_STATUSES, type ImageStatus, type Role } from '../../../shared/roles.ts';
import { annotatePath, Link } from '../router.tsx';
import { me } from '../session.ts';
import { rememberGridOrder } from '../browse.ts';
import { ErrorNote } from './ErrorNote.tsx';

const PAGE = 24;
export const statusLabel = (s: ImageStatus) => s.replace('_', ' ');

export function ImageGrid(props: { projectId: string; role: Role; members: readonly Member[] }) {
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

  const nameOf = (id: string | null) => {
    if (!id) return 'unassigned';
    if (id === me()?.user.id) return 'you';
    const m = props.members.find((x) => x.userId === id);
    return m ? m.displayName || m.username : 'someone';
  };
  const seesAll = () => can(props.role, 'images.readAll');
  const [uploadNote, setUploadNote] = createSignal<string | null>(null);
  const canAssign = () => can(props.role, 'images.assign');
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [assignTo, setAssignTo] = createSignal('');
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const assign = async () => {
    setError(null);
    try {
      const r = await api.assignImages(props.projectId, [...selected()], assignTo() || null);
      const byId = new Map(r.items.map((i) => [i.id, i]));
      setItems(items().map((i) => byId.get(i.id) ?? i));
      setSelected(new Set<string>());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const uploadFiles = async (list: FileList | null) => {
    const files = [...(list ?? [])];
    if (!files.length) return;
    setError(null);
    setUploadNote(`uploading ${files.length} image${files.length === 1 ? '' : 's'}…`);
    try {
      const r = await api.uploadImages(props.projectId, files);
      const added = r.items.filter((i) => i.created).length;
      setUploadNote(`${added} added${r.items.length > added ? `, ${r.items.length - added} already in the project` : ''}`);
      await load(true);
    } catch (e) {
      setUploadNote(null);
      setError(messageOf(e));
    }
  };

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
        <span class="muted small grow right">
          {items().length} shown{next() ? ', more available' : ''}
          {seesAll() ? '' : ' · images assigned to you'}
        </span>
      </div>
      <ErrorNote message={error()} />
      <Show when={canAssign() && selected().size > 0}>
        <div class="filters assign-bar" data-testid="assign-bar">
          <span>{selected().size} selected</span>
          <label>
            Assign to
            <select value={assignTo()} onChange={(e) => setAssignTo(e.currentTarget.value)} data-testid="assign-to">
              <option value="">nobody (unassign)</option>
              <For each={props.members}>{(m) => <option value={m.userId}>{m.displayName || m.username} ({m.role})</option>}</For>
            </select>
          </label>
          <button type="button" class="primary" onClick={() => void assign()} data-testid="assign">
            Assign
          </button>
          <button type="button" class="link" onClick={() => setSelected(new Set<string>())}>
            Clear
          </button>
        </div>
      </Show>
      <div class="grid" data-testid="image-grid">
        <For each={items()}>
          {(img) => (
            <div class="tile-wrap">
              <Show when={canAssign()}>
                <input
                  type="checkbox"
                  class="tile-check"
                  aria-label={`Select ${img.fileName}`}
                  checked={selected().has(img.id)}
                  onChange={(e) => toggle(img.id, e.currentTarget.checked)}
                  data-testid="tile-select"
                />
              </Show>
              <Link href={annotatePath(props.projectId, img.id)} class="tile" title={img.fileName} data-testid="image-tile">
                <div class="thumb">
                  <Show when={img.thumbSha256} fallback={<span class="muted small">no preview</span>}>
                    <img src={blobUrl(img.thumbSha256!)} alt="" loading="lazy" />
                  </Show>
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
