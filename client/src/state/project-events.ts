// Image status changes from the project's event stream (client/src/project-events.ts, one
// EventSource per project), for as long as the calling scope lives; `onReconnect` is told when the
// stream came back, to refetch what may have been missed.
import { onCleanup } from 'solid-js';
import type { ImageStatusEvent } from '../../../shared/api/events.ts';
import { onProjectEvent } from '../project-events.ts';

export type ImageStatusChange = ImageStatusEvent['image'];

export function onImageStatus(projectId: string, onImage: (change: ImageStatusChange) => void, onReconnect?: () => void): void {
  if (typeof EventSource === 'undefined') return;
  onCleanup(onProjectEvent(projectId, 'image', (e) => onImage(e.image), onReconnect));
}
