// Built-in stage `distribute`: splits the project's unassigned images into batches (file order)
// and gives each batch to the annotator with the least open work (images assigned to them that
// are not submitted or approved), as the job's user. Runs in the server (it changes access).
import { z } from 'zod';
import { defineStage, StageError } from '../../../shared/stage.ts';

const OPEN = new Set(['assigned', 'in_progress', 'changes_requested']);

export default defineStage({
  name: 'distribute',
  version: 1,
  description: 'Assigns unassigned images in batches, balanced by open workload',
  cache: false,
  runsIn: 'server',
  params: z.object({ batchSize: z.number().int().min(1).max(10_000).default(20), annotators: z.array(z.string()).optional() }).strict(),
  input: z.unknown(),
  output: z.object({
    assigned: z.number(),
    batches: z.array(z.object({ username: z.string(), images: z.number() })),
    workload: z.record(z.string(), z.number()),
  }),
  async work(_input, ctx) {
    const projectId = ctx.job.projectId!;
    const [images, members] = await Promise.all([ctx.services.images(projectId), ctx.services.members(projectId)]);
    let people = members.filter((m) => m.role === 'annotator');
    if (ctx.params.annotators) {
      const wanted = new Set(ctx.params.annotators);
      const unknown = ctx.params.annotators.filter((u) => !people.some((p) => p.username === u));
      if (unknown.length) throw new StageError(`distribute: with.annotators: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} no annotator of the project`, { code: 'params', retryable: false });
      people = people.filter((p) => wanted.has(p.username));
    }
    if (!people.length) throw new StageError('distribute: the project has no annotators to give work to', { code: 'params', retryable: false });
    const load = new Map(people.map((p) => [p.userId, 0]));
    for (const img of images) if (img.assigneeId && load.has(img.assigneeId) && OPEN.has(img.status)) load.set(img.assigneeId, load.get(img.assigneeId)! + 1);
    const free = images.filter((i) => i.assigneeId === null && i.status === 'new');
    const batches: { username: string; images: number }[] = [];
    for (let i = 0; i < free.length; i += ctx.params.batchSize) {
      ctx.signal.throwIfAborted();
      const batch = free.slice(i, i + ctx.params.batchSize);
      const to = [...people].sort((a, b) => load.get(a.userId)! - load.get(b.userId)! || a.username.localeCompare(b.username))[0];
      await ctx.services.assign(projectId, batch.map((b) => b.id), to.userId);
      load.set(to.userId, load.get(to.userId)! + batch.length);
      batches.push({ username: to.username, images: batch.length });
      ctx.progress((i + batch.length) / free.length, `${i + batch.length} of ${free.length} images`);
    }
    const workload = Object.fromEntries(people.map((p) => [p.username, load.get(p.userId)!]));
    ctx.log.info(`assigned ${free.length} images in ${batches.length} batches`, workload);
    return { assigned: free.length, batches, workload };
  },
});
