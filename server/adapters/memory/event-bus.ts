// The event bus inside one process: a set of listeners per project, called synchronously.
import type { ProjectEvent } from '../../../shared/api/events.ts';
import type { EventBus } from '../../ports/event-bus.ts';

export function inProcessEventBus(onListenerError: (e: unknown) => void = () => {}): EventBus {
  const byProject = new Map<string, Set<(e: ProjectEvent) => void>>();
  return {
    publish(projectId, event) {
      for (const fn of byProject.get(projectId) ?? []) {
        try {
          fn(event);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    subscribe(projectId, fn) {
      let set = byProject.get(projectId);
      if (!set) byProject.set(projectId, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0 && byProject.get(projectId) === set) byProject.delete(projectId);
      };
    },
  };
}
