// Helpers for review tests against the real server: REST calls as a seeded user, and waiting for an
// image's status event on the project's event bus (no polling).
import type { ImageStatusEvent } from '../../shared/api/events.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { EventBus } from '../ports/event-bus.ts';

export interface Answer {
  status: number;
  body: any;
}

export function restAs(baseUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { get: (path: string) => call('GET', path), post: (path: string, body?: unknown) => call('POST', path, body), patch: (path: string, body?: unknown) => call('PATCH', path, body) };
}

/** Resolves with the next status event of `imageId` that reaches `status` (rejects after the deadline, naming it). */
export function nextStatus(events: EventBus, projectId: string, imageId: string, status: ImageStatus, timeoutMs = 10_000): Promise<ImageStatusEvent['image']> {
  return new Promise((resolve, reject) => {
    const off = events.subscribe(projectId, (e) => {
      if (e.type === 'image' && e.image.id === imageId && e.image.status === status) {
        clearTimeout(timer);
        off();
        resolve(e.image);
      }
    });
    const timer = setTimeout(() => (off(), reject(new Error(`no move of image ${imageId} to ${status} within ${timeoutMs} ms`))), timeoutMs);
  });
}
