// Test stage: appends the job id to a file, so tests can count how often each job really ran.
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { defineStage } from '../../../shared/stage.ts';

export default defineStage({
  name: 'append',
  version: 1,
  cache: false,
  params: z.object({ file: z.string() }),
  output: z.null(),
  work(_input, ctx) {
    appendFileSync(ctx.params.file, `${ctx.job.id}\n`);
    return null;
  },
});
