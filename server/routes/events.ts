// The project event stream, `GET /api/projects/:id/events` (server-sent events): every
// ProjectEvent published on the event bus for the project, each shown only to the roles that
// EVENT_READERS (shared/api/events.ts) names for its type.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { EVENT_READERS, type ProjectEvent } from '../../shared/api/events.ts';
import { can, canSeeImage } from '../../shared/policy.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, queryOf } from '../http/validate.ts';

const KEEPALIVE_MS = 15_000;
/** Events held for a client that does not read them; past this the stream is closed (EventSource reconnects). */
const MAX_BACKLOG = 1_000;

export function eventRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/projects/:projectId/events', requireProject(deps, 'project.read'), (c) => {
    queryOf(c, NoQuery);
    const projectId = c.get('projectId');
    const role = c.get('role');
    const userId = principalOf(c).user.id;
    // Events about one image reach only those who may see the image (annotators: their own).
    const assigneeOf = (e: ProjectEvent) => (e.type === 'image' ? e.image.assignee : e.type === 'comments' ? e.assignee : undefined);
    const visible = (e: ProjectEvent) => {
      const assignee = assigneeOf(e);
      return can(role, EVENT_READERS[e.type]) && (assignee === undefined || canSeeImage(role, userId, { assigneeId: assignee }));
    };
    return streamSSE(c, async (stream) => {
      const queue: ProjectEvent[] = [];
      let wake: (() => void) | null = null;
      let closed = false;
      const stop = () => {
        closed = true;
        off();
        wake?.();
      };
      const off = deps.services.events.subscribe(projectId, (e) => {
        if (closed || !visible(e)) return;
        if (queue.length >= MAX_BACKLOG) return stop();
        queue.push(e);
        wake?.();
      });
      stream.onAbort(stop);
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ projectId }) });
      while (!closed) {
        while (queue.length && !closed) {
          const e = queue.shift()!;
          await stream.writeSSE({ event: e.type, data: JSON.stringify(e) });
        }
        if (closed) break;
        await new Promise<void>((r) => {
          const t = setTimeout(r, KEEPALIVE_MS);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        wake = null;
        if (!queue.length && !closed) await stream.write(': keep-alive\n\n');
      }
      off();
    });
  });
  return app;
}
