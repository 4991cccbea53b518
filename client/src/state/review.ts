// Review state of the open image, for the review bar: its status (live from the project's event
// stream), the latest request for changes, whether the document changed since it was opened, and
// the moves (submit, approve with `seen` = this device's state vector, request changes).
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import { encodeStateVectorB64 } from '../../../shared/api/review.ts';
import type { ImageStatus } from '../../../shared/roles.ts';
import { api, messageOf, type ImageInfo } from '../api.ts';
import type { DocConnection } from '../sync/connection.ts';
import { createAction } from './action.ts';
import { onImageStatus } from './project-events.ts';

export interface ReviewState {
  status: Accessor<ImageStatus>;
  /** The latest request for changes while the image waits for them (or is being fixed). */
  request: Accessor<{ reason: string; by: string; at: number; shapeId: string | null } | null>;
  /** Someone else changed the document (or its status) since this page opened it. */
  changedSinceOpened: Accessor<boolean>;
  busy: Accessor<boolean>;
  error: Accessor<string | null>;
  submit(): Promise<boolean>;
  approve(): Promise<boolean>;
  requestChanges(reason: string, shapeId?: string | null): Promise<boolean>;
  /** "I have looked again": clears the banner. */
  acknowledge(): void;
}

export function useReview(projectId: string, image: ImageInfo, ann: DocConnection, me: string): ReviewState {
  const [status, setStatus] = createSignal<ImageStatus>(image.status);
  const [request, setRequest] = createSignal<ReturnType<ReviewState['request']>>(null);
  const [changed, setChanged] = createSignal(false);
  const { busy, error, run: attempt } = createAction();

  const loadHistory = () =>
    api
      .reviewHistory(projectId, image.id)
      .then((h) => {
        const last = [...h.items].reverse().find((e) => e.to === 'changes_requested');
        const after = last ? h.items.slice(h.items.lastIndexOf(last) + 1) : [];
        const stillOpen = last && !after.some((e) => e.to === 'approved' || e.to === 'submitted');
        setRequest(stillOpen ? { reason: last.reason ?? '', by: last.actor, at: last.at, shapeId: last.shapeId ?? null } : null);
      })
      .catch((e) => console.warn('review history not loaded:', messageOf(e)));
  void loadHistory();

  onImageStatus(projectId, (c) => {
    if (c.id !== image.id) return;
    setStatus(c.status);
    if (c.actor !== me) setChanged(true);
    void loadHistory();
  }, () => {
    // The stream was down: what did we miss?
    void loadHistory();
    api.image(projectId, image.id).then((i) => setStatus(i.status)).catch(() => {});
  });

  // Remote edits after the first sync mean the reviewer is not looking at what they opened.
  let synced = false;
  createEffect(() => {
    if (ann.status() === 'online') synced = true;
  });
  const onUpdate = (_u: Uint8Array, _origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
    if (!tr.local && synced) setChanged(true);
  };
  ann.doc.on('update', onUpdate);
  onCleanup(() => ann.doc.off('update', onUpdate));

  const run = (fn: () => Promise<ImageInfo>) =>
    attempt(async () => {
      const next = await fn();
      setStatus(next.status);
      setChanged(false);
      void loadHistory();
    });
  return {
    status,
    request,
    changedSinceOpened: changed,
    busy,
    error,
    submit: () => run(() => api.submitImage(projectId, image.id)),
    approve: () => run(() => api.approveImage(projectId, image.id, encodeStateVectorB64(Y.encodeStateVector(ann.doc)))),
    requestChanges: (reason, shapeId) => run(() => api.requestChanges(projectId, image.id, { reason, ...(shapeId ? { shapeId } : {}) })),
    acknowledge: () => setChanged(false),
  };
}
