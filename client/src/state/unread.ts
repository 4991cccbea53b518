// Unread comment counts of one project for the signed-in member, kept live: fetched once, then
// again whenever the event stream says an image's comments changed (one request at a time; changes
// during a request cause one more) or came back after a disconnection. Offline it keeps what it had.
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { commentsApi } from '../api/comments.ts';
import { onProjectEvent } from '../project-events.ts';

export interface UnreadState {
  /** Unread messages on the image (0 when none). */
  of(imageId: string): number;
  /** Marks the image's comments read on the server and clears its count here at once. */
  markRead(imageId: string): Promise<void>;
  all: Accessor<Readonly<Record<string, number>>>;
}

export function createUnread(projectId: string): UnreadState {
  const [counts, setCounts] = createSignal<Readonly<Record<string, number>>>({});
  let running = false;
  let again = false;
  let disposed = false;
  const fetchCounts = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const r = await commentsApi.unread(projectId).catch(() => null);
        if (r && !disposed) setCounts(r.unread);
      } while (again && !disposed);
    } finally {
      running = false;
    }
  };
  void fetchCounts();
  if (typeof EventSource !== 'undefined') onCleanup(onProjectEvent(projectId, 'comments', () => void fetchCounts(), () => void fetchCounts()));
  onCleanup(() => (disposed = true));
  return {
    of: (imageId) => counts()[imageId] ?? 0,
    all: counts,
    async markRead(imageId) {
      if (counts()[imageId]) {
        const { [imageId]: _gone, ...rest } = counts();
        setCounts(rest);
      }
      await commentsApi.markRead(projectId, imageId).catch(() => {});
    },
  };
}
