// The event bus port: project events (shared/api/events.ts) published by services and the job
// runner, read by the SSE route. In-process today (adapters/memory/event-bus.ts); a Redis or
// PostgreSQL LISTEN adapter can carry it between nodes later.
import type { ProjectEvent } from '../../shared/api/events.ts';

export interface EventBus {
  /** Delivers to every current subscriber of the project; never throws at the publisher. */
  publish(projectId: string, event: ProjectEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(projectId: string, listener: (event: ProjectEvent) => void): () => void;
}
