// Marks an open image's comments as read while its page is shown: when the comment document is in
// sync with the server, whenever the server says the image's comments changed (its index is then
// up to date), and when the tab becomes visible again. Nothing is marked while the tab is hidden.
import { createEffect, onCleanup } from 'solid-js';
import { commentsApi } from '../api/comments.ts';
import { onProjectEvent } from '../project-events.ts';
import type { DocConnection } from '../sync/connection.ts';

export function markCommentsSeen(projectId: string, imageId: string, cmt: DocConnection): void {
  const mark = () => {
    if (document.visibilityState !== 'visible' || cmt.status() !== 'online') return;
    void commentsApi.markRead(projectId, imageId).catch(() => {});
  };
  createEffect(() => {
    if (cmt.status() === 'online') mark();
  });
  if (typeof EventSource !== 'undefined') onCleanup(onProjectEvent(projectId, 'comments', (e) => e.imageId === imageId && mark()));
  document.addEventListener('visibilitychange', mark);
  onCleanup(() => document.removeEventListener('visibilitychange', mark));
}
